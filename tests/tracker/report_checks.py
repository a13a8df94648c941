"""What the report tests share: reading a report's tables, working out by hand what it should
say, and checking that a bad parameter is refused in every format."""

import datetime
from html.parser import HTMLParser
from typing import Any

from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from agreements.models import Obligation
from tests.api.conftest import token_client
from tests.conftest import make_role_user
from tracker.choices import ComplianceStatus
from tracker.models import ComplianceAssessment


class TableReader(HTMLParser):
    """The cells of every <table data-table=...> on a page, as text."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "table" and "data-table" in attributes:
            self._table = attributes["data-table"]
            self.tables[self._table] = []
        elif tag == "tr" and self._table and attributes.get("class") != "empty":
            # The "nothing to show" row of an empty table is not data.
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def shown(value: Any) -> str:
    """A value as a report page writes it in a cell: a dash for nothing."""
    return "—" if value is None else str(value)


def shown_rows(table: dict) -> list[list[str]]:
    """A JSON table's rows as the page writes them: statuses as their words (the status
    column, and the detail of a timeline's status change), "not assessed" for a share of
    nothing judged, a dash for any other nothing."""
    columns = table["columns"]

    def words(column: str, value: Any, row: list) -> str:
        if value is None and column.startswith("% "):
            return "not assessed"
        if column == "status" or (column == "detail" and "status change" in row):
            if value == "not assessed":
                return "Not assessed yet"
            if value in ComplianceStatus.values:
                return str(ComplianceStatus(value).label)
        return shown(value)

    return [[words(c, v, row) for c, v in zip(columns, row, strict=True)] for row in table["rows"]]


def table(data: dict, key: str) -> list[list]:
    """The rows of the table ``key`` in a report's JSON."""
    return next(t for t in data["tables"] if t["key"] == key)["rows"]


def standing(assessment: ComplianceAssessment) -> bool:
    """Whether a judgement still stands: not rejected, nor corrected by one that is not."""
    return (
        assessment.review_state != "rejected"
        and not ComplianceAssessment.objects.filter(supersedes=assessment)
        .exclude(review_state="rejected")
        .exists()
    )


def judgement_on(obligation: Obligation, on: datetime.date) -> ComplianceAssessment | None:
    """The latest standing judgement valid on ``on``, worked out without the reports' SQL;
    ties go to the later recorded, then the higher id. None if never judged."""
    judgements = [
        a
        for a in ComplianceAssessment.objects.filter(obligation=obligation)
        if a.valid_from <= on and standing(a)
    ]
    judgements.sort(key=lambda a: (a.valid_from, a.recorded_at, a.id), reverse=True)
    return judgements[0] if judgements else None


def status_on(obligation: Obligation, on: datetime.date) -> str | None:
    judgement = judgement_on(obligation, on)
    return None if judgement is None else judgement.status


def level_on(obligation: Obligation, on: datetime.date) -> int | None:
    judgement = judgement_on(obligation, on)
    return None if judgement is None else judgement.level


def database_now() -> str:
    """The present by the clock that stamps history rows (a transaction's start)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        return cursor.fetchone()[0].isoformat()


def queries_and_data(client: APIClient, url: str, params: dict[str, str]) -> tuple[int, dict]:
    """How many queries one request for a report makes, and the report's JSON."""
    with CaptureQueriesContext(connection) as queries:
        data = client.get(url, params).json()
    return len(queries.captured_queries), data


def role_user(role: str) -> User:
    """The test user of ``role``, made on first use (make_role_user's usernames are fixed)."""
    return User.objects.filter(username=f"{role}-user").first() or make_role_user(role)


def assert_refused_everywhere(name: str, params: dict[str, str], named: str) -> None:
    """The report ``name`` answers 400 to ``params`` in the API, on its page and in its CSV,
    each naming the parameter ``named`` as the one at fault."""
    browser = Client()
    browser.force_login(role_user("lead"))

    api = token_client(role_user("lead")).get(f"/api/v1/reports/{name}/", params)
    page = browser.get(f"/reports/{name}/", params)
    download = browser.get(f"/reports/{name}.csv", params)

    assert (api.status_code, page.status_code, download.status_code) == (400, 400, 400)
    assert named in api.json()["error"]["fields"]
    assert f'data-parameter="{named}"' in page.content.decode()
    assert download.content.decode().startswith(f"{named}:")
