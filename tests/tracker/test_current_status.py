"""An obligation's current status is derived from its judgements, never typed twice.

It follows the judgement that holds latest in the world (valid-from date), not the one typed
last; rejected and corrected judgements no longer count.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements.models import Obligation
from tests import builders
from tracker.models import ComplianceAssessment
from tracker.selectors import obligations_with_status

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def obligation() -> Obligation:
    return builders.obligation()


def judge(obligation: Obligation, status: str, valid_from: datetime.date, **fields):
    return builders.assessment(
        obligation=obligation, status=status, valid_from=valid_from, **fields
    )


def status_of(obligation: Obligation, **kwargs) -> str | None:
    return obligations_with_status(**kwargs).get(pk=obligation.pk).current_status


def test_an_obligation_nobody_has_judged_has_no_status(obligation):
    row = obligations_with_status().get(pk=obligation.pk)

    assert row.current_status is None
    assert row.current_level is None
    assert row.current_valid_from is None
    assert row.current_assessment_id is None


def test_the_status_follows_the_only_judgement(obligation):
    judgement = judge(obligation, "in_progress", D(2021, 9, 6), level=1)

    row = obligations_with_status().get(pk=obligation.pk)

    assert row.current_status == "in_progress"
    assert row.current_level == 1
    assert row.current_valid_from == D(2021, 9, 6)
    assert row.current_assessment_id == judgement.pk


def test_a_judgement_typed_later_about_an_earlier_date_does_not_replace_the_current_status(
    obligation,
):
    judge(obligation, "complied", D(2021, 10, 1))
    # Typed afterwards, but it describes an earlier state of the world.
    judge(obligation, "in_progress", D(2021, 9, 10))

    assert status_of(obligation) == "complied"


def test_a_judgement_about_a_later_date_replaces_the_current_status(obligation):
    judge(obligation, "in_progress", D(2021, 9, 10))
    judge(obligation, "not_complied", D(2021, 10, 1))

    assert status_of(obligation) == "not_complied"


def test_judgements_holding_from_the_same_date_are_decided_by_the_later_recording(obligation):
    now = timezone.now()
    # Recorded later but inserted first, so its id is the smaller: the recording time decides.
    judge(obligation, "complied", D(2021, 9, 20), recorded_at=now)
    judge(obligation, "disputed", D(2021, 9, 20), recorded_at=now - datetime.timedelta(hours=1))

    assert status_of(obligation) == "complied"


def test_the_status_on_a_date_is_the_judgement_holding_on_that_date(obligation):
    judge(obligation, "not_yet_due", D(2021, 9, 6))
    judge(obligation, "in_progress", D(2021, 9, 15))
    judge(obligation, "complied", D(2021, 10, 1))

    assert status_of(obligation, on=D(2021, 9, 5)) is None
    assert status_of(obligation, on=D(2021, 9, 6)) == "not_yet_due"
    assert status_of(obligation, on=D(2021, 9, 30)) == "in_progress"
    assert status_of(obligation, on=D(2021, 10, 1)) == "complied"
    assert status_of(obligation) == "complied"


def test_a_rejected_judgement_does_not_count(obligation, lead):
    judge(obligation, "in_progress", D(2021, 9, 10))
    judge(
        obligation,
        "complied",
        D(2021, 10, 1),
        review_state="rejected",
        reviewed_by=lead,
        reviewed_at=timezone.now(),
        review_note="No source for the completion.",
    )

    assert status_of(obligation) == "in_progress"


def test_an_approved_judgement_counts(obligation, lead):
    judge(obligation, "in_progress", D(2021, 9, 10))
    judge(
        obligation,
        "complied",
        D(2021, 10, 1),
        review_state="approved",
        reviewed_by=lead,
        reviewed_at=timezone.now(),
    )

    assert status_of(obligation) == "complied"


def test_a_corrected_judgement_gives_way_to_its_correction(obligation):
    mistaken = judge(obligation, "complied", D(2021, 10, 1))
    # The correction holds from an earlier date, so only the exclusion of the corrected
    # judgement can make it current.
    judge(obligation, "not_complied", D(2021, 9, 20), supersedes=mistaken)

    assert status_of(obligation) == "not_complied"


def test_a_rejected_correction_leaves_the_original_judgement_standing(obligation, lead):
    original = judge(obligation, "complied", D(2021, 10, 1))
    judge(
        obligation,
        "not_complied",
        D(2021, 9, 20),
        supersedes=original,
        review_state="rejected",
        reviewed_by=lead,
        reviewed_at=timezone.now(),
        review_note="The correction cites the wrong obligation.",
    )

    assert status_of(obligation) == "complied"


def test_each_obligation_gets_its_own_status(obligation):
    other = builders.obligation()
    judge(obligation, "complied", D(2021, 10, 1))
    judge(other, "not_complied", D(2021, 9, 1))

    statuses = dict(obligations_with_status().values_list("pk", "current_status"))

    assert statuses == {obligation.pk: "complied", other.pk: "not_complied"}


def test_a_narrowed_queryset_keeps_its_filter(obligation):
    other = builders.obligation()
    judge(obligation, "complied", D(2021, 10, 1))

    rows = obligations_with_status(Obligation.objects.filter(pk=other.pk))

    assert [(row.pk, row.current_status) for row in rows] == [(other.pk, None)]


def queries_to_list_statuses() -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        rows = list(obligations_with_status())
    return len(captured.captured_queries), len(rows)


def _judged_obligations(count: int) -> None:
    clause = builders.clause()
    for n in range(count):
        obligation = builders.obligation(clause=clause)
        judge(obligation, "in_progress", D(2021, 9, 6))
        judge(obligation, "complied", D(2021, 9, 6 + n % 20))


def test_listing_statuses_takes_one_query_for_ten_or_fifty_obligations():
    _judged_obligations(10)
    ten = queries_to_list_statuses()
    _judged_obligations(40)
    fifty = queries_to_list_statuses()

    assert ten == (1, 10)
    assert fifty == (1, 50)
    assert ComplianceAssessment.objects.count() == 100
