"""Exporting incidents in ACLED's columns: filtered, streamed, and importable unchanged."""

import csv
import io
import json

import pytest

from tests.api.conftest import token_client
from tests.conftest import make_role_user
from tests.tracker.acled_helpers import acled_parties, fixture_text
from tracker.imports.acled import ACLED_COLUMNS, import_text
from tracker.models import Incident, IncidentActor, IncidentSource

pytestmark = pytest.mark.django_db


def body(response) -> str:
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


def events_count() -> int:
    return sum(
        model.pgh_event_model.objects.count() for model in (Incident, IncidentActor, IncidentSource)
    )


@pytest.fixture
def imported():
    acled_parties()
    import_text(fixture_text())


def test_the_csv_export_has_acleds_columns_in_order_with_arabic_intact(imported):
    response = token_client(make_role_user("viewer")).get("/api/v1/incidents/?format=csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(body(response))))
    assert rows[0] == ACLED_COLUMNS
    assert len(rows) == 1 + 46
    by_id = {row[0]: dict(zip(ACLED_COLUMNS, row, strict=True)) for row in rows[1:]}
    month = by_id["SYR90003"]
    assert (month["event_date"], month["time_precision"]) == ("2021-08-01", "3")
    assert month["notes"].startswith("اعتقلت قوات الأمن العسكري")
    assert month["actor1"] == "الامن العسكري"
    shelling = by_id["SYR90001"]
    assert shelling["source"] == "SOHR; Syria Direct; Enab Baladi"
    assert (shelling["latitude"], shelling["longitude"]) == ("32.6125", "36.1036")
    week = by_id["SYR90002"]
    assert (week["actor1"], week["assoc_actor_1"]) == ("Fourth Division", "Iranian militias")


def test_the_csv_export_applies_every_list_filter(imported):
    client = token_client(make_role_user("analyst"))

    response = client.get(
        "/api/v1/incidents/?format=csv&admin1=Daraa&event_type=Battles&occurred_after=2021-09-01"
    )

    rows = list(csv.reader(io.StringIO(body(response))))[1:]
    expected = Incident.objects.filter(
        admin1="Daraa", event_type="Battles", occurred_on__gte="2021-09-01"
    )
    assert sorted(row[0] for row in rows) == sorted(
        expected.values_list("acled_event_id", flat=True)
    )
    assert rows
    assert all(row[ACLED_COLUMNS.index("admin1")] == "Daraa" for row in rows)


def test_export_then_import_of_the_same_rows_changes_nothing(imported):
    exported = body(token_client(make_role_user("viewer")).get("/api/v1/incidents/?format=csv"))
    before = events_count()

    report = import_text(exported)

    assert (report.new, report.updated, report.unchanged, report.rejected) == (0, 0, 46, 0)
    assert events_count() == before


def test_the_geojson_export_has_points_with_the_same_properties(imported):
    response = token_client(make_role_user("viewer")).get(
        "/api/v1/incidents/?format=geojson&admin1=Daraa"
    )

    assert response["Content-Type"] == "application/geo+json; charset=utf-8"
    collection = json.loads(body(response))
    assert collection["type"] == "FeatureCollection"
    features = {f["properties"]["event_id_cnty"]: f for f in collection["features"]}
    assert len(features) == Incident.objects.filter(admin1="Daraa").count()
    shelling = features["SYR90001"]
    assert shelling["geometry"] == {"type": "Point", "coordinates": [36.1036, 32.6125]}
    assert list(shelling["properties"]) == ACLED_COLUMNS
    assert shelling["properties"]["fatalities"] == 0
    assert features["SYR90004"]["geometry"] is None


def test_anonymous_requests_get_no_export(imported):
    from rest_framework.test import APIClient

    response = APIClient().get("/api/v1/incidents/?format=csv")

    assert response.status_code == 401
