"""Every report page in a real browser: it renders, draws its chart, shows the JSON's numbers."""

from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD, make_role_user
from tests.e2e.conftest import log_in
from tests.tracker.report_checks import shown_rows
from tracker.reports.registry import REPORTS

# Every cell of every report table on the page, by table key, as the reader sees it.
READ_TABLES = """() => Object.fromEntries(
  [...document.querySelectorAll('table[data-table]')].map(table => [
    table.dataset.table,
    [...table.querySelectorAll(':scope > tbody > tr')]
      .filter(row => !row.querySelector('td[colspan]'))
      .map(row => [...row.querySelectorAll('td')].map(cell => cell.textContent.trim())),
  ])
)"""


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", sorted(REPORTS))
def test_the_report_page_renders_its_chart_and_the_numbers_of_its_json(
    live_server, page: Page, name: str
):
    call_command("load_seeds", verbosity=0)
    lead = make_role_user("lead")
    base = live_server.url
    log_in(page, base, lead.username, PASSWORD)
    report = REPORTS[name]

    # As a reader would: from the list of reports, follow the link to this one.
    page.goto(f"{base}/reports/")
    page.click(f"a[data-report='{name}']")
    expect(page.locator("h1")).to_have_text(str(report.title))
    expect(page.locator("svg.chart").first).to_be_visible()
    known_at = page.locator("footer [data-parameter='known_at']").inner_text().split("=", 1)[1]
    on_page = page.evaluate(READ_TABLES)
    page_hash = page.locator("footer .content-hash").inner_text()

    query = urlencode({**report.example, "known_at": known_at})
    answer = page.request.get(f"{base}/api/v1/reports/{name}/?{query}")
    assert answer.ok, answer.text()
    data = answer.json()

    assert data["content_hash"] == page_hash
    assert any(table["rows"] for table in data["tables"]), "the example shows no data"
    for table in data["tables"]:
        assert on_page[table["key"]] == shown_rows(table)
