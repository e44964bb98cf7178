"""The console in a real browser: Debian's Chromium driven by Playwright against the running API server.

Logs in through Airflow's own login page, opens 运营中心 from the navigation, checks every inventory
table and scenario, acknowledges an item and sees it acknowledged with the user's name. Saves a
screenshot of every page to docs/img/ (shown in the README).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from smartops.config.catalog import load_scenarios
from smartops.config.inventory import load_inventory
from tests.conftest import ROOT
from tests.support.helpers import query

CHROMIUM = Path("/usr/bin/chromium")
REQUIRE_BROWSER_ENV = "SMARTOPS_REQUIRE_BROWSER"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = ROOT / "docs" / "img"
TIMEOUT_MS = 30_000  # generous: the API server shares two cores with the rest of the suite
USER = "admin"  # make run's user: the simple auth manager's admin


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium (`make test` installs it when missing), never a browser build Playwright downloads.

    Missing (a newcomer who is not root): the browser tests skip, saying how to install it. CI sets
    SMARTOPS_REQUIRE_BROWSER=1 (.ci/run), where a missing browser fails instead: they must have run.
    """
    if not CHROMIUM.exists():
        message = f"browser tests: {CHROMIUM} is missing — as root run `make browser` (apt: chromium fonts-noto-cjk)"
        if os.environ.get(REQUIRE_BROWSER_ENV) == "1":
            pytest.fail(message + f"; {REQUIRE_BROWSER_ENV}=1 requires them to run")
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN",
                                  timezone_id="Asia/Shanghai")
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    yield context.new_page()
    context.close()


def log_in(page: Page, url: str, user: str, password: str) -> None:
    """Open the Airflow UI and log in on its own login page (the simple auth manager's form)."""
    page.goto(f"{url}/")
    page.locator("input[name=username]").fill(user)
    page.locator("input[name=password]").fill(password)
    page.locator("button[type=submit]").click()
    expect(page.get_by_role("link", name="运营中心", exact=True)).to_be_visible()


@pytest.mark.slow
def test_should_open_the_console_from_the_nav_and_acknowledge_an_item_as_the_user(
        page, console_server, console_data, new_item):
    item = new_item(severity="critical", title="负数金额 2 行 (浏览器测试 browser test)")
    log_in(page, console_server.url, USER, console_server.passwords[USER])

    page.get_by_role("link", name="运营中心", exact=True).click()
    expect(page).to_have_url(re.compile(r"/plugin/smartops"))  # the UI mirrors the frame's path after it
    console = page.frame_locator("iframe")
    for name in load_inventory().names:
        expect(console.locator(f'tr[data-table="{name}"]')).to_be_visible()
    for scenario in load_scenarios().scenarios:
        expect(console.locator(f'tr[data-scenario="{scenario.id}"]')).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "console-in-airflow.png")

    console.get_by_role("link", name="优化待办 Backlog").click()
    card = console.locator(f'article[data-item="{item}"]')
    expect(card.locator('[data-field="status"]')).to_have_text("open")
    card.locator("select[name=action]").select_option("ack")
    card.locator("input[name=note]").fill("已联系一级系统修正 Level-1 asked to correct the rows")
    card.get_by_role("button", name="提交 Submit").click()
    expect(card.locator('[data-field="status"]')).to_have_text("acknowledged")
    expect(card.locator('tr[data-action="acknowledged"] [data-field="actor"]')).to_have_text(USER)
    assert query(console_data.warehouse, "SELECT action, actor, note FROM ops.backlog_audit WHERE item_id = %s "
                                         "ORDER BY audit_id DESC LIMIT 1", (item,)) == [
        ("acknowledged", USER, "已联系一级系统修正 Level-1 asked to correct the rows")]


@pytest.mark.slow
def test_should_screenshot_every_page(page, console_server, console_data, tmp_path):
    """Every console page renders without a script or style error; the screenshots go to docs/img/."""
    from smartops.config.alerting import AlertingConfig
    from smartops.report.review import Period, ReviewKind, generate_review

    day = console_data.business_date.isoformat()
    week = Period.containing(ReviewKind.WEEK, console_data.business_date)  # the cycle's week, reviewed
    generate_review(console_data.warehouse, week, deliver_to_channels=False, run_id="browser-test",
                    config=AlertingConfig.model_validate({"report": {"folder": str(tmp_path / "reports")}}))
    mart = load_scenarios().scenarios[0].tables[0]
    log_in(page, console_server.url, USER, console_server.passwords[USER])
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    for path, name, ready in [
        ("/smartops/", "console-today.png", 'tr[data-table="gl_voucher_line"]'),
        ("/smartops/backlog?severity=critical", "console-backlog.png", "article.item"),  # the tests add high items
        ("/smartops/reports", "console-reports.png", f'tr[data-report="{day}"]'),
        (f"/smartops/reports/{day}?lang=zh", "console-report.png", "iframe.report[style]"),
        ("/smartops/tables/gl_voucher_line", "console-table.png", "svg.chart"),
        (f"/smartops/reports/{day}/document?lang=zh", "report-pulse.png", "svg.pulse-chart"),
        (f"/smartops/reviews/week/{week.start}/document?lang=zh", "review-week.png", "table"),
        ("/smartops/inventory", "console-inventory.png", 'tr[data-table="bank_account"]'),
        ("/smartops/inventory/onboard?source=l1.ar_invoice", "console-onboard.png", 'pre[data-section="proposal"]'),
        ("/smartops/upstream", "console-upstream.png", 'p[data-section="resolve-split"]'),
        ("/smartops/contracts", "console-contracts.png", 'table[data-section="contracts"]'),
        (f"/smartops/contracts/ads.{mart}", "console-contract.png", 'ul[data-section="rules"]'),
    ]:
        page.goto(f"{console_server.url}{path}")
        expect(page.locator(ready).first).to_be_visible()
        page.screenshot(path=SCREENSHOTS / name, full_page=True)
    assert not errors, errors
