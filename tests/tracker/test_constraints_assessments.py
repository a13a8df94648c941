"""The database refuses a compliance assessment that breaks a rule, and stores a sound one."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests import builders
from tracker.models import ComplianceAssessment

pytestmark = pytest.mark.django_db


def refused_by(constraint: str, write: Callable[[], Any]) -> None:
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        write()


@pytest.mark.parametrize("rationale", ["", "   ", "\n\t "], ids=["empty", "spaces", "white-space"])
def test_an_assessment_without_a_rationale_is_refused(rationale):
    refused_by("assessment_has_rationale", lambda: builders.assessment(rationale=rationale))


def test_an_implementation_level_above_3_is_refused():
    refused_by("assessment_level_pam_range", lambda: builders.assessment(level=4))


@pytest.mark.parametrize("level", [None, 0, 3], ids=["cannot-tell", "none", "full"])
def test_an_implementation_level_on_the_pam_scale_or_none_is_stored(level):
    assessment = builders.assessment(level=level)

    assessment.refresh_from_db()
    assert assessment.level == level


def test_an_assessment_cannot_supersede_itself():
    # Changing `supersedes` later is refused by the append-only trigger, so the only way to
    # point an assessment at itself is to insert it with its own id.
    obligation = builders.obligation()
    own_id = 987_654

    refused_by(
        "assessment_not_superseding_itself",
        lambda: builders.assessment(id=own_id, supersedes_id=own_id, obligation=obligation),
    )


def test_an_assessment_can_supersede_an_earlier_one():
    earlier = builders.assessment()

    correction = builders.assessment(obligation=earlier.obligation, supersedes=earlier)

    assert earlier.superseded_by == correction


@pytest.mark.parametrize(
    "review",
    [
        lambda user: {"review_state": "approved", "reviewed_by": user},
        lambda user: {"review_state": "rejected", "reviewed_by": user, "review_note": "Wrong."},
        lambda user: {"review_state": "pending", "reviewed_at": timezone.now()},
        lambda user: {"review_state": "pending", "reviewed_by": user},
    ],
    ids=[
        "approved-without-time",
        "rejected-without-time",
        "pending-with-review-time",
        "pending-with-reviewer",
    ],
)
def test_a_review_state_that_does_not_match_its_record_is_refused(review, lead):
    refused_by("assessment_review_recorded", lambda: builders.assessment(**review(lead)))


@pytest.mark.parametrize(
    "review",
    [
        lambda user: {},
        lambda user: {
            "review_state": "approved",
            "reviewed_by": user,
            "reviewed_at": timezone.now(),
        },
        lambda user: {
            "review_state": "rejected",
            "reviewed_by": user,
            "reviewed_at": timezone.now(),
            "review_note": "The sources describe another town.",
        },
    ],
    ids=["pending", "approved", "rejected"],
)
def test_a_review_recorded_with_its_time_is_stored(review, lead):
    assessment = builders.assessment(**review(lead))

    stored = ComplianceAssessment.objects.get(pk=assessment.pk)
    assert stored.review_state == review(lead).get("review_state", "pending")


def test_an_assessment_for_a_date_in_the_past_is_stored_with_its_recording_time():
    before = timezone.now()

    assessment = builders.assessment(
        valid_from=datetime.date(2018, 7, 1), valid_from_precision="month"
    )

    assessment.refresh_from_db()
    assert assessment.valid_from == datetime.date(2018, 7, 1)
    assert assessment.recorded_at >= before
