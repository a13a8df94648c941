"""One JSON error shape for every 4xx and 5xx the API returns.

    {"error": {"status": 400, "code": "invalid", "message": "...",
               "fields": {"due_on": ["..."]}, "dependents": [...]}}

``fields`` appears for validation errors and ``dependents`` for refused deletes.
Outside /api/ the same errors are a short plain-text page.
"""

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from config.db import is_unavailable

logger = logging.getLogger(__name__)

UNAVAILABLE_MESSAGE = "The database is unavailable for a moment; try again shortly."
TOO_LARGE_MESSAGE = "The request body is larger than this server accepts."
OUT_OF_RANGE_MESSAGE = "A date or number in the request is out of range."


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


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def error_response(
    request: HttpRequest, status_code: int, code: str, message: str, **extra: Any
) -> HttpResponse:
    """The API's JSON shape under /api/, a one-line plain page elsewhere."""
    if is_api(request):
        response: HttpResponse = JsonResponse(
            error_body(status_code, code, message, **extra), status=status_code
        )
    else:
        response = HttpResponse(
            message + "\n", status=status_code, content_type="text/plain; charset=utf-8"
        )
    if status_code == 503:
        response["Retry-After"] = str(settings.RETRY_AFTER_SECONDS)
    return response


def field_error_response(request: HttpRequest, field: str, message: str) -> HttpResponse:
    """A 400 naming one field, query parameter or header."""
    if is_api(request):
        return error_response(
            request, 400, "invalid", f"Invalid input; see '{field}'.", fields={field: [message]}
        )
    return error_response(request, 400, "invalid", f"{field}: {message}")


def unavailable_response(request: HttpRequest) -> HttpResponse:
    return error_response(request, 503, "unavailable", UNAVAILABLE_MESSAGE)


def note_database_failure(request: HttpRequest, exc: BaseException) -> None:
    """Tell the write-transaction middleware why this request failed (it may retry it)."""
    request.database_failure = exc  # type: ignore[attr-defined]


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, extended to model validation, protected deletes, an unavailable
    database, oversized bodies and crashes."""
    if is_unavailable(exc):
        request = context.get("request")
        if request is not None:
            note_database_failure(getattr(request, "_request", request), exc)
        logger.warning("Database unavailable: %s", exc)
        return Response(
            error_body(503, "unavailable", UNAVAILABLE_MESSAGE),
            status=503,
            headers={"Retry-After": str(settings.RETRY_AFTER_SECONDS)},
        )
    if isinstance(exc, RequestDataTooBig):
        return Response(error_body(413, "too_large", TOO_LARGE_MESSAGE), status=413)
    if isinstance(exc, OverflowError):
        return Response(error_body(400, "out_of_range", OUT_OF_RANGE_MESSAGE), status=400)
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
