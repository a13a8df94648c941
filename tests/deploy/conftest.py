"""Deployment tests reuse the API's token clients."""

from tests.api.conftest import api_as  # noqa: F401
