"""An incident entered without a key gets a readable, unique one, made once and kept."""

import pytest
from django.urls import reverse

from tests import builders
from tests.admin_helpers import submitted_form
from tests.api.conftest import token_client
from tracker.models import Incident

pytestmark = pytest.mark.django_db


def _admin_add(client, **fields: str):
    data = submitted_form(client.get(reverse("admin:tracker_incident_add")))
    data.update({name: [value] for name, value in fields.items()})
    return client.post(reverse("admin:tracker_incident_add"), data)


SHELLING = {
    "key": "",
    "occurred_on": "2021-09-03",
    "date_precision": "day",
    "event_type": "Explosions/Remote violence",
    "sub_event_type": "Shelling/artillery/missile attack",
    "location": "Daraa al-Balad",
    "description_en": "Shelling reported by two local outlets.",
}


def test_an_incident_saved_in_the_admin_without_a_key_gets_one_made_of_date_place_and_type(
    analyst, client_as
):
    response = _admin_add(client_as(analyst), **SHELLING)

    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.key == "2021-09-03-daraa-al-balad-explosions-remote-violence"


def test_a_second_incident_with_the_same_date_place_and_type_gets_a_key_of_its_own(analyst):
    builders.incident(key="2021-09-03-daraa-al-balad-battles", event_type="Battles")
    api = token_client(analyst)
    body = {k: v for k, v in SHELLING.items() if k != "key"}
    body.update(event_type="Battles", sub_event_type="Armed clash")

    first = api.post("/api/v1/incidents/", body, format="json")
    second = api.post("/api/v1/incidents/", body, format="json")

    assert (first.status_code, second.status_code) == (201, 201), second.content
    assert first.json()["key"] == "2021-09-03-daraa-al-balad-battles-2"
    assert second.json()["key"] == "2021-09-03-daraa-al-balad-battles-3"


def test_a_generated_key_stays_when_the_place_is_corrected(analyst):
    api = token_client(analyst)
    body = {k: v for k, v in SHELLING.items() if k != "key"}
    created = api.post("/api/v1/incidents/", body, format="json").json()

    api.patch(f"/api/v1/incidents/{created['id']}/", {"location": "Tafas"}, format="json")

    assert Incident.objects.get().key == created["key"]


def test_a_place_written_only_in_arabic_still_gives_a_readable_key(analyst):
    api = token_client(analyst)
    body = {k: v for k, v in SHELLING.items() if k != "key"}
    body["location"] = "درعا البلد"

    created = api.post("/api/v1/incidents/", body, format="json")

    assert created.status_code == 201
    assert created.json()["key"] == "2021-09-03-explosions-remote-violence"


def test_a_key_typed_by_the_analyst_is_kept_as_typed(analyst, client_as):
    _admin_add(client_as(analyst), **{**SHELLING, "key": "my-own-key"})

    assert Incident.objects.get().key == "my-own-key"
