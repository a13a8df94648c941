"""An object's history reads back who changed what, and what each field was before and after."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import Clause, Obligation, ObligationDependency
from history.context import audit_context
from history.readers import AuditFilters, audit_events, history_of, object_history
from tests import builders

pytestmark = pytest.mark.django_db


def test_an_edit_shows_each_changed_field_before_and_after_with_who_and_why(lead):
    obligation = builders.obligation(action_en="Open the road")
    with audit_context(channel="api", user=lead, reason="Wording per North Press"):
        Obligation.objects.filter(pk=obligation.pk).update(action_en="Open the road by noon")

    latest = object_history(obligation)[0]

    assert latest.action == "update"
    assert latest.changes == {"action_en": ("Open the road", "Open the road by noon")}
    assert (latest.who, latest.channel, latest.reason) == (
        "lead-user",
        "api",
        "Wording per North Press",
    )
    assert latest.object_id == obligation.pk
    assert "Open the road by noon" in latest.object_str


def test_a_creation_has_nothing_before_and_a_deletion_nothing_after():
    party = builders.party(name_en="Central Committee")
    party_id = party.pk
    with audit_context(channel="command", reason="Duplicate", command="merge_parties"):
        party.delete()

    deleted, created = history_of(type(party), party_id)

    assert created.action == "insert"
    assert created.changes["name_en"] == (None, "Central Committee")
    assert deleted.action == "delete"
    assert deleted.changes["name_en"] == ("Central Committee", None)
    assert (deleted.who, deleted.reason) == ("manage.py merge_parties", "Duplicate")


def test_a_change_made_outside_any_request_or_command_is_credited_to_the_system():
    source = builders.source()

    assert object_history(source)[0].who == "system"


def test_foreign_keys_read_as_ids():
    obligation = builders.obligation()
    other = builders.party()
    Obligation.objects.filter(pk=obligation.pk).update(obligor=other)

    assert object_history(obligation)[0].changes == {"obligor": (obligation.obligor_id, other.pk)}


def test_a_clause_history_includes_its_obligations_accounts_and_dependencies():
    clause = builders.clause()
    first = builders.obligation(clause=clause)
    second = builders.obligation(clause=clause)
    account = builders.clause_account(clause=clause)
    dependency = ObligationDependency.objects.create(obligation=second, prerequisite=first)
    Obligation.objects.filter(pk=first.pk).update(note="Deadline 10:00")

    history = object_history(clause)

    assert history[0].is_child
    assert (history[0].model, history[0].object_id) == (Obligation, first.pk)
    assert history[0].changes == {"note": ("", "Deadline 10:00")}
    shown = {(entry.model_label, entry.object_id) for entry in history}
    assert {
        ("agreements.Clause", clause.pk),
        ("agreements.ClauseAccount", account.pk),
        ("agreements.ObligationDependency", dependency.pk),
    } <= shown
    assert not any(entry.is_child for entry in object_history(clause, include_children=False))


def test_an_obligations_history_includes_its_assessments_and_breach_claims():
    obligation = builders.obligation()
    assessment = builders.assessment(obligation=obligation)
    claim = builders.breach_claim(obligation=obligation)

    shown = {(entry.model_label, entry.object_id) for entry in object_history(obligation)}

    assert ("tracker.ComplianceAssessment", assessment.pk) in shown
    assert ("tracker.BreachClaim", claim.pk) in shown


def test_a_child_deleted_with_its_parent_still_shows_in_the_history_of_what_remains():
    clause = builders.clause()
    prerequisite = builders.obligation(clause=clause)
    dependent = builders.obligation(clause=clause)
    ObligationDependency.objects.create(obligation=dependent, prerequisite=prerequisite)
    dependent.delete()  # cascades to the dependency

    deletions = [entry for entry in object_history(clause) if entry.action == "delete"]

    assert {entry.model for entry in deletions} == {Obligation, ObligationDependency}


def _queries(callable_) -> int:
    with CaptureQueriesContext(connection) as captured:
        callable_()
    return len(captured.captured_queries)


def test_reading_a_history_costs_the_same_queries_for_5_and_for_50_events():
    few, many = builders.clause(), builders.clause()
    for clause, edits in ((few, 5), (many, 50)):
        obligation = builders.obligation(clause=clause, beneficiary=builders.party())
        for n in range(edits):
            Clause.objects.filter(pk=clause.pk).update(summary_en=f"Version {n}")
            Obligation.objects.filter(pk=obligation.pk).update(note=f"Note {n}")

    assert _queries(lambda: object_history(few)) == _queries(lambda: object_history(many))


def test_the_trail_is_newest_first_and_filters_by_channel_user_and_time(lead):
    before = builders.source()
    with audit_context(channel="api", user=lead):
        during = builders.source()

    api_events = list(audit_events(AuditFilters(channel="api")))
    by_lead = list(audit_events(AuditFilters(user=str(lead.pk))))
    later = list(audit_events(AuditFilters(after=datetime.datetime.now(tz=datetime.UTC))))

    assert [entry.object_id for entry in api_events] == [during.pk]
    assert [entry.object_id for entry in by_lead] == [during.pk]
    assert later == []
    everything = list(audit_events(AuditFilters()))
    assert [e.seq for e in everything] == sorted((e.seq for e in everything), reverse=True)
    assert {before.pk, during.pk} <= {
        e.object_id for e in everything if e.model_label == "agreements.Source"
    }


def test_a_page_of_the_trail_carries_each_events_changes():
    source = builders.source(title="First title")
    for n in range(3):
        type(source).objects.filter(pk=source.pk).update(title=f"Title {n}")

    trail = audit_events(AuditFilters(models=(type(source),), object_id=source.pk))

    assert trail.count() == 4
    assert [entry.changes.get("title") for entry in trail[1:3]] == [
        ("Title 0", "Title 1"),
        ("First title", "Title 0"),
    ]
