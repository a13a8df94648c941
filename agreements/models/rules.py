"""The base of every domain model: its check constraints are validated in one query.

Django's full_clean() asks the database about each check constraint separately, and inside a
transaction wraps each question in a savepoint: three statements per rule, some twenty for an
incident. ``RulesModel`` asks all of a row's check constraints in one SELECT (one column per
rule) and reports each broken one exactly as Django would, on its field (see ``FieldCheck``).
Unique constraints and ``clean()`` are left to Django.
"""

import datetime
from typing import Any

from django.core.exceptions import FieldError, ValidationError
from django.db import models, router
from django.db.models import BooleanField, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE

from agreements.models.dates import take_typed_precision

# Dates the tracker accepts at all: its agreements and events are from 1900 on, and staying far
# from Python's year 9999 keeps "N days after" arithmetic from overflowing.
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2999, 12, 31)


def outside_the_date_window(value: Any) -> str | None:
    """Why a date (or time) is not accepted at all, or None."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        return None
    if value < EARLIEST_DATE:
        return f"Dates before {EARLIEST_DATE.isoformat()} are not accepted."
    if value > LATEST_DATE:
        return f"Dates after {LATEST_DATE.isoformat()} are not accepted."
    return None


class RulesModel(models.Model):
    class Meta:
        abstract = True

    def clean_fields(self, exclude: Any = None) -> None:
        """Django's checks, then the date window for every date and time of the row."""
        take_typed_precision(self)
        errors: dict[str, Any] = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if (exclude and field.name in exclude) or field.name in errors:
                continue
            if isinstance(field, models.DateField | models.DateTimeField):
                problem = outside_the_date_window(getattr(self, field.attname))
                if problem:
                    errors[field.name] = [ValidationError(problem, code="date_window")]
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude: set[str] | None = None) -> None:
        using = router.db_for_write(self.__class__, instance=self)
        checks: list[tuple[type[models.Model], models.CheckConstraint]] = []
        errors: dict[str, Any] = {}
        for model, constraints in self.get_constraints():
            for constraint in constraints:
                if isinstance(constraint, models.CheckConstraint):
                    checks.append((model, constraint))
                    continue
                try:
                    constraint.validate(model, self, exclude=exclude, using=using)
                except ValidationError as error:
                    fields = getattr(constraint, "fields", ())
                    if error.code == "unique" and len(fields) == 1:
                        errors.setdefault(fields[0], []).append(error)
                    else:
                        errors = error.update_error_dict(errors)
        for constraint in self._broken_checks(checks, exclude, using):
            errors = violation(constraint).update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _broken_checks(
        self,
        checks: list[tuple[type[models.Model], models.CheckConstraint]],
        exclude: set[str] | None,
        using: str,
    ) -> list[models.CheckConstraint]:
        """The check constraints this row breaks, found with one query."""
        if not checks:
            return []
        query = Query(None)
        for name, value in self._get_field_expression_map(meta=self._meta, exclude=exclude).items():
            query.add_annotation(value, name, select=False)
        asked: list[models.CheckConstraint] = []
        for _model, constraint in checks:
            alias = f"rule_{len(asked)}"
            holds = Coalesce(Q(constraint.condition), True, output_field=BooleanField())
            try:
                query.add_annotation(holds, alias)
            except FieldError:
                # The rule reads a field left out of validation (``exclude``): Django skips it too.
                continue
            asked.append(constraint)
        if not asked:
            return []
        query.add_annotation(Value(1), "_rules")
        # No savepoint around the question, unlike Django's (two more statements per row):
        # the values asked about have passed clean_fields(), so PostgreSQL can compare them.
        row = query.get_compiler(using=using).execute_sql(SINGLE)
        return [check for check, holds in zip(asked, row, strict=False) if not holds]


def violation(constraint: models.CheckConstraint) -> ValidationError:
    """What ``constraint.validate`` raises for a row that breaks it (``FieldCheck`` names its
    field), without asking the database again."""
    error = ValidationError(
        constraint.get_violation_error_message(), code=constraint.violation_error_code
    )
    field = getattr(constraint, "field", None)
    return ValidationError({field: error.error_list}) if field else error
