"""A signed-in user in no role group gets 403 on every API resource (tokens included) and on
the audit trail: being signed in opens nothing by itself."""

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from config.urls import router


@pytest.fixture
def no_role(db) -> APIClient:
    client = APIClient()
    client.force_login(User.objects.create_user(username="nobody", password="x", is_staff=True))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", [prefix for prefix, _, _ in router.registry])
def test_a_user_without_a_role_gets_403_on_every_resource(no_role, prefix):
    assert no_role.get(f"/api/v1/{prefix}/").status_code == 403
    assert no_role.post(f"/api/v1/{prefix}/", {}, format="json").status_code == 403


@pytest.mark.django_db
def test_a_user_without_a_role_gets_403_on_the_audit_trail(no_role):
    assert no_role.get("/api/v1/audit/").status_code == 403
