"""Personal API tokens: shown once, stored hashed, revocable by their owner or an admin."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from tests.conftest import make_role_user
from tracker.models import ApiToken
from tracker.models.tokens import hash_token


def session_client(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_a_user_creates_a_token_that_is_shown_once_and_then_works():
    analyst = make_role_user("analyst")
    client = session_client(analyst)

    created = client.post("/api/v1/tokens/", {"name": "my script"}, format="json")

    assert created.status_code == 201
    raw = created.json()["token"]
    token = ApiToken.objects.get(pk=created.json()["id"])
    assert raw not in token.key_hash and token.key_hash != raw
    listed = client.get("/api/v1/tokens/").json()["results"]
    assert [row["name"] for row in listed] == ["my script"]
    assert "token" not in listed[0]
    by_token = APIClient()
    by_token.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    assert by_token.get("/api/v1/incidents/").status_code == 200


@pytest.mark.django_db
def test_a_revoked_token_stops_working_but_its_record_stays():
    analyst = make_role_user("analyst")
    token, raw = ApiToken.issue(user=analyst, name="laptop")
    by_token = APIClient()
    by_token.credentials(HTTP_AUTHORIZATION=f"Token {raw}")

    response = session_client(analyst).delete(f"/api/v1/tokens/{token.pk}/")

    assert response.status_code == 204
    assert by_token.get("/api/v1/incidents/").status_code == 401
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.django_db
def test_users_see_only_their_own_tokens_and_admins_see_all():
    analyst = make_role_user("analyst")
    lead = make_role_user("lead")
    admin = make_role_user("admin")
    mine, _ = ApiToken.issue(user=analyst, name="mine")
    theirs, _ = ApiToken.issue(user=lead, name="theirs")

    seen_by_analyst = session_client(analyst).get("/api/v1/tokens/").json()["results"]
    assert [row["id"] for row in seen_by_analyst] == [mine.pk]
    assert session_client(analyst).delete(f"/api/v1/tokens/{theirs.pk}/").status_code == 404

    assert session_client(admin).delete(f"/api/v1/tokens/{theirs.pk}/").status_code == 204
    theirs.refresh_from_db()
    assert theirs.revoked_at is not None


@pytest.mark.django_db
def test_an_admin_issues_a_token_in_the_admin_and_sees_it_once(client_as):
    admin_user = make_role_user("admin")
    analyst = make_role_user("analyst")
    client = client_as(admin_user)

    response = client.post(
        "/admin/tracker/apitoken/add/", {"user": analyst.pk, "name": "dashboard"}, follow=True
    )

    token = ApiToken.objects.get(user=analyst)
    shown = re.search(r"act_[A-Za-z0-9_-]{20,}", response.content.decode())
    assert shown is not None
    assert hash_token(shown.group()) == token.key_hash
    again = client.get(f"/admin/tracker/apitoken/{token.pk}/change/").content.decode()
    assert shown.group() not in again


@pytest.mark.django_db
def test_only_the_admin_role_sees_tokens_in_the_admin(client_as):
    users = {role: make_role_user(role) for role in ("viewer", "analyst", "lead")}
    ApiToken.issue(user=users["analyst"], name="x")

    for user in users.values():
        assert client_as(user).get("/admin/tracker/apitoken/").status_code == 403
    assert client_as(make_role_user("admin")).get("/admin/tracker/apitoken/").status_code == 200


@pytest.mark.django_db
def test_the_issue_command_prints_a_working_token_once():
    analyst = make_role_user("analyst")
    out, err = io.StringIO(), io.StringIO()

    call_command("issue_api_token", user=analyst.username, name="cron", stdout=out, stderr=err)

    raw = out.getvalue().strip()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    assert client.get("/api/v1/sources/").status_code == 200
    assert "copy it now" in err.getvalue()
    with pytest.raises(CommandError, match="No active user"):
        call_command("issue_api_token", user="nobody", name="x", stdout=out, stderr=err)
