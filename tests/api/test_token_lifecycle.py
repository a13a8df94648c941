"""Who makes tokens and what ends them: only a password sign-in (or an admin) makes one, never
another token; revoking, deactivating the user or making their password unusable ends them;
a token may expire, and a read-only one reads but never writes."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.api.conftest import token_client
from tests.conftest import make_role_user
from tracker.models import ApiToken


def session_client(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def holding(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client


@pytest.mark.django_db
def test_a_token_cannot_create_another_token():
    client = token_client(make_role_user("lead"))

    response = client.post("/api/v1/tokens/", {"name": "child"}, format="json")

    assert response.status_code == 403
    assert ApiToken.objects.count() == 1


@pytest.mark.django_db
def test_a_token_made_in_a_password_session_works_until_it_is_revoked():
    lead = make_role_user("lead")
    created = session_client(lead).post("/api/v1/tokens/", {"name": "script"}, format="json")
    by_token = holding(created.json()["token"])
    assert by_token.get("/api/v1/incidents/").status_code == 200

    session_client(lead).delete(f"/api/v1/tokens/{created.json()['id']}/")

    assert by_token.get("/api/v1/incidents/").status_code == 401


@pytest.mark.django_db
def test_deactivating_a_user_revokes_their_tokens_for_good():
    analyst = make_role_user("analyst")
    token, raw = ApiToken.issue(user=analyst, name="laptop")

    analyst.is_active = False
    analyst.save()
    analyst.is_active = True
    analyst.save()

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert holding(raw).get("/api/v1/incidents/").status_code == 401


@pytest.mark.django_db
def test_making_a_password_unusable_revokes_the_users_tokens():
    analyst = make_role_user("analyst")
    token, raw = ApiToken.issue(user=analyst, name="laptop")

    analyst.set_unusable_password()
    analyst.save()

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert holding(raw).get("/api/v1/incidents/").status_code == 401


@pytest.mark.django_db
def test_a_token_of_a_user_whose_password_was_made_unusable_in_bulk_is_refused():
    # queryset.update() sends no signal: authentication checks the user itself too.
    analyst = make_role_user("analyst")
    _, raw = ApiToken.issue(user=analyst, name="laptop")

    type(analyst).objects.filter(pk=analyst.pk).update(password="!unusable")

    assert holding(raw).get("/api/v1/incidents/").status_code == 401


@pytest.mark.django_db
def test_an_expired_token_is_refused():
    analyst = make_role_user("analyst")
    soon = timezone.now() + datetime.timedelta(days=1)
    token, raw = ApiToken.issue(user=analyst, name="temp", expires_at=soon)
    assert holding(raw).get("/api/v1/incidents/").status_code == 200

    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())

    response = holding(raw).get("/api/v1/incidents/")
    assert response.status_code == 401


@pytest.mark.django_db
def test_a_token_is_created_with_an_expiry_and_read_only_and_a_past_expiry_is_refused():
    client = session_client(make_role_user("analyst"))
    later = (timezone.now() + datetime.timedelta(days=30)).isoformat()

    created = client.post(
        "/api/v1/tokens/",
        {"name": "dashboard", "expires_at": later, "read_only": True},
        format="json",
    )
    past = client.post(
        "/api/v1/tokens/", {"name": "old", "expires_at": "2020-01-01T00:00:00Z"}, format="json"
    )

    assert created.status_code == 201
    assert created.json()["read_only"] is True
    assert created.json()["expires_at"] is not None
    assert past.status_code == 400
    assert "expires_at" in past.json()["error"]["fields"]


@pytest.mark.django_db
def test_a_read_only_token_reads_but_every_write_is_403():
    analyst = make_role_user("analyst")
    token, raw = ApiToken.issue(user=analyst, name="dashboard", read_only=True)
    client = holding(raw)

    assert client.get("/api/v1/incidents/").status_code == 200
    assert client.post("/api/v1/sources/", {"key": "x"}, format="json").status_code == 403
    assert client.delete(f"/api/v1/tokens/{token.pk}/").status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.django_db
def test_the_issue_command_makes_read_only_tokens_that_expire():
    import io

    from django.core.management import call_command

    analyst = make_role_user("analyst")
    out = io.StringIO()

    call_command(
        "issue_api_token",
        user=analyst.username,
        name="cron",
        expires_days=7,
        read_only=True,
        stdout=out,
        stderr=io.StringIO(),
    )

    token = ApiToken.objects.get(user=analyst)
    assert token.read_only
    assert token.expires_at > timezone.now() + datetime.timedelta(days=6)
    assert holding(out.getvalue().strip()).post("/api/v1/sources/", {}).status_code == 403
