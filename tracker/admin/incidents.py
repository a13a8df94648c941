from functools import cached_property
from typing import Any

from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Field, Q, QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.forms import Field as FormField
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from agreements.admin.base import BaseAdmin, BilingualFieldsMixin
from agreements.admin.tabular import TabularInline
from agreements.models import Party
from tracker.admin.imports import ACLED_FIELDSET, AcledAdminMixin
from tracker.admin.incident_entry import SubEventSelect, warn_of_look_alikes
from tracker.choices import Verification
from tracker.models import BreachClaim, Incident, IncidentActor, IncidentSource
from tracker.models.incidents import INCIDENT_SEARCH_FIELDS

# Below this many rows an exact count is cheap; above it an unfiltered list shows PostgreSQL's
# own estimate (pg_class.reltuples, kept by ANALYZE and autovacuum) instead of counting.
EXACT_COUNT_UP_TO = 100_000


class EstimatedCountPaginator(Paginator):
    """Counts a filtered list exactly, but takes the planner's row estimate for the whole
    table once it is large: ``SELECT count(*)`` over a million incidents reads every row."""

    @cached_property
    def count(self) -> int:
        query = getattr(self.object_list, "query", None)
        if query is not None and not query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                    [query.model._meta.db_table],
                )
                row = cursor.fetchone()
            if row and row[0] > EXACT_COUNT_UP_TO:
                return int(row[0])
        return super().count


class GovernorateFilter(admin.SimpleListFilter):
    """The governorates incidents name, found by skipping through the (admin1, ...) index one
    value at a time, not by a DISTINCT that reads every incident."""

    title = _("governorate")
    parameter_name = "admin1"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        with connection.cursor() as cursor:
            cursor.execute(
                """
                WITH RECURSIVE governorates(name) AS (
                    SELECT min(admin1) FROM tracker_incident
                    UNION ALL
                    SELECT (SELECT min(admin1) FROM tracker_incident WHERE admin1 > name)
                    FROM governorates WHERE name IS NOT NULL
                )
                SELECT name FROM governorates WHERE name IS NOT NULL
                """
            )
            return [(name, name or "-") for (name,) in cursor.fetchall()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Incident]) -> QuerySet[Incident]:
        if self.value() is None:
            return queryset
        return queryset.filter(admin1=self.value())


def incidents_matching(term: str) -> QuerySet:
    """Ids of incidents with ``term`` in one of their text columns or their actors' names (as
    reported, a party's names or aliases): a UNION of indexed lookups, never a scan of every
    incident or a DISTINCT over the join with actors."""
    parties = Party.objects.filter(
        Q(name_en__icontains=term) | Q(name_ar__icontains=term) | Q(aliases__alias__icontains=term)
    ).values("pk")
    own = Q(acled_event_id=term)
    for field in INCIDENT_SEARCH_FIELDS:
        own |= Q(**{f"{field}__icontains": term})
    return (
        Incident.objects.filter(own)
        .order_by()
        .values("pk")
        .union(
            IncidentActor.objects.filter(name_as_reported__icontains=term)
            .order_by()
            .values("incident_id"),
            IncidentActor.objects.filter(party__in=parties).order_by().values("incident_id"),
            all=True,
        )
    )


class IncidentActorInline(BilingualFieldsMixin, TabularInline):
    model = IncidentActor
    fields = ("party", "name_as_reported", "side", "is_associate")
    autocomplete_fields = ("party",)
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[IncidentActor]:
        return super().get_queryset(request).select_related("party")


class IncidentSourceInline(BilingualFieldsMixin, TabularInline):
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
            .select_related("incident", "obligation__clause__agreement", "claimant", "created_by")
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
    list_filter = ("verification", "event_type", GovernorateFilter, "date_precision")
    # Searched by get_search_results below (key, location, descriptions, ACLED id, actors).
    search_fields = ("key",)
    search_help_text = _(
        "Each word is looked for in the key, ACLED id (exact), place, descriptions and "
        "actors' names."
    )
    # At a million incidents: no date hierarchy (a DISTINCT over every date), no second count
    # of the whole table, and an estimated count for the unfiltered list.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    ordering = ("-occurred_on", "-id")
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

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Incident], search_term: str
    ) -> tuple[QuerySet[Incident], bool]:
        """Every word must match (as Django's search does); each is a case-insensitive
        substring answered by the trigram indexes, and no DISTINCT is needed."""
        for term in search_term.split():
            queryset = queryset.filter(pk__in=incidents_matching(term))
        return queryset, False

    def formfield_for_choice_field(
        self, db_field: Field, request: HttpRequest, **kwargs: Any
    ) -> FormField:
        if db_field.name == "sub_event_type":
            kwargs["widget"] = SubEventSelect
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        # After the actors are saved: they are part of what makes two incidents look alike.
        warn_of_look_alikes(request, form.instance)

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
    list_select_related = ("incident", "obligation__clause__agreement", "claimant", "created_by")
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
