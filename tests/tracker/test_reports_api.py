"""The reports in the API: one path each, listed at the API's root, answering JSON that
matches the schema, and refusing bad parameters by name like the page and the CSV."""

import csv
import io
from typing import Any

import pytest
from django.test import Client
from jsonschema import Draft7Validator

from tests.api.conftest import token_client
from tests.conftest import make_role_user
from tracker.reports.registry import REPORTS


def as_json_schema(node: Any, components: dict) -> Any:
    """An OpenAPI 3.0 schema as plain JSON Schema: references inlined, `nullable` as null."""
    if isinstance(node, list):
        return [as_json_schema(item, components) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return as_json_schema(components[node["$ref"].rsplit("/", 1)[-1]], components)
    plain = {key: as_json_schema(value, components) for key, value in node.items()}
    if plain.pop("nullable", False):
        plain = {"anyOf": [plain, {"type": "null"}]}
    return plain


@pytest.mark.django_db
def test_the_api_root_lists_the_audit_trail_and_every_report(reader):
    root = reader.get("/api/v1/")

    assert root.status_code == 200
    data = root.json()
    assert data["audit"].endswith("/api/v1/audit/")
    assert set(data["reports"]) == set(REPORTS)
    for name, url in data["reports"].items():
        assert url.endswith(f"/api/v1/reports/{name}/")
    assert data["agreements"].endswith("/api/v1/agreements/")


@pytest.mark.django_db
def test_every_reports_json_matches_the_response_its_schema_declares(seeded, reader):
    schema = reader.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    components = schema["components"]["schemas"]

    for name, report in REPORTS.items():
        operation = schema["paths"][f"/api/v1/reports/{name}/"]["get"]
        declared = operation["responses"]["200"]["content"]["application/json"]["schema"]
        answer = reader.get(f"/api/v1/reports/{name}/", report.example)

        assert answer.status_code == 200, name
        errors = list(
            Draft7Validator(as_json_schema(declared, components)).iter_errors(answer.json())
        )
        assert errors == [], (name, [error.message for error in errors])


@pytest.mark.django_db
def test_every_bad_parameter_is_named_on_the_page_in_the_csv_and_in_the_json():
    params = {"from": "1 Jan", "to": "2021-01-01", "known_at": "2999-01-01T00:00:00Z"}
    browser = Client()
    browser.force_login(make_role_user("lead"))

    api = token_client(make_role_user("viewer")).get("/api/v1/reports/incident-summary/", params)
    page = browser.get("/reports/incident-summary/", params).content.decode()
    download = browser.get("/reports/incident-summary.csv", params)

    assert set(api.json()["error"]["fields"]) == {"from", "known_at"}
    assert 'data-parameter="from"' in page
    assert 'data-parameter="known_at"' in page
    assert download.status_code == 400
    named = [line.split(":", 1)[0] for line in download.content.decode().splitlines()]
    assert named == ["from", "known_at"]


@pytest.mark.django_db
def test_an_empty_field_of_the_pages_form_counts_as_not_given(seeded, client_as):
    empty_form = {name: "" for name, _ in REPORTS["timeline"].parameter_labels}
    browser = client_as(make_role_user("lead"))

    page = browser.get("/reports/timeline/", empty_form)
    download = browser.get("/reports/timeline.csv", empty_form)

    assert page.status_code == download.status_code == 200
    assert list(csv.reader(io.StringIO(download.content.decode())))[-1][0] == "content_hash"


@pytest.mark.django_db
def test_the_pages_form_shows_the_reports_own_parameters_in_order(client_as):
    page = client_as(make_role_user("lead")).get("/reports/audit/").content.decode()

    names = ["from", "to", "user", "model", "channel", "limit", "known_at"]
    positions = [page.index(f'name="{name}"') for name in names]
    assert positions == sorted(positions)
    assert 'name="valid_on"' not in page
