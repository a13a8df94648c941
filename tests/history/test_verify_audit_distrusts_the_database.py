"""verify_audit does not trust the database it checks: what someone with the owner's or a
superuser's rights could do to the trail behind the application's back is found."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from agreements.models import Source
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail() -> Source:
    source = builders.source(title="Original")
    source.title = "Edited"
    source.save()
    builders.incident()
    return source


def verify(*args: str) -> str:
    out = io.StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def anchor_now() -> str:
    return verify().split("Anchor: ")[1].split()[0]


def as_superuser(*statements: str) -> None:
    """Switch the triggers off, as only a superuser can, and run the statements."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        for statement in statements:
            cursor.execute(statement)


def test_an_intact_trail_prints_the_anchor_to_keep_and_passes_with_it(trail):
    printed = verify()

    assert "Audit trail intact: 3 events; every live row matches its history." in printed
    anchor = anchor_now()
    assert anchor.startswith("3:")
    assert "Audit trail intact" in verify("--expect", anchor)


def test_a_change_made_with_the_triggers_off_is_found_naming_its_table_and_row(trail):
    as_superuser(f"UPDATE agreements_source SET title = 'Quietly' WHERE id = {trail.pk}")

    with pytest.raises(CommandError) as failure:
        verify()

    assert f"agreements_source row {trail.pk}: differs from its latest event" in str(failure.value)


def test_a_row_inserted_or_deleted_with_the_triggers_off_is_found(trail):
    other = builders.source(title="Deleted quietly")
    as_superuser(
        f"DELETE FROM agreements_source WHERE id = {other.pk}",
        "INSERT INTO agreements_source (key, publisher, title, url, language, "
        "published_precision, reliability, notes) VALUES "
        "('ghost', 'P', 'Ghost', '', 'en', '', 'F', '')",
    )

    with pytest.raises(CommandError) as failure:
        verify()

    message = str(failure.value)
    assert f"agreements_source row {other.pk}: is gone, but its history has no delete" in message
    assert "has no history" in message


# Committed first: a table with changes still to be checked at commit cannot be truncated.
@pytest.mark.django_db(transaction=True)
def test_wiping_every_history_table_and_the_chain_head_is_found(trail):
    anchor = anchor_now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE tablename LIKE '%%event'")
        tables = [name for (name,) in cursor.fetchall()]
    # TRUNCATE fires no row trigger, so even the append-only triggers do not stop it.
    as_superuser(
        f"TRUNCATE {', '.join(tables)}",
        "UPDATE history_chainhead SET seq = 0, hash = ''",
    )

    with pytest.raises(CommandError, match="has no history"):
        verify()
    with pytest.raises(CommandError, match="wiped or cut short"):
        verify("--expect", anchor)


def test_a_replaced_digest_function_does_not_hide_an_altered_event(trail):
    first = Source.pgh_event_model.objects.filter(pgh_obj_id=trail.pk).order_by("pgh_seq")[0]
    as_superuser(
        f"UPDATE agreements_sourceevent SET title = 'Rewritten' WHERE pgh_id = {first.pgh_id}",
        # What the owner could do: make the database's own check agree with anything.
        "CREATE OR REPLACE FUNCTION audit_event_digest(prev text, tbl text, r anyelement) "
        "RETURNS text LANGUAGE sql AS $$ SELECT to_jsonb(r) ->> 'pgh_hash' $$",
    )

    with pytest.raises(CommandError, match="does not match its hash"):
        verify()


@pytest.mark.django_db(transaction=True)
def test_a_rewritten_chain_does_not_reproduce_the_anchor(trail):
    anchor = anchor_now()
    seq = anchor.split(":")[0]
    # The latest event rewritten and rehashed, and the head moved with it: a consistent chain.
    as_superuser(
        f"UPDATE tracker_incidentevent SET description_en = 'Rewritten' WHERE pgh_seq = {seq}",
        "UPDATE tracker_incidentevent e SET pgh_hash = "
        f"audit_event_digest(e.pgh_prev_hash, 'tracker_incidentevent', e) WHERE pgh_seq = {seq}",
        "UPDATE history_chainhead SET hash = "
        f"(SELECT pgh_hash FROM tracker_incidentevent WHERE pgh_seq = {seq})",
        "UPDATE tracker_incident SET description_en = 'Rewritten'",
    )
    assert "Audit trail intact" in verify()

    with pytest.raises(CommandError, match="the trail was rewritten"):
        verify("--expect", anchor)


def test_a_malformed_anchor_is_refused_with_the_expected_form():
    with pytest.raises(CommandError, match="is not an anchor like"):
        verify("--expect", "12:abc")
