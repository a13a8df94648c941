"""A clause is never deleted and its key never changes, whichever way the write arrives.

PostgreSQL triggers enforce this, so the ORM, bulk updates and raw SQL are all refused, while
the rest of a clause stays editable and a clause is retired instead of deleted.
"""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction

from agreements.models import Clause
from tests import builders

pytestmark = pytest.mark.django_db

DELETE_REFUSED = "pgtrigger: Cannot delete rows from agreements_clause"
UPDATE_REFUSED = "pgtrigger: Cannot update rows from agreements_clause"


def raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def clause() -> Clause:
    return builders.clause(key="checkpoints")


@pytest.mark.parametrize(
    "delete",
    [
        lambda clause: clause.delete(),
        lambda clause: Clause.objects.filter(pk=clause.pk).delete(),
        lambda clause: raw("DELETE FROM agreements_clause WHERE id = %s", [clause.pk]),
    ],
    ids=["instance-delete", "queryset-delete", "raw-sql"],
)
def test_deleting_a_clause_is_refused(clause, delete):
    with pytest.raises(DatabaseError, match=DELETE_REFUSED), transaction.atomic():
        delete(clause)

    assert Clause.objects.filter(pk=clause.pk).exists()


def _save_new_key(clause: Clause) -> None:
    clause.key = "crossings"
    clause.save()


def _save_new_agreement(clause: Clause) -> None:
    clause.agreement = builders.agreement()
    clause.save()


@pytest.mark.parametrize(
    "change",
    [
        _save_new_key,
        lambda clause: Clause.objects.filter(pk=clause.pk).update(key="crossings"),
        lambda clause: raw(
            "UPDATE agreements_clause SET key = 'crossings' WHERE id = %s", [clause.pk]
        ),
        _save_new_agreement,
        lambda clause: Clause.objects.filter(pk=clause.pk).update(agreement=builders.agreement()),
        lambda clause: raw(
            "UPDATE agreements_clause SET agreement_id = %s WHERE id = %s",
            [builders.agreement().pk, clause.pk],
        ),
    ],
    ids=[
        "key-by-save",
        "key-by-queryset-update",
        "key-by-raw-sql",
        "agreement-by-save",
        "agreement-by-queryset-update",
        "agreement-by-raw-sql",
    ],
)
def test_moving_or_renaming_a_clause_is_refused(clause, change):
    agreement_id = clause.agreement_id

    with pytest.raises(DatabaseError, match=UPDATE_REFUSED), transaction.atomic():
        change(clause)

    stored = Clause.objects.get(pk=clause.pk)
    assert (stored.agreement_id, stored.key) == (agreement_id, "checkpoints")


def test_the_rest_of_a_clause_stays_editable(clause):
    clause.summary_en = "Checkpoints are reduced to three."
    clause.label = "4"
    clause.position = 40
    clause.save()
    Clause.objects.filter(pk=clause.pk).update(summary_ar="تخفيض الحواجز")

    stored = Clause.objects.get(pk=clause.pk)
    assert (stored.label, stored.position, stored.summary_ar) == ("4", 40, "تخفيض الحواجز")
    assert stored.summary_en == "Checkpoints are reduced to three."


def test_saving_a_clause_with_its_key_unchanged_is_allowed(clause):
    clause.save()

    clause.refresh_from_db()
    assert clause.key == "checkpoints"


def test_a_clause_is_retired_instead_of_deleted_and_keeps_its_key(clause):
    clause.retired_on = datetime.date(2022, 1, 1)
    clause.retired_reason = "Dropped when the agreement was renewed."
    clause.save()

    stored = Clause.objects.get(pk=clause.pk)
    assert stored.retired_on == datetime.date(2022, 1, 1)
    assert stored.key == "checkpoints"
