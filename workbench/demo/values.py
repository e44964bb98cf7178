"""How the demo represents amounts and moments, and how it renders them as COPY text.

Amounts are integer cents. Moments are integer "local seconds": ``ordinal * 86400 + seconds of day`` on
the Asia/Shanghai wall clock (China has no daylight saving time), which makes day arithmetic cheap and
exact. Rows are written as tab-separated COPY text; the values come from the reference data and never
contain tabs, newlines or backslashes, so nothing needs escaping.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from decimal import Decimal

SHANGHAI = dt.timezone(dt.timedelta(hours=8), "+08")
NULL = "\\N"  # COPY text for NULL
DAY = 86400  # seconds
LAST_SECOND = DAY - 1


class _DayTexts(dict[int, str]):
    """Memo of ordinal -> ISO date text, filled on first use of each day (the hottest formatting path)."""

    def __missing__(self, ordinal: int) -> str:
        text = dt.date.fromordinal(ordinal).isoformat()
        self[ordinal] = text
        return text


_DAY_TEXT = _DayTexts()


def day_text(ordinal: int) -> str:
    """Format a date ordinal as ISO text."""
    return _DAY_TEXT[ordinal]


class _MonthKeys(dict[int, int]):
    """Memo of ordinal -> year * 12 + month - 1."""

    def __missing__(self, ordinal: int) -> int:
        day = dt.date.fromordinal(ordinal)
        self[ordinal] = key = day.year * 12 + day.month - 1
        return key


_MONTH_KEYS = _MonthKeys()


def month_key(ordinal: int) -> int:
    """Return year * 12 + month - 1 of a date ordinal (consecutive months get consecutive keys)."""
    return _MONTH_KEYS[ordinal]


def money(cents: int) -> str:
    """Format integer cents as a numeric(18,2) text literal."""
    if cents >= 0:
        return f"{cents // 100}.{cents % 100:02d}" if cents else "0.00"  # every voucher line has a zero side
    return f"-{-cents // 100}.{-cents % 100:02d}"


def cents(value: Decimal | None) -> int:
    """Convert a numeric(18,2) value read from Level-1 to integer cents (NULL counts as 0)."""
    return int((value or Decimal(0)) * 100)


def decimal(amount_c: int) -> Decimal:
    """Convert integer cents to an exact numeric value (for query parameters)."""
    return Decimal(amount_c).scaleb(-2)


class _ClockTexts(dict[int, str]):
    """Memo of second of day -> 'HH:MM:SS+08'."""

    def __missing__(self, secs: int) -> str:
        hours, rest = divmod(secs, 3600)
        self[secs] = text = f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}+08"
        return text


_CLOCK_TEXT = _ClockTexts()


def ts_text(ts: int) -> str:
    """Format local seconds as a +08 timestamptz literal."""
    day, secs = divmod(ts, DAY)
    return f"{_DAY_TEXT[day]} {_CLOCK_TEXT[secs]}"


def ts_datetime(ts: int) -> dt.datetime:
    """Convert local seconds to an aware Asia/Shanghai datetime (for query parameters)."""
    day, secs = divmod(ts, DAY)
    return dt.datetime.combine(dt.date.fromordinal(day), dt.time(), SHANGHAI) + dt.timedelta(seconds=secs)


def ts_of(moment: dt.datetime) -> int:
    """Convert an aware datetime read from Level-1 to local seconds (sub-second parts are dropped)."""
    local = moment.astimezone(SHANGHAI)
    return local.toordinal() * DAY + local.hour * 3600 + local.minute * 60 + local.second


def end_of_day(ts: int) -> int:
    """Return the last second of the day of a moment (documents keyed after it stay on its day)."""
    return ts // DAY * DAY + LAST_SECOND


def stochastic_round(rng: random.Random, value: float) -> int:
    """Round a non-negative float up or down at random so the expectation is preserved."""
    whole = int(value)
    return whole + (1 if rng.random() < value - whole else 0)


def poisson(rng: random.Random, mean: float) -> int:
    """Draw a Poisson count: how many of many independent documents fall on one day (Knuth; normal above 30)."""
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def work_seconds(rng: random.Random) -> int:
    """Return a time of day inside office hours (08:30-18:30), in seconds."""
    return rng.randint(30600, 66600)


def doc_no(prefix: str, ordinal: int, doc_id: int) -> str:
    """Format a document number such as BX-20250314-0000123."""
    day = _DAY_TEXT[ordinal]
    return f"{prefix}-{day[:4]}{day[5:7]}{day[8:]}-{doc_id:07d}"
