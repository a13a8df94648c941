from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from agreements.admin.base import BaseAdmin, BilingualFieldsMixin
from agreements.admin.tabular import TabularInline
from agreements.models import Agreement, AgreementLink, AgreementParty, Clause, Topic


class AgreementPartyInline(BilingualFieldsMixin, TabularInline):
    model = AgreementParty
    fields = ("party", "role", "note")
    autocomplete_fields = ("party",)
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[AgreementParty]:
        return super().get_queryset(request).select_related("party")


class AgreementLinkInline(BilingualFieldsMixin, TabularInline):
    """Links read from this agreement: "<this agreement> <kind> <other agreement>"."""

    model = AgreementLink
    fk_name = "from_agreement"
    fields = ("kind", "to_agreement", "note")
    autocomplete_fields = ("to_agreement",)
    verbose_name = _("link to another agreement")
    verbose_name_plural = _("links to other agreements")
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[AgreementLink]:
        return super().get_queryset(request).select_related("from_agreement", "to_agreement")


class ClauseInline(TabularInline):
    """The agreement's clauses at a glance; each is edited on its own page, with its accounts."""

    model = Clause
    fields = ("position", "label", "key", "topic", "summary_en", "retired_on")
    readonly_fields = fields
    show_change_link = True
    can_delete = False
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Agreement | None = None) -> bool:
        # A clause needs its key, topic and accounts, which only its own page offers.
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Clause]:
        return super().get_queryset(request).select_related("topic")


@admin.register(Agreement)
class AgreementAdmin(BaseAdmin):
    list_display = ("code", "title_en", "title_ar", "signed_on", "status", "stage", "is_published")
    list_filter = ("status", "stage", "is_published")
    search_fields = (
        "code",
        "title_en",
        "title_ar",
        "place_en",
        "place_ar",
        "parties__name_en",
        "parties__name_ar",
        "parties__aliases__alias",
    )
    date_hierarchy = "signed_on"
    permanent_fields = ("code",)
    fieldsets = (
        (None, {"fields": ("code", ("title_en", "title_ar"), ("stage", "status"), "is_published")}),
        (
            _("Dates"),
            {"fields": (("signed_on", "signed_precision"), ("effective_on", "ended_on"))},
        ),
        (
            _("Place, summary and text"),
            {"fields": (("place_en", "place_ar"), ("summary_en", "summary_ar"), "text_reference")},
        ),
    )
    inlines = (AgreementPartyInline, AgreementLinkInline, ClauseInline)


@admin.register(AgreementLink)
class AgreementLinkAdmin(BaseAdmin):
    list_display = ("from_agreement", "kind", "to_agreement", "note")
    list_filter = ("kind",)
    list_select_related = ("from_agreement", "to_agreement")
    search_fields = (
        "from_agreement__code",
        "from_agreement__title_en",
        "from_agreement__title_ar",
        "to_agreement__code",
        "to_agreement__title_en",
        "to_agreement__title_ar",
    )
    autocomplete_fields = ("from_agreement", "to_agreement")
    fields = ("from_agreement", "kind", "to_agreement", "note")


@admin.register(Topic)
class TopicAdmin(BaseAdmin):
    list_display = ("code", "name_en", "name_ar", "parent")
    list_filter = (("parent", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("parent",)
    search_fields = ("code", "name_en", "name_ar")
    autocomplete_fields = ("parent",)
    permanent_fields = ("code",)
    fields = ("code", ("name_en", "name_ar"), "parent", "description")
