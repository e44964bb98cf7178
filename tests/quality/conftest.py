"""Quality tests scan the demo data: the business date their results are recorded for."""

from __future__ import annotations

from datetime import date

BUSINESS_DATE = date(2026, 11, 28)
