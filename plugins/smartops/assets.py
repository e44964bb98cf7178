"""The Assets stages hand over through, defined once for producers and consumers."""

from __future__ import annotations

from airflow.sdk import Asset, AssetAlias

from smartops.vocabulary import Layer


def table_asset(layer: str, table: str) -> Asset:
    """Return the Asset of warehouse table `<layer>.<table>` (e.g. ods.gl_voucher_line)."""
    return Asset(name=f"{layer}.{table}", uri=f"x-warehouse://level2_warehouse/{layer}/{table}", group="warehouse")


def batch_alias(task_id: str) -> AssetAlias:
    """The outlet of a batch task: it emits an event for each table it loaded, and only for those."""
    return AssetAlias(name=f"ods.batch.{task_id}", group="warehouse")


# quality_scan's stored results: scenario_refresh is scheduled on it.
RESULTS_ASSET = table_asset(Layer.OPS, "quality_result")
# data_pulse's verdicts (volume, freshness, closed periods, drift) of a business date.
PULSE_ASSET = table_asset(Layer.OPS, "pulse_verdict")
