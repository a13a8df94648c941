"""The deadlines report: late, due soon and blocked obligations, checked against a plain count."""

import datetime
from collections import defaultdict

import pytest
from django.utils import timezone

from agreements.models import Agreement, Obligation, ObligationDependency
from tests import builders
from tests.tracker.report_checks import (
    assert_refused_everywhere,
    queries_and_data,
    status_on,
    table,
)

URL = "/api/v1/reports/deadlines/"
ON = datetime.date(2021, 9, 7)
TABLES = {"overdue": "overdue", "due soon": "due_soon", "blocked": "blocked"}


def expected(on: datetime.date, days: int, agreement: Agreement | None = None) -> dict:
    """(agreement, obligation key) per category, worked out by hand in Python."""
    found: dict[str, set] = defaultdict(set)
    obligations = Obligation.objects.all()
    if agreement is not None:
        obligations = obligations.filter(clause__agreement=agreement)
    for obligation in obligations:
        signed = obligation.clause.agreement.signed_on
        ended = obligation.clause.agreement.ended_on
        if (signed is not None and signed > on) or (ended is not None and ended <= on):
            continue
        if status_on(obligation, on) == "complied":
            continue
        deadline = obligation.due_on
        if deadline is None and obligation.due_days_after_signature is not None and signed:
            deadline = signed + datetime.timedelta(days=obligation.due_days_after_signature)
        unmet = [
            link.prerequisite
            for link in ObligationDependency.objects.filter(obligation=obligation)
            if status_on(link.prerequisite, on) != "complied"
        ]
        if unmet:
            category = "blocked"
        elif deadline is not None and deadline < on:
            category = "overdue"
        elif deadline is not None and deadline <= on + datetime.timedelta(days=days):
            category = "due soon"
        else:
            continue
        found[category].add((obligation.clause.agreement.code, obligation.key))
    return found


def listed(data: dict) -> dict:
    return {
        category: {(row[0], row[2]) for row in table(data, key)} for category, key in TABLES.items()
    }


def add_obligations(agreement: Agreement) -> dict[str, Obligation]:
    """One obligation per case the report tells apart, under ``agreement``."""
    clause = builders.clause(agreement=agreement)

    def due(*day: int) -> Obligation:
        return builders.obligation(clause=clause, due_on=datetime.date(*day), due_precision="day")

    made = {
        "late": due(2021, 9, 1),
        "soon": due(2021, 9, 20),
        "far": due(2022, 1, 1),
        "met": due(2021, 9, 1),
        "relative": builders.obligation(clause=clause, due_days_after_signature=1),
        "waiting": due(2021, 9, 2),
    }
    builders.assessment(
        obligation=made["met"], status="complied", level=3, valid_from=datetime.date(2021, 9, 1)
    )
    ObligationDependency.objects.create(obligation=made["waiting"], prerequisite=made["late"])
    return made


@pytest.mark.django_db
def test_the_lists_and_counts_match_a_count_made_independently(seeded, reader):
    made = add_obligations(seeded)
    other = builders.agreement(signed_on=datetime.date(2021, 8, 1))
    add_obligations(other)

    for params in ({"agreement": seeded.code}, {}):
        data = reader.get(URL, {**params, "valid_on": ON.isoformat()}).json()
        want = expected(ON, 30, seeded if params else None)

        assert listed(data) == {category: want[category] for category in TABLES}
        counts = dict(map(tuple, table(data, "by_category")))
        assert counts == {category: len(want[category]) for category in TABLES}

    data = reader.get(URL, {"agreement": seeded.code, "valid_on": ON.isoformat()}).json()
    # A late obligation waiting on an unmet one is blocked only, with the other named.
    waiting = next(row for row in table(data, "blocked") if row[2] == made["waiting"].key)
    assert waiting[5] == -5
    assert waiting[7] == f"{made['late'].clause.key}/{made['late'].key}"
    assert made["waiting"].key not in {row[2] for row in table(data, "overdue")}
    # A deadline of one day after the signature of 5 September is worked out as 6 September.
    relative = next(row for row in table(data, "overdue") if row[2] == made["relative"].key)
    assert relative[4] == "2021-09-06"
    assert relative[5] == 1


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_data(seeded, reader):
    params = {"agreement": seeded.code, "valid_on": ON.isoformat()}
    reader.get(URL, params)
    small, _ = queries_and_data(reader, URL, params)
    for _ in range(10):
        add_obligations(seeded)
    large, data = queries_and_data(reader, URL, params)

    assert sum(row[1] for row in table(data, "by_category")) > 10 * 4
    assert large == small


@pytest.mark.django_db
def test_a_later_valid_on_turns_a_deadline_due_soon_into_an_overdue_one(seeded, reader):
    def where_is_deploy_checkpoints(on: str) -> set[str]:
        data = reader.get(URL, {"agreement": seeded.code, "valid_on": on}).json()
        return {
            category
            for category, keys in listed(data).items()
            if (seeded.code, "deploy-checkpoints") in keys
        }

    # Due on 7 September 2021.
    assert where_is_deploy_checkpoints("2021-09-07") == {"due soon"}
    assert where_is_deploy_checkpoints("2021-09-08") == {"overdue"}


# Known at means committed by: each write commits on its own here, as users' writes do.
@pytest.mark.django_db(transaction=True)
def test_known_at_before_a_judgement_of_compliance_shows_the_obligation_still_overdue(
    seeded_and_committed, reader
):
    seeded = seeded_and_committed
    made = add_obligations(seeded)
    believed_then = timezone.now().isoformat()
    builders.assessment(
        obligation=made["late"], status="complied", level=3, valid_from=datetime.date(2021, 9, 2)
    )

    def overdue(**extra: str) -> set[str]:
        data = reader.get(URL, {"agreement": seeded.code, "valid_on": ON.isoformat(), **extra})
        return {row[2] for row in table(data.json(), "overdue")}

    assert made["late"].key not in overdue()
    assert made["late"].key in overdue(known_at=believed_then)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"agreement": "no-such-agreement"}, "agreement"),
        ({"days": "a month"}, "days"),
        ({"days": "0"}, "days"),
        ({"valid_on": "7 Sept"}, "valid_on"),
        ({"known_at": "2999-01-01T00:00:00Z"}, "known_at"),
        ({"known_at": "yesterday"}, "known_at"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it_everywhere(seeded, params, named):
    assert_refused_everywhere("deadlines", params, named)


@pytest.mark.django_db
def test_an_agreement_that_has_ended_owes_nothing_after_its_end(seeded, reader):
    collapsed = builders.agreement(
        signed_on=datetime.date(2021, 8, 31), status="collapsed", ended_on=datetime.date(2021, 9, 3)
    )
    late = builders.obligation(
        clause=builders.clause(agreement=collapsed),
        due_on=datetime.date(2021, 9, 1),
        due_precision="day",
    )

    def overdue_on(day: str) -> set:
        data = reader.get(URL, {"agreement": collapsed.code, "valid_on": day}).json()
        return {row[2] for row in table(data, "overdue")}

    assert overdue_on("2021-09-02") == {late.key}
    assert overdue_on("2021-09-03") == set()
