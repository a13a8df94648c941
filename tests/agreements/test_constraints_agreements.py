"""The database refuses agreements, parties, topics, clauses and obligations that break a rule.

Each rule has a case that must be refused, naming its constraint, and a near miss that must be
stored, so a constraint that refused everything would fail too.
"""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from agreements.models import (
    AgreementLink,
    AgreementParty,
    ClauseAccount,
    ObligationDependency,
)
from tests import builders

pytestmark = pytest.mark.django_db

D = datetime.date


def refused_by(constraint: str, write: Callable[[], Any]) -> None:
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        write()


# --- Agreement dates and status -------------------------------------------------------------

AGREEMENT_REFUSED = [
    pytest.param(
        {"effective_on": D(2021, 9, 5)},
        "agreement_effective_after_signed",
        id="takes-effect-before-it-is-signed",
    ),
    pytest.param(
        {"ended_on": D(2021, 9, 1)},
        "agreement_ended_after_signed",
        id="ends-before-it-is-signed",
    ),
    pytest.param(
        {"effective_on": D(2021, 9, 10), "ended_on": D(2021, 9, 8)},
        "agreement_ended_after_effective",
        id="ends-before-it-takes-effect",
    ),
    pytest.param(
        {"status": "collapsed"}, "agreement_ended_status_has_date", id="collapsed-without-end"
    ),
    pytest.param(
        {"status": "superseded"}, "agreement_ended_status_has_date", id="superseded-without-end"
    ),
    pytest.param(
        {"status": "expired"}, "agreement_ended_status_has_date", id="expired-without-end"
    ),
]


@pytest.mark.parametrize(("fields", "constraint"), AGREEMENT_REFUSED)
def test_an_agreement_with_impossible_dates_or_status_is_refused(fields, constraint):
    # The builder signs every agreement on 6 September 2021.
    refused_by(constraint, lambda: builders.agreement(**fields))


@pytest.mark.parametrize(
    "fields",
    [
        {"effective_on": D(2021, 9, 6), "ended_on": D(2021, 9, 6)},
        {"effective_on": D(2021, 9, 7), "ended_on": D(2022, 1, 1), "status": "collapsed"},
        {"ended_on": D(2021, 10, 1), "status": "superseded"},
        {"signed_on": None, "signed_precision": "", "ended_on": D(2020, 1, 1), "status": "expired"},
        {"status": "in_force"},
    ],
    ids=["same-day", "collapsed-after-taking-effect", "superseded", "unsigned-date", "in-force"],
)
def test_an_agreement_with_consistent_dates_and_status_is_stored(fields):
    agreement = builders.agreement(**fields)

    agreement.refresh_from_db()
    assert agreement.status == fields.get("status", "in_force")


# --- Hierarchies: nothing is its own parent ---------------------------------------------------


HIERARCHIES = [
    pytest.param(
        builders.party, lambda parent: builders.party(), "party_not_own_parent", id="party"
    ),
    pytest.param(
        builders.topic, lambda parent: builders.topic(), "topic_not_own_parent", id="topic"
    ),
    pytest.param(
        builders.clause,
        lambda parent: builders.clause(agreement=parent.agreement),
        "clause_not_own_parent",
        id="clause",
    ),
]


@pytest.mark.parametrize(("make", "make_child", "constraint"), HIERARCHIES)
def test_a_record_cannot_be_its_own_parent(make, make_child, constraint):
    row = make()
    rows = type(row).objects.filter(pk=row.pk)

    refused_by(constraint, lambda: rows.update(parent=row))


@pytest.mark.parametrize(("make", "make_child", "constraint"), HIERARCHIES)
def test_a_record_can_sit_under_another_parent(make, make_child, constraint):
    parent = make()
    child = make_child(parent)

    type(child).objects.filter(pk=child.pk).update(parent=parent)

    child.refresh_from_db()
    assert child.parent == parent


# --- Agreement links and party roles ----------------------------------------------------------


def test_an_agreement_cannot_be_linked_to_itself():
    agreement = builders.agreement()

    refused_by(
        "agreement_link_not_to_itself",
        lambda: AgreementLink.objects.create(
            from_agreement=agreement, kind="amends", to_agreement=agreement
        ),
    )


def test_the_same_link_between_two_agreements_is_refused_the_second_time():
    first, second = builders.agreement(), builders.agreement()
    AgreementLink.objects.create(from_agreement=second, kind="replaces", to_agreement=first)

    refused_by(
        "agreement_link_unique",
        lambda: AgreementLink.objects.create(
            from_agreement=second, kind="replaces", to_agreement=first
        ),
    )


def test_two_agreements_can_be_linked_in_several_ways_and_both_directions():
    first, second = builders.agreement(), builders.agreement()

    AgreementLink.objects.create(from_agreement=second, kind="replaces", to_agreement=first)
    AgreementLink.objects.create(from_agreement=second, kind="amends", to_agreement=first)
    AgreementLink.objects.create(from_agreement=first, kind="replaces", to_agreement=second)

    assert AgreementLink.objects.count() == 3


