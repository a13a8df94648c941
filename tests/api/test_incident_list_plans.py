"""The incident list stays on indexes as it grows (issue 12).

A few thousand generated incidents, ANALYZEd (and the trigram indexes' pending lists merged,
as autovacuum does), are enough for PostgreSQL's own cost model to
prefer the indexes (no ``enable_seqscan = off``): the plan of the query each request runs is
read with EXPLAIN and must reach ``tracker_incident`` through an index, never a Seq Scan or a
DISTINCT over the join.
"""

import hashlib
import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.builders import party
from tracker.models import Incident, IncidentActor

ROWS = 6000
# Hex digits as Arabic letters, so every row has an Arabic description of its own.
ARABIC = "ابتثجحخدذرزسشصضط"


def generate_incidents(count: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO tracker_incident (key, acled_event_id, occurred_on, date_precision,
                event_type, sub_event_type, country, admin1, admin2, admin3, location,
                fatalities, description_en, description_ar, verification)
            SELECT 'plan-' || g, '', date '2019-01-01' + (g %% 1095), 'day', 'Battles', '',
                'Syria', 'Daraa', '', '', 'Place ' || (g %% 40), g %% 5,
                'Shelling reported, ref ' || md5(g::text),
                'قصف ' || translate(md5(g::text), '0123456789abcdef', %s),
                'reported'
            FROM generate_series(1, %s) AS g
            """,
            [ARABIC, count],
        )
        cursor.execute("ANALYZE tracker_incident")
        cursor.execute("ANALYZE tracker_incidentactor")
        # What autovacuum does soon after a bulk insert (VACUUM cannot run in the test's
        # transaction): move the trigram indexes' pending entries into the index proper.
        cursor.execute(
            """
            SELECT gin_clean_pending_list(indexrelid::regclass) FROM pg_index
            WHERE indrelid IN ('tracker_incident'::regclass, 'tracker_incidentactor'::regclass)
                AND indexrelid::regclass::text LIKE '%%trgm'
            """
        )


def plan_nodes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    nodes = [plan]
    for child in plan.get("Plans", []):
        nodes.extend(plan_nodes(child))
    return nodes


def list_query_plan(client, url: str) -> tuple[str, list[dict[str, Any]], Any]:
    """The SQL of the request's query that pages incidents, and its plan's nodes."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    sql = next(
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].startswith('SELECT "tracker_incident"."id"')
    )
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return sql, plan_nodes(plan[0]["Plan"]), response.json()


def incident_access(nodes: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    return [
        (node["Node Type"], node.get("Index Name"))
        for node in nodes
        if node.get("Relation Name") == "tracker_incident" or "Index Name" in node
    ]


@pytest.fixture
def incidents(db):
    generate_incidents(ROWS)


def assert_no_seq_scan_on_incidents(nodes: list[dict[str, Any]]) -> None:
    scans = [n for n in nodes if n.get("Relation Name") == "tracker_incident"]
    assert scans, nodes
    assert all(n["Node Type"] != "Seq Scan" for n in scans), incident_access(nodes)


def test_the_newest_page_walks_the_sort_index(api_as, incidents):
    _, nodes, body = list_query_plan(api_as("viewer"), "/api/v1/incidents/?page_size=100")

    assert len(body["results"]) == 100
    assert ("Index Scan Backward", "incident_occurred_id") in incident_access(nodes) or (
        "Index Scan",
        "incident_occurred_id",
    ) in incident_access(nodes)
    assert not [n for n in nodes if n["Node Type"] == "Sort"], "the index gives the order"
    assert_no_seq_scan_on_incidents(nodes)


def test_the_next_page_and_a_date_range_use_the_index(api_as, incidents):
    client = api_as("viewer")
    first = client.get("/api/v1/incidents/?page_size=100").json()
    _, nodes, _ = list_query_plan(client, first["next"])
    assert_no_seq_scan_on_incidents(nodes)
    assert any(index == "incident_occurred_id" for _, index in incident_access(nodes))

    url = "/api/v1/incidents/?occurred_after=2020-03-01&occurred_before=2020-03-31"
    _, nodes, body = list_query_plan(client, url)
    assert body["results"]
    assert all("2020-03-01" <= row["occurred_on"] <= "2020-03-31" for row in body["results"])
    assert_no_seq_scan_on_incidents(nodes)
    assert any(index == "incident_occurred_id" for _, index in incident_access(nodes))


def md5_part(n: int, arabic: bool = False) -> str:
    part = hashlib.md5(str(n).encode()).hexdigest()[8:16]
    return part.translate(str.maketrans("0123456789abcdef", ARABIC)) if arabic else part.upper()


@pytest.mark.parametrize(
    ("term", "expected_key"),
    [
        (md5_part(1234), "plan-1234"),  # English description, in another case
        (md5_part(2345, arabic=True), "plan-2345"),  # Arabic description
        ("PLAN-4321", "plan-4321"),  # key
    ],
    ids=["english", "arabic", "key"],
)
def test_search_is_a_substring_match_answered_by_trigram_indexes(
    api_as, incidents, term, expected_key
):
    _, nodes, body = list_query_plan(api_as("viewer"), f"/api/v1/incidents/?q={term}")

    assert expected_key in [row["key"] for row in body["results"]]
    assert_no_seq_scan_on_incidents(nodes)
    used = {index for _, index in incident_access(nodes) if index}
    assert used & {
        "incident_key_trgm",
        "incident_location_trgm",
        "incident_description_en_trgm",
        "incident_description_ar_trgm",
    }, incident_access(nodes)


def test_actor_filter_is_a_semi_join_without_distinct(api_as, incidents):
    army = party(key="plan-army")
    some = list(Incident.objects.filter(key__in=["plan-7", "plan-8"]))
    for incident in some:
        # Twice in one incident (both sides): still listed once.
        IncidentActor.objects.create(incident=incident, party=army, side=1)
        IncidentActor.objects.create(incident=incident, party=army, side=2)

    sql, nodes, body = list_query_plan(api_as("viewer"), "/api/v1/incidents/?actor=plan-army")

    assert sorted(row["key"] for row in body["results"]) == ["plan-7", "plan-8"]
    assert "DISTINCT" not in sql.upper()
    assert "EXISTS" in sql.upper()
    assert not [n for n in nodes if n["Node Type"] == "Unique"]
