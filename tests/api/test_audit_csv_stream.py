"""The audit trail's CSV streams the trail in one pass: the same rows the JSON pages show,
filters applied, and the same number of queries for a short trail and a long one."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import Obligation, Party
from history.context import audit_context
from history.readers import STREAM_BATCH, AuditFilters, AuditTrail
from tests import builders
from tracker.api.history import CSVRenderer

pytestmark = pytest.mark.django_db


def streamed(client, query: str = "") -> str:
    response = client.get(f"/api/v1/audit/?format=csv{query}")
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")


def paged(filters: AuditFilters) -> str:
    """The CSV of the trail read as pages are (a UNION ALL of the history tables)."""
    trail = AuditTrail(filters)
    return "".join(CSVRenderer().lines(trail[0 : trail.count()]))


@pytest.fixture
def varied_trail(api_as):
    """Creations, updates and deletions in several tables, by a user and by a command,
    with dates, decimals and foreign keys among the changed fields."""
    lead = api_as("lead")
    party = builders.party(name_en="Fifth Corps")
    obligation = builders.obligation(obligor=party)
    builders.incident(latitude="32.610000", longitude="36.100000")
    with audit_context(channel="command", command="load_seeds", reason="Seed update"):
        Party.objects.filter(pk=party.pk).update(name_en="5th Corps")
        Obligation.objects.filter(pk=obligation.pk).update(action_en="Withdraw heavy arms")
    changed = lead.patch(
        f"/api/v1/parties/{party.pk}/",
        {"name_ar": "الفيلق الخامس"},
        format="json",
        HTTP_X_REQUEST_ID="req-stream-1",
    )
    assert changed.status_code == 200, changed.content
    builders.source(publisher="Horan Free League").delete()
    return lead


def test_the_streamed_csv_is_the_trail_its_pages_show(varied_trail):
    exported = streamed(varied_trail)

    assert exported == paged(AuditFilters())
    actions = {row["action"] for row in csv.DictReader(io.StringIO(exported))}
    assert actions == {"insert", "update", "delete"}


@pytest.mark.parametrize(
    ("query", "filters"),
    [
        ("&channel=command", AuditFilters(channel="command")),
        ("&model=party", AuditFilters(models=(Party,))),
        ("&request_id=req-stream-1", AuditFilters(request_id="req-stream-1")),
    ],
)
def test_the_streamed_csv_keeps_each_filter(varied_trail, query, filters):
    exported = streamed(varied_trail, query)

    assert exported == paged(filters)
    assert 1 < len(exported.splitlines()) < len(streamed(varied_trail).splitlines())


def test_a_trail_ten_times_longer_streams_with_the_same_queries():
    party = builders.party(name_en="Renamed party")
    parties = AuditFilters(models=(Party,))

    def export_after(renames: int) -> tuple[int, int]:
        for n in range(renames):
            Party.objects.filter(pk=party.pk).update(name_en=f"Renamed party {n}")
        # The streaming code the CSV response runs (the request around it adds its own
        # authentication queries, which do not depend on the trail).
        with CaptureQueriesContext(connection) as queries:
            rows = sum(1 for _line in CSVRenderer().lines(AuditTrail(parties))) - 1
        return rows, len(queries)

    short_rows, short_queries = export_after(STREAM_BATCH // 5)
    long_rows, long_queries = export_after(STREAM_BATCH * 2)

    assert long_rows > 10 * short_rows
    assert long_queries == short_queries
