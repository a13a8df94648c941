"""Every resource: list, detail, create, update and delete, for each role."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.api.resources import RESOURCES, Resource

ROLES = ["anonymous", "viewer", "analyst", "lead", "admin"]


def expected(resource: Resource, role: str, success: int, *, offered: bool = True) -> int:
    if role == "anonymous":
        return 401
    if not offered:
        return 405
    return success if role in resource.writers else 403


def ids_in(response: Any) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def model_of(resource: Resource):
    return type(resource.make())


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_lists_are_readable_by_every_role_and_by_nobody_anonymous(api_as, resource, role):
    row = resource.make()

    response = api_as(role).get(f"/api/v1/{resource.route}/")

    assert response.status_code == (401 if role == "anonymous" else 200)
    if response.status_code == 200:
        assert row.pk in ids_in(response)
    else:
        assert response.json()["error"]["status"] == 401


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_details_are_readable_by_every_role_and_by_nobody_anonymous(api_as, resource, role):
    row = resource.make()

    response = api_as(role).get(f"/api/v1/{resource.route}/{row.pk}/")

    assert response.status_code == (401 if role == "anonymous" else 200)
    if response.status_code == 200:
        assert response.json()["id"] == row.pk
        assert response["ETag"].startswith('"')


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_creating_is_allowed_to_writers_only(api_as, resource, role):
    model = model_of(resource)
    before = model.objects.count()
    client: APIClient = api_as(role)

    response = client.post(f"/api/v1/{resource.route}/", resource.payload(), format="json")

    assert response.status_code == expected(resource, role, 201), response.content
    created = 1 if response.status_code == 201 else 0
    assert model.objects.count() == before + created
    if created:
        assert model.objects.filter(pk=response.json()["id"]).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_updating_is_allowed_to_writers_only(api_as, resource, role):
    row = resource.make()
    model = type(row)
    before = model.objects.filter(pk=row.pk).values().get()

    response = api_as(role).patch(
        f"/api/v1/{resource.route}/{row.pk}/", resource.change, format="json"
    )

    assert response.status_code == expected(resource, role, 200, offered=resource.offers_update), (
        response.content
    )
    after = model.objects.filter(pk=row.pk).values().get()
    if response.status_code == 200:
        for name, value in resource.change.items():
            assert response.json()[name] == value
            assert after[name] == value
    else:
        assert after == before


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_deleting_is_allowed_to_writers_only(api_as, resource, role):
    row = resource.make()

    response = api_as(role).delete(
        f"/api/v1/{resource.route}/{row.pk}/", HTTP_X_CHANGE_REASON="Entered twice"
    )

    assert response.status_code == expected(resource, role, 204, offered=resource.offers_delete), (
        response.content
    )
    still_there = type(row).objects.filter(pk=row.pk).exists()
    assert still_there is (response.status_code != 204)
