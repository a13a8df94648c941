"""Saving an incident that looks like one already recorded (same day, place and event type,
a shared actor) is allowed, but the analyst is told, with a link to the earlier one; one who
heeds the warning keeps the party scorecard from counting the event twice."""

import re

import pytest
from django.urls import reverse

from tests import builders
from tests.admin_helpers import submitted_form
from tests.api.conftest import token_client
from tests.tracker.report_checks import table
from tracker.models import Incident, IncidentActor

pytestmark = pytest.mark.django_db

ADD = "admin:tracker_incident_add"


def _add_in_admin(client, party, **fields: str):
    data = submitted_form(client.get(reverse(ADD)))
    data.update(
        occurred_on=["2021-09-03"],
        date_precision=["day"],
        event_type=["Explosions/Remote violence"],
        sub_event_type=["Shelling/artillery/missile attack"],
        location=["Daraa al-Balad"],
        fatalities=["2"],
        description_en=["Shelling of the old town."],
        **{
            "actor_roles-TOTAL_FORMS": ["1"],
            "actor_roles-0-party": [str(party.pk)],
            "actor_roles-0-side": ["1"],
        },
    )
    data.update({name: [value] for name, value in fields.items()})
    return client.post(reverse(ADD), data, follow=True)


def _recorded(party, **fields) -> Incident:
    same = {
        "occurred_on": "2021-09-03",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Shelling/artillery/missile attack",
        "location": "Daraa al-Balad",
        "fatalities": 2,
    }
    incident = builders.incident(**{**same, **fields})
    IncidentActor.objects.create(incident=incident, party=party)
    return incident


def _warnings(response) -> list[str]:
    return [str(m) for m in response.context["messages"] if m.level_tag == "warning"]


def test_a_look_alike_is_saved_with_a_warning_that_links_to_the_earlier_incident(
    analyst, client_as
):
    party = builders.party()
    earlier = _recorded(party)

    response = _add_in_admin(client_as(analyst), party, location="daraa al-balad")

    assert Incident.objects.count() == 2
    (warning,) = _warnings(response)
    assert "looks like an incident already recorded" in warning
    assert reverse("admin:tracker_incident_change", args=[earlier.pk]) in warning


def test_an_incident_with_other_actors_or_another_day_raises_no_warning(analyst, client_as):
    party, other = builders.party(), builders.party()
    _recorded(other)
    _recorded(party, key="next-day", occurred_on="2021-09-04")

    response = _add_in_admin(client_as(analyst), party)

    assert _warnings(response) == []


def test_the_scorecard_counts_the_event_once_when_the_analyst_deletes_the_look_alike(
    analyst, client_as
):
    party = builders.party()
    _recorded(party)
    client = client_as(analyst)
    response = _add_in_admin(client, party)
    (warning,) = _warnings(response)
    delete_url = re.search(r'href="([^"]+/delete/)"', warning)[1]

    client.post(delete_url, {"post": "yes", "reason": "Same shelling, entered twice."})

    scorecard = token_client(analyst).get(
        "/api/v1/reports/party-scorecard/", {"party": party.key, "valid_on": "2021-09-10"}
    )
    assert [row[2:] for row in table(scorecard.json(), "incidents")] == [[1, 2]]


def test_the_api_names_look_alikes_in_a_header_and_still_saves(analyst):
    party = builders.party()
    earlier = _recorded(party)
    body = {
        "occurred_on": "2021-09-03",
        "date_precision": "day",
        "event_type": "Explosions/Remote violence",
        "location": "Daraa al-Balad",
        "description_en": "Shelling of the old town.",
        "actors": [{"party": party.pk, "side": 1}],
    }

    created = token_client(analyst).post("/api/v1/incidents/", body, format="json")

    assert created.status_code == 201
    assert created["Possible-Duplicates"] == f"/api/v1/incidents/{earlier.pk}/"
