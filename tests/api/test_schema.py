"""The OpenAPI schema validates, covers every route and declares the error responses."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.validation import validate_schema


def api_routes() -> set[str]:
    """Every /api/v1/ route in the URL conf, written the way the schema writes paths."""
    found: set[str] = set()

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and route.startswith("api/v1/"):
                path = "/" + route
                if "format" in path or path == "/api/v1/":
                    continue  # format suffixes and the browsable root are not API operations
                # The schema names the router's primary key "id".
                path = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", path)
                path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", path).replace("{pk}", "{id}")
                found.add(path)

    walk(get_resolver().url_patterns, "")
    return found


@pytest.fixture
def schema(api_as) -> dict:
    response = api_as("viewer").get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


@pytest.mark.django_db
def test_the_schema_is_valid_openapi_3(schema):
    validate_schema(schema)
    assert schema["openapi"].startswith("3.0")


@pytest.mark.django_db
def test_every_api_route_appears_in_the_schema(schema):
    routes = api_routes()

    assert routes, "no API routes found"
    assert routes <= set(schema["paths"]), routes - set(schema["paths"])


@pytest.mark.django_db
def test_every_operation_declares_its_error_responses(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert {"401", "403", "500"} <= set(responses), (method, path)
            if method in {"post", "put", "patch"}:
                assert "400" in responses, (method, path)
            if "{id}" in path:
                assert "404" in responses, (method, path)
            if method in {"put", "patch", "delete"} and "{id}" in path:
                assert "412" in responses, (method, path)
            for code, body in responses.items():
                if code.startswith(("4", "5")) and code != "304":
                    ref = body["content"]["application/json"]["schema"]["$ref"]
                    assert ref.endswith("/Error")


@pytest.mark.django_db
def test_the_docs_page_loads_its_assets_from_this_server(api_as):
    page = api_as("viewer").get("/api/docs/")

    assert page.status_code == 200
    html = page.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("swagger-ui" in asset for asset in assets)
    assert all(not asset.startswith(("http://", "https://", "//")) for asset in assets), assets


# Each report's own query parameters, and which of them it cannot do without.
REPORT_PARAMETERS = {
    "compliance-matrix": {"agreement", "valid_on", "known_at"},
    "party-scorecard": {"party", "valid_on", "known_at"},
    "incident-summary": {"agreement", "from", "to", "area", "valid_on", "known_at"},
    "deadlines": {"agreement", "days", "valid_on", "known_at"},
    "audit": {"from", "to", "user", "model", "channel", "limit", "offset", "known_at"},
    "timeline": {"agreement", "from", "to", "limit", "offset", "valid_on", "known_at"},
}
REQUIRED = {"compliance-matrix": {"agreement"}, "party-scorecard": {"party"}}
FORMATS = {"valid_on": "date", "from": "date", "to": "date", "known_at": "date-time"}


def component(schema: dict, ref: str) -> dict:
    return schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]


@pytest.mark.django_db
def test_the_schema_has_six_report_paths_each_with_its_parameters(schema):
    reports = {path for path in schema["paths"] if path.startswith("/api/v1/reports/")}

    assert reports == {f"/api/v1/reports/{name}/" for name in REPORT_PARAMETERS}
    operation_ids = set()
    for name, expected in REPORT_PARAMETERS.items():
        operation = schema["paths"][f"/api/v1/reports/{name}/"]["get"]
        operation_ids.add(operation["operationId"])
        parameters = {p["name"]: p for p in operation["parameters"] if p["in"] == "query"}
        assert set(parameters) == expected, name
        assert {p for p in parameters if parameters[p].get("required")} == REQUIRED.get(name, set())
        for parameter, format_ in FORMATS.items():
            if parameter in parameters:
                assert parameters[parameter]["schema"]["format"] == format_, (name, parameter)
        for number in {"days", "limit"} & expected:
            assert parameters[number]["schema"]["type"] == "integer", (name, number)
        assert "400" in operation["responses"]
        # The response is typed: the parameters it was computed with, and its tables.
        answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
        body = component(schema, answer["$ref"])
        assert {"report", "title", "parameters", "tables", "content_hash"} <= set(body["required"])
        printed = component(schema, body["properties"]["parameters"]["$ref"])
        assert set(printed["properties"]) == set(printed["required"]) == expected
        table = component(schema, body["properties"]["tables"]["items"]["$ref"])
        assert set(table["properties"]) == {"key", "title", "columns", "rows"}
    assert len(operation_ids) == 6
