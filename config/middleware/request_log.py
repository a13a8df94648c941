"""One log line per request, carrying the request id that the audit trail records too."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

from history.headers import REQUEST_ID_HEADER

logger = logging.getLogger("tracker.requests")

# Ids a proxy may pass on; anything else (too long, odd characters) is replaced, so a
# client cannot write arbitrary text into the logs and the audit trail.
_ACCEPTED_ID = re.compile(r"[A-Za-z0-9._:-]{1,100}")
_META_KEY = "HTTP_" + REQUEST_ID_HEADER.upper().replace("-", "_")
# Probes every few seconds would drown the log; they are logged only when they fail.
_QUIET_PATHS = frozenset({"/healthz", "/readyz"})


def _user_id(request: HttpRequest) -> int | None:
    """The user, only if something already loaded it: logging must not query the database
    (which may be the very thing that is down)."""
    user: Any = request.__dict__.get("user")
    user = getattr(user, "_wrapped", user)
    if user is None or user is empty or not getattr(user, "is_authenticated", False):
        return None
    return user.pk


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.META.get(_META_KEY, "")
        request_id = given if _ACCEPTED_ID.fullmatch(given) else uuid.uuid4().hex
        # The audit middleware reads the id from the header: one id in logs and trail.
        request.META[_META_KEY] = request_id
        request.request_id = request_id  # type: ignore[attr-defined]
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        response[REQUEST_ID_HEADER] = request_id
        status = response.status_code
        if request.path in _QUIET_PATHS and status < 400:
            return response
        fields = {
            "method": request.method,
            "path": request.path,
            "status": status,
            "duration_ms": duration_ms,
            "request_id": request_id,
            "user_id": _user_id(request),
        }
        level = logging.ERROR if status >= 500 else logging.INFO
        logger.log(
            level,
            "%s %s %s %sms request_id=%s",
            request.method,
            request.path,
            status,
            duration_ms,
            request_id,
            extra=fields,
        )
        return response