def test_a_party_cannot_hold_the_same_role_twice_in_one_agreement():
    agreement, party = builders.agreement(), builders.party()
    AgreementParty.objects.create(agreement=agreement, party=party, role="guarantor")

    refused_by(
        "agreement_party_role_unique",
        lambda: AgreementParty.objects.create(agreement=agreement, party=party, role="guarantor"),
    )


def test_a_party_can_hold_several_roles_in_one_agreement():
    agreement, party = builders.agreement(), builders.party()

    AgreementParty.objects.create(agreement=agreement, party=party, role="guarantor")
    AgreementParty.objects.create(agreement=agreement, party=party, role="mediator")

    assert agreement.party_roles.count() == 2


# --- Clauses ----------------------------------------------------------------------------------


def test_a_clause_key_is_unique_within_its_agreement():
    existing = builders.clause(key="checkpoints")

    refused_by(
        "clause_key_unique",
        lambda: builders.clause(key="checkpoints", agreement=existing.agreement),
    )


def test_another_agreement_may_use_the_same_clause_key():
    builders.clause(key="checkpoints")

    other = builders.clause(key="checkpoints")

    assert other.pk is not None


@pytest.mark.parametrize("reason", ["", "  \n\t"], ids=["empty", "white-space"])
def test_a_retired_clause_without_a_reason_is_refused(reason):
    refused_by(
        "clause_retired_has_reason",
        lambda: builders.clause(retired_on=D(2022, 1, 1), retired_reason=reason),
    )


def test_a_retired_clause_with_a_reason_is_stored():
    clause = builders.clause(retired_on=D(2022, 1, 1), retired_reason="Dropped in the renewal.")

    clause.refresh_from_db()
    assert clause.retired_on == D(2022, 1, 1)


# --- Clause accounts --------------------------------------------------------------------------


def test_a_clause_has_at_most_one_working_account():
    clause = builders.clause()
    builders.clause_account(clause=clause, is_working_text=True)

    refused_by(
        "clause_one_working_text",
        lambda: builders.clause_account(clause=clause, is_working_text=True),
    )


def test_a_clause_keeps_any_number_of_other_accounts_beside_its_working_one():
    clause = builders.clause()

    builders.clause_account(clause=clause, is_working_text=True)
    builders.clause_account(clause=clause, is_working_text=False)
    builders.clause_account(clause=clause, is_working_text=False)

    assert clause.accounts.count() == 3


@pytest.mark.parametrize(
    ("text_en", "text_ar"),
    [("", ""), ("  ", "\n")],
    ids=["empty", "white-space"],
)
def test_an_account_without_any_wording_is_refused(text_en, text_ar):
    refused_by(
        "clause_account_has_wording",
        lambda: builders.clause_account(text_en=text_en, text_ar=text_ar),
    )


def test_an_account_in_arabic_only_is_stored():
    account = builders.clause_account(text_en="", text_ar="تسع نقاط تفتيش")

    account.refresh_from_db()
    assert account.text_ar == "تسع نقاط تفتيش"


def test_a_source_gives_one_account_per_clause():
    existing = builders.clause_account()

    refused_by(
        "clause_account_per_source",
        lambda: ClauseAccount.objects.create(
            clause=existing.clause, source=existing.source, form="quote", text_en="Ten."
        ),
    )


def test_one_source_can_give_accounts_of_different_clauses():
    existing = builders.clause_account()

    other = builders.clause_account(source=existing.source)

    assert other.clause != existing.clause


# --- Obligations ------------------------------------------------------------------------------


def test_an_obligation_with_both_kinds_of_deadline_is_refused():
    refused_by(
        "obligation_one_kind_of_deadline",
        lambda: builders.obligation(
            due_on=D(2021, 9, 11), due_precision="day", due_days_after_signature=5
        ),
    )


@pytest.mark.parametrize(
    "fields",
    [
        {"due_on": D(2021, 9, 11), "due_precision": "day"},
        {"due_days_after_signature": 5},
        {},
    ],
    ids=["absolute-deadline", "relative-deadline", "no-deadline"],
)
def test_an_obligation_with_at_most_one_kind_of_deadline_is_stored(fields):
    obligation = builders.obligation(**fields)

    obligation.refresh_from_db()
    assert obligation.due_days_after_signature == fields.get("due_days_after_signature")


def test_an_obligation_key_is_unique_within_its_clause():
    existing = builders.obligation(key="hand-over-weapons")

    refused_by(
        "obligation_key_unique",
        lambda: builders.obligation(key="hand-over-weapons", clause=existing.clause),
    )


def test_another_clause_may_use_the_same_obligation_key():
    builders.obligation(key="hand-over-weapons")

    other = builders.obligation(key="hand-over-weapons")

    assert other.pk is not None


def test_an_obligation_cannot_depend_on_itself_in_the_database():
    obligation = builders.obligation()

    refused_by(
        "obligation_not_own_prerequisite",
        lambda: ObligationDependency.objects.create(obligation=obligation, prerequisite=obligation),
    )


def test_an_obligation_can_depend_on_another():
    prerequisite = builders.obligation()
    obligation = builders.obligation(clause=prerequisite.clause)

    ObligationDependency.objects.create(obligation=obligation, prerequisite=prerequisite)

    assert list(obligation.depends_on.all()) == [prerequisite]
