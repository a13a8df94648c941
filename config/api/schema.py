"""OpenAPI additions: the shared error shape, declared on every operation that can return it."""

from typing import Any

from drf_spectacular.extensions import OpenApiViewExtension

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "code", "message"],
            "properties": {
                "status": {"type": "integer", "example": 400},
                "code": {"type": "string", "example": "invalid"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "description": "Field name -> messages, for validation errors.",
                    "additionalProperties": {},
                },
                "dependents": {
                    "type": "array",
                    "description": "Records that prevent a delete (409).",
                    "items": {"type": "object", "additionalProperties": {}},
                },
                "current_etag": {"type": "string", "description": "With 412."},
            },
        }
    },
}

DESCRIPTIONS = {
    "400": "Invalid input; `fields` names each field or query parameter and what is wrong with it.",
    "401": "No or invalid credentials (send `Authorization: Token <token>` or a session).",
    "403": "Your role does not allow this.",
    "404": "No such record (or not visible to you).",
    "405": "This resource does not offer that method (clauses are retired, not deleted; "
    "assessments are never edited).",
    "409": "Other records depend on this one; `dependents` lists them.",
    "412": "If-Match is stale: the record changed since you read it.",
    "413": "The request body is larger than the server accepts.",
    "500": "Unexpected server error; it was logged.",
    "503": "The database is unavailable for a moment (down, restarting, or a lost lock race); "
    "retry after the number of seconds in the Retry-After header.",
}


# Query parameters that never cause a 400 (a page past the end is a 404; unknown orderings and
# any search text are accepted). Any other one (a filter, as_of, valid_on) is checked.
LENIENT_QUERY_PARAMETERS = {"page", "page_size", "cursor", "ordering", "q"}


def _checks_query(operation: dict[str, Any]) -> bool:
    return any(
        parameter.get("in") == "query" and parameter["name"] not in LENIENT_QUERY_PARAMETERS
        for parameter in operation.get("parameters", [])
    )


def _error(code: str) -> dict[str, Any]:
    return {
        "description": DESCRIPTIONS[code],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def add_error_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular post-processing hook."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        detail = "{id}" in path
        for method, operation in operations.items():
            codes = ["401", "403", "500", "503"]
            if method in {"post", "put", "patch"} or (method == "get" and _checks_query(operation)):
                codes.append("400")
            if method in {"post", "put", "patch"}:
                codes.append("413")
            if detail:
                codes.append("404")
            if detail and method in {"put", "patch", "delete"}:
                codes += ["412", "405"]
            if detail and method == "delete":
                codes.append("409")
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(code, _error(code))
            if detail and method == "get":
                responses.setdefault("304", {"description": "Not modified (If-None-Match)."})
    return result


class ApiTokenViewFix(OpenApiViewExtension):
    """Describe the token routes without running their per-user queryset.

    ApiTokenViewSet.get_queryset filters by request.user, which schema generation (and so
    `manage.py check --deploy`) runs with an anonymous user; the warning it printed kept the
    deployment check from passing. The schema only needs the model.
    """

    target_class = "tracker.api.views.ApiTokenViewSet"

    def view_replacement(self) -> type:
        from tracker.models import ApiToken

        class Fixed(self.target_class):  # type: ignore[name-defined]
            queryset = ApiToken.objects.none()

            def get_queryset(self) -> Any:
                if getattr(self, "swagger_fake_view", False):
                    return ApiToken.objects.none()
                return super().get_queryset()

        return Fixed
