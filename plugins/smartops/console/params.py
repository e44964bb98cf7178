"""The console's request values, bounded: a date people can mean, an id the ops tables can hold."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated

from fastapi import Path
from pydantic import AfterValidator

from smartops.business_date import BUSINESS_TZ

FIRST_DAY = date(2000, 1, 1)  # before any ledger this product keeps
BIGINT_MAX = 2**63 - 1


def _plausible(day: date) -> date:
    latest = datetime.now(BUSINESS_TZ).date() + timedelta(days=1)
    if not FIRST_DAY <= day <= latest:
        raise ValueError(f"date {day.isoformat()} is outside {FIRST_DAY.isoformat()} … {latest.isoformat()}: "
                         "pick a business date the operations record can hold")
    return day


BusinessDay = Annotated[date, AfterValidator(_plausible)]
ItemId = Annotated[int, Path(ge=1, le=BIGINT_MAX)]
