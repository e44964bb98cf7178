"""The benchmark: Soda against one hand-written query, measuring the same metrics."""

from __future__ import annotations

from smartops.quality.checkfiles import discover
from workbench.bench.quality import bench_scan


def test_should_time_soda_against_one_query_that_measures_the_same(demo_warehouse):
    result = bench_scan(demo_warehouse)

    assert result["metrics_match"], result["mismatches"]
    assert result["table"] == "ods.gl_voucher_line" and result["rows"] > 1000
    assert result["scan_s"] > 0 and result["sql_s"] > 0
    assert result["ratio"] == round(result["scan_s"] / result["sql_s"], 2)
    assert [t["table"] for t in result["per_table"]] == [f.qualified for f in discover() if f.layer == "ods"]
    assert all(t["checks"] > 5 for t in result["per_table"])
