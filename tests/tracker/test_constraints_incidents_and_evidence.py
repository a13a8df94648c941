"""The database refuses incidents, their actors and sources, captures and breach claims that
break a rule, and stores the near misses."""

import datetime
import hashlib
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from agreements.models import Capture
from tests import builders
from tracker.models import Incident, IncidentActor, IncidentSource

pytestmark = pytest.mark.django_db

D = datetime.date


def refused_by(constraint: str, write: Callable[[], Any]) -> None:
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        write()


# --- Incidents --------------------------------------------------------------------------------

INCIDENT_REFUSED = [
    pytest.param(
        {"occurred_on": D(2021, 9, 3), "ended_on": D(2021, 9, 2)},
        "incident_ends_after_start",
        id="ends-before-it-starts",
    ),
    pytest.param(
        {"event_type": "Protests", "sub_event_type": "Armed clash"},
        "incident_sub_event_matches_type",
        id="sub-event-of-another-type",
    ),
    pytest.param(
        {"latitude": Decimal("32.62"), "longitude": None},
        "incident_coordinates_valid",
        id="latitude-without-longitude",
    ),
    pytest.param(
        {"latitude": None, "longitude": Decimal("36.10")},
        "incident_coordinates_valid",
        id="longitude-without-latitude",
    ),
    pytest.param(
        {"latitude": Decimal("91"), "longitude": Decimal("36.10")},
        "incident_coordinates_valid",
        id="latitude-out-of-range",
    ),
    pytest.param(
        {"latitude": Decimal("32.62"), "longitude": Decimal("-180.5")},
        "incident_coordinates_valid",
        id="longitude-out-of-range",
    ),
    pytest.param({"description_en": ""}, "incident_has_description", id="empty-description"),
    pytest.param(
        {"description_en": " \n "}, "incident_has_description", id="white-space-description"
    ),
]


@pytest.mark.parametrize(("fields", "constraint"), INCIDENT_REFUSED)
def test_an_incident_that_breaks_a_rule_is_refused(fields, constraint):
    refused_by(constraint, lambda: builders.incident(**fields))


@pytest.mark.parametrize(
    "fields",
    [
        {"occurred_on": D(2021, 7, 29), "ended_on": D(2021, 9, 6)},
        {"occurred_on": D(2021, 9, 3), "ended_on": D(2021, 9, 3)},
        {"event_type": "Protests", "sub_event_type": "Peaceful protest"},
        {"event_type": "Strategic developments", "sub_event_type": ""},
        {"latitude": Decimal("32.62"), "longitude": Decimal("36.10")},
        {"latitude": Decimal("-90"), "longitude": Decimal("180")},
        {"latitude": None, "longitude": None},
    ],
    ids=[
        "a-siege-that-lasted",
        "one-day",
        "matching-sub-event",
        "no-sub-event",
        "both-coordinates",
        "coordinates-at-the-limits",
        "no-coordinates",
    ],
)
def test_an_incident_that_keeps_the_rules_is_stored(fields):
    incident = builders.incident(**fields)

    incident.refresh_from_db()
    assert incident.latitude == fields.get("latitude")


def test_an_acled_event_id_is_refused_the_second_time():
    builders.incident(acled_event_id="SYR12345")

    refused_by("incident_acled_id_unique", lambda: builders.incident(acled_event_id="SYR12345"))


def test_incidents_not_from_acled_may_all_leave_the_acled_id_empty():
    builders.incident(acled_event_id="")
    builders.incident(acled_event_id="")
    builders.incident(acled_event_id="SYR12345")
    builders.incident(acled_event_id="SYR12346")

    assert Incident.objects.filter(acled_event_id="").count() == 2


# --- Actors and sources of an incident --------------------------------------------------------


@pytest.mark.parametrize("name", ["", "   "], ids=["empty-name", "white-space-name"])
def test_an_actor_with_neither_party_nor_name_is_refused(name):
    incident = builders.incident()

    refused_by(
        "incident_actor_identified",
        lambda: IncidentActor.objects.create(incident=incident, party=None, name_as_reported=name),
    )


@pytest.mark.parametrize(
    "actor",
    [
        lambda: {"party": builders.party()},
        lambda: {"name_as_reported": "Local gunmen"},
        lambda: {"party": builders.party(), "name_as_reported": "the Eighth Brigade"},
    ],
    ids=["party-only", "name-only", "both"],
)
def test_an_actor_named_by_party_or_by_the_sources_words_is_stored(actor):
    incident = builders.incident()

    IncidentActor.objects.create(incident=incident, **actor())

    assert incident.actor_roles.count() == 1


@pytest.mark.parametrize("credibility", [0, 7])
def test_a_credibility_outside_1_to_6_is_refused(credibility):
    incident, source = builders.incident(), builders.source()

    refused_by(
        "incident_source_credibility_range",
        lambda: IncidentSource.objects.create(
            incident=incident, source=source, credibility=credibility
        ),
    )


@pytest.mark.parametrize("credibility", [1, 6])
def test_a_credibility_from_1_to_6_is_stored(credibility):
    incident, source = builders.incident(), builders.source()

    IncidentSource.objects.create(incident=incident, source=source, credibility=credibility)

    assert incident.source_links.get().credibility == credibility


# --- Captures ---------------------------------------------------------------------------------

GOOD_HASH = hashlib.sha256(b"the archived page").hexdigest()


def _capture(sha256: str) -> Capture:
    return Capture.objects.create(
        source=builders.source(),
        sha256=sha256,
        captured_at=datetime.datetime(2021, 9, 7, 10, 0, tzinfo=datetime.UTC),
        collector="analyst on duty",
        location="archive/2021/09/07/page.warc",
    )


@pytest.mark.parametrize(
    "sha256",
    [GOOD_HASH.upper(), GOOD_HASH[:-1], GOOD_HASH[:-1] + "g", ""],
    ids=["upper-case", "too-short", "not-hex", "empty"],
)
def test_a_capture_hash_that_is_not_64_lowercase_hex_digits_is_refused(sha256):
    refused_by("capture_sha256_is_hex", lambda: _capture(sha256))


def test_a_capture_with_a_real_sha256_is_stored():
    capture = _capture(GOOD_HASH)

    capture.refresh_from_db()
    assert capture.sha256 == GOOD_HASH


# --- Breach claims ----------------------------------------------------------------------------


@pytest.mark.parametrize("rationale", ["", " \t\n"], ids=["empty", "white-space"])
def test_a_breach_claim_without_a_rationale_is_refused(rationale):
    refused_by("breach_claim_has_rationale", lambda: builders.breach_claim(rationale=rationale))


def test_the_same_incident_is_claimed_against_an_obligation_only_once():
    claim = builders.breach_claim()

    refused_by(
        "breach_claim_unique",
        lambda: builders.breach_claim(incident=claim.incident, obligation=claim.obligation),
    )


def test_one_incident_can_be_claimed_against_several_obligations():
    claim = builders.breach_claim()

    builders.breach_claim(incident=claim.incident)

    assert claim.incident.breach_claims.count() == 2
