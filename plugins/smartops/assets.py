"""The Assets stages hand over through, defined once for producers and consumers."""

from __future__ import annotations

from airflow.sdk import Asset

from smartops.vocabulary import Layer


def table_asset(layer: str, table: str) -> Asset:
    """Return the Asset of warehouse table `<layer>.<table>` (e.g. ods.gl_voucher_line)."""
    return Asset(name=f"{layer}.{table}", uri=f"x-warehouse://level2_warehouse/{layer}/{table}", group="warehouse")


# quality_scan's stored results: scenario_refresh is scheduled on it.
RESULTS_ASSET = table_asset(Layer.OPS, "quality_result")
# data_pulse's verdicts (volume, freshness, closed periods, drift) of a business date.
PULSE_ASSET = table_asset(Layer.OPS, "pulse_verdict")
