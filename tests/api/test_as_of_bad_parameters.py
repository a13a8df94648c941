"""A bad as_of or valid_on is a 400 naming the parameter, and past states are read-only."""

import datetime
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from agreements.models import Agreement, Obligation
from tests import builders

pytestmark = pytest.mark.django_db

AS_OF_ROUTES = ["agreements", "clauses", "obligations"]


def field_errors(response) -> dict:
    assert response.status_code == 400, response.content
    body = response.json()["error"]
    assert body["code"] == "invalid"
    return body["fields"]


@pytest.mark.parametrize("route", AS_OF_ROUTES)
@pytest.mark.parametrize("value", ["yesterday", "2021-13-01T00:00:00Z", "2021-09-05T25:00"])
def test_a_malformed_as_of_is_refused_naming_it(api_as, route, value):
    response = api_as("viewer").get(f"/api/v1/{route}/", {"as_of": value})

    assert set(field_errors(response)) == {"as_of"}


@pytest.mark.parametrize("route", AS_OF_ROUTES)
def test_an_as_of_in_the_future_is_refused_naming_it(api_as, route):
    tomorrow = timezone.now() + datetime.timedelta(days=1)

    response = api_as("viewer").get(f"/api/v1/{route}/", {"as_of": tomorrow.isoformat()})

    assert "Cannot be in the future" in field_errors(response)["as_of"][0]


def test_a_bad_as_of_on_a_detail_route_is_refused_naming_it(api_as):
    obligation = builders.obligation()

    response = api_as("viewer").get(f"/api/v1/obligations/{obligation.pk}/", {"as_of": "soon"})

    assert set(field_errors(response)) == {"as_of"}


@pytest.mark.parametrize("value", ["1 September", "2021-09-31", "2021-09-01T00:00:00Z"])
def test_a_malformed_valid_on_is_refused_naming_it(api_as, value):
    response = api_as("viewer").get("/api/v1/obligations/", {"valid_on": value})

    assert set(field_errors(response)) == {"valid_on"}


def test_both_bad_parameters_are_named_together(api_as):
    response = api_as("viewer").get("/api/v1/obligations/", {"as_of": "x", "valid_on": "y"})

    assert set(field_errors(response)) == {"as_of", "valid_on"}


def test_a_write_that_names_a_moment_is_refused_and_changes_nothing(api_as):
    agreement = builders.agreement(title_en="Daraa al-Balad agreement")
    moment = urlencode({"as_of": timezone.now().isoformat()})
    lead = api_as("lead")

    patched = lead.patch(
        f"/api/v1/agreements/{agreement.pk}/?{moment}",
        {"title_en": "Rewritten history"},
    )
    created = lead.post(
        "/api/v1/obligations/?valid_on=2021-09-01",
        {
            "clause": builders.clause().pk,
            "key": "open-road",
            "obligor": builders.party().pk,
            "action_en": "Open the road",
        },
    )

    assert set(field_errors(patched)) == {"as_of"}
    assert set(field_errors(created)) == {"valid_on"}
    assert Agreement.objects.get(pk=agreement.pk).title_en == "Daraa al-Balad agreement"
    assert not Obligation.objects.filter(key="open-road").exists()


def test_anonymous_readers_cannot_read_past_states_even_when_reads_are_public(api_as, settings):
    settings.API_PUBLIC_READ = True
    builders.agreement(is_published=True)
    anonymous = api_as("anonymous")

    past = anonymous.get("/api/v1/agreements/", {"as_of": timezone.now().isoformat()})
    present = anonymous.get("/api/v1/agreements/")

    assert past.status_code == 401
    assert past.json()["error"]["status"] == 401
    assert present.status_code == 200


def test_the_schema_declares_as_of_and_valid_on_and_their_400(api_as):
    schema = (
        api_as("viewer").get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    )

    def parameters(path: str) -> set[str]:
        return {parameter["name"] for parameter in schema["paths"][path]["get"]["parameters"]}

    for route in AS_OF_ROUTES:
        assert "as_of" in parameters(f"/api/v1/{route}/")
        assert "as_of" in parameters(f"/api/v1/{route}/{{id}}/")
        assert "400" in schema["paths"][f"/api/v1/{route}/{{id}}/"]["get"]["responses"]
    assert "valid_on" in parameters("/api/v1/obligations/")
    assert "valid_on" in parameters("/api/v1/obligations/{id}/")
