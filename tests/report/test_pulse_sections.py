"""The report's data-pulse sections: the day's findings, volume bands, SLA attainment, the month-end close."""

from __future__ import annotations

from datetime import date

from smartops.config.alerting import AlertingConfig
from smartops.notify.language import Language
from smartops.report.build import generate_report
from tests.pulse.test_judge import expected_rows, history_until, judge, ledger


def test_should_show_the_days_findings_bands_sla_and_the_close_window(warehouse, tmp_path):
    empty = date(2026, 3, 5)  # a Thursday after the February close (2026-03-02 … 03-04)
    ledger(warehouse, history_until(empty, {empty: 0}))
    for day in [date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4), empty]:
        judge(warehouse, day)
    config = AlertingConfig.model_validate({"report": {"folder": str(tmp_path / "reports")}})

    result = generate_report(warehouse, empty, language=Language.EN, config=config, deliver_to_channels=False)
    pulse = result.figures["pulse"]
    html = result.html_path.read_text(encoding="utf-8")

    assert ('data-finding="zero_rows"' in html and result.figures["headline"]["pulse_findings"]
            == len(pulse["findings"]) >= 2), "the empty working day (volume and freshness) is listed"
    assert "gl_voucher" in pulse["bands"] and html.count('class="pulse-chart"') == len(pulse["bands"]) + 2
    assert len(pulse["sla"]) == 30 and pulse["sla"][-1]["day"] == empty.isoformat()
    assert pulse["close"]["period"] == "2026-02"
    close = {d["day"]: d["rows"] for d in pulse["close"]["days"]}
    assert close == {d.isoformat(): expected_rows(d) for d in [date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)]}
    assert "Pulse findings: " in result.markdown


def test_should_render_another_language_from_the_stored_figures(warehouse, tmp_path):
    """The console renders a language that was not stored from the stored JSON figures (numbers survive it)."""
    import json

    from smartops.report.render import render_html

    day = date(2026, 3, 5)
    ledger(warehouse, history_until(day))
    judge(warehouse, day)
    config = AlertingConfig.model_validate({"report": {"folder": str(tmp_path / "reports")}})
    result = generate_report(warehouse, day, language=Language.ZH, config=config, deliver_to_channels=False)
    stored = json.loads(json.dumps(result.figures, default=str))  # what ops.operations_report keeps
    html = render_html(stored, Language.EN, "2026-03-06T08:00")
    assert "Month-end close" in html and 'data-close-day="2026-03-02"' in html
