"""Every report's three doors (page, CSV, JSON) follow the roles: the audit report for leads and
admins only, like /api/v1/audit/; every other report for every role; a signed-in user without a
role gets 403 everywhere, an anonymous one is sent to sign in (page, CSV) or gets 401 (JSON)."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from tests.api.conftest import token_client
from tests.conftest import make_role_user
from tracker.reports.registry import REPORTS

ROLES = ("anonymous", "no-role", "viewer", "analyst", "lead", "admin")
RENDERINGS = ("page", "csv", "json")
# Who reads each report; the rest of the signed-in users get 403.
LEADS_AND_ADMINS = {"lead", "admin"}
READERS = {name: {"viewer", "analyst", "lead", "admin"} for name in REPORTS} | {
    "audit": LEADS_AND_ADMINS
}


def expected(name: str, role: str, rendering: str) -> int:
    if role == "anonymous":
        return 401 if rendering == "json" else 302
    return 200 if role in READERS[name] else 403


def user_for(role: str) -> User:
    if role == "no-role":
        return User.objects.create_user(username="nobody", password="x", is_staff=True)
    return make_role_user(role)


def get(name: str, role: str, rendering: str, params: dict[str, str]):
    if rendering == "json":
        client = Client() if role == "anonymous" else token_client(user_for(role))
        return client.get(f"/api/v1/reports/{name}/", params)
    client = Client()
    if role != "anonymous":
        client.force_login(user_for(role))
    url = f"/reports/{name}/" if rendering == "page" else f"/reports/{name}.csv"
    return client.get(url, params)


@pytest.mark.django_db
@pytest.mark.parametrize("rendering", RENDERINGS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(REPORTS))
def test_each_report_opens_to_the_roles_that_may_read_it(daraa_seeds, name, role, rendering):
    params = {**REPORTS[name].example, "known_at": timezone.now().isoformat()}

    response = get(name, role, rendering, params)

    assert response.status_code == expected(name, role, rendering)
    if response.status_code == 302:
        assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES[1:])
def test_the_report_list_shows_each_role_only_the_reports_it_may_open(role):
    client = Client()
    client.force_login(user_for(role))

    response = client.get("/reports/")

    if role == "no-role":
        assert response.status_code == 403
        return
    page = response.content.decode()
    listed = {name for name in REPORTS if f'data-report="{name}"' in page}
    assert listed == {name for name in REPORTS if role in READERS[name]}
