"""The review queue in a real browser, in English and in Arabic: what a lead needs to judge a
judgement is on screen at 1280 px, and a bulk review with one note skips the lead's own."""

import pytest
from playwright.sync_api import Browser, Page, expect

from tests import builders
from tests.conftest import PASSWORD, make_role_user
from tests.e2e.conftest import log_in
from tracker.models import ComplianceAssessment

COLUMNS = ("judged_obligation", "status", "level", "valid_from", "author", "review_state")
WIDTH = 1280
WORDING = {
    "en": {
        "action": "Reject selected judgements with a note",
        "rejected": "2 judgements rejected.",
        "own": "1 judgement skipped: you recorded it",
    },
    "ar": {
        "action": "رفض التقديرات المحددة مع ملاحظة",
        "rejected": "رُفض تقديران (2).",
        "own": "تُرك تقدير واحد (1): أنت سجّلته",
    },
}


def _lead_page(browser: Browser, live_server, language: str) -> tuple[Page, object]:
    lead = make_role_user("lead")
    context = browser.new_context(viewport={"width": WIDTH, "height": 800}, locale=language)
    page = context.new_page()
    page.set_default_timeout(15000)
    log_in(page, live_server.url, lead.username, PASSWORD)
    return page, lead


def _inside_viewport(page: Page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_review_column_is_visible_at_1280_px(live_server, browser, language):
    page, _lead = _lead_page(browser, live_server, language)
    agreement = builders.agreement(code="daraa-2021-09-06")
    obligation = builders.obligation(
        clause=builders.clause(agreement=agreement),
        action_en="Withdraw heavy weapons from the town and hand over light weapons to the "
        "committee within the first week after the signature of the agreement",
    )
    builders.assessment(obligation=obligation, author=make_role_user("analyst"))

    page.goto(f"{live_server.url}/admin/tracker/complianceassessment/")

    outside = [
        column
        for column in COLUMNS
        if not _inside_viewport(page, f"#result_list thead th.column-{column}")
        or not _inside_viewport(
            page,
            f"#result_list tbody tr:first-child td.field-{column}, "
            f"#result_list tbody tr:first-child th.field-{column}",
        )
    ]
    assert outside == []
    expect(page.locator("#result_list tbody .field-judged_obligation")).to_contain_text(
        "daraa-2021-09-06"
    )
    page.context.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_lead_rejects_judgements_in_bulk_with_one_note_and_their_own_is_skipped(
    live_server, browser, language
):
    page, lead = _lead_page(browser, live_server, language)
    analyst = make_role_user("analyst")
    theirs = [builders.assessment(author=analyst) for _ in range(2)]
    own = builders.assessment(author=lead)
    words = WORDING[language]

    page.goto(f"{live_server.url}/admin/tracker/complianceassessment/?queue=awaiting")
    page.check("#action-toggle")
    page.select_option("select[name=action]", label=words["action"])
    page.click("button[name=index]")
    # The confirmation page asks for the note; without one (blanks only) nothing is rejected.
    page.fill("#id_note", "   ")
    page.click("#review-selected input[name=confirm]")
    expect(page.locator(".errornote")).to_be_visible()
    page.fill("#id_note", "The town named in the rationale is wrong.")
    page.click("#review-selected input[name=confirm]")

    messages = page.locator(".messagelist")
    expect(messages).to_contain_text(words["rejected"])
    expect(messages).to_contain_text(words["own"])
    for assessment in theirs:
        assessment.refresh_from_db()
        assert (assessment.review_state, assessment.reviewed_by) == ("rejected", lead)
        assert assessment.review_note == "The town named in the rationale is wrong."
    own.refresh_from_db()
    assert own.review_state == "pending"
    # What awaits the lead now is nothing: their own judgement awaits another lead.
    page.goto(f"{live_server.url}/admin/tracker/complianceassessment/?queue=mine")
    expect(page.locator("#result_list")).to_have_count(0)
    assert ComplianceAssessment.objects.filter(review_state="pending").count() == 1
    page.context.close()
