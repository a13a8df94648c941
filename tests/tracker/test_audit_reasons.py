"""Deletions need a reason, wherever they come from; the reason lands in the trail."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from agreements.models import Source
from tests import builders
from tests.api.conftest import token_client
from tests.conftest import make_role_user


@pytest.mark.django_db
def test_an_api_delete_without_a_reason_is_refused_naming_the_reason():
    source = builders.source()

    response = token_client(make_role_user("analyst")).delete(f"/api/v1/sources/{source.pk}/")

    assert response.status_code == 400
    assert "reason" in response.json()["error"]["fields"]
    assert Source.objects.filter(pk=source.pk).exists()


@pytest.mark.django_db
def test_an_api_delete_records_its_reason_in_the_delete_event():
    source = builders.source()

    response = token_client(make_role_user("analyst")).delete(
        f"/api/v1/sources/{source.pk}/", HTTP_X_CHANGE_REASON="Duplicate of another source"
    )

    assert response.status_code == 204
    event = Source.pgh_event_model.objects.filter(pgh_obj_id=source.pk, pgh_label="delete").get()
    assert event.pgh_context["reason"] == "Duplicate of another source"
    assert event.title == source.title


@pytest.mark.django_db
def test_a_reason_may_also_come_as_a_field_of_the_body():
    source = builders.source()

    response = token_client(make_role_user("analyst")).patch(
        f"/api/v1/sources/{source.pk}/",
        {"title": "Renamed", "reason": "Publisher renamed the piece"},
        format="json",
    )

    assert response.status_code == 200
    event = Source.pgh_event_model.objects.filter(pgh_obj_id=source.pk).latest("pgh_seq")
    assert event.pgh_context["reason"] == "Publisher renamed the piece"


@pytest.mark.django_db(transaction=True)
def test_a_command_records_the_reason_given_with_the_reason_option():
    database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    environment = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "tests"}

    subprocess.run(
        [sys.executable, "manage.py", "load_seeds", "--reason", "First load of the Daraa seeds"],
        cwd=Path(settings.BASE_DIR),
        env=environment,
        check=True,
        capture_output=True,
    )

    event = Source.pgh_event_model.objects.order_by("pgh_seq").first()
    assert event.pgh_context["channel"] == "command"
    assert event.pgh_context["command"] == "load_seeds"
    assert event.pgh_context["reason"] == "First load of the Daraa seeds"
