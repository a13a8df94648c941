"""A report asked "as known at K" never changes after K: not when names are edited later, not
when a transaction that was open at K commits later, not when it is run again with the
known_at it printed. Each write here commits on its own, as users' writes do."""

import datetime
import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat
from rest_framework.test import APIClient

from agreements.models import Clause, Obligation, Party, Topic
from tests import builders
from tests.api.conftest import token_client
from tests.conftest import make_role_user
from tracker.reports.registry import REPORTS

pytestmark = pytest.mark.django_db(transaction=True)

NAMES = sorted(REPORTS)


@pytest.fixture
def reader() -> APIClient:
    call_command("load_seeds", stdout=io.StringIO())
    return token_client(make_role_user("lead"))


def report(reader: APIClient, name: str, **extra: str) -> dict:
    response = reader.get(f"/api/v1/reports/{name}/", {**REPORTS[name].example, **extra})
    assert response.status_code == 200, response.content
    return response.json()


def asked_at(reader: APIClient, known_at: str) -> dict[str, str]:
    """Every report's content hash as known at ``known_at``."""
    return {name: report(reader, name, known_at=known_at)["content_hash"] for name in NAMES}


def test_renaming_parties_clause_labels_and_topic_codes_later_leaves_every_report_at_k_alone(
    reader,
):
    known_at = report(reader, "audit")["parameters"]["known_at"]
    before = asked_at(reader, known_at)

    Party.objects.update(name_en=Concat(F("name_en"), Value(" (renamed)")))
    Clause.objects.update(label=Concat(F("label"), Value(" (r)")))
    for topic in Topic.objects.all():
        topic.code = f"{topic.code}-x"
        topic.save()

    assert asked_at(reader, known_at) == before
    # The renames are visible now, so the comparison above could have failed.
    matrix_now = report(reader, "compliance-matrix")
    obligors = {row[2] for row in matrix_now["tables"][0]["rows"]}
    assert all(name.endswith(" (renamed)") for name in obligors)


def test_a_transaction_open_at_k_and_committed_after_it_is_absent_at_k(reader):
    obligation = Obligation.objects.filter(clause__agreement__code="daraa-2021-09-06").first()
    inserted, release = threading.Event(), threading.Event()
    made: dict[str, int] = {}

    def slow_writer() -> None:
        try:
            with transaction.atomic():
                made["assessment"] = builders.assessment(
                    obligation=obligation, status="complied", valid_from=datetime.date(2021, 9, 7)
                ).pk
                made["incident"] = builders.incident(occurred_on=datetime.date(2021, 9, 7)).pk
                Party.objects.update(name_en=Concat(F("name_en"), Value(" (late)")))
                inserted.set()
                release.wait(30)
        finally:
            connection.close()

    writer = threading.Thread(target=slow_writer)
    writer.start()
    assert inserted.wait(30)
    # K is taken while the writer's transaction, begun before it, is still open.
    known_at = report(reader, "audit")["parameters"]["known_at"]
    before = asked_at(reader, known_at)
    release.set()
    writer.join(30)

    assert asked_at(reader, known_at) == before
    listed = reader.get(
        "/api/v1/obligations/", {"as_of": known_at, "agreement": "daraa-2021-09-06"}
    ).json()["results"]
    assert obligation.pk in {row["id"] for row in listed}
    shown = next(row for row in listed if row["id"] == obligation.pk)
    assert shown["current_assessment"] != made["assessment"]
    # Committed now, so the reports do change when asked about now.
    assert asked_at(reader, report(reader, "audit")["parameters"]["known_at"]) != before


@pytest.mark.parametrize("name", NAMES)
def test_a_report_run_again_with_the_known_at_it_printed_gives_the_same_hash(reader, name):
    first = report(reader, name)
    builders.incident(occurred_on=datetime.date(2021, 9, 8))

    again = report(reader, name, known_at=first["parameters"]["known_at"])

    assert again["content_hash"] == first["content_hash"]


def test_known_at_as_a_bare_date_includes_what_was_recorded_late_that_day(reader):
    today = datetime.datetime.now(datetime.UTC).date().isoformat()
    clause = builders.clause(label="Recorded just now")

    listed = reader.get("/api/v1/clauses/", {"as_of": today, "page_size": 500}).json()
    printed = report(reader, "audit", known_at=today, model="clause")

    assert clause.pk in {row["id"] for row in listed["results"]}
    # Today's end has not come yet: the report is known as at now, and says so in full.
    assert printed["parameters"]["known_at"] > f"{today}T00:00:00"
    assert "Recorded just now" in str(printed["tables"])
