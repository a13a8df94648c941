"""The review queue: judgements awaiting (my) review, and bulk approve or reject with one note,
through the same service as the single review, four eyes included."""

import pytest
from django.contrib.auth.models import Group, User

from tests import builders
from tests.admin_helpers import admin_url, submitted_form
from tests.api.conftest import token_client
from tracker.models import ComplianceAssessment

pytestmark = pytest.mark.django_db

CHANGELIST = admin_url(ComplianceAssessment, "changelist")


@pytest.fixture
def analyst_judgements(analyst) -> list[ComplianceAssessment]:
    return [builders.assessment(author=analyst) for _ in range(3)]


def _bulk(client, action: str, assessments, note: str | None = None, url: str = CHANGELIST):
    data = {"action": action, "_selected_action": [a.pk for a in assessments]}
    if note is not None:
        data.update(note=note, confirm="yes")
    return client.post(url, data, follow=note is not None)


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def _events(assessment: ComplianceAssessment):
    return ComplianceAssessment.pgh_event_model.objects.filter(
        pgh_obj_id=assessment.pk, pgh_label="update"
    )


def test_bulk_approve_asks_for_the_note_first_and_changes_nothing_until_confirmed(
    analyst_judgements, lead, client_as
):
    response = _bulk(client_as(lead), "approve_selected", analyst_judgements)

    assert response.status_code == 200
    assert "id_note" in response.content.decode()
    assert ComplianceAssessment.objects.filter(review_state="pending").count() == 3


def test_bulk_approve_reviews_each_judgement_and_keeps_the_note_as_the_trails_reason(
    analyst_judgements, lead, client_as
):
    response = _bulk(
        client_as(lead), "approve_selected", analyst_judgements, note="Checked against two sources."
    )

    assert response.status_code == 200
    assert "3 judgements approved." in _messages(response)
    for assessment in analyst_judgements:
        assessment.refresh_from_db()
        assert (assessment.review_state, assessment.reviewed_by) == ("approved", lead)
        assert assessment.review_note == "Checked against two sources."
        event = _events(assessment).get()
        assert event.pgh_context["reason"] == "Checked against two sources."
        assert event.pgh_context["username"] == lead.username


def test_bulk_reject_without_a_note_is_refused_and_rejects_nothing(
    analyst_judgements, lead, client_as
):
    response = _bulk(client_as(lead), "reject_selected", analyst_judgements, note="  ")

    assert response.status_code == 200
    assert "Say why the judgements are rejected; nothing was rejected." in (
        response.content.decode()
    )
    assert ComplianceAssessment.objects.filter(review_state="pending").count() == 3


def test_own_and_already_reviewed_judgements_are_skipped_with_a_message_saying_why(
    analyst_judgements, lead, client_as
):
    own = builders.assessment(author=lead)
    other_lead = User.objects.create_user(username="other-lead", is_staff=True)
    other_lead.groups.add(Group.objects.get(name="lead"))
    done = builders.assessment(author=other_lead)
    done.review_state, done.reviewed_by = "approved", other_lead
    done.reviewed_at, done.review_note = done.recorded_at, "Fine."
    done.save()

    response = _bulk(
        client_as(lead),
        "reject_selected",
        [*analyst_judgements, own, done],
        note="The town is misnamed.",
    )

    assert _messages(response) == [
        "3 judgements rejected.",
        "1 judgement skipped: you recorded it, and another lead must review it (four eyes).",
        "1 judgement skipped: it was already reviewed; a review is changed on the judgement's "
        "own page.",
    ]
    own.refresh_from_db()
    done.refresh_from_db()
    assert own.review_state == "pending"
    assert (done.review_state, done.review_note) == ("approved", "Fine.")
    assert not _events(own).exists()


def test_the_confirmation_page_counts_what_will_be_skipped(analyst_judgements, lead, client_as):
    own = builders.assessment(author=lead)

    response = _bulk(client_as(lead), "approve_selected", [*analyst_judgements, own])

    assert "4 judgements selected:" in response.content.decode()
    assert "1 of them will be skipped" in response.content.decode()


def test_an_analyst_is_not_offered_the_review_actions(analyst_judgements, analyst, client_as):
    response = client_as(analyst).get(CHANGELIST)

    form = response.context["action_form"]
    actions = dict(form.fields["action"].choices) if form is not None else {}
    assert "approve_selected" not in actions
    assert "reject_selected" not in actions
    refused = _bulk(client_as(analyst), "approve_selected", analyst_judgements, note="ok")
    assert ComplianceAssessment.objects.filter(review_state="pending").count() == 3
    assert refused.status_code == 200


def test_select_all_reviews_the_filtered_list(analyst_judgements, lead, client_as):
    own = builders.assessment(author=lead)
    url = f"{CHANGELIST}?queue=mine"

    response = client_as(lead).post(
        url,
        {
            "action": "approve_selected",
            "select_across": "1",
            "_selected_action": [analyst_judgements[0].pk],
            "note": "",
            "confirm": "yes",
        },
        follow=True,
    )

    assert "3 judgements approved." in _messages(response)
    own.refresh_from_db()
    assert own.review_state == "pending"


def test_the_queue_filters_show_what_awaits_review_and_what_awaits_mine(
    analyst_judgements, lead, client_as
):
    own = builders.assessment(author=lead)
    client = client_as(lead)

    awaiting = client.get(f"{CHANGELIST}?queue=awaiting").context["cl"].result_list
    mine = client.get(f"{CHANGELIST}?queue=mine").context["cl"].result_list

    assert {a.pk for a in awaiting} == {a.pk for a in [*analyst_judgements, own]}
    assert {a.pk for a in mine} == {a.pk for a in analyst_judgements}


def test_a_review_on_the_judgements_own_page_keeps_its_note_as_the_reason(
    analyst_judgements, lead, client_as
):
    assessment = analyst_judgements[0]
    url = admin_url(ComplianceAssessment, "change", assessment.pk)
    client = client_as(lead)
    data = submitted_form(client.get(url))
    data.update(review_state=["rejected"], review_note=["Wrong date."])

    assert client.post(url, data).status_code == 302
    assert _events(assessment).get().pgh_context["reason"] == "Wrong date."


def test_an_api_review_keeps_its_note_as_the_reason_unless_a_reason_header_was_sent(
    analyst_judgements, lead
):
    client = token_client(lead)
    noted, headed = analyst_judgements[:2]

    client.post(
        f"/api/v1/assessments/{noted.pk}/review/",
        {"state": "approved", "note": "Two sources agree."},
        format="json",
    )
    client.post(
        f"/api/v1/assessments/{headed.pk}/review/",
        {"state": "approved", "note": "Two sources agree."},
        format="json",
        HTTP_X_CHANGE_REASON="Weekly review round",
    )

    assert _events(noted).get().pgh_context["reason"] == "Two sources agree."
    assert _events(headed).get().pgh_context["reason"] == "Weekly review round"
