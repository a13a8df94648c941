"""A page of obligations looks up the judgement of each listed obligation, not of every one
(issue 12): the page's query reaches the assessments by index and never sorts them all, and
the statuses it shows are the ones the whole-table rule gives."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.test_incident_list_plans import plan_nodes
from tests.builders import clause, party
from tracker.selectors import obligations_with_status

OBLIGATIONS = 1500


@pytest.fixture
def judged_obligations(db) -> None:
    """Obligations with three judgements each, valid from different dates."""
    owed_by, in_clause = party(), clause()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO agreements_obligation (key, modality, action_en, action_ar,
                due_precision, note, clause_id, obligor_id)
            SELECT 'planned-' || g, 'do', 'Planned action ' || g, '', '', '', %s, %s
            FROM generate_series(1, %s) AS g
            """,
            [in_clause.pk, owed_by.pk, OBLIGATIONS],
        )
        cursor.execute(
            """
            INSERT INTO tracker_complianceassessment (status, level, valid_from,
                valid_from_precision, rationale, recorded_at, review_state, review_note,
                obligation_id)
            SELECT (ARRAY['in_progress', 'complied', 'not_complied', 'disputed'])
                    [1 + (o.id + n) %% 4],
                (o.id + n) %% 4, date '2021-01-01' + 30 * n, 'day', 'Planned', now(),
                'pending', '', o.id
            FROM agreements_obligation AS o, generate_series(0, 2) AS n
            WHERE o.key LIKE 'planned-%%'
            """,
            [],
        )
        cursor.execute("ANALYZE agreements_obligation")
        cursor.execute("ANALYZE tracker_complianceassessment")


def page_query_plan(client, url: str) -> tuple[list[dict], list[dict]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    sql = next(
        q["sql"]
        for q in captured.captured_queries
        if '"agreements_obligation"."action_en"' in q["sql"] and q["sql"].endswith("LIMIT 50")
    )
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
    return response.json()["results"], plan_nodes(plan[0]["Plan"])


def test_a_page_looks_up_only_its_obligations_judgements(api_as, judged_obligations):
    rows, nodes = page_query_plan(api_as("viewer"), "/api/v1/obligations/?page_size=50")

    assessment_scans = [
        n for n in nodes if n.get("Relation Name") == "tracker_complianceassessment"
    ]
    assert assessment_scans
    assert all(n["Node Type"] != "Seq Scan" for n in assessment_scans), assessment_scans
    assert not [n for n in nodes if n["Node Type"] == "Unique"], "no DISTINCT ON over them all"
    expected = {
        o.pk: (o.current_status, o.current_level, o.current_assessment_id)
        for o in obligations_with_status().filter(pk__in=[row["id"] for row in rows])
    }
    assert len(rows) == 50
    assert {
        row["id"]: (row["current_status"], row["current_level"], row["current_assessment"])
        for row in rows
    } == expected


def test_a_filter_on_the_judgement_gives_the_same_obligations(api_as, judged_obligations):
    client = api_as("viewer")
    body = client.get("/api/v1/obligations/?status=disputed&page_size=500").json()

    expected = obligations_with_status().filter(current_status="disputed")
    assert body["count"] == expected.count() > 0
    assert {row["id"] for row in body["results"]} == set(
        expected.order_by("id").values_list("id", flat=True)[:500]
    )
    assert {row["current_status"] for row in body["results"]} == {"disputed"}
