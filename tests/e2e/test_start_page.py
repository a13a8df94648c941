"""The start page in a real browser, in English and in Arabic: a lead signs in and sees what
awaits their review, what is overdue or due soon, the latest incidents and their own changes,
each linking on."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import builders
from tests.conftest import PASSWORD, make_role_user
from tests.e2e.conftest import log_in

HEADINGS = {
    "en": {
        "review": "Judgements awaiting my review",
        "overdue": "Overdue obligations",
        "due-soon": "Obligations due in the next 30 days",
        "incidents": "Latest incidents",
        "changes": "My recent changes",
    },
    "ar": {
        "review": "تقديرات بانتظار مراجعتي",
        "overdue": "التزامات تجاوزت موعدها",
        "due-soon": "التزامات يحين موعدها خلال الثلاثين يومًا القادمة",
        "incidents": "أحدث الحوادث",
        "changes": "تغييراتي الأخيرة",
    },
}
EMPTY_CHANGES = {"en": "You have not changed anything yet.", "ar": "لم تغيّر شيئًا بعد."}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_lead_starts_from_what_awaits_them_and_follows_the_links(live_server, browser, language):
    lead = make_role_user("lead")
    analyst = make_role_user("analyst")
    today = timezone.localdate()
    late = builders.obligation(
        action_en="Hand over light weapons to the committee",
        due_on=today - datetime.timedelta(days=4),
        due_precision="day",
    )
    builders.obligation(
        action_en="Reopen the road to the town",
        due_on=today + datetime.timedelta(days=12),
        due_precision="day",
    )
    judgement = builders.assessment(obligation=late, author=analyst)
    builders.incident(location="Tafas", occurred_on=today - datetime.timedelta(days=1))
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=language)
    page = context.new_page()
    page.set_default_timeout(15000)
    log_in(page, live_server.url, lead.username, PASSWORD)

    page.goto(f"{live_server.url}/admin/")

    for key, heading in HEADINGS[language].items():
        panel = page.locator(f"#start-{key}")
        expect(panel.locator("h2")).to_contain_text(heading)
        box = panel.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 1280, key
    expect(page.locator("#start-overdue")).to_contain_text("Hand over light weapons")
    expect(page.locator("#start-due-soon")).to_contain_text("Reopen the road")
    expect(page.locator("#start-incidents")).to_contain_text("Tafas")
    expect(page.locator("#start-changes")).to_contain_text(EMPTY_CHANGES[language])

    # The judgement awaiting review opens its page, where the lead approves it ...
    page.locator("#start-review a", has_text=late.key).click()
    page.select_option("#id_review_state", "approved")
    page.fill("#id_review_note", "Confirmed by the committee's statement.")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_be_visible()

    # ... and back on the start page it has left the queue and shows among their changes.
    page.goto(f"{live_server.url}/admin/")
    expect(page.locator("#start-review")).not_to_contain_text(late.key)
    expect(
        page.locator(f"#start-changes a[href$='/complianceassessment/{judgement.pk}/change/']")
    ).to_be_visible()
    context.close()
