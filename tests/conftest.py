"""Fixtures shared by the whole suite: one named user per role."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

ROLES = ("viewer", "analyst", "lead", "admin")
PASSWORD = "correct-horse-battery-staple"


def make_role_user(role: str) -> User:
    """A staff user in the role's group, as an admin would set one up."""
    user = User.objects.create_user(username=f"{role}-user", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def viewer(db) -> User:
    return make_role_user("viewer")


@pytest.fixture
def analyst(db) -> User:
    return make_role_user("analyst")


@pytest.fixture
def lead(db) -> User:
    return make_role_user("lead")


@pytest.fixture
def role_admin(db) -> User:
    return make_role_user("admin")


@pytest.fixture
def client_as(db):
    """``client_as(user)`` gives a test client logged in as that user."""

    def login(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return login
