"""GET /api/v1/audit/: the whole trail for leads and admins, filtered, as JSON or CSV."""

import csv
import datetime
import io
import json

import pytest
from django.utils import timezone

from agreements.models import Party
from history.context import audit_context
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(api_as):
    """A source created by an analyst through the API, and a party renamed by a command."""
    # Made first: a test runs in one transaction, where the context of an API request made
    # earlier would still be set for changes made outside any context.
    party = builders.party(name_en="Fourth Division")
    analyst = api_as("analyst")
    created = analyst.post(
        "/api/v1/sources/",
        {"key": "north-press-1", "publisher": "North Press", "title": "Daraa talks"},
        HTTP_X_REQUEST_ID="req-analyst-1",
    )
    assert created.status_code == 201
    with audit_context(channel="command", command="load_seeds", reason="Seed update"):
        Party.objects.filter(pk=party.pk).update(name_en="4th Division")
    return {"source": created.json()["id"], "party": party.pk}


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_the_trail_lists_every_change_newest_first(api_as, trail):
    rows = results(api_as("lead").get("/api/v1/audit/"))

    assert [row["seq"] for row in rows] == sorted((row["seq"] for row in rows), reverse=True)
    assert rows[0]["changes"] == {"name_en": {"before": "Fourth Division", "after": "4th Division"}}
    assert rows[0]["who"] == "manage.py load_seeds"


def test_the_trail_filters_by_user_name_or_id(api_as, trail):
    lead = api_as("lead")

    by_name = results(lead.get("/api/v1/audit/?user=analyst-user"))
    analyst_id = by_name[0]["user_id"]
    by_id = results(lead.get(f"/api/v1/audit/?user={analyst_id}"))

    assert [(row["model"], row["object_id"]) for row in by_name] == [
        ("agreements.Source", trail["source"])
    ]
    assert by_id == by_name


def test_the_trail_filters_by_channel_model_object_and_request_id(api_as, trail):
    lead = api_as("lead")

    by_channel = results(lead.get("/api/v1/audit/?channel=command"))
    by_model = results(lead.get(f"/api/v1/audit/?model=agreements.party&object={trail['party']}"))
    by_request = results(lead.get("/api/v1/audit/?request_id=req-analyst-1"))

    assert [row["model"] for row in by_channel] == ["agreements.Party"]
    assert [row["action"] for row in by_model] == ["update", "insert"]
    assert [(row["model"], row["channel"]) for row in by_request] == [("agreements.Source", "api")]


def test_the_trail_filters_by_time_range(api_as, trail):
    lead = api_as("lead")
    now = timezone.now()
    an_hour_ago = (now - datetime.timedelta(hours=1)).isoformat()
    in_an_hour = (now + datetime.timedelta(hours=1)).isoformat()

    within = results(lead.get("/api/v1/audit/", {"after": an_hour_ago, "before": in_an_hour}))
    later = results(lead.get("/api/v1/audit/", {"after": in_an_hour}))
    earlier = results(lead.get("/api/v1/audit/", {"before": "2021-09-06"}))

    assert {row["model"] for row in within} >= {"agreements.Source", "agreements.Party"}
    assert later == earlier == []


def test_the_trail_is_paginated(api_as, trail):
    response = api_as("lead").get("/api/v1/audit/?page_size=1&page=2")

    body = response.json()
    assert len(body["results"]) == 1
    assert body["count"] >= 3
    assert "page=3" in body["next"]


def test_a_bad_filter_is_a_400_naming_it(api_as, trail):
    response = api_as("lead").get("/api/v1/audit/?after=yesterday&model=dragon")

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"after", "model"}


def test_csv_export_has_a_header_and_one_row_per_event(api_as, trail):
    response = api_as("lead").get("/api/v1/audit/?format=csv&channel=command")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header, *events = rows
    assert header[:4] == ["seq", "at", "action", "model"]
    assert header[-1] == "changes"
    assert len(events) == 1
    event = dict(zip(header, events[0], strict=True))
    assert (event["model"], event["action"], event["who"], event["reason"]) == (
        "agreements.Party",
        "update",
        "manage.py load_seeds",
        "Seed update",
    )
    assert json.loads(event["changes"]) == {
        "name_en": {"before": "Fourth Division", "after": "4th Division"}
    }


def test_csv_is_also_chosen_by_the_accept_header(api_as, trail):
    response = api_as("admin").get("/api/v1/audit/", HTTP_ACCEPT="text/csv")

    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("seq,at,action,model")
    assert len(lines) > 3


@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_viewers_and_analysts_cannot_read_the_trail(api_as, role):
    response = api_as(role).get("/api/v1/audit/")

    assert response.status_code == 403
    assert response.json()["error"]["message"] == "The audit trail is open to leads and admins."


def test_a_refused_csv_request_still_answers_in_the_json_error_shape(api_as):
    response = api_as("viewer").get("/api/v1/audit/?format=csv")

    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["status"] == 403


def test_anonymous_callers_get_401(api_as):
    assert api_as("anonymous").get("/api/v1/audit/").status_code == 401
