"""The analyst's main path in a real browser: incident, breach claim, judgement, history."""

import pytest
from playwright.sync_api import Page, expect

from tests import builders
from tests.conftest import PASSWORD, make_role_user
from tests.e2e.conftest import log_in
from tracker.models import BreachClaim, ComplianceAssessment, Incident


def choose_autocomplete(page: Page, field: str, text: str) -> None:
    """Pick an option in one of the admin's autocomplete boxes, as a person would."""
    page.click(f"#id_{field} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", text)
    page.click(f".select2-results__option:has-text('{text}')")


# Transactional: the live server reads what the test writes.
@pytest.mark.django_db(transaction=True)
def test_an_analyst_records_an_incident_claims_a_breach_and_judges_the_obligation(
    live_server, page: Page
):
    analyst = make_role_user("analyst")
    obligation = builders.obligation(action_en="Withdraw heavy weapons from the town")
    base = live_server.url
    log_in(page, base, analyst.username, PASSWORD)

    # 1. Record the incident.
    page.goto(f"{base}/admin/tracker/incident/add/")
    page.fill("#id_key", "shelling-2021-09-03")
    page.fill("#id_occurred_on", "2021-09-03")
    page.select_option("#id_date_precision", "day")
    page.select_option("#id_event_type", "Explosions/Remote violence")
    page.select_option("#id_sub_event_type", "Shelling/artillery/missile attack")
    page.fill("#id_location", "Daraa al-Balad")
    page.fill("#id_description_en", "Shelling reported by two local outlets.")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    incident = Incident.objects.get(key="shelling-2021-09-03")

    # 2. Claim that it breaches the obligation.
    page.goto(f"{base}/admin/tracker/breachclaim/add/")
    choose_autocomplete(page, "incident", "Daraa al-Balad")
    choose_autocomplete(page, "obligation", "Withdraw heavy weapons")
    page.fill("#id_rationale", "Heavy weapons were used inside the town after the deadline.")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    claim = BreachClaim.objects.get(incident=incident)
    assert claim.obligation == obligation
    assert claim.created_by == analyst

    # 3. Judge the obligation, with a rationale.
    page.goto(f"{base}/admin/tracker/complianceassessment/add/?obligation={obligation.pk}")
    page.select_option("#id_status", "not_complied")
    page.fill("#id_valid_from", "2021-09-03")
    page.select_option("#id_valid_from_precision", "day")
    page.fill("#id_rationale", "The shelling of 3 September shows the weapons were not withdrawn.")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    judgement = ComplianceAssessment.objects.get(obligation=obligation)
    assert (judgement.status, judgement.author) == ("not_complied", analyst)

    # 4. The obligation page shows the new status and the judgement in its history.
    page.goto(f"{base}/admin/agreements/obligation/{obligation.pk}/change/")
    expect(page.locator("body")).to_contain_text("Not complied")
    expect(page.locator("body")).to_contain_text("The shelling of 3 September")

    # 5. The obligation's audit history shows the judgement among its changes: by whom,
    # through the admin, with the rationale the analyst typed.
    page.click("a.historylink")
    judged = page.locator("tr.audit-event.action-insert", has_text="compliance assessment").first
    expect(judged).to_contain_text(analyst.username)
    expect(judged).to_contain_text("admin")
    expect(judged).to_contain_text("The shelling of 3 September shows the weapons were not")
