"""One log line per request, carrying the id the response and the audit trail carry too."""

import json
import logging

import pytest

from config.logging import JsonFormatter
from tests import builders


@pytest.mark.django_db
def test_a_write_logs_one_line_whose_request_id_is_the_audit_trails(api_as, caplog):
    obligation = builders.obligation()
    client = api_as("lead")
    caplog.set_level(logging.INFO, logger="tracker.requests")

    patched = client.patch(f"/api/v1/obligations/{obligation.pk}/", {"action_en": "Open it"})

    lines = [r for r in caplog.records if r.name == "tracker.requests"]
    assert len(lines) == 1
    line = lines[0]
    assert (line.method, line.path, line.status) == (
        "PATCH",
        f"/api/v1/obligations/{obligation.pk}/",
        200,
    )
    assert line.user_id == patched.wsgi_request.user.pk
    assert line.duration_ms >= 0
    history = client.get(f"/api/v1/obligations/{obligation.pk}/history/").json()["results"]
    assert line.request_id == patched["X-Request-ID"] == history[0]["request_id"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("given", "kept"), [("proxy-42.a:b", True), ("two words", False), ("x" * 101, False)]
)
def test_a_proxys_request_id_is_kept_only_when_it_is_sane(client, given, kept):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=given)

    assert (response["X-Request-ID"] == given) is kept


def test_the_json_format_is_one_object_per_line_with_the_request_fields():
    record = logging.makeLogRecord(
        {
            "name": "tracker.requests",
            "levelname": "ERROR",
            "msg": "GET /x 503",
            "status": 503,
            "request_id": "abc",
            "path": "/x\nnext",
        }
    )

    text = JsonFormatter().format(record)

    assert "\n" not in text
    entry = json.loads(text)
    assert (entry["level"], entry["status"], entry["request_id"]) == ("ERROR", 503, "abc")
    assert entry["message"] == "GET /x 503"


def test_health_probes_that_succeed_are_not_logged(client, caplog):
    caplog.set_level(logging.INFO, logger="tracker.requests")

    client.get("/healthz")

    assert [r for r in caplog.records if r.name == "tracker.requests"] == []
