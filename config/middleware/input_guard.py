"""Hostile input is refused at the door with a 4xx that names what is wrong.

PostgreSQL cannot store a NUL character in text, Python's dates end in year 9999, and a body
may be any size: without this, such input reached a view, report or audit context and came
back as a 500. Checks here are generic, so every page, report, CSV and API route gets them.
JSON bodies are checked by the API's parser (config/api/parsers.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse

from agreements.models.rules import EARLIEST_DATE, LATEST_DATE
from config.api.errors import TOO_LARGE_MESSAGE, error_response, field_error_response

NUL = "\x00"
NUL_MESSAGE = "must not contain NUL characters."

# Dates a query may name: the window every stored date keeps too (agreements.models.rules).
_DATE_PREFIX = re.compile(r"\s*(\d{4,})-(\d{1,2})-(\d{1,2})")

BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def date_out_of_range(value: str) -> bool:
    """True for a value that starts like a date (or time) outside the window."""
    match = _DATE_PREFIX.match(value)
    if match is None:
        return False
    year = int(match.group(1))
    return not EARLIEST_DATE.year <= year <= LATEST_DATE.year


def _header_name(meta_key: str) -> str:
    return meta_key.removeprefix("HTTP_").replace("_", "-").title()


class InputGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = self._refusal(request)
        return refusal if refusal is not None else self.get_response(request)

    def _refusal(self, request: HttpRequest) -> HttpResponse | None:
        for key, value in request.META.items():
            if key.startswith("HTTP_") and isinstance(value, str) and NUL in value:
                return field_error_response(request, _header_name(key), NUL_MESSAGE)
        try:
            query = list(request.GET.lists())
        except SuspiciousOperation as exc:  # too many parameters
            return error_response(request, 400, "invalid", str(exc))
        refusal = self._check_fields(request, query, dates=True)
        if refusal is not None or request.method not in BODY_METHODS:
            return refusal
        if request.content_type == "multipart/form-data":
            # Uploads are streamed to disk by Django and bounded by its own limits.
            return None
        try:
            # Read now, under DATA_UPLOAD_MAX_MEMORY_SIZE; it also lets a write be retried.
            request.body  # noqa: B018
        except RequestDataTooBig:
            return error_response(request, 413, "too_large", TOO_LARGE_MESSAGE)
        if request.content_type == "application/x-www-form-urlencoded":
            try:
                form = list(request.POST.lists())
            except SuspiciousOperation as exc:
                return error_response(request, 400, "invalid", str(exc))
            return self._check_fields(request, form, dates=False)
        return None

    def _check_fields(
        self, request: HttpRequest, fields: Iterable[tuple[str, list[str]]], *, dates: bool
    ) -> HttpResponse | None:
        for name, values in fields:
            if NUL in name:
                return field_error_response(request, name.replace(NUL, "\\0"), NUL_MESSAGE)
            for value in values:
                if NUL in value:
                    return field_error_response(request, name, NUL_MESSAGE)
                if dates and date_out_of_range(value):
                    return field_error_response(
                        request,
                        name,
                        f"'{value[:40]}' is out of range: dates run from "
                        f"{EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}.",
                    )
        return None
