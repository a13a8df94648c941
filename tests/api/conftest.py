"""API clients that authenticate the way other systems do: with a personal API token."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from tests.conftest import make_role_user
from tracker.models import ApiToken


def token_client(user: User) -> APIClient:
    _, raw = ApiToken.issue(user=user, name="tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client


@pytest.fixture
def api_as(db) -> Callable[[str], APIClient]:
    """``api_as("lead")`` is a client holding a token of a user in that role;
    ``api_as("anonymous")`` one with no credentials."""
    clients: dict[str, APIClient] = {}

    def client_for(role: str) -> APIClient:
        if role not in clients:
            clients[role] = (
                APIClient() if role == "anonymous" else token_client(make_role_user(role))
            )
        return clients[role]

    return client_for
