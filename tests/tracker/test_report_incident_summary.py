"""The incident summary: numbers a reader can check, counted again by hand."""

import datetime
from collections import Counter

import pytest

from agreements.models import Agreement
from tests import builders
from tests.api.conftest import token_client
from tests.conftest import make_role_user
from tests.tracker.report_checks import (
    assert_refused_everywhere,
    database_now,
    queries_and_data,
    table,
)
from tracker.models import Incident, IncidentActor

URL = "/api/v1/reports/incident-summary/"
DARAA_2021 = {"from": "2021-01-01", "to": "2021-12-31", "area": "daraa", "valid_on": "2021-12-31"}


def expected(incidents: list[Incident]) -> tuple[Counter, Counter, Counter, Counter]:
    """(per actor: incidents, fatalities), (per month: incidents, fatalities), in Python."""
    per_actor, actor_deaths, per_month, month_deaths = Counter(), Counter(), Counter(), Counter()
    for incident in incidents:
        month = incident.occurred_on.strftime("%Y-%m")
        names = {
            actor.party.name_en if actor.party else actor.name_as_reported
            for actor in incident.actor_roles.all()
        } or {"(no actor recorded)"}
        for name in names:
            per_actor[(month, incident.event_type, name)] += 1
            actor_deaths[(month, incident.event_type, name)] += incident.fatalities or 0
        per_month[month] += 1
        month_deaths[month] += incident.fatalities or 0
    return per_actor, actor_deaths, per_month, month_deaths


def in_area(incident: Incident, area: str) -> bool:
    places = (incident.admin1, incident.admin2, incident.admin3, incident.location)
    return area.lower() in {place.lower() for place in places}


def add_incident(*names: str, **fields) -> Incident:
    """An incident with these actors: a party's key, or else a name as reported."""
    incident = builders.incident(**fields)
    for name in names:
        party = builders.party(key=name, name_en=name.title()) if name.islower() else None
        IncidentActor.objects.create(
            incident=incident, party=party, name_as_reported="" if party else name
        )
    return incident


@pytest.fixture
def seeded(daraa_seeds, db) -> None:
    """The Daraa seeds loaded."""


@pytest.fixture
def reader(db):
    return token_client(make_role_user("viewer"))


@pytest.mark.django_db
def test_the_counts_by_month_type_and_actor_match_a_count_made_independently(seeded, reader):
    add_incident("side-a", "Local gunmen", occurred_on=datetime.date(2021, 8, 2), fatalities=4)
    add_incident(
        "Local gunmen", "Local gunmen", occurred_on=datetime.date(2021, 8, 3), fatalities=1
    )
    add_incident(occurred_on=datetime.date(2021, 8, 4), fatalities=2, admin1="", admin2="Daraa")
    add_incident("Elsewhere", admin1="Idlib", location="Idlib city", fatalities=9)
    add_incident("Too early", occurred_on=datetime.date(2020, 12, 31), fatalities=9)

    data = reader.get(URL, DARAA_2021).json()

    chosen = [
        incident
        for incident in Incident.objects.all()
        if datetime.date(2021, 1, 1) <= incident.occurred_on <= datetime.date(2021, 12, 31)
        and in_area(incident, "daraa")
    ]
    per_actor, actor_deaths, per_month, month_deaths = expected(chosen)
    assert {tuple(row[:3]): row[3] for row in table(data, "by_actor")} == dict(per_actor)
    assert {tuple(row[:3]): row[4] for row in table(data, "by_actor")} == dict(actor_deaths)
    assert {row[0]: row[1] for row in table(data, "by_month")} == dict(per_month)
    assert {row[0]: row[2] for row in table(data, "by_month")} == dict(month_deaths)
    assert ["2021-08", "Battles", "Local gunmen", 2, 5] in table(data, "by_actor")
    assert ["2021-08", 3, 7] in table(data, "by_month")


