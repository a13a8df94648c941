"""What the tracker adds to agreements' obligation and clause pages: compliance.

agreements.admin cannot show compliance (agreements never imports tracker); the additions
are handed to its pages once, through agreements.admin.hooks, at the end of this module.
"""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from agreements.admin import hooks
from agreements.admin.base import BilingualFieldsMixin, DatesWithPrecisionMixin
from agreements.admin.clauses import ClauseAdmin, ObligationInline
from agreements.admin.hooks import PageExtension
from agreements.admin.obligations import ObligationAdmin
from agreements.admin.tabular import TabularInline
from agreements.models import Obligation
from tracker.admin.assessments import JudgementForm, record_judgement
from tracker.choices import ComplianceStatus, ImplementationLevel
from tracker.models import ComplianceAssessment
from tracker.selectors import LATEST_FIRST, assessment_history, obligations_with_status
from tracker.status_palette import NOT_ASSESSED, status_badge


class CurrentStatusFilter(admin.SimpleListFilter):
    """Filters on the status derived from the latest standing assessment."""

    title = _("current status")
    parameter_name = "current_status"
    NONE = "none"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        return [*ComplianceStatus.choices, (self.NONE, NOT_ASSESSED)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Obligation]):
        if self.value() is None:
            return queryset
        if self.value() == self.NONE:
            return queryset.filter(current_status__isnull=True)
        return queryset.filter(current_status=self.value())


class AssessmentHistoryInline(TabularInline):
    """Every past judgement of the obligation, newest first. Nothing here can be changed."""

    model = ComplianceAssessment
    fields = (
        "holds_from",
        "status",
        "level",
        "rationale",
        "evidence",
        "author",
        "recorded_at",
        "review",
        "corrects",
    )
    readonly_fields = fields
    verbose_name = _("past assessment")
    verbose_name_plural = _("assessment history, newest first")
    show_change_link = True
    can_delete = False
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Obligation | None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Obligation | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Obligation | None = None) -> bool:
        return False

    @admin.display(description=_("holds from"))
    def holds_from(self, assessment: ComplianceAssessment) -> str:
        return f"{assessment.valid_from:%Y-%m-%d} ({assessment.get_valid_from_precision_display()})"

    @admin.display(description=_("evidence"))
    def evidence(self, assessment: ComplianceAssessment) -> str:
        cited = [*assessment.evidence_sources.all(), *assessment.evidence_incidents.all()]
        return "; ".join(str(item) for item in cited)

    @admin.display(description=_("review"))
    def review(self, assessment: ComplianceAssessment) -> str:
        if assessment.reviewed_by is None:
            return assessment.get_review_state_display()
        return f"{assessment.get_review_state_display()} ({assessment.reviewed_by})"

    @admin.display(description=_("corrects"))
    def corrects(self, assessment: ComplianceAssessment) -> str:
        earlier = assessment.supersedes
        if earlier is None:
            return self.get_empty_value_display()
        return f"{earlier.get_status_display()} from {earlier.valid_from:%Y-%m-%d}"


class NewAssessmentFormSet(BaseInlineFormSet):
    """Blank forms only: what is typed here is saved by assessment_record, never edited."""


class RecordAssessmentInline(DatesWithPrecisionMixin, BilingualFieldsMixin, admin.StackedInline):
    model = ComplianceAssessment
    form = JudgementForm
    formset = NewAssessmentFormSet
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("status", "level"),
                    ("valid_from", "valid_from_precision"),
                    "rationale",
                    ("evidence_sources", "evidence_incidents"),
                    "supersedes",
                )
            },
        ),
    )
    autocomplete_fields = ("evidence_sources", "evidence_incidents")
    verbose_name = _("new assessment")
    # Shown above the obligation's fields: recording a judgement is what the page is for.
    lead = True
    extra = 1
    max_num = 1
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ComplianceAssessment]:
        return super().get_queryset(request).none()

    def has_add_permission(self, request: HttpRequest, obj: Obligation | None) -> bool:
        # The form is submitted with the obligation's page, which only saves for users who
        # may change the obligation; others record from the assessment's own add page.
        obligation_admin = self.admin_site.get_model_admin(self.parent_model)
        return super().has_add_permission(request, obj) and obligation_admin.has_change_permission(
            request, obj
        )

    def has_view_permission(self, request: HttpRequest, obj: Obligation | None = None) -> bool:
        return self.has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Obligation | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Obligation | None = None) -> bool:
        return False

    def get_formset(
        self, request: HttpRequest, obj: Obligation | None = None, **kwargs: Any
    ) -> type[BaseInlineFormSet]:
        formset = super().get_formset(request, obj, **kwargs)
        # A correction can only supersede a judgement of this same obligation.
        supersedes = formset.form.base_fields["supersedes"]
        supersedes.queryset = (
            obj.assessments.order_by(*LATEST_FIRST)
            if obj is not None and obj.pk
            else ComplianceAssessment.objects.none()
        )
        return formset


