"""A clause is never deleted and its key never changes, whichever way the write arrives.

PostgreSQL triggers enforce this, so the ORM, bulk updates and raw SQL are all refused, while
the rest of a clause stays editable and a clause is retired instead of deleted.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from agreements.models import Clause
from tests import builders
from tests.api.conftest import token_client

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


NEVER_CHANGE = "A clause's key and agreement never change; retire it instead."


def test_full_clean_explains_a_new_key_at_the_key(clause):
    stored = Clause.objects.get(pk=clause.pk)
    stored.key = "crossings"

    with pytest.raises(ValidationError) as caught:
        stored.full_clean()

    assert caught.value.message_dict == {"key": [NEVER_CHANGE]}


def test_the_api_refuses_a_new_key_or_agreement_naming_the_field(clause, lead):
    client = token_client(lead)

    renamed = client.patch(f"/api/v1/clauses/{clause.pk}/", {"key": "crossings"}, format="json")
    moved = client.patch(
        f"/api/v1/clauses/{clause.pk}/", {"agreement": builders.agreement().pk}, format="json"
    )

    assert renamed.status_code == 400
    assert renamed.json()["error"]["fields"] == {"key": [NEVER_CHANGE]}
    assert moved.status_code == 400
    assert moved.json()["error"]["fields"] == {"agreement": [NEVER_CHANGE]}
    assert Clause.objects.get(pk=clause.pk).key == "checkpoints"
