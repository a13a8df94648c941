"""A report's parameters: one DRF serializer per report, read the same way by its page, its CSV
and its JSON endpoint, and published field by field in the OpenAPI schema.

A bad parameter is a serializers.ValidationError keyed by the parameter's name: the API turns
it into its 400 shape, the page and the CSV into a 400 that names it.
"""

import datetime
import keyword
from collections.abc import Mapping
from typing import Any

from django.db import models
from django.utils import timezone
from rest_framework import serializers


def bare_date(value: Any) -> datetime.date | None:
    """The date ``value`` names if it is a date and nothing more (2021-09-06, 20210906)."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        return None


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last instant of ``day`` in UTC: everything recorded on it is known by then."""
    return datetime.datetime.combine(day, datetime.time.max, tzinfo=datetime.UTC)


class KnownAtField(serializers.DateTimeField):
    """Transaction time: what the tracker had recorded at this moment.

    A time (without an offset it is read as UTC), or a bare date meaning the end of that day
    in UTC. Never in the future, with one allowance: a bare date whose end has not come yet
    because it is today (UTC) means now, the latest moment that can be known. The report
    prints the exact time it used, so passing that back reproduces it. Absent: now.
    """

    default_error_messages = {
        "invalid": "Not a time like 2021-09-05T18:00:00Z, nor a date like 2021-09-05.",
        "future": "Cannot be in the future: nothing is known yet.",
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("default", timezone.now)
        kwargs.setdefault("default_timezone", datetime.UTC)
        kwargs.setdefault("label", "As known at (time)")
        kwargs.setdefault(
            "help_text",
            "Transaction time: what the tracker had recorded at this moment (ISO 8601; without "
            "an offset, UTC). A bare date means the end of that day, UTC; today's date means "
            "now. Not in the future. Default: now. The report prints the exact time it used.",
        )
        super().__init__(**kwargs)

    def to_internal_value(self, value: Any) -> datetime.datetime:
        now = timezone.now()
        # Before the parent's parsing, which (datetime.fromisoformat) reads a bare date as the
        # start of that day.
        day = bare_date(value)
        if day is not None:
            if day > now.astimezone(datetime.UTC).date():
                self.fail("future")
            return min(end_of_day(day), now)
        moment = super().to_internal_value(value)
        if moment > now:
            self.fail("future")
        return moment


def date_field(**kwargs: Any) -> serializers.DateField:
    """A date like 2021-09-06; optional unless said otherwise."""
    kwargs.setdefault("required", False)
    return serializers.DateField(
        error_messages={"invalid": "Not a date like 2021-09-06."}, **kwargs
    )


def valid_on_field() -> serializers.DateField:
    return date_field(
        default=timezone.localdate,
        label="Valid on (date)",
        help_text="Valid time: the state of the world the judgements describe on this date. "
        "Default: today.",
    )


def whole_number(*, default: int, low: int, high: int, **kwargs: Any) -> serializers.IntegerField:
    message = f"Must be a whole number from {low} to {high}."
    return serializers.IntegerField(
        default=default,
        min_value=low,
        max_value=high,
        error_messages={name: message for name in ("invalid", "min_value", "max_value")},
        **kwargs,
    )


def record_field(
    model: type[models.Model], key: str, *, required: bool = False, **kwargs: Any
) -> serializers.SlugRelatedField:
    """A record named by its stable key (agreement code, party key)."""
    name = model._meta.verbose_name
    return serializers.SlugRelatedField(
        slug_field=key,
        queryset=model.objects.all(),
        required=required,
        error_messages={
            "does_not_exist": f"No {name} '{{value}}'.",
            "invalid": f"Not a {name} {key}.",
        },
        **kwargs,
    )


def text_field(**kwargs: Any) -> serializers.CharField:
    return serializers.CharField(required=False, **kwargs)


class ReportParams(serializers.Serializer):
    """Base of every report's parameters.

    Names that are Python keywords are declared with a trailing underscore (``from_``) and
    read from the query parameter without it (``from``). A report with both ``from`` and
    ``to`` has them checked as a period: ``to`` may not come before ``from``.
    """

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        return {
            (name[:-1] if name.endswith("_") and keyword.iskeyword(name[:-1]) else name): field
            for name, field in fields.items()
        }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        first, last = attrs.get("from"), attrs.get("to")
        if first and last and last < first:
            raise serializers.ValidationError({"to": [f"'{last}' is before 'from' ({first})."]})
        return attrs

    @classmethod
    def read(cls, query: Mapping[str, str]) -> dict[str, Any]:
        """Every parameter by name, in declaration order (None when not given and without a
        default); raise serializers.ValidationError naming each bad one.

        Empty values count as not given: the page's form sends every field, filled or not.
        """
        given = {name: value.strip() for name, value in query.items() if value.strip()}
        params = cls(data=given)
        params.is_valid(raise_exception=True)
        return {name: params.validated_data.get(name) for name in params.fields}
