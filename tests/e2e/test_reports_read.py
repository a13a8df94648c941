"""Reports that read, in English and in Arabic, in a real Chromium: statuses as coloured words
with a legend, charts whose labels sit beside their bars on the reading side, a timeline axis
that fits the agreement, pickers, a header on every printed page, and reflow at 390 px."""

import io
import itertools
import unicodedata
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from django.core.management import call_command
from django.utils import translation
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from tests.conftest import PASSWORD, make_role_user
from tests.e2e.conftest import log_in
from tracker.choices import ComplianceStatus
from tracker.reports.registry import REPORTS

LANGUAGES = ["en", "ar"]
AGREEMENT = "daraa-2021-09-06"


def open_page(browser: Browser, base: str, language: str, width: int = 1300) -> Page:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=language)
    page = context.new_page()
    page.set_default_timeout(15000)
    log_in(page, base, make_role_user("lead").username, PASSWORD)
    return page


@pytest.fixture
def seeded_site(live_server) -> Iterator[str]:
    call_command("load_seeds", verbosity=0)
    yield live_server.url


def example_url(base: str, name: str, **extra: str) -> str:
    return f"{base}/reports/{name}/?{urlencode({**REPORTS[name].example, **extra})}"


# The computed background of each status as the legend shows it, and of every badge and bar.
STATUS_COLOURS = """() => {
  const colour = el => getComputedStyle(el).backgroundColor;
  const legend = {};
  for (const el of document.querySelectorAll('.legend [data-status]')) {
    legend[el.dataset.status] = colour(el);
  }
  const badges = [...document.querySelectorAll('span.status-badge')]
    .filter(el => !el.closest('.legend'))
    .map(el => [el.dataset.status, colour(el), el.textContent.trim()]);
  const bars = [...document.querySelectorAll('svg rect.bar[data-status]')]
    .map(el => [el.dataset.status, getComputedStyle(el).fill]);
  return {legend, badges, bars};
}"""


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_statuses_read_as_words_in_one_colour_each_on_every_report_and_in_the_admin(
    seeded_site, browser: Browser, language: str
):
    page = open_page(browser, seeded_site, language)
    seen: dict[str, str] = {}
    for name in ("compliance-matrix", "party-scorecard", "deadlines"):
        page.goto(example_url(seeded_site, name))
        found = page.evaluate(STATUS_COLOURS)
        legend = found["legend"]
        # Eight statuses (seven judgements and "not assessed"), eight different colours.
        assert len(legend) == 8 and len(set(legend.values())) == 8, legend
        assert seen in ({}, legend), f"{name}'s legend differs from the previous report's"
        seen = legend
        assert found["badges"], f"{name} shows no status"
        for status, colour, words in found["badges"]:
            assert colour == legend[status]
            assert words and "_" not in words, f"code, not words: {words}"
        for status, fill in found["bars"]:
            if status != "not assessed":
                assert fill == legend[status], (name, status)
    with translation.override(language):
        complied = str(ComplianceStatus.COMPLIED.label)
    expect(page.locator(".legend [data-status='complied']")).to_have_text(complied)

    page.goto(f"{seeded_site}/admin/agreements/obligation/")
    badges = page.evaluate(STATUS_COLOURS)["badges"]
    assert badges, "the admin's obligations show no status badge"
    for status, colour, _words in badges:
        assert colour == seen[status]


BAR_SIDES = """() => [...document.querySelectorAll('svg.chart')].flatMap(svg => {
  const labels = [...svg.querySelectorAll('text.bar-label, text.lane')];
  const bars = [...svg.querySelectorAll('rect.bar')];
  return labels.map((label, i) => {
    const l = label.getBoundingClientRect();
    const plot = (bars.length ? bars[i] : svg.querySelector('circle.event'))
      .getBoundingClientRect();
    const s = svg.getBoundingClientRect();
    return {label: [l.left, l.right], bar: [plot.left, plot.right], svg: [s.left, s.right],
            width: plot.width, text: label.textContent};
  });
})"""

