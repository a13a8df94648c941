"""Behaviour shared by the admin pages of both apps (tracker's admin imports it from here)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from agreements.admin.hooks import ExtensibleAdminMixin
from agreements.models.dates import typed_date, with_day_typed
from history.admin import AuditedAdminMixin


class BilingualFieldsMixin:
    """Text inputs that suit analysts typing English or Arabic.

    Fields named ``*_ar`` always hold Arabic, so they are right-to-left from the first key
    press. Other free text (aliases, titles, names as reported) may be in either language,
    so the browser picks the direction from what is typed.
    """

    def formfield_for_dbfield(
        self, db_field: models.Field, request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]
        is_free_text = isinstance(db_field, models.CharField | models.TextField) and not (
            db_field.choices or isinstance(db_field, models.SlugField | models.URLField)
        )
        if formfield is not None and is_free_text:
            if db_field.name.endswith("_ar"):
                formfield.widget.attrs.update({"dir": "rtl", "lang": "ar"})
            else:
                formfield.widget.attrs.setdefault("dir", "auto")
        return formfield


class DateWithPrecisionField(forms.DateField):
    """A date that may be typed in full, or as "2021-09" or "2021" when only the month or the
    year is known; the model then records that precision (``take_typed_precision``)."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and (typed := typed_date(value)) is not None:
            return typed
        value = super().to_python(value)
        return None if value is None else with_day_typed(value)


TYPED_DATE_HINT = _("Type 2021-09-03, or 2021-09 or 2021 when only the month or year is known.")


class DatesWithPrecisionMixin:
    """Date fields that have a precision beside them accept a month or a year alone."""

    def formfield_for_dbfield(
        self, db_field: models.Field, request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        has_precision = isinstance(db_field, models.DateField) and any(
            getattr(field, "precision_of", None) == db_field.name
            for field in db_field.model._meta.concrete_fields
        )
        if has_precision:
            kwargs["form_class"] = DateWithPrecisionField
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]
        if has_precision and formfield is not None:
            formfield.help_text = (
                format_lazy("{} {}", formfield.help_text, TYPED_DATE_HINT)
                if formfield.help_text
                else TYPED_DATE_HINT
            )
        return formfield


class PermanentFieldsMixin:
    """Identifiers that seeds, exports and other records cite: set once, then read-only."""

    permanent_fields: tuple[str, ...] = ()

    def get_readonly_fields(self, request: HttpRequest, obj: models.Model | None = None):
        readonly = tuple(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        return readonly if obj is None else readonly + self.permanent_fields


class BaseAdmin(
    AuditedAdminMixin,
    ExtensibleAdminMixin,
    DatesWithPrecisionMixin,
    BilingualFieldsMixin,
    PermanentFieldsMixin,
    admin.ModelAdmin,
):
    """The defaults every model page of the tracker starts from: its History read from the
    audit trail and deletes with a reason (history.admin), and the additions other apps made
    through agreements.admin.hooks."""

    class Media:
        css = {"all": ("agreements/pages_fit.css",)}

    # Changelists page through rows with a fixed number of queries; saying so here keeps
    # "show all" from turning a list of incidents into one enormous page.
    list_per_page = 100
    list_max_show_all = 500
