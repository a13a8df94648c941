"""Database rules for a date stored together with its precision, and the reading of a date
typed with only its month or year."""

import datetime
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import DateField, F, Q
from django.db.models.functions import Cast, ExtractDay, ExtractMonth
from django.db.models.lookups import Exact
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from agreements.choices import DatePrecision


class FieldCheck(models.CheckConstraint):
    """A check constraint whose violation is reported on one field.

    The database enforces it like any check; full_clean() attaches the message to ``field``,
    so the admin shows it next to that field and the API names it.
    """

    def __init__(self, *, field: str, **kwargs: Any) -> None:
        self.field = field
        super().__init__(**kwargs)

    def validate(
        self,
        model: type[models.Model],
        instance: models.Model,
        exclude: set[str] | None = None,
        using: str = DEFAULT_DB_ALIAS,
    ) -> None:
        try:
            super().validate(model, instance, exclude=exclude, using=using)
        except ValidationError as error:
            raise ValidationError({self.field: error.error_list}) from None

    def deconstruct(self) -> tuple[str, tuple, dict[str, Any]]:
        path, args, kwargs = super().deconstruct()
        return path, args, {**kwargs, "field": self.field}

    def __eq__(self, other: object) -> bool:
        return super().__eq__(other) and getattr(other, "field", None) == self.field

    __hash__ = models.CheckConstraint.__hash__


def label_of(field: str) -> Any:
    """The name a form shows for ``field`` (Django's default verbose name), translated when
    the catalogue has it, for messages written before the model class exists."""
    return _(field.replace("_", " "))


def precision_field(
    date_field: str, *, verbose_name: str | Promise, help_text: str | Promise = ""
) -> models.CharField:
    """The companion field that says how precise ``date_field`` is."""
    field = models.CharField(
        max_length=12,
        choices=DatePrecision.choices,
        blank=True,
        verbose_name=verbose_name,
        # Lazy, so the help reads in the language of the page that shows it.
        help_text=help_text
        or format_lazy(
            _(
                "How precise “{date}” is. A month-only date is stored as the 1st of the month; "
                "typing only 2021-09 or 2021 sets month or year."
            ),
            date=label_of(date_field),
        ),
    )
    # Read by ``take_typed_precision`` (and the forms) to pair the two fields.
    field.precision_of = date_field  # type: ignore[attr-defined]
    return field


class TypedDate(datetime.date):
    """A date as an analyst typed it, remembering whether they gave its day, or only its month
    or year; ``take_typed_precision`` turns it into a plain date and its precision."""

    precision: str


_MONTH_OR_YEAR = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?\s*$")


def typed_date(text: str) -> TypedDate | None:
    """Read "2021-09" as September 2021 (month only) and "2021" as the year 2021; anything
    else is None."""
    match = _MONTH_OR_YEAR.match(text)
    if match is None:
        return None
    year, month = int(match[1]), match[2]
    try:
        typed = TypedDate(year, int(month or 1), 1)
    except ValueError:
        return None
    typed.precision = DatePrecision.MONTH if month else DatePrecision.YEAR
    return typed


def with_day_typed(value: datetime.date) -> TypedDate:
    typed = TypedDate(value.year, value.month, value.day)
    typed.precision = DatePrecision.DAY
    return typed


def take_typed_precision(instance: models.Model) -> None:
    """Give each date typed with only its month or year that precision (whatever was chosen
    beside it: what was typed is what is known), and a date typed in full "day" when no
    precision was chosen."""
    for field in instance._meta.concrete_fields:
        date_field = getattr(field, "precision_of", None)
        typed = getattr(instance, date_field) if date_field else None
        if not isinstance(typed, TypedDate):
            continue
        setattr(instance, date_field, datetime.date(typed.year, typed.month, typed.day))
        if typed.precision != DatePrecision.DAY or not getattr(instance, field.attname):
            setattr(instance, field.attname, typed.precision)


def date_precision_constraints(app_model: str, date_field: str, precision: str) -> list[FieldCheck]:
    """A date and its precision go together, and an imprecise date never carries a made-up day.

    ``app_model`` prefixes the constraint names, which PostgreSQL needs unique per schema.
    """
    month_only = Q(**{precision: DatePrecision.MONTH})
    year_only = Q(**{precision: DatePrecision.YEAR})
    # The cast keeps full_clean() working: it checks the rule with the value as a literal,
    # and PostgreSQL cannot extract a day from an untyped literal.
    date = Cast(F(date_field), DateField())
    label = label_of(date_field)
    on_first = Q(Exact(ExtractDay(date), 1))
    in_january = Q(Exact(ExtractMonth(date), 1))
    return [
        FieldCheck(
            field=precision,
            condition=Q(**{f"{date_field}__isnull": True, precision: ""})
            | (Q(**{f"{date_field}__isnull": False}) & ~Q(**{precision: ""})),
            name=f"{app_model}_{date_field}_has_precision",
            violation_error_message=format_lazy(
                _("“{label}” and its precision must be given together."), label=label
            ),
        ),
        FieldCheck(
            field=date_field,
            condition=~month_only | on_first,
            name=f"{app_model}_{date_field}_month_on_first",
            violation_error_message=format_lazy(
                _("A month-only “{label}” must be the 1st of the month."), label=label
            ),
        ),
        FieldCheck(
            field=date_field,
            condition=~year_only | (on_first & in_january),
            name=f"{app_model}_{date_field}_year_on_jan_first",
            violation_error_message=format_lazy(
                _("A year-only “{label}” must be 1 January."), label=label
            ),
        ),
    ]


def nonblank(field: str, name: str) -> FieldCheck:
    """Text that must say something: not empty and not only white space."""
    return FieldCheck(
        field=field,
        condition=Q(**{f"{field}__regex": r"\S"}),
        name=name,
        violation_error_message=format_lazy(_("“{label}” cannot be empty."), label=label_of(field)),
    )
