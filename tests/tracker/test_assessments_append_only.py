"""A recorded judgement is never rewritten or deleted; only its review can be filled in.

PostgreSQL triggers enforce this, so saving the model, bulk updates and raw SQL are all
refused alike.
"""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from tests import builders
from tracker.models import ComplianceAssessment

pytestmark = pytest.mark.django_db

DELETE_REFUSED = "pgtrigger: Cannot delete rows from tracker_complianceassessment"
UPDATE_REFUSED = "pgtrigger: Cannot update rows from tracker_complianceassessment"


def raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def judgement() -> ComplianceAssessment:
    return builders.assessment(
        status="in_progress",
        level=1,
        valid_from=datetime.date(2021, 9, 6),
        rationale="Two sources report the hand-over starting.",
    )


def judgement_of(assessment: ComplianceAssessment) -> tuple:
    stored = ComplianceAssessment.objects.get(pk=assessment.pk)
    return (stored.status, stored.level, stored.valid_from, stored.rationale, stored.author_id)


@pytest.mark.parametrize(
    "delete",
    [
        lambda row: row.delete(),
        lambda row: ComplianceAssessment.objects.filter(pk=row.pk).delete(),
        lambda row: raw("DELETE FROM tracker_complianceassessment WHERE id = %s", [row.pk]),
    ],
    ids=["instance-delete", "queryset-delete", "raw-sql"],
)
def test_deleting_an_assessment_is_refused(judgement, delete):
    with pytest.raises(DatabaseError, match=DELETE_REFUSED), transaction.atomic():
        delete(judgement)

    assert ComplianceAssessment.objects.filter(pk=judgement.pk).exists()


NEW_VALUES = {
    "status": "complied",
    "rationale": "Rewritten after the fact.",
    "valid_from": datetime.date(2021, 9, 20),
    "level": 3,
}


def _by_save(row: ComplianceAssessment, field: str, value) -> None:
    setattr(row, field, value)
    row.save()


def _by_save_update_fields(row: ComplianceAssessment, field: str, value) -> None:
    setattr(row, field, value)
    row.save(update_fields=[field])


def _by_queryset(row: ComplianceAssessment, field: str, value) -> None:
    ComplianceAssessment.objects.filter(pk=row.pk).update(**{field: value})


def _by_raw_sql(row: ComplianceAssessment, field: str, value) -> None:
    # Field names are from the fixed list above, never from input.
    raw(f"UPDATE tracker_complianceassessment SET {field} = %s WHERE id = %s", [value, row.pk])


@pytest.mark.parametrize("field", list(NEW_VALUES))
@pytest.mark.parametrize(
    "write",
    [_by_save, _by_save_update_fields, _by_queryset, _by_raw_sql],
    ids=["save", "save-update-fields", "queryset-update", "raw-sql"],
)
def test_changing_a_recorded_judgement_is_refused(judgement, field, write):
    before = judgement_of(judgement)

    with pytest.raises(DatabaseError, match=UPDATE_REFUSED), transaction.atomic():
        write(judgement, field, NEW_VALUES[field])

    assert judgement_of(judgement) == before


def test_reassigning_the_author_or_obligation_is_refused(judgement, analyst):
    rows = ComplianceAssessment.objects.filter(pk=judgement.pk)

    with pytest.raises(DatabaseError, match=UPDATE_REFUSED), transaction.atomic():
        rows.update(author=analyst)
    with pytest.raises(DatabaseError, match=UPDATE_REFUSED), transaction.atomic():
        rows.update(obligation=builders.obligation())


def test_a_lead_review_is_filled_in_by_save(judgement, lead):
    judgement.review_state = "approved"
    judgement.reviewed_by = lead
    judgement.reviewed_at = timezone.now()
    judgement.review_note = "Matches the field reports."
    judgement.save()

    stored = ComplianceAssessment.objects.get(pk=judgement.pk)
    assert (stored.review_state, stored.reviewed_by, stored.review_note) == (
        "approved",
        lead,
        "Matches the field reports.",
    )


def test_review_fields_change_by_queryset_update_and_raw_sql(judgement, lead):
    before = judgement_of(judgement)

    ComplianceAssessment.objects.filter(pk=judgement.pk).update(
        review_state="rejected", reviewed_by=lead, reviewed_at=timezone.now()
    )
    raw(
        "UPDATE tracker_complianceassessment SET review_note = %s WHERE id = %s",
        ["The sources describe another town.", judgement.pk],
    )

    stored = ComplianceAssessment.objects.get(pk=judgement.pk)
    assert stored.review_state == "rejected"
    assert stored.review_note == "The sources describe another town."
    assert judgement_of(judgement) == before


def test_a_correction_is_a_new_assessment_that_leaves_the_old_one_as_it_was(judgement):
    before = judgement_of(judgement)

    correction = builders.assessment(
        obligation=judgement.obligation,
        status="complied",
        rationale="A later report shows the hand-over was completed.",
        supersedes=judgement,
    )

    assert judgement_of(judgement) == before
    assert judgement.obligation.assessments.count() == 2
    assert correction.supersedes == judgement
