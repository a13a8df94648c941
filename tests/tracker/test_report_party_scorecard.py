"""The party scorecard: numbers a reader can check, reproducible, the same in every format."""

import csv
import datetime
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements.models import Obligation, Party
from tests import builders
from tests.api.conftest import token_client
from tests.conftest import make_role_user
from tests.tracker.test_report_compliance_matrix import TableReader, shown
from tracker.models import BreachClaim, ComplianceAssessment, Incident, IncidentActor

URL = "/api/v1/reports/party-scorecard/"
PARTY = "syrian-government-forces"
VALID_ON = "2021-09-10"


def rows(data: dict, key: str) -> list[list]:
    return next(t for t in data["tables"] if t["key"] == key)["rows"]


def status_of(obligation: Obligation, on: datetime.date) -> str:
    """The judgement holding on ``on``, picked here without the report's SQL."""
    standing = [
        a
        for a in ComplianceAssessment.objects.filter(obligation=obligation)
        if a.valid_from <= on
        and a.review_state != "rejected"
        and not ComplianceAssessment.objects.filter(supersedes=a)
        .exclude(review_state="rejected")
        .exists()
    ]
    standing.sort(key=lambda a: (a.valid_from, a.recorded_at, a.id), reverse=True)
    return standing[0].status if standing else "not assessed"


def expected(party: Party, on: datetime.date) -> dict[str, Counter]:
    """Every table of the scorecard, counted row by row in Python."""
    statuses: Counter = Counter()
    for obligation in Obligation.objects.filter(obligor=party):
        statuses[(obligation.clause.agreement.code, status_of(obligation, on))] += 1
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
def seeded(db) -> Party:
    call_command("load_seeds", stdout=io.StringIO())
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
    assert {(a, s): n for a, s, n in rows(data, "by_agreement")} == dict(want["statuses"])
    by_status: Counter = Counter()
    for (_, status), count in want["statuses"].items():
        by_status[status] += count
    assert dict(map(tuple, rows(data, "by_status"))) == dict(by_status)
    claims = dict(map(tuple, rows(data, "claims")))
    assert {state: n for state, n in claims.items() if n} == dict(want["claims"])
    assert set(claims) == {"alleged", "corroborated", "confirmed", "rejected"}
    incidents = rows(data, "incidents")
    assert {(m, t): n for m, t, n, _ in incidents} == dict(want["incidents"])
    assert {(m, t): d for m, t, _, d in incidents} == dict(want["deaths"])
    assert ["2021-08", "Battles", 2, 3] in incidents


@pytest.mark.django_db
def test_rerunning_with_the_same_parameters_gives_the_same_report_and_hash(seeded, reader):
    params = {
        "party": PARTY,
        "valid_on": VALID_ON,
        "known_at": timezone.now().replace(microsecond=0).isoformat(),
    }

    first, second = reader.get(URL, params), reader.get(URL, params)

    assert first.status_code == 200
    assert first.content == second.content
    assert len(first.json()["content_hash"]) == 64


@pytest.mark.django_db
def test_the_page_the_csv_and_the_json_show_the_same_numbers(seeded, reader):
    params = {
        "party": PARTY,
        "valid_on": VALID_ON,
        "known_at": timezone.now().replace(microsecond=0).isoformat(),
    }
    data = reader.get(URL, params).json()
    browser = Client()
    browser.force_login(make_role_user("lead"))
    page = browser.get("/reports/party-scorecard/", params)
    download = browser.get("/reports/party-scorecard.csv", params)

    tables = TableReader()
    tables.feed(page.content.decode())
    lines = list(csv.reader(io.StringIO(download.content.decode())))
    for table in data["tables"]:
        assert table["rows"]
        assert tables.tables[table["key"]] == [[shown(v) for v in row] for row in table["rows"]]
        in_csv = [line[1:] for line in lines if line[0] == table["key"]]
        assert in_csv == [["" if v is None else str(v) for v in row] for row in table["rows"]]
    assert data["content_hash"] in page.content.decode()
    assert lines[-1] == ["content_hash", data["content_hash"]]


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_data(seeded, reader):
    params = {"party": PARTY, "valid_on": VALID_ON}
    reader.get(URL, params)
    with CaptureQueriesContext(connection) as small:
        reader.get(URL, params)
    for day in range(1, 10 * Obligation.objects.filter(obligor=seeded).count() + 1):
        obligation = builders.obligation(obligor=seeded)
        builders.assessment(obligation=obligation, status="complied", level=3)
        involve(seeded, occurred_on=datetime.date(2021, 1, 1) + datetime.timedelta(days=day))
    with CaptureQueriesContext(connection) as large:
        data = reader.get(URL, params).json()

    assert sum(row[2] for row in rows(data, "incidents")) > 10
    assert len(large.captured_queries) == len(small.captured_queries)


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
    assert [agreement, "not assessed", 1] in rows(before, "by_agreement")
    assert [agreement, "complied", 1] in rows(after, "by_agreement")
    assert ["2021-09", "Protests", 1, 0] not in rows(before, "incidents")
    assert ["2021-09", "Protests", 1, 0] in rows(after, "incidents")
    claimed = {
        "before": sum(n for _, n in rows(before, "claims")),
        "after": sum(n for _, n in rows(after, "claims")),
    }
    assert claimed["after"] == claimed["before"] + 1


# History rows are stamped with their transaction's start, so each write commits on its own.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_known_at_leaves_out_what_was_recorded_afterwards(reader):
    party = builders.party(key="the-party")
    builders.assessment(obligation=builders.obligation(obligor=party), status="complied")
    involve(party, occurred_on=datetime.date(2021, 9, 1), fatalities=1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        then = cursor.fetchone()[0].isoformat()
    builders.obligation(obligor=party)
    involve(party, occurred_on=datetime.date(2021, 9, 2), fatalities=2)

    def scorecard(**extra: str) -> dict:
        return reader.get(URL, {"party": "the-party", "valid_on": VALID_ON, **extra}).json()

    known_then, known_now = scorecard(known_at=then), scorecard()

    assert rows(known_then, "by_status") == [["complied", 1]]
    assert rows(known_now, "by_status") == [["complied", 1], ["not assessed", 1]]
    assert rows(known_then, "incidents") == [["2021-09", "Battles", 1, 1]]
    assert rows(known_now, "incidents") == [["2021-09", "Battles", 2, 3]]
    assert dict(map(tuple, rows(known_then, "claims")))["alleged"] == 1
    assert dict(map(tuple, rows(known_now, "claims")))["alleged"] == 2


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
def test_a_bad_parameter_is_a_400_naming_it_everywhere(seeded, reader, params, named):
    browser = Client()
    browser.force_login(make_role_user("lead"))

    api = reader.get(URL, params)
    page = browser.get("/reports/party-scorecard/", params)
    download = browser.get("/reports/party-scorecard.csv", params)

    assert api.status_code == page.status_code == download.status_code == 400
    assert named in api.json()["error"]["fields"]
    assert f'data-parameter="{named}"' in page.content.decode()
    assert download.content.decode().startswith(f"{named}:")
