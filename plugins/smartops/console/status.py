"""Red / amber / green: how the console judges a table or a scenario at a glance (one rule set, here)."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from smartops.scenarios.refresh import Status
from smartops.vocabulary import LedgerStatus

# Data older than this share of its freshness SLA is amber: it will breach soon if nothing loads.
AMBER_SHARE = 0.8


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    GREY = "grey"  # no evidence yet (never synced / never refreshed)


def freshness(last: datetime | None, sla: timedelta, now: datetime) -> dict[str, Any]:
    """Age of the newest data against its SLA: {"age_hours", "sla_hours", "state"} (grey when never loaded)."""
    if last is None:
        return {"age_hours": None, "sla_hours": sla.total_seconds() / 3600, "state": Rag.GREY}
    age = now - last
    state = Rag.RED if age > sla else Rag.AMBER if age > sla * AMBER_SHARE else Rag.GREEN
    return {"age_hours": round(age.total_seconds() / 3600, 2), "sla_hours": sla.total_seconds() / 3600,
            "state": state}


def worst(*states: Rag) -> Rag:
    """The most alarming state; grey only when every part is grey."""
    for state in (Rag.RED, Rag.AMBER, Rag.GREEN):
        if state in states:
            return state
    return Rag.GREY


def table_state(row: dict[str, Any], fresh: dict[str, Any]) -> Rag:
    """A table is red on a failed or mismatched sync, a reconciliation mismatch, a failed or erroring check,
    or breached freshness; amber on quality warnings or freshness close to its SLA."""
    if row["status"] is None:
        return Rag.GREY
    sync = Rag.RED if row["status"] != LedgerStatus.SUCCESS or row["reconciliation_mismatches"] else Rag.GREEN
    quality = (Rag.RED if row["quality_fail"] or row["quality_error"]
               else Rag.AMBER if row["quality_warn"] else Rag.GREEN)
    return worst(sync, quality, fresh["state"])


def scenario_state(status: str | None, fresh: dict[str, Any]) -> Rag:
    """A scenario is red when its refresh failed, amber when skipped by its gate; else its inputs' freshness."""
    if status is None:
        return Rag.GREY
    if status == Status.FAILED:
        return Rag.RED
    return worst(Rag.AMBER if status == Status.SKIPPED else Rag.GREEN, fresh["state"])
