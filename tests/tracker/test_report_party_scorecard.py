"""The party scorecard: numbers a reader can check, counted again by hand."""

import datetime
from collections import Counter

import pytest

from agreements.models import Obligation, Party
from tests import builders
from tests.api.conftest import token_client
from tests.conftest import make_role_user
from tests.tracker.report_checks import (
    assert_refused_everywhere,
    database_now,
    queries_and_data,
    status_on,
    table,
)
from tracker.models import BreachClaim, Incident, IncidentActor

URL = "/api/v1/reports/party-scorecard/"
PARTY = "syrian-government-forces"
VALID_ON = "2021-09-10"


def expected(party: Party, on: datetime.date) -> dict[str, Counter]:
    """Every table of the scorecard, counted row by row in Python."""
    statuses: Counter = Counter()
    for obligation in Obligation.objects.filter(obligor=party):
        status = status_on(obligation, on) or "not assessed"
        statuses[(obligation.clause.agreement.code, status)] += 1
    claims: Counter = Counter()
    for claim in BreachClaim.objects.all():
        if claim.obligation.obligor_id == party.pk and claim.incident.occurred_on <= on:
            claims[claim.state] += 1
    incidents: Counter = Counter()
    fatalities: Counter = Counter()
    for incident in Incident.objects.all():
        took_part = any(actor.party_id == party.pk for actor in incident.actor_roles.all())
        if took_part and incident.occurred_on <= on:
            group = (incident.occurred_on.strftime("%Y-%m"), incident.event_type)
            incidents[group] += 1
            fatalities[group] += incident.fatalities or 0
    return {"statuses": statuses, "claims": claims, "incidents": incidents, "deaths": fatalities}


def involve(party: Party, **fields) -> Incident:
    """An incident the party took part in, claimed against the first obligation it owes."""
    incident = builders.incident(**fields)
    IncidentActor.objects.create(incident=incident, party=party)
    IncidentActor.objects.create(incident=incident, name_as_reported="Local gunmen", side=2)
    builders.breach_claim(
        incident=incident, obligation=Obligation.objects.filter(obligor=party).first()
    )
    return incident


@pytest.fixture
def seeded(daraa_seeds, db) -> Party:
    return Party.objects.get(key=PARTY)


@pytest.fixture
def reader(db):
    return token_client(make_role_user("viewer"))


@pytest.mark.django_db
def test_the_scorecard_counts_match_a_count_made_independently(seeded, reader):
    owed = builders.obligation(obligor=seeded)
    builders.assessment(
        obligation=owed, status="not_complied", valid_from=datetime.date(2021, 9, 8)
    )
    involve(seeded, occurred_on=datetime.date(2021, 8, 20), fatalities=3)
    involve(seeded, occurred_on=datetime.date(2021, 8, 21), fatalities=None)
    involve(seeded, occurred_on=datetime.date(2021, 9, 20), fatalities=5)  # after valid_on
    on = datetime.date(2021, 9, 10)

    data = reader.get(URL, {"party": PARTY, "valid_on": VALID_ON}).json()

    want = expected(seeded, on)
    assert {(a, s): n for a, s, n in table(data, "by_agreement")} == dict(want["statuses"])
    by_status: Counter = Counter()
    for (_, status), count in want["statuses"].items():
        by_status[status] += count
    assert dict(map(tuple, table(data, "by_status"))) == dict(by_status)
    claims = dict(map(tuple, table(data, "claims")))
    assert {state: n for state, n in claims.items() if n} == dict(want["claims"])
    assert set(claims) == {"alleged", "corroborated", "confirmed", "rejected"}
    incidents = table(data, "incidents")
    assert {(m, t): n for m, t, n, _ in incidents} == dict(want["incidents"])
    assert {(m, t): d for m, t, _, d in incidents} == dict(want["deaths"])
    assert ["2021-08", "Battles", 2, 3] in incidents


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_data(seeded, reader):
    params = {"party": PARTY, "valid_on": VALID_ON}
    reader.get(URL, params)
    small, _ = queries_and_data(reader, URL, params)
    for day in range(1, 10 * Obligation.objects.filter(obligor=seeded).count() + 1):
        obligation = builders.obligation(obligor=seeded)
        builders.assessment(obligation=obligation, status="complied", level=3)
        involve(seeded, occurred_on=datetime.date(2021, 1, 1) + datetime.timedelta(days=day))
    large, data = queries_and_data(reader, URL, params)

    assert sum(row[2] for row in table(data, "incidents")) > 10
    assert large == small


@pytest.mark.django_db
def test_valid_on_keeps_only_the_judgements_and_incidents_that_held_by_then(seeded, reader):
    owed = builders.obligation(obligor=seeded, key="later-judged")
    builders.assessment(obligation=owed, status="complied", valid_from=datetime.date(2021, 9, 15))
    involve(
        seeded,
        occurred_on=datetime.date(2021, 9, 20),
        event_type="Protests",
        sub_event_type="Peaceful protest",
    )

    def scorecard(on: str) -> dict:
        return reader.get(URL, {"party": PARTY, "valid_on": on}).json()

    before, after = scorecard("2021-09-10"), scorecard("2021-09-30")

    agreement = owed.clause.agreement.code
    assert [agreement, "not assessed", 1] in table(before, "by_agreement")
    assert [agreement, "complied", 1] in table(after, "by_agreement")
    assert ["2021-09", "Protests", 1, 0] not in table(before, "incidents")
    assert ["2021-09", "Protests", 1, 0] in table(after, "incidents")
    claimed = {
        "before": sum(n for _, n in table(before, "claims")),
        "after": sum(n for _, n in table(after, "claims")),
    }
    assert claimed["after"] == claimed["before"] + 1


# History rows are stamped with their transaction's start, so each write commits on its own.
@pytest.mark.django_db(transaction=True)
def test_known_at_leaves_out_what_was_recorded_afterwards(reader):
    party = builders.party(key="the-party")
    builders.assessment(obligation=builders.obligation(obligor=party), status="complied")
    involve(party, occurred_on=datetime.date(2021, 9, 1), fatalities=1)
    then = database_now()
    builders.obligation(obligor=party)
    involve(party, occurred_on=datetime.date(2021, 9, 2), fatalities=2)

    def scorecard(**extra: str) -> dict:
        return reader.get(URL, {"party": "the-party", "valid_on": VALID_ON, **extra}).json()

    known_then, known_now = scorecard(known_at=then), scorecard()

    assert table(known_then, "by_status") == [["complied", 1]]
    assert table(known_now, "by_status") == [["complied", 1], ["not assessed", 1]]
    assert table(known_then, "incidents") == [["2021-09", "Battles", 1, 1]]
    assert table(known_now, "incidents") == [["2021-09", "Battles", 2, 3]]
    assert dict(map(tuple, table(known_then, "claims")))["alleged"] == 1
    assert dict(map(tuple, table(known_now, "claims")))["alleged"] == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({}, "party"),
        ({"party": "no-such-party"}, "party"),
        ({"party": PARTY, "valid_on": "10 Sept"}, "valid_on"),
        ({"party": PARTY, "known_at": "2999-01-01T00:00:00Z"}, "known_at"),
        ({"party": PARTY, "known_at": "yesterday"}, "known_at"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it_everywhere(seeded, params, named):
    assert_refused_everywhere("party-scorecard", params, named)
