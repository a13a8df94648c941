"""After `migrate` on a fresh database, every table of both domain apps is audited: each has
the triggers that write its history, and each history table those that chain and protect it.
(The evidence links of judgements, plain many-to-many tables, once had none.)"""

import pytest
from django.apps import apps
from django.db import connection

from history.models import ChainedEvent
from history.readers import AuditFilters, audit_events
from tests import builders

pytestmark = pytest.mark.django_db

# Credentials, not domain data: kept out of the trail on purpose.
NOT_AUDITED = {"tracker_apitoken"}


def triggers_on(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
            [table],
        )
        return {name for (name,) in cursor.fetchall()}


def domain_tables() -> set[str]:
    tables = set()
    for app in ("agreements", "tracker"):
        for model in apps.get_app_config(app).get_models(include_auto_created=True):
            if not issubclass(model, ChainedEvent):
                tables.add(model._meta.db_table)
    return tables - NOT_AUDITED


def test_every_domain_table_writes_its_history_on_insert_update_and_delete():
    tables = domain_tables()
    assert "tracker_complianceassessment_evidence_sources" in tables
    assert "tracker_complianceassessment_evidence_incidents" in tables
    for table in sorted(tables):
        names = triggers_on(table)
        for action in ("insert", "update", "delete"):
            assert any(name.startswith(f"pgtrigger_{action}_{action}_") for name in names), (
                f"{table} has no {action} history trigger: {sorted(names)}"
            )


def test_every_history_table_is_chained_and_append_only():
    events = [m for m in apps.get_models(include_auto_created=True) if issubclass(m, ChainedEvent)]
    tracked = {model.pgh_tracked_model._meta.db_table for model in events}
    assert tracked == domain_tables()
    for model in events:
        names = triggers_on(model._meta.db_table)
        for trigger in ("audit_chain", "audit_commit", "append_only"):
            assert any(name.startswith(f"pgtrigger_{trigger}_") for name in names), (
                f"{model._meta.db_table} lacks {trigger}: {sorted(names)}"
            )


def test_evidence_attached_to_a_judgement_reaches_the_trail():
    assessment = builders.assessment()
    source = builders.source()

    assessment.evidence_sources.add(source)

    through = type(assessment).evidence_sources.through
    (entry,) = audit_events(AuditFilters(models=(through,)))
    assert entry.action == "insert"
    assert entry.changes["source"] == (None, source.pk)
