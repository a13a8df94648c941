from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import BaseFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from agreements.admin.base import BaseAdmin
from agreements.choices import DatePrecision
from agreements.models import Obligation
from tracker.models import ComplianceAssessment
from tracker.models.assessments import JUDGEMENT_FIELDS
from tracker.services import assessment_record, assessment_review, assessment_review_check

REVIEW_PERMISSION = "tracker.review_complianceassessment"
EVIDENCE_FIELDS = ("evidence_sources", "evidence_incidents")
# What an analyst types when recording a judgement; the service adds who and when.
RECORDED_FIELDS = (
    "status",
    "level",
    "valid_from",
    "valid_from_precision",
    "rationale",
    *EVIDENCE_FIELDS,
    "supersedes",
)


class JudgementForm(ModelForm):
    """An assessment's form: a new judgement for assessment_record, or a lead's review.

    The judgement's rules are the model's, which the form runs like any ModelForm, so a broken
    one shows at its field before anything is saved. A review also passes the review
    service's own check (who may review), run here with the user the page sets as
    ``reviewer``.
    """

    reviewer: Any = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Most judgements hold from a known day; an unchanged default keeps an untouched
        # inline form empty.
        if "valid_from_precision" in self.fields and not self.initial.get("valid_from_precision"):
            self.initial["valid_from_precision"] = DatePrecision.DAY

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        is_review = self.instance.pk is not None and "review_state" in self.changed_data
        if is_review and self.reviewer is not None and "review_state" in cleaned_data:
            try:
                assessment_review_check(
                    assessment=self.instance,
                    reviewer=self.reviewer,
                    state=cleaned_data["review_state"],
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned_data


def record_judgement(
    request: HttpRequest, form: ModelForm, obligation: Obligation
) -> ComplianceAssessment:
    """Save the judgement typed into ``form`` (already checked by the model's rules) through
    the service, authored by the user."""
    data = form.cleaned_data
    return assessment_record(
        obligation=obligation,
        author=request.user,
        **{name: data[name] for name in RECORDED_FIELDS if name in data},
    )


@admin.register(ComplianceAssessment)
class ComplianceAssessmentAdmin(BaseAdmin):
    """Judgements are appended and reviewed, never edited or deleted."""

    form = JudgementForm
    list_display = (
        "obligation",
        "status",
        "level",
        "valid_from",
        "review_state",
        "author",
        "recorded_at",
    )
    list_filter = ("review_state", "status", "level", "obligation__clause__agreement")
    search_fields = (
        "obligation__key",
        "obligation__action_en",
        "obligation__action_ar",
        "obligation__obligor__name_en",
        "rationale",
    )
    date_hierarchy = "valid_from"
    autocomplete_fields = ("obligation", "supersedes", *EVIDENCE_FIELDS)

    def get_form(
        self,
        request: HttpRequest,
        obj: ComplianceAssessment | None = None,
        change: bool = False,
        **kwargs: Any,
    ):
        form = super().get_form(request, obj, change=change, **kwargs)
        # A class made for this request (modelform_factory), so the reviewer stays with it.
        form.reviewer = request.user
        return form

    def get_queryset(self, request: HttpRequest) -> QuerySet[ComplianceAssessment]:
        # An assessment is named after its obligation, in lists and in autocomplete results.
        # (The changelist ignores list_select_related once this selects related rows.)
        return (
            super().get_queryset(request).select_related("obligation__clause__agreement", "author")
        )

    def get_fieldsets(self, request: HttpRequest, obj: ComplianceAssessment | None = None):
        fieldsets = [
            (
                _("Judgement"),
                {
                    "fields": (
                        "obligation",
                        ("status", "level"),
                        ("valid_from", "valid_from_precision"),
                        "rationale",
                        "supersedes",
                    )
                },
            ),
            (_("Evidence"), {"fields": EVIDENCE_FIELDS}),
        ]
        if obj is not None:
            fieldsets += [
                (_("Recorded"), {"fields": (("author", "recorded_at"),)}),
                (
                    _("Review"),
                    {"fields": (("review_state", "review_note"), ("reviewed_by", "reviewed_at"))},
                ),
            ]
        return fieldsets

    def get_readonly_fields(
        self, request: HttpRequest, obj: ComplianceAssessment | None = None
    ) -> list[str]:
        if obj is None:
            return []
        # The database refuses changes to the judgement; a correction is a new assessment.
        readonly = [*JUDGEMENT_FIELDS, *EVIDENCE_FIELDS, "reviewed_by", "reviewed_at"]
        if not request.user.has_perm(REVIEW_PERMISSION):
            readonly += ["review_state", "review_note"]
        return readonly

    def has_delete_permission(
        self, request: HttpRequest, obj: ComplianceAssessment | None = None
    ) -> bool:
        # Append-only: the database refuses deletes, and the history must stay whole.
        return False

    def save_model(
        self, request: HttpRequest, obj: ComplianceAssessment, form: ModelForm, change: bool
    ) -> None:
        if change:
            if form.changed_data:
                self._review(request, obj, form)
            return
        recorded = record_judgement(request, form, form.cleaned_data["obligation"])
        # The admin logs and redirects with the instance it built from the form; give that
        # instance the identity and values of the row the service saved.
        for field in obj._meta.concrete_fields:
            setattr(obj, field.attname, getattr(recorded, field.attname))
        obj._state.adding = False

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: list[BaseFormSet], change: bool
    ) -> None:
        """Nothing left to save: the service stored the evidence with the judgement, and
        evidence is read-only afterwards."""

    def _review(self, request: HttpRequest, obj: ComplianceAssessment, form: ModelForm) -> None:
        assessment_review(
            assessment=obj,
            reviewer=request.user,
            state=form.cleaned_data["review_state"],
            note=form.cleaned_data["review_note"],
        )
