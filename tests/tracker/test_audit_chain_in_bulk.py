"""Bulk writes keep the chain whole: the head is read once per transaction and written back
once at commit, so a large import is not slowed by every event rewriting the head row."""

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from agreements.models import Source
from history.models import ChainHead
from tests import builders

# Committed for real: the head row is written at commit.
pytestmark = pytest.mark.django_db(transaction=True)

BULK = 500


def all_sequence_numbers() -> list[int]:
    return sorted(Source.pgh_event_model.objects.values_list("pgh_seq", flat=True))


def test_one_statement_writing_many_rows_numbers_every_event_and_commits_the_head_once():
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO agreements_source (key, publisher, title, url, language, "
            "published_precision, reliability, notes) "
            "SELECT 'bulk-' || g, 'Generated', 'Source ' || g, '', 'en', '', 'F', '' "
            "FROM generate_series(1, %s) AS g",
            [BULK],
        )
        # Before commit, the head row still holds the state before this transaction.
        assert ChainHead.objects.get(pk=1).seq == 0

    assert all_sequence_numbers() == list(range(1, BULK + 1))
    head = ChainHead.objects.get(pk=1)
    last = Source.pgh_event_model.objects.get(pgh_seq=BULK)
    assert (head.seq, head.hash) == (BULK, last.pgh_hash)
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert f"Audit trail intact: {BULK} events" in out.getvalue()


def test_events_undone_with_a_savepoint_leave_no_gap_in_the_chain():
    with transaction.atomic():
        builders.source(title="Kept before")
        try:
            with transaction.atomic():
                builders.source(title="Undone")
                raise RuntimeError("roll back to the savepoint")
        except RuntimeError:
            pass
        builders.source(title="Kept after")

    assert all_sequence_numbers() == [1, 2]
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert "Audit trail intact: 2 events" in out.getvalue()


def test_the_trail_verifies_inside_a_transaction_that_has_not_committed_yet():
    builders.source(title="Committed")
    with transaction.atomic():
        builders.source(title="Not yet committed")
        out = io.StringIO()
        call_command("verify_audit", stdout=out)

        assert "Audit trail intact: 2 events" in out.getvalue()
