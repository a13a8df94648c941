"""The trail cannot be edited through the application, and tampering is detected."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from agreements.models import Source
from tests import builders


@pytest.fixture
def events(db):
    """A few changes, so there is a trail to protect."""
    source = builders.source(title="Original")
    source.title = "Edited"
    source.save()
    builders.incident()
    return Source.pgh_event_model.objects.filter(pgh_obj_id=source.pk).order_by("pgh_seq")


def refused(statement: str, params: list) -> None:
    with (
        pytest.raises(DatabaseError, match="Cannot"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, params)


@pytest.mark.django_db
def test_the_applications_database_role_cannot_update_or_delete_audit_rows(events):
    first = events.first()
    table = Source.pgh_event_model._meta.db_table

    refused(f"UPDATE {table} SET title = 'Rewritten' WHERE pgh_id = %s", [first.pgh_id])
    refused(f"DELETE FROM {table} WHERE pgh_id = %s", [first.pgh_id])
    with pytest.raises(DatabaseError), transaction.atomic():
        events.update(title="Rewritten through the ORM")

    assert events.first().title == "Original"


@pytest.mark.django_db
def test_an_intact_trail_verifies(events, capsys):
    call_command("verify_audit")

    assert "Audit trail intact: 3 events" in capsys.readouterr().out


def tamper(sql: str, params: list) -> None:
    """What someone with superuser rights could do: switch the triggers off and edit."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)


@pytest.mark.django_db
def test_an_altered_audit_row_makes_verify_audit_fail_and_name_it(events):
    first = events.first()
    table = Source.pgh_event_model._meta.db_table
    tamper(f"UPDATE {table} SET title = 'Rewritten' WHERE pgh_id = %s", [first.pgh_id])

    with pytest.raises(CommandError) as failure:
        call_command("verify_audit")

    message = str(failure.value)
    assert f"event #{first.pgh_seq} ({table} pgh_id={first.pgh_id})" in message
    assert "does not match its hash" in message


@pytest.mark.django_db
def test_a_removed_audit_row_makes_verify_audit_fail(events):
    first = events.first()
    table = Source.pgh_event_model._meta.db_table
    tamper(f"DELETE FROM {table} WHERE pgh_id = %s", [first.pgh_id])

    with pytest.raises(CommandError, match=f"#{first.pgh_seq}.*missing"):
        call_command("verify_audit")


@pytest.mark.django_db
def test_removing_the_latest_events_is_detected_by_the_chain_head(events):
    incident_events = builders.incident().pgh_event_model.objects.all()
    last = incident_events.order_by("-pgh_seq").first()
    tamper(f"DELETE FROM {last._meta.db_table} WHERE pgh_id = %s", [last.pgh_id])

    with pytest.raises(CommandError, match="chain head"):
        call_command("verify_audit")
