"""Reading report parameters from a query string, with errors that name the parameter."""

import datetime
from collections.abc import Mapping
from typing import Any

from django.db import models
from django.utils.dateparse import parse_date
from rest_framework.exceptions import ValidationError

from history.api import MomentField
from history.moments import Moment, moment_at


class ReportParameterError(Exception):
    """A bad parameter: shown as a 400 that names it, on pages and API alike."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"{parameter}: {message}")
        self.parameter, self.message = parameter, message


def date_param(query: Mapping[str, str], name: str, default: datetime.date | None) -> Any:
    raw = query.get(name, "").strip()
    if not raw:
        return default
    try:
        value = parse_date(raw)
    except ValueError:
        value = None
    if value is None:
        raise ReportParameterError(name, f"'{raw}' is not a date like 2021-09-06.")
    return value


def known_at_param(query: Mapping[str, str], name: str = "known_at") -> Moment:
    """The moment of transaction time the report looks from: now when not given, a bare date
    as the end of that day (UTC; today's as now), never the future."""
    raw = query.get(name, "").strip()
    try:
        return MomentField().run_validation(raw) if raw else moment_at()
    except ValidationError as error:
        raise ReportParameterError(name, " ".join(map(str, error.detail))) from None


def int_param(query: Mapping[str, str], name: str, default: int, *, low: int, high: int) -> int:
    raw = query.get(name, "").strip()
    if not raw:
        return default
    if not raw.lstrip("-").isdigit() or not low <= int(raw) <= high:
        raise ReportParameterError(name, f"must be a whole number from {low} to {high}.")
    return int(raw)


def record_param(
    query: Mapping[str, str],
    name: str,
    model: type[models.Model],
    field: str,
    *,
    required: bool = False,
) -> Any:
    """A record named by its stable key (agreement code, party key)."""
    raw = query.get(name, "").strip()
    if not raw:
        if required:
            raise ReportParameterError(name, "is required.")
        return None
    found = model.objects.filter(**{field: raw}).first()
    if found is None:
        raise ReportParameterError(name, f"no {model._meta.verbose_name} '{raw}'.")
    return found


def period_params(
    query: Mapping[str, str], start: str = "from", end: str = "to"
) -> tuple[datetime.date | None, datetime.date | None]:
    first, last = date_param(query, start, None), date_param(query, end, None)
    if first and last and last < first:
        raise ReportParameterError(end, f"'{last}' is before '{start}' ({first}).")
    return first, last
