"""The compliance matrix: numbers a reader can check, reproducible, the same in every format."""

import csv
import datetime
import io
from collections import Counter
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements.models import Agreement, Obligation
from tests import builders
from tests.api.conftest import token_client
from tests.conftest import make_role_user
from tracker.models import ComplianceAssessment

URL = "/api/v1/reports/compliance-matrix/"
VALID_ON = "2021-09-10"


class TableReader(HTMLParser):
    """The cells of every <table data-table=...> on a page, as text."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "table" and "data-table" in attributes:
            self._table = attributes["data-table"]
            self.tables[self._table] = []
        elif tag == "tr" and self._table and attributes.get("class") != "empty":
            # The "nothing to show" row of an empty table is not data.
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def shown(value) -> str:
    return "—" if value is None else str(value)


@pytest.fixture
def seeded(db):
    call_command("load_seeds", stdout=io.StringIO())
    return Agreement.objects.get(code="daraa-2021-09-06")


@pytest.fixture
def reader(db):
    return token_client(make_role_user("viewer"))


def expected_statuses(agreement: Agreement, on: datetime.date) -> Counter:
    """Status per obligation, worked out here without the report's SQL."""
    counts: Counter = Counter()
    for obligation in Obligation.objects.filter(clause__agreement=agreement):
        judgements = [
            a
            for a in ComplianceAssessment.objects.filter(obligation=obligation)
            if a.valid_from <= on
            and a.review_state != "rejected"
            and not ComplianceAssessment.objects.filter(supersedes=a)
            .exclude(review_state="rejected")
            .exists()
        ]
        judgements.sort(key=lambda a: (a.valid_from, a.recorded_at, a.id), reverse=True)
        counts[judgements[0].status if judgements else "not assessed"] += 1
    return counts


@pytest.mark.django_db
def test_the_matrix_counts_match_a_count_made_independently(seeded, reader):
    extra = builders.obligation(clause=builders.clause(agreement=seeded))
    builders.assessment(
        obligation=extra, status="not_complied", valid_from=datetime.date(2021, 9, 8)
    )

    data = reader.get(URL, {"agreement": seeded.code, "valid_on": VALID_ON}).json()

    by_status = dict(map(tuple, next(t for t in data["tables"] if t["key"] == "by_status")["rows"]))
    assert by_status == dict(expected_statuses(seeded, datetime.date(2021, 9, 10)))
    matrix = next(t for t in data["tables"] if t["key"] == "matrix")["rows"]
    assert len(matrix) == Obligation.objects.filter(clause__agreement=seeded).count()
    totals = next(t for t in data["tables"] if t["key"] == "by_topic")["rows"]
    assert sum(row[1] for row in totals) == len(matrix)


@pytest.mark.django_db
def test_rerunning_with_the_same_parameters_gives_the_same_report_and_hash(seeded, reader):
    params = {
        "agreement": seeded.code,
        "valid_on": VALID_ON,
        "known_at": timezone.now().replace(microsecond=0).isoformat(),
    }

    first, second = reader.get(URL, params), reader.get(URL, params)

    assert first.content == second.content
    assert len(first.json()["content_hash"]) == 64


@pytest.mark.django_db
def test_the_page_the_csv_and_the_json_show_the_same_numbers(seeded, reader):
    lead = make_role_user("lead")
    params = {
        "agreement": seeded.code,
        "valid_on": VALID_ON,
        "known_at": timezone.now().replace(microsecond=0).isoformat(),
    }
    data = reader.get(URL, params).json()
    browser = Client()
    browser.force_login(lead)
    page = browser.get("/reports/compliance-matrix/", params)
    download = browser.get("/reports/compliance-matrix.csv", params)

    tables = TableReader()
    tables.feed(page.content.decode())
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    for table in data["tables"]:
        assert tables.tables[table["key"]] == [[shown(v) for v in row] for row in table["rows"]]
        in_csv = [row[1:] for row in rows if row[0] == table["key"]]
        assert in_csv == [["" if v is None else str(v) for v in row] for row in table["rows"]]
    assert data["content_hash"] in page.content.decode()
    assert rows[-1] == ["content_hash", data["content_hash"]]


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_data(seeded, reader):
    params = {"agreement": seeded.code, "valid_on": VALID_ON}
    reader.get(URL, params)
    with CaptureQueriesContext(connection) as small:
        reader.get(URL, params)
    for _ in range(10 * Obligation.objects.filter(clause__agreement=seeded).count()):
        obligation = builders.obligation(clause=builders.clause(agreement=seeded))
        builders.assessment(obligation=obligation, status="complied", level=3)
    with CaptureQueriesContext(connection) as large:
        reader.get(URL, params)

    assert len(large.captured_queries) == len(small.captured_queries)


@pytest.mark.django_db
def test_known_at_before_a_judgement_shows_what_was_believed_then(seeded, reader):
    obligation = builders.obligation(clause=builders.clause(agreement=seeded), key="late-one")
    builders.assessment(
        obligation=obligation, status="not_complied", level=0, valid_from=datetime.date(2021, 9, 7)
    )
    believed_then = timezone.now().isoformat()
    builders.assessment(
        obligation=obligation, status="complied", level=3, valid_from=datetime.date(2021, 9, 8)
    )

    def status_of(**extra: str) -> str:
        data = reader.get(URL, {"agreement": seeded.code, "valid_on": VALID_ON, **extra}).json()
        matrix = next(t for t in data["tables"] if t["key"] == "matrix")["rows"]
        return next(row[4] for row in matrix if row[1] == "late-one")

    assert status_of() == "complied"
    assert status_of(known_at=believed_then) == "not_complied"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({}, "agreement"),
        ({"agreement": "no-such-agreement"}, "agreement"),
        ({"agreement": "daraa-2021-09-06", "valid_on": "6 Sept"}, "valid_on"),
        ({"agreement": "daraa-2021-09-06", "known_at": "2999-01-01T00:00:00Z"}, "known_at"),
        ({"agreement": "daraa-2021-09-06", "known_at": "yesterday"}, "known_at"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it_everywhere(seeded, reader, params, named):
    lead = make_role_user("lead")
    browser = Client()
    browser.force_login(lead)

    api = reader.get(URL, params)
    page = browser.get("/reports/compliance-matrix/", params)
    download = browser.get("/reports/compliance-matrix.csv", params)

    assert api.status_code == page.status_code == download.status_code == 400
    assert named in api.json()["error"]["fields"]
    assert f'data-parameter="{named}"' in page.content.decode()
    assert download.content.decode().startswith(f"{named}:")
