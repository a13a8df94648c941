"""Sign-in protection with kept libraries: django-axes locks a user+address after repeated
failures (admin login and API tokens) with a cool-off and a log line; DRF throttles the API;
sessions end when idle; a Content-Security-Policy our pages satisfy; private, no-store."""

import datetime
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from tests.api.conftest import token_client
from tests.conftest import PASSWORD, make_role_user
from tracker.models import ApiToken

BASE_DIR = Path(settings.BASE_DIR)


def sign_in(password: str, address: str = "10.0.0.1", username: str = "lead-user"):
    client = Client(REMOTE_ADDR=address)
    response = client.post("/admin/login/", {"username": username, "password": password})
    return client, response


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_thirty_wrong_admin_passwords_lock_the_user_at_that_address_even_for_the_right_one(
    caplog,
):
    make_role_user("lead")
    caplog.set_level(logging.WARNING)

    for _ in range(30):
        sign_in("wrong")
    client, response = sign_in(PASSWORD)

    assert response.status_code == 429
    assert not signed_in(client)
    assert any("Locking out" in record.getMessage() for record in caplog.records)


@pytest.mark.django_db
def test_the_lock_holds_one_user_at_one_address_only():
    make_role_user("lead")
    make_role_user("analyst")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in("wrong")

    elsewhere, _ = sign_in(PASSWORD, address="10.0.0.2")
    other_user, _ = sign_in(PASSWORD, username="analyst-user")

    assert signed_in(elsewhere)
    assert signed_in(other_user)


@pytest.mark.django_db
def test_after_the_cool_off_the_right_password_signs_in_again():
    make_role_user("lead")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in("wrong")
    assert not signed_in(sign_in(PASSWORD)[0])

    later = timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
    AccessAttempt.objects.update(attempt_time=later)

    assert signed_in(sign_in(PASSWORD)[0])


@pytest.mark.django_db
def test_repeated_wrong_tokens_lock_the_address_out_of_token_sign_in(caplog):
    _, good = ApiToken.issue(user=make_role_user("viewer"), name="real")
    caplog.set_level(logging.WARNING)
    guesser = APIClient(REMOTE_ADDR="10.0.0.9")
    guesser.credentials(HTTP_AUTHORIZATION="Token act_guess")

    answers = [guesser.get("/api/v1/sources/").status_code for _ in range(10)]
    guesser.credentials(HTTP_AUTHORIZATION=f"Token {good}")
    locked = guesser.get("/api/v1/sources/")
    other = APIClient(REMOTE_ADDR="10.0.0.10")
    other.credentials(HTTP_AUTHORIZATION=f"Token {good}")

    assert answers[0] == 401
    assert answers[-1] == 429
    assert locked.status_code == 429
    assert locked.json()["error"]["code"] == "locked_out"
    assert other.get("/api/v1/sources/").status_code == 200
    assert any("Locking out" in record.getMessage() for record in caplog.records)


@pytest.mark.django_db
def test_the_api_throttles_anonymous_and_signed_in_use(monkeypatch, settings):
    settings.API_PUBLIC_READ = True
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "5/min"})
    anonymous = APIClient()
    reader = token_client(make_role_user("viewer"))

    anon = [anonymous.get("/api/v1/agreements/").status_code for _ in range(4)]
    user = [reader.get("/api/v1/agreements/").status_code for _ in range(6)]

    assert anon == [200, 200, 200, 429]
    assert user == [200] * 5 + [429]


def test_the_throttle_rates_come_from_the_environment():
    code = (
        "from django.conf import settings; print(settings.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'])"
    )
    env = {**os.environ, "API_THROTTLE_ANON": "7/hour", "API_THROTTLE_USER": "70/hour"}

    shown = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env, cwd=BASE_DIR, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip

    assert "'anon': '7/hour'" in shown and "'user': '70/hour'" in shown
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] == {
        "anon": "60/minute",
        "user": "1200/minute",
    }


@pytest.mark.django_db
def test_a_session_ends_after_the_idle_timeout_and_each_request_renews_it(client_as):
    client = client_as(make_role_user("viewer"))
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_COOKIE_AGE == 30 * 60

    assert client.get("/reports/").status_code == 200
    session = Session.objects.get()
    assert session.expire_date > timezone.now() + datetime.timedelta(minutes=29)

    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))

    assert client.get("/reports/").status_code == 302


TEMPLATE_DIRS = [
    "config/templates",
    "tracker/templates",
    "agreements/templates",
    "history/templates",
]
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.I)


def test_our_templates_have_no_inline_script_or_style():
    found = [
        f"{path.relative_to(BASE_DIR)}: {match.group()}"
        for folder in TEMPLATE_DIRS
        for path in (BASE_DIR / folder / "templates").rglob("*.html")
        for match in INLINE.finditer(path.read_text(encoding="utf-8"))
    ]

    assert found == []


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


@pytest.mark.django_db
def test_pages_carry_a_policy_that_allows_no_inline_script_or_style(client_as, daraa_seeds):
    client = client_as(make_role_user("lead"))

    for url in ("/admin/", "/reports/", "/reports/deadlines/", "/admin/login/"):
        directives = policy(client.get(url))
        assert directives["script-src"] == "script-src 'self'", url
        assert directives["style-src"] == "style-src 'self'", url
        assert "'unsafe-inline'" not in " ".join(directives.values()), url


@pytest.mark.django_db
def test_the_api_docs_allow_inline_style_only_and_load_their_script_as_a_file(client_as):
    page = client_as(make_role_user("viewer")).get("/api/docs/")

    directives = policy(page)
    assert directives["style-src"] == "style-src 'self' 'unsafe-inline'"
    assert directives["script-src"] == "script-src 'self'"
    html = page.content.decode()
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None


@pytest.mark.django_db
def test_responses_with_non_public_data_are_private_and_never_stored(client_as, daraa_seeds):
    lead = make_role_user("lead")
    browser = client_as(lead)
    api = token_client(lead)
    responses = {
        "admin": browser.get("/admin/"),
        "report page": browser.get("/reports/deadlines/"),
        "report csv": browser.get("/reports/deadlines.csv"),
        "api list": api.get("/api/v1/incidents/"),
        "api report": api.get("/api/v1/reports/deadlines/"),
        "api error": APIClient().get("/api/v1/incidents/"),
    }

    for name, response in responses.items():
        flags = {flag.strip() for flag in response.get("Cache-Control", "").split(",")}
        assert {"private", "no-store"} <= flags, name
