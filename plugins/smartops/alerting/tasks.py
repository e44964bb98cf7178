"""Task bodies of the alerting DAGs (watchdog, backlog_triage, operations_report), Airflow-facing.

Each looks up the warehouse connection at run time and turns the domain's refusal into
AirflowFailException (no retry: the same request would be refused again).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from airflow.sdk.exceptions import AirflowFailException

from smartops.alerting.backlog import TriageError, parse_until, triage
from smartops.warehouse.connections import WAREHOUSE_CONN_ID, conninfo


def watchdog_task() -> list[str]:
    """Detect and alert; return the findings as `kind object` lines."""
    from smartops.alerting.watchdog import watch

    return [f"{f.kind.value} {f.object}" for f in watch(conninfo(WAREHOUSE_CONN_ID))]


def triage_task(params: dict[str, Any], actor: str | None) -> str:
    """Apply the backlog_triage form to its item; return the new status."""
    try:
        until = parse_until(params["muted_until"]) if params.get("muted_until") else None
        return triage(conninfo(WAREHOUSE_CONN_ID), int(params["item_id"]), action=params["action"],
                      note=params["note"], actor=actor or "unknown", muted_until=until).value
    except TriageError as exc:
        raise AirflowFailException(str(exc)) from exc


def report_task(params: dict[str, Any], logical_date: Any, run_type: str, run_id: str) -> dict[str, Any]:
    """Generate the operations report of the form's date (default: by run type); return paths and headline."""
    from smartops.alerting.config import Language
    from smartops.report.build import default_report_date, generate_report

    day = date.fromisoformat(params["report_date"]) if params.get("report_date") else \
        default_report_date(logical_date, run_type)
    result = generate_report(conninfo(WAREHOUSE_CONN_ID), day, language=Language(params["language"]),
                             run_id=run_id, deliver_to_channels=bool(params.get("deliver", True)))
    return {"report_date": day.isoformat(), "html": str(result.html_path), "markdown": str(result.markdown_path),
            "json": str(result.json_path), "headline": result.figures["headline"]}
