"""Behaviour shared by the admin pages of both apps (tracker's admin imports it from here)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from agreements.admin.hooks import ExtensibleAdminMixin
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


class PermanentFieldsMixin:
    """Identifiers that seeds, exports and other records cite: set once, then read-only."""

    permanent_fields: tuple[str, ...] = ()

    def get_readonly_fields(self, request: HttpRequest, obj: models.Model | None = None):
        readonly = tuple(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        return readonly if obj is None else readonly + self.permanent_fields


class BaseAdmin(
    AuditedAdminMixin,
    ExtensibleAdminMixin,
    BilingualFieldsMixin,
    PermanentFieldsMixin,
    admin.ModelAdmin,
):
    """The defaults every model page of the tracker starts from: its History read from the
    audit trail and deletes with a reason (history.admin), and the additions other apps made
    through agreements.admin.hooks."""

    # Changelists page through rows with a fixed number of queries; saying so here keeps
    # "show all" from turning a list of incidents into one enormous page.
    list_per_page = 100
    list_max_show_all = 500
