"""Four eyes: a lead cannot approve or reject a judgement they recorded themselves, in the admin
or the API, unless REVIEW_OWN_JUDGEMENTS allows it (a one-person team)."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError

from tests import builders
from tests.admin_helpers import admin_url, submitted_form
from tests.api.conftest import token_client
from tracker.models import ComplianceAssessment
from tracker.services import assessment_review

pytestmark = pytest.mark.django_db

OWN = "You recorded this judgement, so another lead must approve or reject it."


@pytest.fixture
def own(lead) -> ComplianceAssessment:
    return builders.assessment(author=lead)


def _review_in_admin(client, assessment: ComplianceAssessment, state: str, note: str = ""):
    url = admin_url(ComplianceAssessment, "change", assessment.pk)
    data = submitted_form(client.get(url))
    data.update(review_state=[state], review_note=[note])
    return client.post(url, data)


def test_the_service_refuses_a_leads_review_of_their_own_judgement(own, lead):
    with pytest.raises(ValidationError) as caught:
        assessment_review(assessment=own, reviewer=lead, state="approved")

    assert caught.value.message_dict == {"review_state": [OWN]}
    own.refresh_from_db()
    assert (own.review_state, own.reviewed_by) == ("pending", None)


def test_another_lead_reviews_the_judgement(own):
    other = User.objects.create_user(username="second-lead", is_staff=True)
    other.groups.add(Group.objects.get(name="lead"))

    assessment_review(assessment=own, reviewer=other, state="rejected", note="Wrong town.")

    own.refresh_from_db()
    assert (own.review_state, own.reviewed_by) == ("rejected", other)


def test_the_admin_shows_the_refusal_at_the_review_field(own, lead, client_as):
    response = _review_in_admin(client_as(lead), own, "approved")

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors == {"review_state": [OWN]}
    own.refresh_from_db()
    assert own.review_state == "pending"


def test_the_api_answers_400_naming_the_review_state(own, lead):
    response = token_client(lead).post(
        f"/api/v1/assessments/{own.pk}/review/", {"state": "rejected", "note": "No."}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"review_state": [OWN]}
    own.refresh_from_db()
    assert own.review_state == "pending"


def test_the_setting_lets_a_one_person_team_review_its_own_judgements(
    own, lead, client_as, settings
):
    settings.REVIEW_OWN_JUDGEMENTS = True

    response = _review_in_admin(client_as(lead), own, "approved")
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.review_state, own.reviewed_by) == ("approved", lead)

    other = builders.assessment(author=lead)
    api = token_client(lead).post(
        f"/api/v1/assessments/{other.pk}/review/", {"state": "approved"}, format="json"
    )
    assert api.status_code == 200
    assert api.json()["review_state"] == "approved"


def test_seeded_judgements_without_an_author_can_be_reviewed(lead):
    seeded = builders.assessment(author=None)

    assessment_review(assessment=seeded, reviewer=lead, state="approved")

    seeded.refresh_from_db()
    assert seeded.reviewed_by == lead
