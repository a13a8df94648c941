"""Optimistic concurrency: ETag on reads, 304 when unchanged, 412 on a stale If-Match."""

import pytest

from tests.api.resources import RESOURCES

UPDATABLE = [resource for resource in RESOURCES if resource.offers_update]


@pytest.mark.django_db
@pytest.mark.parametrize("resource", UPDATABLE, ids=str)
def test_a_stale_if_match_is_refused_with_412_and_the_current_etag(api_as, resource):
    client = api_as("admin")
    row = resource.make()
    url = f"/api/v1/{resource.route}/{row.pk}/"
    etag = client.get(url)["ETag"]
    before = type(row).objects.filter(pk=row.pk).values().get()

    response = client.patch(url, resource.change, format="json", HTTP_IF_MATCH='"stale"')

    assert response.status_code == 412
    assert response["ETag"] == etag
    assert response.json()["error"]["current_etag"] == etag
    assert type(row).objects.filter(pk=row.pk).values().get() == before


@pytest.mark.django_db
@pytest.mark.parametrize("resource", UPDATABLE, ids=str)
def test_a_current_if_match_lets_the_update_through_and_changes_the_etag(api_as, resource):
    client = api_as("admin")
    row = resource.make()
    url = f"/api/v1/{resource.route}/{row.pk}/"
    etag = client.get(url)["ETag"]

    response = client.patch(url, resource.change, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag
    assert client.get(url)["ETag"] == response["ETag"]


@pytest.mark.django_db
@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_an_unchanged_resource_answers_304_to_if_none_match(api_as, resource):
    client = api_as("viewer")
    row = resource.make()
    url = f"/api/v1/{resource.route}/{row.pk}/"
    etag = client.get(url)["ETag"]

    response = client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response["ETag"] == etag
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


@pytest.mark.django_db
def test_a_stale_if_match_on_delete_keeps_the_row(api_as):
    resource = next(r for r in RESOURCES if r.route == "sources")
    row = resource.make()

    response = api_as("admin").delete(f"/api/v1/sources/{row.pk}/", HTTP_IF_MATCH='"stale"')

    assert response.status_code == 412
    assert type(row).objects.filter(pk=row.pk).exists()


@pytest.mark.django_db
def test_a_new_assessment_changes_the_obligations_etag(api_as):
    """The derived status is part of the obligation, so a judgement makes older copies stale."""
    from tests import builders

    obligation = builders.obligation()
    client = api_as("lead")
    url = f"/api/v1/obligations/{obligation.pk}/"
    etag = client.get(url)["ETag"]

    builders.assessment(obligation=obligation, status="not_complied")

    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200
    response = client.patch(url, {"note": "x"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412
