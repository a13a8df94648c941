"""ACLED in and out from the incident list: upload, preview, confirm; export a selection.

The upload is kept in a private temporary folder between the preview and the confirmation
(its name is remembered in the analyst's session only); the preview is a dry run of the same
import the confirmation runs, so its counts are what the confirmation writes unless someone
changes incidents in between.
"""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from history.context import add_reason
from tracker.exports.acled import csv_chunks
from tracker.imports.acled import ImportRefused, incident_import
from tracker.models import Incident

UPLOADS = Path(tempfile.gettempdir()) / "tracker-acled-uploads"
SESSION_KEY = "acled_uploads"


class AcledUploadForm(forms.Form):
    file = forms.FileField(label=_("ACLED CSV export (UTF-8)"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("Kept in the audit trail with every imported change, e.g. 'ACLED Syria 2021'."),
    )


class AcledConfirmForm(forms.Form):
    upload = forms.UUIDField(widget=forms.HiddenInput)
    reason = forms.CharField(max_length=500, widget=forms.HiddenInput)


class AcledAdminMixin:
    """Adds the import page (a button on the incident list) and the export action."""

    def get_urls(self) -> list:
        model_admin: admin.ModelAdmin = self  # type: ignore[assignment]
        view = model_admin.admin_site.admin_view(self.acled_import_view)
        urls = super().get_urls()  # type: ignore[misc]
        return [path("import-acled/", view, name="tracker_incident_import_acled"), *urls]

    @admin.action(description=_("Export the selected incidents as ACLED CSV"), permissions=["view"])
    def export_acled(self, request: HttpRequest, queryset: QuerySet[Incident]) -> HttpResponse:
        incidents = queryset.order_by("-occurred_on", "-id")
        response = StreamingHttpResponse(
            (piece.encode("utf-8") for piece in csv_chunks(incidents)),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="incidents.csv"'
        return response

    def acled_import_view(self, request: HttpRequest) -> HttpResponse:
        model_admin: admin.ModelAdmin = self  # type: ignore[assignment]
        if not (
            model_admin.has_add_permission(request) and model_admin.has_change_permission(request)
        ):
            raise PermissionDenied
        context: dict[str, Any] = {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.opts,
            "title": _("Import incidents from an ACLED CSV export"),
        }
        if request.method == "POST" and "confirm" in request.POST:
            return self._confirm(request)
        form = AcledUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            token = uuid.uuid4()
            UPLOADS.mkdir(mode=0o700, exist_ok=True)
            target = UPLOADS / f"{token}.csv"
            with target.open("wb") as out:
                for chunk in form.cleaned_data["file"].chunks():
                    out.write(chunk)
            try:
                with target.open("rb") as stream:
                    report = incident_import(stream=stream, dry_run=True)
            except (ImportRefused, UnicodeDecodeError) as error:
                target.unlink(missing_ok=True)
                message = (
                    str(error) if isinstance(error, ImportRefused) else _("The file is not UTF-8.")
                )
                form.add_error("file", message)
            else:
                request.session[SESSION_KEY] = [*request.session.get(SESSION_KEY, []), str(token)]
                context |= {
                    "report": report,
                    "confirm_form": AcledConfirmForm(
                        initial={"upload": token, "reason": form.cleaned_data["reason"]}
                    ),
                    "unmatched": report.unmatched_actors.most_common(),
                    "file_name": form.cleaned_data["file"].name,
                }
        context["form"] = form
        return TemplateResponse(request, "admin/tracker/incident/acled_import.html", context)

    def _confirm(self, request: HttpRequest) -> HttpResponse:
        form = AcledConfirmForm(request.POST)
        mine = request.session.get(SESSION_KEY, [])
        if not form.is_valid() or str(form.cleaned_data["upload"]) not in mine:
            messages.error(request, _("That upload is gone; upload the file again."))
            return HttpResponseRedirect(reverse("admin:tracker_incident_import_acled"))
        token = str(form.cleaned_data["upload"])
        target = UPLOADS / f"{token}.csv"
        if not target.is_file():
            messages.error(request, _("That upload is gone; upload the file again."))
            return HttpResponseRedirect(reverse("admin:tracker_incident_import_acled"))
        # The audit middleware opened the request's context (channel admin, the user).
        add_reason(form.cleaned_data["reason"])
        try:
            with target.open("rb") as stream:
                report = incident_import(stream=stream)
        finally:
            target.unlink(missing_ok=True)
            request.session[SESSION_KEY] = [t for t in mine if t != token]
        messages.success(
            request, _("ACLED import done: %(summary)s.") % {"summary": report.summary()}
        )
        return HttpResponseRedirect(reverse("admin:tracker_incident_changelist"))


# ACLED's columns that have no other place on the incident page, folded away.
ACLED_FIELDSET = (
    _("ACLED"),
    {
        "classes": ("collapse",),
        "fields": (
            ("disorder_type", "civilian_targeting"),
            ("inter1", "inter2", "interaction"),
            ("iso", "region", "source_scale"),
            "tags",
            ("acled_timestamp", "acled_withdrawn_at"),
        ),
    },
)
