"""The audit trail in the admin: a page's "History" reads the trail, and every delete asks why.

``AuditedAdminMixin`` belongs to the history layer, beneath both apps: agreements' BaseAdmin
inherits it, and so every audited page of both apps declares it in its own class; nothing is
re-registered or wrapped at import time. Its templates are in history/templates/admin/history/.
"""

import copy
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.template.response import TemplateResponse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from history.context import add_reason
from history.readers import history_of, is_audited

HISTORY_PAGE_SIZE = 100


class DeletionReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this deleted?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60, "dir": "auto"}),
        help_text=_("Required. The reason is kept in the audit trail with the deletion."),
        error_messages={"required": _("Say why this is deleted; nothing was deleted.")},
    )


def _unconfirmed(request: HttpRequest) -> HttpRequest:
    """The request without its form data: Django's delete views then show the confirmation
    page again instead of deleting."""
    unconfirmed = copy.copy(request)
    unconfirmed.POST = QueryDict()
    return unconfirmed


@admin.action(permissions=["delete"], description=delete_selected.short_description)
def delete_selected_with_reason(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
) -> HttpResponse | None:
    """Django's "delete selected", refused until the confirmation page gives a reason."""
    confirmed = bool(request.POST.get("post"))
    form = DeletionReasonForm(request.POST if confirmed else None)
    if confirmed and form.is_valid():
        add_reason(form.cleaned_data["reason"])
        return delete_selected(modeladmin, request, queryset)
    response = delete_selected(
        modeladmin, _unconfirmed(request) if confirmed else request, queryset
    )
    if isinstance(response, TemplateResponse):
        response.context_data["reason_form"] = form
    return response


class AuditedAdminMixin:
    """History read from the audit trail, and a reason required for every delete."""

    object_history_template = "admin/history/history.html"
    delete_confirmation_template = "admin/history/delete_with_reason.html"
    delete_selected_confirmation_template = "admin/history/delete_selected_with_reason.html"

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        model_admin: admin.ModelAdmin = self  # type: ignore[assignment]
        opts = model_admin.opts
        if not is_audited(opts.model):
            # A page that inherits the mixin for a model without a trail keeps Django's log.
            return super().history_view(request, object_id, extra_context)  # type: ignore[misc]
        obj = model_admin.get_object(request, unquote(object_id))
        if not model_admin.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        try:
            pk = obj.pk if obj is not None else opts.pk.to_python(unquote(object_id))
        except ValidationError:
            pk = None
        # A deleted row keeps its history, which is where "who deleted it, and why" is.
        entries = history_of(opts.model, pk) if pk is not None else []
        if obj is None and not entries:
            return model_admin._get_obj_does_not_exist_redirect(request, opts, object_id)

        own = next((entry for entry in entries if not entry.is_child), None)
        label = str(obj) if obj is not None else (own.object_str if own else object_id)
        page = Paginator(entries, HISTORY_PAGE_SIZE).get_page(request.GET.get("p"))
        context = {
            **model_admin.admin_site.each_context(request),
            "title": _("History of %(object)s") % {"object": label},
            "subtitle": None,
            "object": obj,
            "object_label": label,
            "entries": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "module_name": capfirst(opts.verbose_name_plural),
            "opts": opts,
            "preserved_filters": model_admin.get_preserved_filters(request),
            **(extra_context or {}),
        }
        request.current_app = model_admin.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        view = super().delete_view  # type: ignore[misc]
        form = DeletionReasonForm(request.POST or None)
        if form.is_bound and form.is_valid():
            # The audit middleware opened the request's context; the delete joins it.
            add_reason(form.cleaned_data["reason"])
            return view(request, object_id, extra_context)
        if form.is_bound:
            request = _unconfirmed(request)
        return view(request, object_id, {**(extra_context or {}), "reason_form": form})

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)  # type: ignore[misc]
        if "delete_selected" in actions:
            _func, name, description = actions["delete_selected"]
            actions["delete_selected"] = (delete_selected_with_reason, name, description)
        return actions
