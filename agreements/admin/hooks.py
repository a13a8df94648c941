"""The one way another app adds to an agreements admin page.

agreements never imports tracker, yet the obligation page should show what the tracker knows
(compliance status, judgements). The tracker describes its additions as a ``PageExtension``
and hands it over once, from its own admin module::

    from agreements.admin import hooks
    from agreements.admin.obligations import ObligationAdmin

    hooks.extend(ObligationAdmin, ComplianceOnObligations())

The page agreements registers stays the page that is served: its ``get_*`` methods (in
``ExtensibleAdminMixin``, part of BaseAdmin) ask the page's extensions at request time. Nothing
is unregistered, re-registered or subclassed. An extension may add list columns and filters,
inlines (or put its own subclass in place of one of the page's inlines), fieldsets of read-only
rows, annotate the page's queryset, and save the inline formsets it added.
"""

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.options import InlineModelAdmin
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest


class PageExtension:
    """What an app adds to one agreements page. Override only what you add."""

    #: Columns appended to the change list: names the queryset provides, or callables
    #: (decorate them with ``@admin.display``).
    list_display: tuple[str | Callable, ...] = ()
    #: Filters put before the page's own.
    list_filter: tuple[Any, ...] = ()
    #: Inlines appended to the change form.
    inlines: tuple[type[InlineModelAdmin], ...] = ()
    #: One of the page's inlines -> the extension's subclass of it, shown in its place.
    replace_inlines: Mapping[type[InlineModelAdmin], type[InlineModelAdmin]] = {}

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        """The page's rows, e.g. with annotations the columns above read."""
        return queryset

    def fieldsets(self, request: HttpRequest, obj: Any) -> list[tuple[Any, dict[str, Any]]]:
        """Fieldsets inserted after the page's first one. Their fields are callables taking
        the object (read-only rows)."""
        return []

    def formset_kwargs(
        self, request: HttpRequest, obj: Any, inline: InlineModelAdmin, kwargs: dict[str, Any]
    ) -> dict[str, Any]:
        return kwargs

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> bool:
        """Save a formset of one of this extension's inlines and say True; False leaves it to
        the page."""
        return False


_extensions: dict[type[admin.ModelAdmin], list[PageExtension]] = {}

# Where an extension leaves the message to show instead of "The ... was changed successfully."
_INSTEAD = "_extension_success_message"


def say_instead_of_saved(request: HttpRequest, message: str) -> None:
    """Tell the user what happened (e.g. "Judgement recorded.") instead of the page's generic
    success message, when what an extension saved is the point of the submission."""
    setattr(request, _INSTEAD, message)


def extend(page: type[admin.ModelAdmin], extension: PageExtension) -> None:
    """Add ``extension`` to ``page`` (an agreements ModelAdmin class). Once per extension
    class: a repeated call (a module imported twice) changes nothing."""
    registered = _extensions.setdefault(page, [])
    if not any(type(known) is type(extension) for known in registered):
        registered.append(extension)


def extensions_of(model_admin: admin.ModelAdmin) -> list[PageExtension]:
    return [
        extension
        for page in type(model_admin).__mro__
        for extension in _extensions.get(page, ())  # type: ignore[call-overload]
    ]


class ExtensibleAdminMixin:
    """Asks the page's extensions (see ``extend``) for their additions on each request."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        for extension in extensions_of(self):  # type: ignore[arg-type]
            queryset = extension.queryset(request, queryset)
        return queryset

    def get_list_display(self, request: HttpRequest) -> tuple:
        shown = tuple(super().get_list_display(request))  # type: ignore[misc]
        for extension in extensions_of(self):  # type: ignore[arg-type]
            shown += tuple(extension.list_display)
        return shown

    def get_list_filter(self, request: HttpRequest) -> tuple:
        filters = tuple(super().get_list_filter(request))  # type: ignore[misc]
        for extension in extensions_of(self):  # type: ignore[arg-type]
            filters = tuple(extension.list_filter) + filters
        return filters

    def get_inlines(self, request: HttpRequest, obj: Any) -> list:
        inlines = list(super().get_inlines(request, obj))  # type: ignore[misc]
        for extension in extensions_of(self):  # type: ignore[arg-type]
            inlines = [extension.replace_inlines.get(inline, inline) for inline in inlines]
            inlines += extension.inlines
        return inlines

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list:
        fieldsets = super().get_fieldsets(request, obj)  # type: ignore[misc]
        return self.extended_fieldsets(request, obj, fieldsets)

    def extended_fieldsets(self, request: HttpRequest, obj: Any, fieldsets: Any) -> list:
        """The page's fieldsets with its extensions' inserted after the first. A page that
        builds its fieldsets itself (without super().get_fieldsets) returns them through this."""
        fieldsets = list(fieldsets)
        for extension in extensions_of(self):  # type: ignore[arg-type]
            fieldsets[1:1] = extension.fieldsets(request, obj)
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple:
        readonly = tuple(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        for extension in extensions_of(self):  # type: ignore[arg-type]
            for _name, options in extension.fieldsets(request, obj):
                readonly += tuple(options["fields"])
        return readonly

    def get_formset_kwargs(
        self, request: HttpRequest, obj: Any, inline: InlineModelAdmin, prefix: str
    ) -> dict[str, Any]:
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)  # type: ignore[misc]
        for extension in extensions_of(self):  # type: ignore[arg-type]
            kwargs = extension.formset_kwargs(request, obj, inline, kwargs)
        return kwargs

    def message_user(
        self,
        request: HttpRequest,
        message: str,
        level: int = messages.INFO,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        instead = getattr(request, _INSTEAD, None)
        if instead is not None and level == messages.SUCCESS:
            message = instead
        super().message_user(request, message, level, *args, **kwargs)  # type: ignore[misc]

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> None:
        for extension in extensions_of(self):  # type: ignore[arg-type]
            if extension.save_formset(request, form, formset, change):
                return
        super().save_formset(request, form, formset, change)  # type: ignore[misc]
