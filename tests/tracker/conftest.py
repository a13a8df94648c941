"""Fixtures the report tests share."""

import io

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from agreements.models import Agreement
from tests.api.conftest import token_client
from tests.conftest import make_role_user


@pytest.fixture
def seeded(daraa_seeds, db) -> Agreement:
    """The Daraa seeds loaded; the 6 September 2021 agreement, which most reports are read on."""
    return Agreement.objects.get(code="daraa-2021-09-06")


@pytest.fixture
def reader(db) -> APIClient:
    """An API client holding a lead's token: leads read every report, the audit report
    included (viewers and analysts read all but that one)."""
    return token_client(make_role_user("lead"))


@pytest.fixture
def seeded_and_committed(transactional_db) -> Agreement:
    """The Daraa seeds loaded and committed, for tests whose own writes commit one by one
    ("known at" means committed by); the 6 September 2021 agreement."""
    call_command("load_seeds", stdout=io.StringIO())
    return Agreement.objects.get(code="daraa-2021-09-06")
