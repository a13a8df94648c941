"""On an assessment's page leads review it; the judgement itself never changes."""

import pytest
from django.contrib.auth.models import Permission

from tests import builders
from tests.admin_helpers import admin_url, submitted_form
from tracker.models import ComplianceAssessment


@pytest.fixture
def pending(db) -> ComplianceAssessment:
    return builders.assessment(status="in_progress", rationale="Two sources report it.")


def _change_url(assessment: ComplianceAssessment) -> str:
    return admin_url(ComplianceAssessment, "change", assessment.pk)


def test_a_lead_approves_a_pending_assessment_and_is_recorded_as_its_reviewer(
    pending, lead, client_as
):
    client = client_as(lead)
    data = submitted_form(client.get(_change_url(pending)))
    data.update(review_state=["approved"], review_note=["Matches the field reports."])

    response = client.post(_change_url(pending), data)

    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.review_state == "approved"
    assert pending.review_note == "Matches the field reports."
    assert pending.reviewed_by == lead
    assert pending.reviewed_at is not None


def test_the_review_form_offers_only_the_review_fields(pending, lead, client_as):
    data = submitted_form(client_as(lead).get(_change_url(pending)))

    assert {name for name in data if name != "csrfmiddlewaretoken"} == {
        "review_state",
        "review_note",
    }


def test_posting_a_new_status_leaves_the_judgement_unchanged(pending, lead, client_as):
    client = client_as(lead)
    data = submitted_form(client.get(_change_url(pending)))
    data.update(
        review_state=["approved"],
        status=["complied"],
        level=["3"],
        rationale=["Rewritten after the fact."],
        valid_from=["2021-01-01"],
    )

    client.post(_change_url(pending), data)

    pending.refresh_from_db()
    assert pending.review_state == "approved"
    assert (pending.status, pending.level, pending.rationale) == (
        "in_progress",
        1,
        "Two sources report it.",
    )
    assert str(pending.valid_from) == "2021-09-06"


def test_rejecting_without_a_reason_shows_the_services_error_and_keeps_it_pending(
    pending, lead, client_as
):
    client = client_as(lead)
    data = submitted_form(client.get(_change_url(pending)))
    data.update(review_state=["rejected"], review_note=[""])

    response = client.post(_change_url(pending), data)

    assert response.status_code == 200
    assert "Say why the judgement is rejected." in response.content.decode()
    pending.refresh_from_db()
    assert pending.review_state == "pending"
    assert pending.reviewed_by is None


def test_an_analyst_sees_the_assessment_but_cannot_review_it(pending, analyst, client_as):
    client = client_as(analyst)

    page = client.get(_change_url(pending))
    response = client.post(_change_url(pending), {"review_state": "approved"})

    assert page.status_code == 200
    assert "review_state" not in submitted_form(page)
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.review_state == "pending"


def test_changing_without_the_review_permission_shows_the_review_read_only(
    pending, analyst, client_as
):
    analyst.user_permissions.add(Permission.objects.get(codename="change_complianceassessment"))

    data = submitted_form(client_as(analyst).get(_change_url(pending)))

    assert "review_state" not in data


def test_nobody_can_delete_an_assessment(pending, role_admin, client_as):
    client = client_as(role_admin)

    listing = client.get(admin_url(ComplianceAssessment, "changelist"))
    delete_page = client.get(admin_url(ComplianceAssessment, "delete", pending.pk))

    assert listing.status_code == 200
    assert 'value="delete_selected"' not in listing.content.decode()
    assert delete_page.status_code == 403
    assert ComplianceAssessment.objects.filter(pk=pending.pk).exists()
