from django.contrib import admin
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from agreements.admin.base import BaseAdmin, BilingualFieldsMixin
from tracker.admin.imports import ACLED_FIELDSET, AcledAdminMixin
from tracker.choices import Verification
from tracker.models import BreachClaim, Incident, IncidentActor, IncidentSource


class IncidentActorInline(BilingualFieldsMixin, admin.TabularInline):
    model = IncidentActor
    fields = ("party", "name_as_reported", "side", "is_associate")
    autocomplete_fields = ("party",)
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[IncidentActor]:
        return super().get_queryset(request).select_related("party")


class IncidentSourceInline(BilingualFieldsMixin, admin.TabularInline):
    model = IncidentSource
    fields = ("source", "credibility", "excerpt")
    autocomplete_fields = ("source",)
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[IncidentSource]:
        return super().get_queryset(request).select_related("source")


class BreachClaimInline(BilingualFieldsMixin, admin.StackedInline):
    model = BreachClaim
    fields = (("obligation", "state"), "claimant", "rationale", "created_by")
    readonly_fields = ("created_by",)
    autocomplete_fields = ("obligation", "claimant")
    verbose_name = _("breach claim against an obligation")
    verbose_name_plural = _("breach claims against obligations")
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[BreachClaim]:
        return (
            super()
            .get_queryset(request)
            .select_related("incident", "obligation__obligor", "claimant", "created_by")
        )


@admin.register(Incident)
class IncidentAdmin(AcledAdminMixin, BaseAdmin):
    list_display = (
        "occurred_on",
        "location",
        "admin2",
        "event_type",
        "sub_event_type",
        "fatalities",
        "verification",
        "key",
    )
    list_filter = ("verification", "event_type", "admin1", "date_precision")
    search_fields = (
        "key",
        "acled_event_id",
        "location",
        "admin1",
        "admin2",
        "admin3",
        "description_en",
        "description_ar",
        "actors__name_en",
        "actors__name_ar",
        "actors__aliases__alias",
        "actor_roles__name_as_reported",
    )
    date_hierarchy = "occurred_on"
    permanent_fields = ("key",)
    actions = ("mark_corroborated", "export_acled")
    fieldsets = (
        (None, {"fields": (("key", "acled_event_id"), "verification")}),
        (_("When"), {"fields": (("occurred_on", "date_precision", "ended_on"),)}),
        (_("What"), {"fields": (("event_type", "sub_event_type"), "fatalities")}),
        (
            _("Where"),
            {
                "fields": (
                    "location",
                    ("country", "admin1"),
                    ("admin2", "admin3"),
                    ("latitude", "longitude", "geo_precision"),
                )
            },
        ),
        (_("Description"), {"fields": (("description_en", "description_ar"),)}),
        ACLED_FIELDSET,
    )
    inlines = (IncidentActorInline, IncidentSourceInline, BreachClaimInline)

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> None:
        if formset.model is not BreachClaim:
            super().save_formset(request, form, formset, change)
            return
        claims = formset.save(commit=False)
        for claim in claims:
            if claim.pk is None:
                claim.created_by = request.user
            claim.save()
        for claim in formset.deleted_objects:
            claim.delete()
        formset.save_m2m()

    @admin.action(
        description=_("Mark the selected incidents as corroborated"), permissions=["change"]
    )
    def mark_corroborated(self, request: HttpRequest, queryset: QuerySet[Incident]) -> None:
        # One UPDATE for the whole selection; the history triggers still record each row.
        count = queryset.exclude(verification=Verification.CORROBORATED).update(
            verification=Verification.CORROBORATED
        )
        self.message_user(
            request, _("%(count)d incidents marked as corroborated.") % {"count": count}
        )


@admin.register(BreachClaim)
class BreachClaimAdmin(BaseAdmin):
    list_display = ("incident", "obligation", "state", "claimant", "created_by", "created_at")
    list_filter = ("state", "obligation__clause__agreement", "created_at")
    list_select_related = ("incident", "obligation__obligor", "claimant", "created_by")
    search_fields = (
        "incident__key",
        "incident__location",
        "obligation__key",
        "obligation__action_en",
        "claimant__name_en",
        "rationale",
    )
    autocomplete_fields = ("incident", "obligation", "claimant")
    readonly_fields = ("created_by", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("incident", "obligation", ("state", "claimant"), "rationale")}),
        (_("Recorded"), {"fields": (("created_by", "created_at", "updated_at"),)}),
    )

    def save_model(
        self, request: HttpRequest, obj: BreachClaim, form: ModelForm, change: bool
    ) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
