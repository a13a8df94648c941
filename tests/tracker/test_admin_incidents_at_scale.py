"""The admin's incident list at a million rows (issue 12): no date hierarchy, no count of the
whole table, a search that finds what the old one found and runs on indexes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import PartyAlias
from tests.admin_helpers import admin_url
from tests.api.test_incident_list_plans import (
    assert_no_seq_scan_on_incidents,
    generate_incidents,
    plan_nodes,
)
from tests.builders import incident, party
from tracker.admin.incidents import EXACT_COUNT_UP_TO, EstimatedCountPaginator, IncidentAdmin
from tracker.models import Incident, IncidentActor

URL = admin_url(Incident, "changelist")


def found(client, term: str) -> list[str]:
    response = client.get(URL, {"q": term})
    assert response.status_code == 200
    return sorted(row.key for row in response.context["cl"].result_list)


@pytest.mark.django_db
def test_search_finds_text_ids_and_actors_each_incident_once(client_as, role_admin):
    army = party(name_en="Fourth Division", name_ar="الفرقة الرابعة")
    PartyAlias.objects.create(party=army, alias="regime forces")
    shelled = incident(key="shelled", description_ar="قصف على درعا البلد", acled_event_id="SYR1")
    clash = incident(key="clash", location="Tafas")
    IncidentActor.objects.create(incident=shelled, party=army, side=1)
    IncidentActor.objects.create(incident=shelled, party=army, side=2)
    IncidentActor.objects.create(incident=clash, name_as_reported="Unidentified gunmen", side=1)
    client = client_as(role_admin)

    assert found(client, "fourth") == ["shelled"]
    assert found(client, "الرابعة") == ["shelled"]
    assert found(client, "REGIME") == ["shelled"]
    assert found(client, "درعا") == ["shelled"]
    assert found(client, "SYR1") == ["shelled"]
    assert found(client, "gunmen") == ["clash"]
    assert found(client, "taf") == ["clash"]
    assert found(client, "fourth drone") == []  # every word must match


@pytest.mark.django_db
def test_search_plan_reaches_incidents_through_indexes(client_as, role_admin):
    generate_incidents(6000)
    client = client_as(role_admin)
    with CaptureQueriesContext(connection) as captured:
        assert found(client, "plan-4321") == ["plan-4321"]
    listing = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith('SELECT "tracker_incident"."id"')
    ]
    assert listing
    for sql in listing:
        assert "DISTINCT" not in sql.upper()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
        assert_no_seq_scan_on_incidents(plan_nodes(plan[0]["Plan"]))


@pytest.mark.django_db
def test_the_list_counts_once_and_has_no_date_hierarchy(client_as, role_admin):
    incident(admin1="Daraa")
    incident(admin1="Quneitra")
    with CaptureQueriesContext(connection) as captured:
        response = client_as(role_admin).get(URL)
    assert response.status_code == 200
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(*)" in q["sql"].upper()]
    assert len(counts) == 1, counts  # the page's count; no second count of the whole table
    assert IncidentAdmin.date_hierarchy is None
    assert not [q for q in captured.captured_queries if "DISTINCT" in q["sql"].upper()]
    governorates = [
        c["display"] for c in response.context["cl"].filter_specs[2].choices(response.context["cl"])
    ]
    assert governorates[1:] == ["Daraa", "Quneitra"]


@pytest.mark.django_db
def test_a_large_unfiltered_table_is_counted_from_the_planners_estimate(monkeypatch):
    incident()
    incident()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tracker_incident")
    # Pretend the table is large: the estimate is used without counting.
    monkeypatch.setattr("tracker.admin.incidents.EXACT_COUNT_UP_TO", 1)
    with CaptureQueriesContext(connection) as captured:
        estimated = EstimatedCountPaginator(Incident.objects.all(), 100).count
    assert estimated == 2
    assert not [q for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    # A filtered list is counted exactly.
    assert EstimatedCountPaginator(Incident.objects.filter(key="none"), 100).count == 0
    assert EXACT_COUNT_UP_TO >= 100_000
