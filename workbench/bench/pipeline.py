"""The daily pipeline at bench scale: per-table sync, per-model aggregation, scan vs SQL, per-scenario refresh."""

from __future__ import annotations

from smartops.backflow.sync import sync_table
from smartops.config.inventory import load_inventory
from smartops.warehouse.migrate import migrate
from workbench.bench.aggregation import bench_aggregation
from workbench.bench.common import bench_level1, database, print_table, timed, write_json
from workbench.bench.quality import bench_scan
from workbench.bench.scenarios import bench_scenarios


def run() -> dict:
    level1 = bench_level1()
    warehouse = database("bench_pipeline", fresh=True)
    migrate(warehouse)

    sync = []
    for table in load_inventory().tables:
        with timed() as t:
            result = sync_table(table, source=level1, warehouse=warehouse, run_id="bench-pipeline")
        sync.append({"table": table.name, "rows": result.rows_read, "seconds": t["seconds"]})
    print_table("Backflow sync, initial load of every inventory table", ["table", "rows", "seconds", "rows/s"],
                [[s["table"], s["rows"], s["seconds"], s["rows"] / s["seconds"]] for s in sync])

    models = bench_aggregation(warehouse)
    print_table("Aggregation, per model", ["model", "rows", "seconds"],
                [[m["model"], m["rows"], m["seconds"]] for m in models]
                + [["total", sum(m["rows"] for m in models), sum(m["seconds"] for m in models)]])

    scan = bench_scan(warehouse)
    print_table("Soda scan per ods table", ["table", "checks", "seconds"],
                [[t["table"], t["checks"], t["scan_s"]] for t in scan["per_table"]])
    print_table(f"Largest table ({scan['table']}, {scan['rows']:,} rows): Soda scan vs one SQL query",
                ["Soda scan s", "single-pass SQL s", "ratio", "target", "same metrics"],
                [[scan["scan_s"], scan["sql_s"], scan["ratio"], "<= 2", scan["metrics_match"]]])

    scenarios = bench_scenarios(warehouse)
    print_table("Scenario refresh, per scenario", ["scenario", "rows", "build s", "check s", "total s"],
                [[s["scenario"], s["rows"], s["build_seconds"], s["check_seconds"], s["seconds"]]
                 for s in scenarios])

    results = {"sync": sync, "aggregation": models, "scan": scan, "scenarios": scenarios}
    write_json("pipeline", results)
    database("bench_pipeline", fresh=True)
    return results
