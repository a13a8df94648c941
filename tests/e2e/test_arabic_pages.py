"""The analyst's and the lead's pages in Arabic, in a real browser: no label the catalogue
translates is left in English, names read in Arabic, and the header switches language on the
page the reader is on."""

from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page

from agreements.models import Agreement, Clause, Obligation
from tests.admin_helpers import admin_url
from tests.catalogue import translations
from tests.conftest import PASSWORD, make_role_user
from tests.e2e.conftest import log_in
from tracker.models import ComplianceAssessment, Incident
from tracker.reports.registry import REPORTS

# Every piece of text the reader sees, one per text node, as the browser lays it out. Text
# typed by people (inputs, and what the pages mark dir="auto" or <bdi>) is theirs, in the
# language they wrote it in, and is left out; so is text that declares its own language
# (the language switch names each language in its own words).
VISIBLE_TEXTS = """() => {
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const element = node.parentElement;
    const text = node.textContent.trim();
    const typed = '[dir=auto], bdi, [lang]:not(html), script, style, code, textarea';
    if (!text || !element || element.closest(typed)) continue;
    if (!element.checkVisibility()) continue;
    texts.push(text);
  }
  for (const element of document.querySelectorAll('[aria-label], [title]')) {
    if (element.closest('[dir=auto], bdi')) continue;
    for (const name of ['aria-label', 'title']) {
      const text = (element.getAttribute(name) || '').trim();
      if (text) texts.push(text);
    }
  }
  return texts;
}"""


@pytest.fixture
def seeded_lead(transactional_db):
    call_command("load_seeds", verbosity=0)
    return make_role_user("lead")


@pytest.fixture
def arabic_page(browser: Browser) -> Iterator[Page]:
    """A browser whose reader asks for Arabic (Accept-Language: ar)."""
    context = browser.new_context(locale="ar", viewport={"width": 1300, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def english_labels() -> set[str]:
    """The catalogue's English labels whose Arabic differs, as the pages may show them
    (capitalised or not, with or without a closing colon)."""
    labels = set()
    for english, arabic in translations().items():
        if arabic and arabic != english and len(english) > 2:
            labels |= {english, english[:1].upper() + english[1:]}
    return labels


def english_left(page: Page, labels: set[str]) -> set[str]:
    texts = page.evaluate(VISIBLE_TEXTS)
    return {text for text in texts if text in labels or text.rstrip(":").strip() in labels}


def pages_to_walk() -> list[str]:
    agreement = Agreement.objects.get(code="daraa-2021-09-06")
    clause = Clause.objects.filter(agreement=agreement).first()
    obligation = Obligation.objects.filter(clause__agreement=agreement).first()
    judgement = ComplianceAssessment.objects.first()
    incident = Incident.objects.first()
    reports = [f"/reports/{name}/?{urlencode(report.example)}" for name, report in REPORTS.items()]
    return [
        "/admin/",
        admin_url(Agreement, "change", agreement.pk),
        admin_url(Clause, "change", clause.pk),
        admin_url(Obligation, "change", obligation.pk),
        admin_url(Obligation, "history", obligation.pk),
        admin_url(ComplianceAssessment, "change", judgement.pk),
        admin_url(Incident, "change", incident.pk),
        admin_url(Obligation, "changelist"),
        "/reports/",
        *reports,
    ]


def test_no_label_from_the_catalogue_is_left_in_english_on_the_arabic_pages(
    live_server, arabic_page: Page, seeded_lead
):
    log_in(arabic_page, live_server.url, seeded_lead.username, PASSWORD)
    labels = english_labels()

    left = {}
    for url in pages_to_walk():
        arabic_page.goto(f"{live_server.url}{url}")
        assert arabic_page.locator("html").get_attribute("lang") == "ar", url
        found = english_left(arabic_page, labels)
        if found:
            left[url] = sorted(found)

    assert left == {}


def test_names_read_in_arabic_on_arabic_pages_and_in_english_on_english_ones(
    live_server, arabic_page: Page, page: Page, seeded_lead
):
    # The seeds give parties Arabic names, obligations English actions only.
    obligation = Obligation.objects.exclude(obligor__name_ar="").order_by("id").first()
    party = obligation.obligor
    url = f"{live_server.url}{admin_url(Obligation, 'change', obligation.pk)}"
    for browser_page in (arabic_page, page):
        log_in(browser_page, live_server.url, seeded_lead.username, PASSWORD)
        browser_page.goto(url)

    def opening(text: str) -> str:
        return " ".join(text.split()[:3])

    # The obligor by its name in the page's language; the obligation (agreement · clause ·
    # action) by its English action on both, the fall-back when no Arabic one was written.
    assert party.name_ar in arabic_page.locator("#content").inner_text()
    assert party.name_en in page.locator("#content").inner_text()
    assert opening(obligation.action_en) in arabic_page.locator(".breadcrumbs").inner_text()
    assert opening(obligation.action_en) in page.locator(".breadcrumbs").inner_text()


def test_the_language_switch_in_the_header_keeps_the_reader_on_the_page(
    live_server, page: Page, seeded_lead
):
    obligation = Obligation.objects.first()
    url = f"{live_server.url}{admin_url(Obligation, 'change', obligation.pk)}"
    log_in(page, live_server.url, seeded_lead.username, PASSWORD)
    page.goto(url)
    assert page.locator("html").get_attribute("lang") == "en"

    page.click("#user-tools .language-switch button[value=ar]")

    page.wait_for_selector("html[lang=ar]")
    assert page.url == url
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert "التقارير" in page.locator("#user-tools").inner_text()  # "Reports"

    page.click("#user-tools .language-switch button[value=en]")

    page.wait_for_selector("html[lang=en]")
    assert page.url == url
    assert "reports" in page.locator("#user-tools").inner_text().lower()  # shown in capitals


def test_the_report_pages_switch_language_too(live_server, page: Page, seeded_lead):
    log_in(page, live_server.url, seeded_lead.username, PASSWORD)
    page.goto(f"{live_server.url}/reports/")

    page.click("nav .language-switch button[value=ar]")

    page.wait_for_selector("html[lang=ar]")
    assert page.url == f"{live_server.url}/reports/"
    assert page.locator("h1").inner_text() == "التقارير"