@pytest.mark.django_db
def test_an_agreement_keeps_only_the_incidents_claimed_against_its_obligations(seeded, reader):
    agreement = Agreement.objects.get(code="daraa-2021-08-31")
    claimed = add_incident("side-a", occurred_on=datetime.date(2021, 9, 4), fatalities=2)
    owed = builders.obligation(clause=builders.clause(agreement=agreement))
    builders.breach_claim(incident=claimed, obligation=owed, state="rejected")
    add_incident("side-b", occurred_on=datetime.date(2021, 9, 4))  # claimed against nothing

    data = reader.get(URL, {"agreement": agreement.code, "valid_on": "2021-12-31"}).json()

    chosen = [
        incident
        for incident in Incident.objects.all()
        if incident.breach_claims.filter(obligation__clause__agreement=agreement).exists()
    ]
    per_actor, _, per_month, _ = expected(chosen)
    assert {tuple(row[:3]): row[3] for row in table(data, "by_actor")} == dict(per_actor)
    assert {row[0]: row[1] for row in table(data, "by_month")} == dict(per_month)
    assert ("2021-09", "Battles", "Side-A") in per_actor
    assert not any(row[2] == "Side-B" for row in table(data, "by_actor"))


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_data(seeded, reader):
    params = {**DARAA_2021, "agreement": "daraa-2021-09-06"}
    reader.get(URL, params)
    small, _ = queries_and_data(reader, URL, params)
    agreement = Agreement.objects.get(code="daraa-2021-09-06")
    obligation = builders.obligation(clause=builders.clause(agreement=agreement))
    for day in range(10 * Incident.objects.count()):
        incident = add_incident(
            f"party-x{day}",
            "Local gunmen",
            occurred_on=datetime.date(2021, 1, 1) + datetime.timedelta(days=day),
            fatalities=day,
        )
        builders.breach_claim(incident=incident, obligation=obligation)
    large, data = queries_and_data(reader, URL, params)

    assert sum(row[1] for row in table(data, "by_month")) > 10
    assert large == small


@pytest.mark.django_db
def test_valid_on_leaves_out_what_had_not_happened_by_then(seeded, reader):
    add_incident("side-a", occurred_on=datetime.date(2021, 10, 5), fatalities=3)

    def months(on: str) -> dict:
        data = reader.get(URL, {**DARAA_2021, "valid_on": on}).json()
        return {row[0]: row[1] for row in table(data, "by_month")}

    before, after = months("2021-09-30"), months("2021-10-31")

    assert "2021-10" not in before
    assert after == {**before, "2021-10": 1}


# History rows are stamped with their transaction's start, so each write commits on its own.
@pytest.mark.django_db(transaction=True)
def test_known_at_shows_the_incidents_as_they_were_recorded_then(reader):
    first = add_incident("side-a", occurred_on=datetime.date(2021, 9, 1), fatalities=1)
    then = database_now()
    add_incident("side-b", occurred_on=datetime.date(2021, 9, 2), fatalities=2)
    Incident.objects.filter(pk=first.pk).update(fatalities=10)  # a correction, made later

    def tables(**extra: str) -> dict:
        return reader.get(URL, {"valid_on": "2021-12-31", **extra}).json()

    known_then, known_now = tables(known_at=then), tables()

    assert table(known_then, "by_month") == [["2021-09", 1, 1]]
    assert table(known_then, "by_actor") == [["2021-09", "Battles", "Side-A", 1, 1]]
    assert table(known_now, "by_month") == [["2021-09", 2, 12]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"agreement": "no-such-agreement"}, "agreement"),
        ({"from": "1 Jan 2021"}, "from"),
        ({"from": "2021-12-31", "to": "2021-01-01"}, "to"),
        ({"valid_on": "31/12/2021"}, "valid_on"),
        ({"known_at": "2999-01-01T00:00:00Z"}, "known_at"),
        ({"known_at": "yesterday"}, "known_at"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it_everywhere(seeded, params, named):
    assert_refused_everywhere("incident-summary", params, named)
