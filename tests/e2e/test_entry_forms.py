"""Entering incidents and judging obligations in a real browser, in English and in Arabic:
sub-event choices that follow the event type, dates typed with only their month, keys made
for the analyst, the look-alike warning, and obligation and clause pages that fit 1280 px."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests import builders
from tests.conftest import PASSWORD, make_role_user
from tests.e2e.conftest import log_in
from tracker.choices import ACLED_EVENT_TYPES
from tracker.models import Incident

# Transactional: the live server reads what the test writes.
pytestmark = pytest.mark.django_db(transaction=True)

WIDTH = 1280
JUDGEMENT_RECORDED = {"en": "Judgement recorded.", "ar": "سُجّل الحكم."}
LOOKS_LIKE = {"en": "looks like an incident already recorded", "ar": "يشبه حادثاً مسجّلاً"}


@pytest.fixture(params=["en", "ar"])
def language(request) -> str:
    return request.param


@pytest.fixture
def page(browser: Browser, language: str) -> Iterator[Page]:
    context = browser.new_context(locale=language, viewport={"width": WIDTH, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def _boxes_overlap(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def _visible_options(page: Page) -> list[str]:
    return page.eval_on_selector(
        "#id_sub_event_type",
        "select => [...select.options].filter(o => o.value && !o.hidden).map(o => o.value)",
    )


def test_an_analyst_enters_an_incident_without_inventing_a_key_and_is_warned_of_a_look_alike(
    live_server, page: Page, language: str
):
    analyst = make_role_user("analyst")
    base = live_server.url
    log_in(page, base, analyst.username, PASSWORD)

    for _attempt in range(2):
        page.goto(f"{base}/admin/tracker/incident/add/")
        page.select_option("#id_event_type", "Battles")
        assert _visible_options(page) == ACLED_EVENT_TYPES["Battles"]
        page.select_option("#id_sub_event_type", "Armed clash")
        page.select_option("#id_event_type", "Protests")
        assert _visible_options(page) == ACLED_EVENT_TYPES["Protests"]
        assert page.input_value("#id_sub_event_type") == ""
        page.fill("#id_occurred_on", "2021-09")
        page.fill("#id_location", "Tafas")
        page.fill("#id_description_en", "A protest in the town square.")
        page.click("input[name=_save]")

    warning = page.locator(".messagelist .warning")
    expect(warning).to_contain_text(LOOKS_LIKE[language])
    first, second = Incident.objects.order_by("id")
    assert (first.key, second.key) == ("2021-09-01-tafas-protests", "2021-09-01-tafas-protests-2")
    assert (second.occurred_on.isoformat(), second.date_precision) == ("2021-09-01", "month")
    warning.locator(f"a[href$='/incident/{first.pk}/change/']").click()
    expect(page.locator("#id_description_en")).to_have_value("A protest in the town square.")


def test_the_obligation_page_leads_with_agreement_status_and_judgement_and_fits(
    live_server, page: Page, language: str
):
    lead = make_role_user("lead")
    agreement = builders.agreement(title_en="Daraa settlement of September 2021")
    obligation = builders.obligation(
        clause=builders.clause(agreement=agreement, label="Art. 3"),
        action_en=" and ".join(
            ["Withdraw heavy weapons and armoured vehicles from the old town"] * 3
        ),
    )
    base = live_server.url
    log_in(page, base, lead.username, PASSWORD)

    page.goto(f"{base}/admin/agreements/obligation/{obligation.pk}/change/")

    expect(page.locator("#obligation_form")).to_contain_text("Daraa settlement of September 2021")
    status = page.locator(".lead").first.bounding_box()
    judgement = page.locator("select[name$='-0-status']").bounding_box()
    editable = page.locator("#id_obligor").bounding_box()
    assert status["y"] < judgement["y"] < editable["y"]
    assert judgement["y"] + judgement["height"] < 900, "the judgement form starts on screen"
    tools = page.locator(".object-tools").bounding_box()
    for title in page.locator("#content h1, #content h2").all():
        assert not _boxes_overlap(tools, title.bounding_box())
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH

    page.select_option("select[name$='-0-status']", "complied")
    page.fill("input[name$='-0-valid_from']", "2021-09")
    page.fill("textarea[name$='-0-rationale']", "Withdrawal confirmed by two monitors.")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_have_text(JUDGEMENT_RECORDED[language])


def test_the_clause_page_shows_its_obligations_with_their_status_within_1280_px(
    live_server, page: Page, language: str
):
    lead = make_role_user("lead")
    clause = builders.clause()
    for n in range(2):
        builders.obligation(
            clause=clause,
            beneficiary=builders.party(),
            action_en=f"Hand over the checkpoints on the Tafas road, section {n}",
        )
    base = live_server.url
    log_in(page, base, lead.username, PASSWORD)

    page.goto(f"{base}/admin/agreements/clause/{clause.pk}/change/")

    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    status = page.locator("td.field-current_status").first
    box = status.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH
    tools = page.locator(".object-tools").bounding_box()
    for title in page.locator("#content h1, #content h2").all():
        assert not _boxes_overlap(tools, title.bounding_box())
