import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import Obligation, Source
from agreements.models.dates import (
    FieldCheck,
    date_precision_constraints,
    nonblank,
    precision_field,
)
from agreements.models.rules import RulesModel
from history.models import audited
from tracker.choices import ComplianceStatus, ImplementationLevel, ReviewState
from tracker.models.incidents import Incident

# The judgement itself. Once recorded these never change: a correction is a new assessment
# that names the one it supersedes. Only the review fields may change afterwards.
JUDGEMENT_FIELDS = [
    "obligation",
    "status",
    "level",
    "valid_from",
    "valid_from_precision",
    "rationale",
    "author",
    "recorded_at",
    "supersedes",
]
# What a lead's review sets; the only fields that change after recording.
REVIEW_FIELDS = ["review_state", "reviewed_by", "reviewed_at", "review_note"]


@audited()
class ComplianceAssessment(RulesModel):
    """An analyst's judgement of one obligation's compliance, holding from a date in the world.

    Append-only: the database refuses deletes and changes to the judgement fields. The
    obligation's current status is its latest assessment by valid-from date (see
    tracker.selectors), so it is never typed twice.
    """

    # What the history shows as the reason for a judgement and for its review.
    audit_reason_fields = ("rationale", "review_note")

    obligation = models.ForeignKey(
        Obligation,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("obligation"),
    )
    status = models.CharField(
        max_length=20, choices=ComplianceStatus.choices, verbose_name=_("status")
    )
    level = models.PositiveSmallIntegerField(
        choices=ImplementationLevel.choices,
        null=True,
        blank=True,
        help_text=_("Implementation level on the PAM scale 0-3; empty if it cannot be told."),
        verbose_name=_("level"),
    )
    valid_from = models.DateField(
        help_text=_("The date in the world from which this judgement holds (not today's date)."),
        verbose_name=_("valid from"),
    )
    valid_from_precision = precision_field("valid_from", verbose_name=_("valid from precision"))
    rationale = models.TextField(
        help_text=_("Why you judge so: what happened, which sources, what is still unclear."),
        verbose_name=_("rationale"),
    )
    evidence_sources = models.ManyToManyField(
        Source,
        blank=True,
        related_name="assessments",
        help_text=_("Sources this judgement relies on."),
        verbose_name=_("evidence sources"),
    )
    evidence_incidents = models.ManyToManyField(
        Incident,
        blank=True,
        related_name="assessments",
        help_text=_("Incidents this judgement relies on."),
        verbose_name=_("evidence incidents"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments_authored",
        help_text=_("Empty for assessments loaded from the seed files."),
        verbose_name=_("author"),
    )
    recorded_at = models.DateTimeField(
        default=timezone.now, editable=False, verbose_name=_("recorded at")
    )
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        help_text=_("The earlier assessment this one corrects, if it is a correction."),
        verbose_name=_("supersedes"),
    )
    review_state = models.CharField(
        max_length=10,
        choices=ReviewState.choices,
        default=ReviewState.PENDING,
        verbose_name=_("review state"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments_reviewed",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reviewed at"))
    review_note = models.TextField(blank=True, verbose_name=_("review note"))

    class Meta:
        verbose_name = _("compliance assessment")
        verbose_name_plural = _("compliance assessments")
        ordering = ["obligation", "-valid_from", "-recorded_at", "-id"]
        get_latest_by = ["valid_from", "recorded_at", "id"]
        permissions = [("review_complianceassessment", "Can review compliance assessments")]
        constraints = [
            *date_precision_constraints("assessment", "valid_from", "valid_from_precision"),
            nonblank("rationale", "assessment_has_rationale"),
            FieldCheck(
                field="level",
                condition=Q(level__isnull=True) | Q(level__gte=0, level__lte=3),
                name="assessment_level_pam_range",
                violation_error_message=_("The implementation level runs from 0 to 3."),
            ),
            FieldCheck(
                field="supersedes",
                condition=~Q(supersedes=F("pk")),
                name="assessment_not_superseding_itself",
                violation_error_message=_("An assessment cannot correct itself."),
            ),
            FieldCheck(
                field="reviewed_at",
                condition=Q(
                    review_state=ReviewState.PENDING,
                    reviewed_by__isnull=True,
                    reviewed_at__isnull=True,
                )
                | (~Q(review_state=ReviewState.PENDING) & Q(reviewed_at__isnull=False)),
                name="assessment_review_recorded",
                violation_error_message=_("A reviewed assessment needs its review time."),
            ),
        ]
        triggers = [
            pgtrigger.Protect(name="assessment_append_only", operation=pgtrigger.Delete),
            pgtrigger.ReadOnly(name="assessment_judgement_frozen", fields=JUDGEMENT_FIELDS),
        ]

    def __str__(self) -> str:
        return f"{self.obligation.key}: {self.get_status_display()} from {self.valid_from}"

    def clean(self) -> None:
        """The judgement's own rules, beside the constraints; the admin shows each at its
        field, the API answers a 400 naming it, and the services call full_clean() once."""
        errors: dict[str, str] = {}
        # Judgements are frozen once recorded, so the date is only checked on the way in.
        if self._state.adding and self.valid_from and self.valid_from > timezone.localdate():
            errors["valid_from"] = _("A judgement cannot hold from a date that has not come yet.")
        if (
            self.supersedes_id is not None
            and self.obligation_id is not None
            and self.supersedes.obligation_id != self.obligation_id
        ):
            errors["supersedes"] = _("A correction must concern the same obligation.")
        if self.review_state == ReviewState.REJECTED and not self.review_note.strip():
            errors["review_note"] = _("Say why the judgement is rejected.")
        if errors:
            raise ValidationError(errors)


# The evidence lists are rows of their own; their changes belong in the trail too.
audited()(ComplianceAssessment.evidence_sources.through)
audited()(ComplianceAssessment.evidence_incidents.through)
