"""Database rules for a date stored together with its precision."""

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


def precision_field(
    date_label: str | Promise, *, verbose_name: str | Promise, help_text: str | Promise = ""
) -> models.CharField:
    """The companion field that says how precise the date labelled ``date_label`` is."""
    return models.CharField(
        max_length=12,
        choices=DatePrecision.choices,
        blank=True,
        verbose_name=verbose_name,
        # Lazy, so the help reads in the language of the page that shows it.
        help_text=help_text
        or format_lazy(
            _("How precise “{date}” is. A month-only date is stored as the 1st of the month."),
            date=date_label,
        ),
    )


def date_precision_constraints(app_model: str, date_field: str, precision: str) -> list[FieldCheck]:
    """A date and its precision go together, and an imprecise date never carries a made-up day.

    ``app_model`` prefixes the constraint names, which PostgreSQL needs unique per schema.
    """
    month_only = Q(**{precision: DatePrecision.MONTH})
    year_only = Q(**{precision: DatePrecision.YEAR})
    # The cast keeps full_clean() working: it checks the rule with the value as a literal,
    # and PostgreSQL cannot extract a day from an untyped literal.
    date = Cast(F(date_field), DateField())
    on_first = Q(Exact(ExtractDay(date), 1))
    in_january = Q(Exact(ExtractMonth(date), 1))
    return [
        FieldCheck(
            field=precision,
            condition=Q(**{f"{date_field}__isnull": True, precision: ""})
            | (Q(**{f"{date_field}__isnull": False}) & ~Q(**{precision: ""})),
            name=f"{app_model}_{date_field}_has_precision",
            violation_error_message=f"'{date_field}' and its precision must be given together.",
        ),
        FieldCheck(
            field=date_field,
            condition=~month_only | on_first,
            name=f"{app_model}_{date_field}_month_on_first",
            violation_error_message=f"A month-only '{date_field}' must be the 1st of the month.",
        ),
        FieldCheck(
            field=date_field,
            condition=~year_only | (on_first & in_january),
            name=f"{app_model}_{date_field}_year_on_jan_first",
            violation_error_message=f"A year-only '{date_field}' must be 1 January.",
        ),
    ]


def nonblank(field: str, name: str) -> FieldCheck:
    """Text that must say something: not empty and not only white space."""
    return FieldCheck(
        field=field,
        condition=Q(**{f"{field}__regex": r"\S"}),
        name=name,
        violation_error_message=f"'{field}' cannot be empty.",
    )
