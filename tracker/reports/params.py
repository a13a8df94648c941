"""A report's parameters: one DRF serializer per report, read the same way by its page, its CSV
and its JSON endpoint, and published field by field in the OpenAPI schema.

A bad parameter is a serializers.ValidationError keyed by the parameter's name: the API turns
it into its 400 shape, the page and the CSV into a 400 that names it.
"""

import keyword
from collections.abc import Mapping
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from history.api import MomentField
from history.moments import moment_at


class KnownAtField(MomentField):
    """``known_at``: the moment of transaction time a report looks from (history.moments);
    a bare date means the end of that day, UTC, and today's date means now. Absent: now. The
    report prints the exact time it used, so passing that back reproduces it."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("default", moment_at)
        kwargs.setdefault("label", _("As known at (time)"))
        kwargs.setdefault(
            "help_text",
            "Transaction time: what the tracker had recorded at this moment, a change counting "
            "from the moment its transaction committed (ISO 8601; without an offset, UTC). A "
            "bare date means the end of that day, UTC; today's date means now. Not in the "
            "future. Default: now. The report prints the exact time it used.",
        )
        super().__init__(**kwargs)


def date_field(**kwargs: Any) -> serializers.DateField:
    """A date like 2021-09-06; optional unless said otherwise."""
    kwargs.setdefault("required", False)
    return serializers.DateField(
        error_messages={"invalid": _("Not a date like 2021-09-06.")}, **kwargs
    )


def valid_on_field() -> serializers.DateField:
    return date_field(
        default=timezone.localdate,
        label=_("Valid on (date)"),
        help_text="Valid time: the state of the world the judgements describe on this date. "
        "Default: today.",
    )


def whole_number(*, default: int, low: int, high: int, **kwargs: Any) -> serializers.IntegerField:
    message = format_lazy(_("Must be a whole number from {low} to {high}."), low=low, high=high)
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
            # Formatted twice: the model's name now, the value typed when DRF reports it.
            "does_not_exist": format_lazy(_("No {name} “{{value}}”."), name=name),
            "invalid": format_lazy(_("Not a valid {name}."), name=name),
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
