"""Volume: rows of a business date against comparable days, calendar-aware."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from smartops.calendar import BusinessCalendar, DayClass
from smartops.config.pulse import Metric, VolumePolicy
from smartops.pulse import FindingKind, VolumePoint, comparable_band, judge_volume
from smartops.vocabulary import Category
from tests.pulse.series import series

FIRST = date(2025, 9, 1)


@pytest.fixture(scope="module")
def calendar() -> BusinessCalendar:
    return BusinessCalendar()


def judge(calendar, day, **overrides):
    [verdict] = judge_volume("gl_voucher", day, series(FIRST, day + timedelta(days=3), calendar, **overrides),
                             calendar)
    return verdict


def test_should_compute_the_band_by_hand_from_median_and_mad(calendar):
    # Ordinary working days 90, 95, 100, 105, 110 (twice). On the √(x + 3/8) scale: median 10.019, MAD 0.253,
    # 1.4826 × 0.253 = 0.375 < the Poisson 0.5, so the band is (10.019 ± 3 × 0.5)² − 3/8 = 72.19..132.31.
    days = calendar.working_days(date(2026, 3, 9), date(2026, 3, 20))
    points = [VolumePoint(d, rows_inserted=v) for d, v in zip(days, [90, 95, 100, 105, 110] * 2, strict=True)]
    judged = date(2026, 3, 23)
    kinds = [(p.rows_inserted, calendar.day_kind(p.business_date)) for p in points]
    band = comparable_band(calendar.day_kind(judged), kinds, VolumePolicy())
    assert band.expected == 100
    assert (band.low, band.high) == (pytest.approx(72.19, abs=0.01), pytest.approx(132.31, abs=0.01))
    # 70: below the band, at most 70 % of the median, 30 rows short; 75: inside; 150: above the band but under
    # 1.55 × the median; 160: both.
    expectations = {70: FindingKind.LOW_VOLUME, 0: FindingKind.ZERO_ROWS, 160: FindingKind.HIGH_VOLUME,
                    150: None, 75: None}
    for observed, finding in expectations.items():
        [verdict] = judge_volume("t", judged, [*points, VolumePoint(judged, rows_inserted=observed)], calendar)
        assert verdict.finding is finding, (observed, verdict.reason_en)
        assert (verdict.expected, verdict.band_low) == (100, band.low)
        assert len(verdict.comparable_days) == 10


def test_should_allow_the_backlog_of_a_long_break_on_the_first_working_day_after_it(calendar):
    # 24 February 2026, after the Spring Festival break: 1.6× the median is the break's backlog, 2.4× is not.
    assert calendar.day_kind(date(2026, 2, 24)).days_off_before == 9
    assert judge(calendar, date(2026, 2, 24), d2026_02_24=160).finding is None
    assert judge(calendar, date(2026, 2, 24), d2026_02_24=240).finding is FindingKind.HIGH_VOLUME
    assert judge(calendar, date(2026, 3, 12), d2026_03_12=160).finding is FindingKind.HIGH_VOLUME


def test_should_raise_nothing_over_the_spring_festival_week(calendar):
    days = [date(2026, 2, 13) + timedelta(days=i) for i in range(13)]  # 13th .. 25th, 调休 Saturday 14th included
    verdicts = [judge(calendar, d) for d in days]
    assert [v.finding for v in verdicts] == [None] * len(days), [v.reason_en for v in verdicts if v.finding]
    assert verdicts[1].day_class is DayClass.WORKING  # 14 February: judged as a working day
    assert {v.day_class for v in verdicts[3:8]} == {DayClass.NON_WORKING}


def test_should_raise_nothing_for_a_month_end_close_spike(calendar):
    for day in (date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)):
        verdict = judge(calendar, day)
        assert verdict.day_class is DayClass.CLOSE_WINDOW and verdict.finding is None, verdict.reason_en
        assert verdict.observed > 1.8 * 100  # several ordinary days' rows, and normal for its kind of day


def test_should_find_an_empty_working_day(calendar):
    verdict = judge(calendar, date(2026, 3, 10), d2026_03_10=0)
    assert verdict.finding is FindingKind.ZERO_ROWS and verdict.category is Category.VOLUME
    assert (verdict.table, verdict.business_date, verdict.metric) == ("gl_voucher", date(2026, 3, 10),
                                                                      Metric.ROWS_INSERTED)
    assert "no rows on a working day" in verdict.reason_en and "工作日无数据" in verdict.reason_zh


def test_should_find_half_a_working_day(calendar):
    verdict = judge(calendar, date(2026, 3, 11), d2026_03_11=50)
    assert verdict.finding is FindingKind.LOW_VOLUME, verdict.reason_en
    assert verdict.expected == pytest.approx(100, abs=5) and verdict.band_low > 50


def test_should_find_a_duplicated_close_window_day_against_its_own_close_day(calendar):
    assert judge(calendar, date(2026, 3, 3), d2026_03_03=600).finding is FindingKind.HIGH_VOLUME
    assert judge(calendar, date(2026, 3, 12), d2026_03_12=200).finding is FindingKind.HIGH_VOLUME
    assert judge(calendar, date(2026, 3, 3), d2026_03_03=400).finding is None  # 1.3× its close day: no


def test_should_not_judge_a_quiet_holiday_from_below(calendar):
    assert judge(calendar, date(2026, 4, 5), d2026_04_05=0).finding is None  # Qingming, a Sunday
    assert judge(calendar, date(2026, 3, 15), d2026_03_15=0).finding is None  # an ordinary Sunday


def test_should_give_no_verdict_without_enough_comparable_days(calendar):
    days = calendar.working_days(date(2026, 3, 9), date(2026, 3, 11))
    points = [VolumePoint(d, rows_inserted=100) for d in days]
    [verdict] = judge_volume("t", date(2026, 3, 12), [*points, VolumePoint(date(2026, 3, 12), 20)], calendar)
    assert verdict.finding is None and verdict.expected is None and "fewer than 5" in verdict.reason_en


def test_should_find_an_empty_working_day_at_cold_start_after_enough_working_days_with_rows(calendar):
    days = calendar.working_days(date(2026, 3, 2), date(2026, 3, 9))  # close days and ordinary ones: no band
    points = [VolumePoint(d, rows_inserted=100) for d in days]
    [verdict] = judge_volume("t", date(2026, 3, 10), [*points, VolumePoint(date(2026, 3, 10), 0)], calendar)
    assert verdict.expected is None and verdict.finding is FindingKind.ZERO_ROWS
    [short] = judge_volume("t", date(2026, 3, 10), [*points[-3:], VolumePoint(date(2026, 3, 10), 0)], calendar)
    assert short.finding is None


def test_should_judge_from_what_was_known_by_the_business_date(calendar):
    day = date(2026, 3, 11)
    points = series(FIRST, date(2026, 3, 31), calendar, d2026_03_11=50)
    later_changed = [p if p.business_date <= day else VolumePoint(p.business_date, 10**6) for p in points]
    assert judge_volume("t", day, points, calendar) == judge_volume("t", day, later_changed, calendar)
    assert judge_volume("t", date(2026, 4, 1), points, calendar) == []  # no point for the day: nothing to judge


def test_should_judge_each_metric_of_the_policy(calendar):
    policy = VolumePolicy(metrics=[Metric.ROWS_INSERTED, Metric.ROWS_CHANGED])
    verdicts = judge_volume("t", date(2026, 3, 11), series(FIRST, date(2026, 3, 11), calendar), calendar, policy)
    assert [v.metric for v in verdicts] == [Metric.ROWS_INSERTED, Metric.ROWS_CHANGED]
    assert verdicts[1].observed == verdicts[0].observed + verdicts[0].observed // 10


def test_should_mark_a_verdict_on_an_estimated_calendar_year(calendar):
    verdict = judge_volume("t", date(2027, 3, 10), series(date(2026, 9, 1), date(2027, 3, 10), calendar), calendar)[0]
    assert verdict.estimated_calendar
    assert "calendar for 2027 is an estimate" in verdict.reason_en and "估算" in verdict.reason_zh
    assert not judge(calendar, date(2026, 3, 11)).estimated_calendar
