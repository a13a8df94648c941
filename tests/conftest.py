"""Fixtures shared by the whole suite: one named user per role, the Daraa seeds loaded once for
the tests that read them, and the role groups for tests that commit."""

import io

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission, User
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import translation

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


# The Daraa seeds, loaded once instead of once per test.
#
# Loading them is the slow part of every report test. Like Django's TestCase.setUpTestData,
# they are loaded into a transaction that stays open while consecutive tests ask for them;
# each test still runs in a savepoint of its own, rolled back after it, so what a test writes
# (rows, audit events, the chain's transaction-local head) is gone before the next one. Before
# any test that does not ask for the seeds the transaction is rolled back, so no other test
# sees them; the next one that asks loads them again.


def commits(item: pytest.Item) -> bool:
    """Whether a test runs outside a transaction and commits (pytest-django's transactional
    tests: ``django_db(transaction=True)``, ``transactional_db`` or ``live_server``)."""
    marker = item.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction", marker.args[0] if marker.args else False):
        return True
    return not {"transactional_db", "live_server", "django_db_reset_sequences"}.isdisjoint(
        getattr(item, "fixturenames", ())
    )


class SeedsTransaction:
    """The outer transaction holding the seeds, opened and rolled back on demand."""

    def __init__(self, blocker) -> None:
        self.blocker = blocker
        self.atomic: transaction.Atomic | None = None

    def load(self) -> None:
        if self.atomic is not None:
            return
        with self.blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                call_command("load_seeds", stdout=io.StringIO())
            except BaseException:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
                raise
        self.atomic = atomic

    def roll_back(self) -> None:
        if self.atomic is None:
            return
        atomic, self.atomic = self.atomic, None
        with self.blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


_seeds: SeedsTransaction | None = None


@pytest.fixture(scope="session")
def daraa_seeds(django_db_setup, django_db_blocker):
    """The Daraa seeds (``manage.py load_seeds``), for tests that roll back (not for tests that
    commit: those load the seeds themselves)."""
    global _seeds
    _seeds = SeedsTransaction(django_db_blocker)
    _seeds.load()
    yield
    _seeds.roll_back()
    _seeds = None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before each test's fixtures: the seeds loaded if it asks for them, rolled back if not."""
    wants_seeds = "daraa_seeds" in getattr(item, "fixturenames", ())
    if wants_seeds and commits(item):
        raise pytest.UsageError(
            f"{item.nodeid}: daraa_seeds is for tests that roll back; "
            "a test that commits loads the seeds itself"
        )
    if _seeds is not None:
        if wants_seeds:
            _seeds.load()
        else:
            _seeds.roll_back()


# Role groups for tests that commit. Their database is emptied after each of them (flush),
# which also removes the groups the migrations made; each such test makes them again first,
# with the permissions they had after the migrations.


@pytest.fixture(scope="session")
def role_groups_as_migrated(django_db_setup, django_db_blocker) -> dict[str, set[tuple[str, str]]]:
    """Each group the migrations made and its permissions as (app label, codename), read before
    any test has committed (tests that commit run last)."""
    with django_db_blocker.unblock():
        return {
            group.name: set(group.permissions.values_list("content_type__app_label", "codename"))
            for group in Group.objects.all()
        }


@pytest.fixture(autouse=True)
def _role_groups_for_tests_that_commit(request: pytest.FixtureRequest) -> None:
    if not commits(request.node):
        return
    groups = request.getfixturevalue("role_groups_as_migrated")
    request.getfixturevalue("transactional_db")
    permissions = {
        (p.content_type.app_label, p.codename): p
        for p in Permission.objects.select_related("content_type")
    }
    for name, wanted in groups.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([permissions[key] for key in wanted])


@pytest.fixture(autouse=True)
def _fresh_throttles() -> None:
    """DRF's throttles count in the cache: every test starts with none of its requests used."""
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language() -> None:
    """Each test starts in the default language: a test request in Arabic leaves Arabic active
    in the thread (LocaleMiddleware does not reset it), and lazy labels would follow it."""
    translation.activate(settings.LANGUAGE_CODE)
