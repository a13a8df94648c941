"""Every API error, whatever its cause, has the same JSON shape."""

import pytest

from tests import builders


def assert_error_shape(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["status"] == status
    assert error["code"] and error["message"]
    return error


@pytest.mark.django_db
def test_an_unknown_id_is_a_404_in_the_error_shape(api_as):
    assert_error_shape(api_as("viewer").get("/api/v1/agreements/999999/"), 404)


@pytest.mark.django_db
def test_an_unknown_route_is_a_404_in_the_error_shape(api_as):
    assert_error_shape(api_as("viewer").get("/api/v1/no-such-thing/"), 404)


@pytest.mark.django_db
def test_missing_credentials_are_a_401_that_says_how_to_authenticate(api_as):
    response = api_as("anonymous").get("/api/v1/agreements/")

    assert_error_shape(response, 401)
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.django_db
def test_a_wrong_token_is_a_401(api_as):
    client = api_as("anonymous")
    client.credentials(HTTP_AUTHORIZATION="Token act_not-a-real-token")

    assert_error_shape(client.get("/api/v1/agreements/"), 401)


@pytest.mark.django_db
def test_a_forbidden_write_is_a_403_in_the_error_shape(api_as):
    party = builders.party()

    assert_error_shape(api_as("viewer").delete(f"/api/v1/parties/{party.pk}/"), 403)


@pytest.mark.django_db
def test_deleting_a_clause_is_not_offered(api_as):
    clause = builders.clause()

    error = assert_error_shape(api_as("admin").delete(f"/api/v1/clauses/{clause.pk}/"), 405)

    assert "DELETE" in error["message"]
