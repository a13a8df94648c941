from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from agreements.admin.base import BaseAdmin, BilingualFieldsMixin
from agreements.admin.tabular import TabularInline
from agreements.choices import DatePrecision
from agreements.models import Obligation, ObligationDependency
from agreements.names import in_reader_language
from agreements.selectors import with_due_date


class ObligationDependencyInline(BilingualFieldsMixin, TabularInline):
    model = ObligationDependency
    fk_name = "obligation"
    fields = ("prerequisite", "note")
    autocomplete_fields = ("prerequisite",)
    verbose_name = _("prerequisite (must be met first)")
    verbose_name_plural = _("prerequisites (must be met first)")
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[ObligationDependency]:
        return (
            super()
            .get_queryset(request)
            .select_related("obligation__clause__agreement", "prerequisite__clause__agreement")
        )


@admin.register(Obligation)
class ObligationAdmin(BaseAdmin):
    list_display = ("key", "obligor", "modality", "action", "beneficiary", "agreement", "deadline")
    list_filter = (
        "modality",
        "clause__agreement",
        ("obligor", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = (
        "key",
        "action_en",
        "action_ar",
        "clause__key",
        "clause__agreement__code",
        "obligor__name_en",
        "obligor__name_ar",
        "obligor__aliases__alias",
    )
    autocomplete_fields = ("clause", "obligor", "beneficiary")
    readonly_fields = ("part_of",)
    fieldsets = (
        # Classed "lead": shown first, above the judgement form the tracker adds.
        (None, {"fields": ("part_of",), "classes": ("lead",)}),
        (None, {"fields": ("clause", "key")}),
        (
            _("Who owes what to whom"),
            {"fields": (("obligor", "beneficiary"), "modality", ("action_en", "action_ar"))},
        ),
        (
            _("Deadline"),
            {
                "fields": (("due_on", "due_precision"), "due_days_after_signature"),
                "description": _(
                    "Give an absolute date, or the number of days after signature when the "
                    "text words it so; not both."
                ),
            },
        ),
        (_("Notes"), {"fields": ("note",)}),
    )
    inlines = (ObligationDependencyInline,)

    def get_fieldsets(self, request: HttpRequest, obj: Obligation | None = None) -> list:
        if obj is None:
            # Nothing to name before the clause is chosen.
            return self.extended_fieldsets(request, obj, self.fieldsets[1:])
        return super().get_fieldsets(request, obj)

    @admin.display(description=_("agreement"))
    def part_of(self, obligation: Obligation) -> str:
        """The agreement, by its title, linked: the page otherwise names only the clause."""
        agreement = obligation.clause.agreement
        return format_html(
            '<a href="{}" dir="auto">{}</a> ({})',
            reverse("admin:agreements_agreement_change", args=[agreement.pk]),
            agreement.title_en,
            agreement.code,
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Obligation]:
        # Every obligation's name shows its obligor, and its deadline may count from the
        # agreement's signature: both come in the same query, on every page that lists them.
        # (The changelist ignores list_select_related once this selects related rows.)
        listed = super().get_queryset(request)
        return with_due_date(listed.select_related("obligor", "beneficiary", "clause__agreement"))

    @admin.display(description=_("action"), ordering="action_en")
    def action(self, obligation: Obligation) -> str:
        return in_reader_language(obligation.action_en, obligation.action_ar)

    @admin.display(description=_("agreement"), ordering="clause__agreement__signed_on")
    def agreement(self, obligation: Obligation) -> str:
        return obligation.clause.agreement.code

    @admin.display(description=_("deadline"), ordering="due_on")
    def deadline(self, obligation: Obligation) -> str | None:
        due, precision = obligation.due_date, obligation.due_date_precision
        if due is None:
            return None
        if precision in ("", DatePrecision.DAY):
            return f"{due:%Y-%m-%d}"
        return f"{due:%Y-%m-%d} ({DatePrecision(precision).label})"


@admin.register(ObligationDependency)
class ObligationDependencyAdmin(BaseAdmin):
    list_display = ("obligation", "prerequisite", "note")
    list_filter = ("obligation__clause__agreement",)
    list_select_related = ("obligation__clause__agreement", "prerequisite__clause__agreement")
    search_fields = (
        "obligation__key",
        "obligation__action_en",
        "prerequisite__key",
        "prerequisite__action_en",
    )
    autocomplete_fields = ("obligation", "prerequisite")
    fields = ("obligation", "prerequisite", "note")
