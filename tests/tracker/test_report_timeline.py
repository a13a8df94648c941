"""The agreement timeline: every event once, in order, counted the same way by hand."""

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from agreements.models import Agreement, AgreementLink
from tests import builders
from tests.tracker.report_checks import (
    assert_refused_everywhere,
    database_now,
    queries_and_data,
    role_user,
    standing,
    table,
)
from tracker.models import BreachClaim, ComplianceAssessment, Incident

URL = "/api/v1/reports/timeline/"


def expected_events(
    agreement: Agreement,
    on: datetime.date,
    first: datetime.date | None = None,
    last: datetime.date | None = None,
) -> Counter:
    """(date, kind, agreement, subject) of every event, gathered here without the report's SQL."""
    ids = {agreement.pk}
    for link in AgreementLink.objects.all():
        if agreement.pk in (link.from_agreement_id, link.to_agreement_id):
            ids |= {link.from_agreement_id, link.to_agreement_id}
    found = []
    for other in Agreement.objects.filter(pk__in=ids):
        found.append((other.signed_on, "agreement signed", other.code, other.title_en))
        found.append((other.effective_on, "agreement took effect", other.code, other.title_en))
        found.append((other.ended_on, "agreement ended", other.code, other.title_en))
    for link in AgreementLink.objects.filter(from_agreement_id__in=ids):
        subject = f"{link.get_kind_display()} {link.to_agreement.code}"
        found.append(
            (link.from_agreement.signed_on, "agreement link", link.from_agreement.code, subject)
        )
    for assessment in ComplianceAssessment.objects.filter(obligation__clause__agreement_id__in=ids):
        if standing(assessment):
            obligation = assessment.obligation
            found.append(
                (
                    assessment.valid_from,
                    "status change",
                    obligation.clause.agreement.code,
                    f"{obligation.clause.key}/{obligation.key}",
                )
            )
    span_end = agreement.ended_on or on
    for incident in Incident.objects.all():
        claimed = any(
            claim.state != "rejected" and claim.obligation.clause.agreement_id in ids
            for claim in BreachClaim.objects.filter(incident=incident)
        )
        overlaps = (
            incident.occurred_on <= span_end
            and (incident.ended_on or incident.occurred_on) >= agreement.signed_on
        )
        if claimed or overlaps:
            found.append((incident.occurred_on, "incident", None, incident.location))
    return Counter(
        (day.isoformat(), kind, code, subject)
        for day, kind, code, subject in found
        if day is not None
        and day <= on
        and (first is None or day >= first)
        and (last is None or day <= last)
    )


def shown_events(data: dict) -> Counter:
    return Counter(tuple(row[:4]) for row in table(data, "events"))


def add_events(agreement: Agreement) -> None:
    """Events that belong on ``agreement``'s timeline, and some that do not."""
    obligation = builders.obligation(clause=builders.clause(agreement=agreement))
    builders.assessment(obligation=obligation, valid_from=datetime.date(2021, 9, 8))
    claimed = builders.incident(occurred_on=datetime.date(2021, 8, 2), location="Tafas")
    builders.breach_claim(incident=claimed, obligation=obligation)
    rejected = builders.incident(occurred_on=datetime.date(2021, 8, 3), location="Nawa")
    builders.breach_claim(incident=rejected, obligation=obligation, state="rejected")
    builders.incident(occurred_on=datetime.date(2021, 8, 4), location="Jasim")
    builders.incident(occurred_on=datetime.date(2021, 9, 12), location="Inkhil")
    follower = builders.agreement(
        signed_on=datetime.date(2021, 10, 1), effective_on=datetime.date(2021, 10, 2)
    )
    AgreementLink.objects.create(from_agreement=follower, kind="amends", to_agreement=agreement)
    unrelated = builders.agreement(signed_on=datetime.date(2021, 9, 9))
    builders.assessment(
        obligation=builders.obligation(clause=builders.clause(agreement=unrelated)),
        valid_from=datetime.date(2021, 9, 9),
    )


@pytest.mark.django_db
def test_the_events_and_monthly_counts_match_a_count_made_independently(seeded, reader):
    add_events(seeded)
    today = timezone.localdate()

    for period in ({}, {"from": "2021-08-01", "to": "2021-09-06"}):
        data = reader.get(URL, {"agreement": seeded.code, **period}).json()
        bounds = {
            name: datetime.date.fromisoformat(period[key]) if key in period else None
            for name, key in (("first", "from"), ("last", "to"))
        }

        assert shown_events(data) == expected_events(seeded, today, **bounds)
        monthly = table(data, "by_month")
        assert sum(row[-1] for row in monthly) == len(table(data, "events"))
        assert all(sum(row[1:-1]) == row[-1] for row in monthly)
    locations = {row[3] for row in table(data, "events") if row[1] == "incident"}
    assert "Tafas" in locations
    assert not locations & {"Nawa", "Jasim"}
    order = [(row[0], row[1], row[3]) for row in table(data, "events")]
    assert order == sorted(order)


@pytest.mark.django_db
def test_without_an_agreement_every_agreement_and_incident_is_on_the_timeline(seeded, reader):
    add_events(seeded)

    data = reader.get(URL, {"valid_on": "2021-12-31"}).json()

    kinds = Counter(row[1] for row in table(data, "events"))
    assert kinds["agreement signed"] == Agreement.objects.count()
    assert kinds["incident"] == Incident.objects.count()
    assert kinds["agreement link"] == AgreementLink.objects.count()
    assert kinds["status change"] == sum(
        standing(assessment) for assessment in ComplianceAssessment.objects.all()
    )


