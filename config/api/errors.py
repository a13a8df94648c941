"""One JSON error shape for every 4xx and 5xx the API returns.

    {"error": {"status": 400, "code": "invalid", "message": "...",
               "fields": {"due_on": ["..."]}, "dependents": [...]}}

``fields`` appears for validation errors and ``dependents`` for refused deletes.
"""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

logger = logging.getLogger(__name__)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "The request conflicts with the current state of the resource."


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"
    default_detail = "The resource changed since you read it (If-Match is stale)."


def error_body(status_code: int, code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"status": status_code, "code": code, "message": message, **extra}}


def _field_errors(detail: Any) -> dict[str, Any]:
    if isinstance(detail, dict):
        return {key: _field_errors(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_field_errors(item) for item in detail]  # type: ignore[return-value]
    return str(detail)  # type: ignore[return-value]


def _describe_dependents(error: ProtectedError | RestrictedError) -> list[dict[str, Any]]:
    """Which records stop the delete, at most 20 of them, so the client knows what to do."""
    objects = list(
        error.protected_objects if isinstance(error, ProtectedError) else error.restricted_objects
    )
    return [{"type": obj._meta.model_name, "id": obj.pk, "label": str(obj)} for obj in objects[:20]]


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, extended to model validation, protected deletes and crashes."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    if isinstance(exc, ProtectedError | RestrictedError):
        dependents = _describe_dependents(exc)
        names = sorted({d["type"] for d in dependents})
        return Response(
            error_body(
                409,
                "protected",
                f"Other records depend on this one ({', '.join(names)}); "
                "remove or reassign them first.",
                dependents=dependents,
            ),
            status=409,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = exception_handler(exc, context)
    if response is None:
        # Not an API error: a bug. Log it with the traceback and answer in the same shape.
        logger.exception("Unhandled error in the API", exc_info=exc)
        return Response(
            error_body(500, "server_error", "Something went wrong on our side; it was logged."),
            status=500,
        )
    if isinstance(exc, exceptions.ValidationError):
        fields = _field_errors(exc.detail)
        if not isinstance(fields, dict):
            fields = {"non_field_errors": fields}
        first = next(iter(fields))
        response.data = error_body(
            response.status_code, "invalid", f"Invalid input; see '{first}'.", fields=fields
        )
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        response.data = error_body(
            response.status_code, code if isinstance(code, str) else "error", str(detail)
        )
    return response


def json_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """404 for API paths that match no route, in the API's shape (HTML elsewhere)."""
    return JsonResponse(error_body(404, "not_found", "No such API route."), status=404)


def json_server_error(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        error_body(500, "server_error", "Something went wrong on our side; it was logged."),
        status=500,
    )
