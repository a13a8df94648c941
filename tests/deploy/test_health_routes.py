"""/healthz and /readyz: open, cheap, plain text, never redirected or audited."""

import pytest

from config import health


def test_healthz_answers_without_touching_the_database(client):
    # No django_db mark: pytest-django makes any database access in this test an error.
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok\n"


@pytest.mark.django_db
def test_readyz_is_200_when_the_database_answers_and_migrations_are_applied(client):
    health._migrations_applied = False

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.content == b"ready\n"


@pytest.mark.django_db
def test_readyz_is_503_while_a_migration_is_unapplied(client, monkeypatch):
    health._migrations_applied = False
    monkeypatch.setattr(health, "_unapplied_migrations", lambda: 1)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response["Retry-After"]
    assert b"unapplied migration" in response.content


@pytest.mark.django_db
def test_health_routes_are_open_without_login_and_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/api/v1/obligations/").status_code == 301


@pytest.mark.django_db
def test_health_routes_refuse_writes(client):
    assert client.post("/readyz").status_code == 405
