"""What every report promises, checked for each one the tracker offers."""

import csv
import io

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape
from rest_framework.test import APIClient

from tests.api.conftest import token_client
from tests.conftest import make_role_user
from tests.tracker.report_checks import (
    TableReader,
    assert_refused_everywhere,
    role_user,
    shown_rows,
)
from tracker.reports.registry import REPORTS

NAMES = sorted(REPORTS)


@pytest.fixture
def seeded(daraa_seeds, db) -> None:
    """The Daraa seeds loaded."""


@pytest.fixture
def browser(db) -> Client:
    client = Client()
    client.force_login(make_role_user("lead"))
    return client


def test_the_tracker_offers_the_six_reports_the_readers_asked_for():
    assert set(NAMES) == {
        "compliance-matrix",
        "party-scorecard",
        "incident-summary",
        "deadlines",
        "audit",
        "timeline",
    }


@pytest.mark.django_db
def test_the_index_lists_every_report_with_its_question_and_an_example(browser):
    page = browser.get("/reports/").content.decode()

    for report in REPORTS.values():
        assert f'data-report="{report.name}"' in page
        assert escape(str(report.question)) in page


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
def test_the_example_shows_the_same_numbers_on_the_page_in_the_csv_and_in_the_json(
    seeded, browser, name
):
    params = {**REPORTS[name].example, "known_at": timezone.now().isoformat()}

    data = token_client(role_user("lead")).get(f"/api/v1/reports/{name}/", params).json()
    page = browser.get(f"/reports/{name}/", params)
    download = browser.get(f"/reports/{name}.csv", params)

    assert page.status_code == download.status_code == 200
    assert any(table["rows"] for table in data["tables"]), "the example shows nothing"
    tables = TableReader()
    tables.feed(page.content.decode())
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    for table in data["tables"]:
        assert tables.tables[table["key"]] == shown_rows(table)
        in_csv = [row[1:] for row in rows if row[0] == table["key"]]
        assert in_csv == [["" if v is None else str(v) for v in row] for row in table["rows"]]
    assert data["content_hash"] in page.content.decode()
    assert rows[-1] == ["content_hash", data["content_hash"]]
    assert "<svg" in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
def test_rerunning_the_example_gives_the_same_bytes(seeded, name):
    params = {**REPORTS[name].example, "known_at": timezone.now().isoformat()}
    reader = token_client(role_user("lead"))

    first = reader.get(f"/api/v1/reports/{name}/", params)
    second = reader.get(f"/api/v1/reports/{name}/", params)

    assert first.status_code == 200
    assert first.content == second.content


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
def test_the_example_fills_every_table_so_every_table_is_compared(seeded, name):
    params = {**REPORTS[name].example, "known_at": timezone.now().isoformat()}

    data = token_client(role_user("lead")).get(f"/api/v1/reports/{name}/", params).json()

    assert data["tables"]
    for shown_table in data["tables"]:
        assert shown_table["rows"], f"{shown_table['key']} is empty on the seeds"


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
def test_the_content_hash_is_a_sha256_hex_digest(seeded, name):
    data = (
        token_client(role_user("lead"))
        .get(f"/api/v1/reports/{name}/", REPORTS[name].example)
        .json()
    )

    assert len(data["content_hash"]) == 64
    assert int(data["content_hash"], 16) >= 0


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
def test_an_as_known_at_in_the_future_is_refused_everywhere(seeded, name):
    params = {**REPORTS[name].example, "known_at": "2999-01-01T00:00:00Z"}

    assert_refused_everywhere(name, params, "known_at")


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
def test_reports_are_for_signed_in_users_only(name):
    assert APIClient().get(f"/api/v1/reports/{name}/").status_code == 401
    page = Client().get(f"/reports/{name}/")
    assert page.status_code == 302
    assert "login" in page["Location"]


@pytest.mark.django_db
def test_an_unknown_report_is_a_404(browser):
    assert browser.get("/reports/no-such-report/").status_code == 404
    assert browser.get("/api/v1/reports/no-such-report/").status_code == 404


@pytest.mark.django_db
def test_the_admin_header_links_to_the_reports(client_as):
    page = client_as(make_role_user("viewer")).get("/admin/")

    assert 'id="reports-link"' in page.content.decode()
    assert 'href="/reports/"' in page.content.decode()
