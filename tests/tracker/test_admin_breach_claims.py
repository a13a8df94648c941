"""Breach claims remember who made them in the admin."""

from tests import builders
from tests.admin_helpers import admin_url, submitted_form
from tracker.models import BreachClaim, Incident


def test_a_claim_added_on_its_own_page_is_credited_to_the_user(analyst, client_as):
    incident, obligation = builders.incident(), builders.obligation()
    client = client_as(analyst)
    url = admin_url(BreachClaim, "add")
    data = submitted_form(client.get(url))
    data.update(
        incident=[str(incident.pk)],
        obligation=[str(obligation.pk)],
        rationale=["Shelling inside the zone the parties agreed to keep quiet."],
    )

    response = client.post(url, data)

    assert response.status_code == 302
    assert BreachClaim.objects.get().created_by == analyst


def test_a_claim_added_on_the_incident_page_is_credited_to_the_user(analyst, client_as):
    incident, obligation = builders.incident(), builders.obligation()
    client = client_as(analyst)
    url = admin_url(Incident, "change", incident.pk)
    data = submitted_form(client.get(url))
    data.update(
        {
            "breach_claims-TOTAL_FORMS": ["1"],
            "breach_claims-0-obligation": [str(obligation.pk)],
            "breach_claims-0-state": ["alleged"],
            "breach_claims-0-rationale": ["Armed clash after the ceasefire took effect."],
        }
    )

    response = client.post(url, data)

    assert response.status_code == 302
    claim = BreachClaim.objects.get()
    assert (claim.incident, claim.obligation, claim.created_by) == (incident, obligation, analyst)


def test_editing_a_claim_keeps_its_original_author(analyst, lead, client_as):
    claim = builders.breach_claim(created_by=analyst)
    client = client_as(lead)
    url = admin_url(BreachClaim, "change", claim.pk)
    data = submitted_form(client.get(url))
    data.update(state=["corroborated"])

    assert client.post(url, data).status_code == 302
    claim.refresh_from_db()
    assert claim.state == "corroborated"
    assert claim.created_by == analyst
