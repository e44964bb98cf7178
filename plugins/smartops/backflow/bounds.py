"""Manual bounds of a sync (the form's *Re-sync from*): parsed, checked, refused before anything runs.

The form's `format: date-time` is not enforced by Airflow (no format checker is installed), so the
value is checked here. A bound can only widen the incremental window, never narrow it: the engine
starts at `min(resync_from, watermark - lookback)`, so changes committed before the bound are never lost.
"""

from __future__ import annotations

from datetime import UTC, datetime

from smartops.backflow.exceptions import ManualBoundInvalid
from smartops.business_date import BUSINESS_TZ


def parse_resync_from(value: object, *, now: datetime | None = None) -> datetime | None:
    """Return the re-sync bound as an aware datetime (naive values are Asia/Shanghai), or None.

    Raise ManualBoundInvalid for a value that is not an ISO 8601 date-time or lies in the future.
    """
    if value in (None, ""):
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise ManualBoundInvalid("resync_from", value, "is not an ISO 8601 date-time such as "
                                 "2026-11-27T00:00:00+08:00") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=BUSINESS_TZ)
    if moment > (now or datetime.now(UTC)):
        raise ManualBoundInvalid("resync_from", value, "is in the future; a re-sync reads rows changed after "
                                 "a past time")
    return moment
