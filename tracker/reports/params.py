"""Reading report parameters from a query string, with errors that name the parameter."""

import datetime
from collections.abc import Mapping
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime


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


def known_at_param(query: Mapping[str, str], name: str = "known_at") -> datetime.datetime:
    """The transaction time the report looks from; now when not given, never the future."""
    now = timezone.now()
    raw = query.get(name, "").strip()
    if not raw:
        # Printed in full in the footer, so passing it back reproduces the report exactly.
        return now
    try:
        value = parse_datetime(raw)
    except ValueError:
        value = None
    if value is None:
        day = date_param(query, name, None)
        if day is None:
            raise ReportParameterError(name, f"'{raw}' is not a time like 2021-09-05T18:00:00Z.")
        # A bare date means the end of that day: everything recorded on it is known.
        value = datetime.datetime.combine(day, datetime.time.max)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    if value > now:
        raise ReportParameterError(name, "cannot be in the future: nothing is known yet.")
    return value


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
