"""The Assets stages hand over through, defined once for producers and consumers."""

from __future__ import annotations

from airflow.sdk import Asset


def table_asset(layer: str, table: str) -> Asset:
    """Return the Asset of warehouse table `<layer>.<table>` (e.g. ods.gl_voucher_line)."""
    return Asset(name=f"{layer}.{table}", uri=f"x-warehouse://level2_warehouse/{layer}/{table}", group="warehouse")