@pytest.mark.django_db
def test_the_time_axis_draws_one_marker_per_lane_and_day(seeded, reader, client_as):
    params = {"agreement": seeded.code}

    data = reader.get(URL, params).json()
    page = client_as(role_user("lead")).get("/reports/timeline/", params).content.decode()

    # The axis covers the agreement's own span; what lies outside (linked agreements' years)
    # is listed in the table and counted under the chart, not drawn.
    first = seeded.signed_on.isoformat()
    last = (seeded.ended_on or datetime.date.today()).isoformat()
    events = table(data, "events")
    inside = [row for row in events if first <= row[0] <= last]
    lanes_and_days = {(row[1], row[0]) for row in inside}
    assert len(lanes_and_days) > 1
    assert page.count('<circle class="event"') == len(lanes_and_days)
    assert f"{len(events) - len(inside)} events outside this period are not drawn" in page


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_data(seeded, reader):
    params = {"agreement": seeded.code}
    reader.get(URL, params)
    small, small_data = queries_and_data(reader, URL, params)
    for _ in range(10):
        add_events(seeded)
    large, large_data = queries_and_data(reader, URL, params)

    assert len(table(large_data, "events")) > len(table(small_data, "events")) + 10 * 4
    assert large == small


@pytest.mark.django_db
def test_an_earlier_valid_on_leaves_out_what_had_not_happened_yet(seeded, reader):
    def kinds_on(on: str) -> set[tuple[str, str]]:
        data = reader.get(URL, {"agreement": seeded.code, "valid_on": on}).json()
        return {(row[1], row[2]) for row in table(data, "events")}

    # The 31 August agreement collapsed on 3 September; the next one was signed on 5 September.
    before = kinds_on("2021-09-04")
    after = kinds_on("2021-09-05")

    assert ("agreement ended", "daraa-2021-08-31") in before
    assert ("agreement signed", seeded.code) not in before
    assert ("agreement link", seeded.code) not in before
    assert {("agreement signed", seeded.code), ("agreement link", seeded.code)} <= after


# History rows carry their transaction's start time, so each step here commits on its own.
@pytest.mark.django_db(transaction=True)
def test_known_at_before_an_agreement_was_recorded_as_ended_shows_no_end(reader):
    agreement = builders.agreement(signed_on=datetime.date(2021, 9, 5))
    believed_then = database_now()
    Agreement.objects.filter(pk=agreement.pk).update(
        status="superseded", ended_on=datetime.date(2021, 9, 20)
    )

    def ends(**extra: str) -> list[list]:
        data = reader.get(URL, {"agreement": agreement.code, **extra}).json()
        return [row for row in table(data, "events") if row[1] == "agreement ended"]

    assert [(row[0], row[2], row[4]) for row in ends()] == [
        ("2021-09-20", agreement.code, "superseded")
    ]
    assert ends(known_at=believed_then) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"agreement": "no-such-agreement"}, "agreement"),
        ({"from": "September"}, "from"),
        ({"from": "2021-09-06", "to": "2021-09-01"}, "to"),
        ({"valid_on": "6 Sept"}, "valid_on"),
        ({"known_at": "2999-01-01T00:00:00Z"}, "known_at"),
        ({"known_at": "yesterday"}, "known_at"),
        ({"limit": "0"}, "limit"),
        ({"limit": "5001"}, "limit"),
        ({"offset": "-1"}, "offset"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it_everywhere(seeded, params, named):
    assert_refused_everywhere("timeline", params, named)


@pytest.mark.django_db
def test_the_events_are_listed_a_page_at_a_time_saying_how_many_of_how_many(seeded, reader):
    add_events(seeded)
    everything = reader.get(URL, {"agreement": seeded.code}).json()
    every_row = table(everything, "events")
    total = len(every_row)
    assert total > 6
    assert next(t for t in everything["tables"] if t["key"] == "events")["title"] == (
        f"Events (all {total})"
    )

    pages = []
    for offset in range(0, total, 4):
        data = reader.get(URL, {"agreement": seeded.code, "limit": "4", "offset": offset}).json()
        events = next(t for t in data["tables"] if t["key"] == "events")
        assert f"of {total} events" in events["title"]
        assert data["parameters"]["limit"] == 4 and data["parameters"]["offset"] == offset
        # The counts per month still cover every event.
        assert sum(row[-1] for row in table(data, "by_month")) == total
        pages.extend(events["rows"])
    assert pages == every_row

    params = {"agreement": seeded.code, "limit": "4", "offset": "4"}
    params["known_at"] = everything["parameters"]["known_at"]
    first, again = reader.get(URL, params).json(), reader.get(URL, params).json()
    assert first["content_hash"] == again["content_hash"]
    assert first["content_hash"] != everything["content_hash"]


@pytest.mark.django_db
def test_the_default_lists_at_most_500_events(seeded, reader):
    data = reader.get(URL, {"agreement": seeded.code}).json()
    assert data["parameters"]["limit"] == 500
    assert data["parameters"]["offset"] == 0