@admin.display(description=_("current status"), ordering="current_status")
def current_status(obligation: Obligation) -> SafeString:
    return status_badge(obligation.current_status)


@admin.display(description=_("current level"), ordering="current_level")
def current_level(obligation: Obligation) -> str | None:
    if obligation.current_level is None:
        return None
    return ImplementationLevel(obligation.current_level).label


@admin.display(description=_("current status"))
def compliance(obligation: Obligation) -> SafeString:
    if obligation.current_status is None:
        return status_badge(None)
    return format_html(
        "{} from {}", status_badge(obligation.current_status), obligation.current_valid_from
    )


@admin.display(description=_("new judgement"))
def record_elsewhere(obligation: Obligation) -> str:
    # For analysts, who record judgements but may not change the obligation's page.
    return format_html(
        '<a href="{}?obligation={}">{}</a>',
        reverse("admin:tracker_complianceassessment_add"),
        obligation.pk,
        _("Record a judgement of this obligation on its own page"),
    )


class ComplianceOnObligations(PageExtension):
    """The obligation page: current status and level as columns and a filter, the assessment
    history, and a form to record a new judgement (saved by assessment_record)."""

    list_display = (current_status, current_level)
    list_filter = (CurrentStatusFilter,)
    inlines = (AssessmentHistoryInline, RecordAssessmentInline)

    def queryset(self, request: HttpRequest, queryset: QuerySet[Obligation]):
        return obligations_with_status(queryset)

    def fieldsets(self, request: HttpRequest, obj: Obligation | None):
        if obj is None:
            return []
        shown: list = [compliance]
        if request.user.has_perm("tracker.add_complianceassessment"):
            shown.append(record_elsewhere)
        # Classed "lead": the obligation page shows it above the fields to edit.
        return [(_("Compliance"), {"fields": shown, "classes": ("lead",)})]

    def formset_kwargs(
        self, request: HttpRequest, obj: Obligation, inline: Any, kwargs: dict[str, Any]
    ) -> dict[str, Any]:
        if isinstance(inline, AssessmentHistoryInline) and obj.pk:
            kwargs["queryset"] = assessment_history(obj)
        return kwargs

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> bool:
        if not isinstance(formset, NewAssessmentFormSet):
            return False
        recorded = [
            record_judgement(request, new, formset.instance)
            for new in formset.forms
            if new.has_changed()
        ]
        # The change message is built from what each formset reports having saved.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = recorded, [], []
        if recorded:
            hooks.say_instead_of_saved(
                request,
                _("Judgement recorded; the obligation's changes were saved too.")
                if form.has_changed()
                else _("Judgement recorded."),
            )
        return True


class ObligationWithStatusInline(ObligationInline):
    fields = (*ObligationInline.fields, "current_status")
    readonly_fields = (*ObligationInline.readonly_fields, "current_status")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Obligation]:
        return obligations_with_status(super().get_queryset(request))

    @admin.display(description=_("current status"))
    def current_status(self, obligation: Obligation) -> SafeString:
        # New, unsaved rows have no annotation yet.
        return status_badge(getattr(obligation, "current_status", None))


class ComplianceOnClauses(PageExtension):
    """The clause page lists its obligations with their current status."""

    replace_inlines = {ObligationInline: ObligationWithStatusInline}


hooks.extend(ObligationAdmin, ComplianceOnObligations())
hooks.extend(ClauseAdmin, ComplianceOnClauses())