TICKS = """() => [...document.querySelectorAll('svg.timeline text.tick')].map(t => {
  const r = t.getBoundingClientRect(); return {date: t.dataset.date, left: r.left, right: r.right};
})"""


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_chart_labels_sit_beside_their_bars_and_the_timeline_fits_the_agreement(
    seeded_site, browser: Browser, language: str
):
    page = open_page(browser, seeded_site, language)
    for name in ("compliance-matrix", "party-scorecard", "timeline"):
        page.goto(example_url(seeded_site, name))
        placed = page.evaluate(BAR_SIDES)
        assert placed, f"{name} draws no labelled chart"
        for item in placed:
            label, bar, svg = item["label"], item["bar"], item["svg"]
            assert svg[0] - 1 <= label[0] and label[1] <= svg[1] + 1, item
            if item["width"] == 0:
                continue
            if language == "ar":  # labels on the right, bars growing leftwards
                assert label[0] >= bar[1] - 0.5, item
            else:
                assert label[1] <= bar[0] + 0.5, item

    # The Daraa agreement of 6 September 2021 has links back to 2018: its axis still runs
    # over its own weeks, with readable ticks that do not overlap.
    page.goto(example_url(seeded_site, "timeline"))
    ticks = page.evaluate(TICKS)
    assert len(ticks) >= 3
    assert all(tick["date"] >= "2021-09-01" for tick in ticks), ticks
    ordered = sorted(ticks, key=lambda tick: tick["left"])
    for before, after in itertools.pairwise(ordered):
        assert before["right"] <= after["left"], (before, after)
    dates = [tick["date"] for tick in ordered]
    assert dates == (sorted(dates, reverse=True) if language == "ar" else sorted(dates))


@pytest.mark.django_db(transaction=True)
def test_the_parameters_are_chosen_from_pickers_and_give_the_same_urls(
    seeded_site, browser: Browser
):
    page = open_page(browser, seeded_site, "ar")
    page.goto(f"{seeded_site}/reports/party-scorecard/")
    party = page.locator("select[name=party]")
    # Parties by their Arabic names, with the key the URL carries.
    assert "القوات الحكومية السورية" in party.inner_text()
    party.select_option("syrian-government-forces")
    page.fill("input[type=date][name=valid_on]", "2021-09-10")
    page.click("form.parameters button[type=submit]")
    page.wait_for_selector("table[data-table=by_status]")
    query = parse_qs(urlparse(page.url).query)
    assert query["party"] == ["syrian-government-forces"]
    assert query["valid_on"] == ["2021-09-10"]

    page.goto(f"{seeded_site}/reports/compliance-matrix/")
    page.select_option("select[name=agreement]", AGREEMENT)
    page.click("form.parameters button[type=submit]")
    expect(page.locator("#matrix-grid")).to_be_visible()
    assert parse_qs(urlparse(page.url).query)["agreement"] == [AGREEMENT]
    # The grid: a row per clause, a column per obligor, each cell coloured by status.
    assert page.locator("#matrix-grid tbody tr").count() >= 2
    assert page.locator("#matrix-grid thead th").count() >= 3
    assert (
        page.locator("#matrix-grid td [data-status]").count()
        == page.locator("table[data-table=matrix] tbody tr").count()
    )


# Elements that stick out of the viewport, other than what scrolls inside a table wrapper.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.body.querySelectorAll('*')]
    .filter(el => !el.closest('.table-wrap') || el.classList.contains('table-wrap'))
    .filter(el => { const r = el.getBoundingClientRect();
                    return r.width > 0 && (r.right > width + 1 || r.left < -1); })
    .map(el => el.tagName + '.' + el.className + ': ' + (el.textContent || '').slice(0, 40));
}"""


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_at_390_px_every_report_reflows_and_only_wide_tables_scroll(
    seeded_site, browser: Browser, language: str
):
    page = open_page(browser, seeded_site, language, width=390)
    for name in sorted(REPORTS):
        page.goto(example_url(seeded_site, name))
        assert page.evaluate(OVERFLOWING) == [], name
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, name


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_printed_page_carries_the_report_title_and_its_parameters(
    seeded_site, browser: Browser, language: str
):
    page = open_page(browser, seeded_site, language)
    page.goto(f"{seeded_site}/reports/audit/?limit=300")
    title = page.locator("h1").inner_text()
    known_at = page.locator("footer [data-parameter='known_at']").inner_text().split("=", 1)[1]
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    assert len(pdf.pages) >= 3, "the example should run over several pages"
    for number, sheet in enumerate(pdf.pages, start=1):
        # NFKC: the PDF's text holds Arabic letters in their joined presentation forms and
        # Latin ligatures ("ﬀ"); the page's text holds the plain letters.
        text = unicodedata.normalize("NFKC", " ".join(sheet.extract_text().split()))
        assert unicodedata.normalize("NFKC", title) in text, f"page {number} lacks the title"
        assert "limit=300" in text and known_at in text, f"page {number} lacks the parameters"
