from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from agreements.admin.base import BaseAdmin
from agreements.admin.tabular import TabularInline
from agreements.models import Capture, Source


class CaptureInline(TabularInline):
    model = Capture
    fields = ("captured_at", "collector", "location", "media_type", "sha256")
    extra = 0


@admin.register(Source)
class SourceAdmin(BaseAdmin):
    list_display = ("publisher", "title", "language", "reliability", "published_on", "key")
    list_filter = ("reliability", "language")
    search_fields = ("key", "publisher", "title", "url")
    permanent_fields = ("key",)
    fieldsets = (
        (None, {"fields": ("key", ("publisher", "reliability"), "title", ("url", "language"))}),
        (_("Dates"), {"fields": (("published_on", "published_precision"), "accessed_on")}),
        (_("What a reader should know"), {"fields": ("notes",)}),
    )
    inlines = (CaptureInline,)
    # An address typed without a scheme gets https, as Django 6 will do by default.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Capture)
class CaptureAdmin(BaseAdmin):
    list_display = ("source", "captured_at", "collector", "media_type", "short_hash")
    list_filter = ("captured_at", "media_type")
    list_select_related = ("source",)
    search_fields = ("sha256", "collector", "location", "source__key", "source__publisher")
    autocomplete_fields = ("source",)
    fields = ("source", ("captured_at", "collector"), ("location", "media_type"), "sha256")

    @admin.display(description=_("SHA-256"), ordering="sha256")
    def short_hash(self, capture: Capture) -> str:
        # Twelve digits tell copies apart at a glance; the full hash is on the capture's page.
        return f"{capture.sha256[:12]}…"
