"""Recording and reviewing a judgement through the service, as the admin and the API do."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from agreements.models import Obligation
from tests import builders
from tracker.models import ComplianceAssessment
from tracker.services import assessment_record, assessment_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def obligation() -> Obligation:
    return builders.obligation()


def record(obligation: Obligation, author, **fields) -> ComplianceAssessment:
    values = {
        "status": "in_progress",
        "valid_from": datetime.date(2021, 9, 10),
        "rationale": "Two local outlets report the hand-over starting.",
        **fields,
    }
    return assessment_record(obligation=obligation, author=author, **values)


def refusal(obligation: Obligation, author, **fields) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        record(obligation, author, **fields)
    assert not ComplianceAssessment.objects.filter(obligation=obligation).exists()
    return caught.value.message_dict


def test_a_judgement_is_stored_with_its_author_and_evidence(obligation, analyst):
    sources = [builders.source(), builders.source()]
    incident = builders.incident()

    assessment = record(
        obligation,
        analyst,
        status="partially_complied",
        level=2,
        evidence_sources=sources,
        evidence_incidents=[incident],
    )

    stored = ComplianceAssessment.objects.get(pk=assessment.pk)
    assert stored.author == analyst
    assert (stored.status, stored.level) == ("partially_complied", 2)
    assert stored.valid_from == datetime.date(2021, 9, 10)
    assert set(stored.evidence_sources.all()) == set(sources)
    assert list(stored.evidence_incidents.all()) == [incident]
    assert stored.review_state == "pending"


def test_surrounding_white_space_is_trimmed_from_the_rationale(obligation, analyst):
    assessment = record(obligation, analyst, rationale="  Reported by SANA.\n")

    assessment.refresh_from_db()
    assert assessment.rationale == "Reported by SANA."


@pytest.mark.parametrize("rationale", ["", "   ", "\n\t"], ids=["empty", "spaces", "white-space"])
def test_a_judgement_without_a_rationale_is_refused(obligation, analyst, rationale):
    errors = refusal(obligation, analyst, rationale=rationale)

    assert list(errors) == ["rationale"]


def test_a_judgement_cannot_hold_from_a_future_date(obligation, analyst):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    errors = refusal(obligation, analyst, valid_from=tomorrow)

    assert list(errors) == ["valid_from"]


def test_a_judgement_can_hold_from_today(obligation, analyst):
    assessment = record(obligation, analyst, valid_from=timezone.localdate())

    assert assessment.valid_from == timezone.localdate()


def test_a_correction_of_another_obligations_judgement_is_refused(obligation, analyst):
    elsewhere = builders.assessment()

    errors = refusal(obligation, analyst, supersedes=elsewhere)

    assert list(errors) == ["supersedes"]
    assert not ComplianceAssessment.objects.filter(supersedes=elsewhere).exists()


def test_a_correction_of_the_same_obligation_is_stored(obligation, analyst):
    earlier = record(obligation, analyst, status="complied")

    correction = record(obligation, analyst, status="not_complied", supersedes=earlier)

    assert ComplianceAssessment.objects.get(pk=earlier.pk).superseded_by == correction


def test_several_problems_are_reported_together(obligation, analyst):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    errors = refusal(obligation, analyst, rationale=" ", valid_from=tomorrow)

    assert set(errors) == {"rationale", "valid_from"}


def test_a_model_rule_is_enforced_too(obligation, analyst):
    errors = refusal(
        obligation, analyst, valid_from=datetime.date(2021, 9, 10), valid_from_precision="month"
    )

    assert "valid_from" in errors


# --- Review -----------------------------------------------------------------------------------


@pytest.fixture
def pending(obligation, analyst) -> ComplianceAssessment:
    return record(obligation, analyst)


def test_a_lead_approves_a_judgement(pending, lead):
    before = timezone.now()

    assessment_review(assessment=pending, reviewer=lead, state="approved")

    stored = ComplianceAssessment.objects.get(pk=pending.pk)
    assert stored.review_state == "approved"
    assert stored.reviewed_by == lead
    assert stored.reviewed_at >= before
    assert stored.status == "in_progress"


def test_a_lead_rejects_a_judgement_with_a_reason(pending, lead):
    assessment_review(assessment=pending, reviewer=lead, state="rejected", note="  Wrong town.  ")

    stored = ComplianceAssessment.objects.get(pk=pending.pk)
    assert (stored.review_state, stored.review_note) == ("rejected", "Wrong town.")
    assert stored.reviewed_by == lead


@pytest.mark.parametrize("note", ["", "   "], ids=["empty", "white-space"])
def test_rejecting_without_a_reason_is_refused(pending, lead, note):
    with pytest.raises(ValidationError) as caught:
        assessment_review(assessment=pending, reviewer=lead, state="rejected", note=note)

    assert list(caught.value.message_dict) == ["review_note"]
    assert ComplianceAssessment.objects.get(pk=pending.pk).review_state == "pending"


def test_a_review_must_approve_or_reject(pending, lead):
    with pytest.raises(ValidationError) as caught:
        assessment_review(assessment=pending, reviewer=lead, state="pending")

    assert list(caught.value.message_dict) == ["review_state"]
    assert ComplianceAssessment.objects.get(pk=pending.pk).reviewed_by is None
