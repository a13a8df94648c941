from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from agreements.choices import Modality
from agreements.dependencies import dependency_problem
from agreements.models.clauses import Clause
from agreements.models.dates import FieldCheck, date_precision_constraints, precision_field
from agreements.models.parties import Party
from agreements.models.rules import RulesModel
from agreements.names import in_reader_language
from history.models import audited

# Enough to recognise an action in a picker without the line running off the page.
ACTION_WORDS_SHOWN = 12


@audited()
class Obligation(RulesModel):
    """Who must do (or refrain from) what, for whom, by when, under one clause.

    The deadline is either an absolute date or a number of days after the agreement's
    signature; never both. Its compliance status is not stored here: it is derived from the
    latest compliance assessment (see tracker.selectors).
    """

    clause = models.ForeignKey(
        Clause, on_delete=models.PROTECT, related_name="obligations", verbose_name=_("clause")
    )
    key = models.SlugField(
        max_length=60,
        help_text=_("Permanent identifier within the clause, e.g. 'hand-over-weapons'."),
        verbose_name=_("key"),
    )
    obligor = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        related_name="obligations",
        help_text=_("The party that owes this."),
        verbose_name=_("obligor"),
    )
    beneficiary = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="obligations_owed",
        help_text=_("The party it is owed to, if the sources name one."),
        verbose_name=_("beneficiary"),
    )
    modality = models.CharField(
        max_length=10, choices=Modality.choices, default=Modality.DO, verbose_name=_("modality")
    )
    action_en = models.TextField(
        _("action (English)"),
        help_text=_("What must be done, in neutral words, e.g. 'hand over light weapons'."),
    )
    action_ar = models.TextField(_("action (Arabic)"), blank=True)
    due_on = models.DateField(
        null=True,
        blank=True,
        help_text=_("Absolute deadline, if the sources give one."),
        verbose_name=_("due on"),
    )
    due_precision = precision_field("due_on", verbose_name=_("due precision"))
    due_days_after_signature = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=_("Deadline as days after signature (e.g. 5), when the text words it so."),
        verbose_name=_("due days after signature"),
    )
    depends_on = models.ManyToManyField(
        "self",
        through="ObligationDependency",
        symmetrical=False,
        related_name="dependents",
        blank=True,
        help_text=_("Obligations that must be met first (e.g. withdrawal after the hand-over)."),
        verbose_name=_("depends on"),
    )
    note = models.TextField(blank=True, verbose_name=_("note"))

    class Meta:
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        ordering = ["clause", "key"]
        constraints = [
            models.UniqueConstraint(fields=["clause", "key"], name="obligation_key_unique"),
            *date_precision_constraints("obligation", "due_on", "due_precision"),
            FieldCheck(
                field="due_days_after_signature",
                condition=Q(due_on__isnull=True) | Q(due_days_after_signature__isnull=True),
                name="obligation_one_kind_of_deadline",
                violation_error_message=_(
                    "Give either an absolute deadline or days after signature, not both."
                ),
            ),
        ]

    # What __str__ reads beyond the row: the history layer selects it with the row.
    audit_name_paths = ("clause__agreement",)

    def __str__(self) -> str:
        # What a picker needs to tell obligations apart, in the reader's language, the action
        # shortened between words. Pages that list obligations select clause__agreement.
        clause = self.clause
        action = Truncator(in_reader_language(self.action_en, self.action_ar)).words(
            ACTION_WORDS_SHOWN, truncate="…"
        )
        return f"{clause.agreement.code} · {clause.label or clause.key} · {action}"


@audited()
class ObligationDependency(RulesModel):
    """ "<obligation> can only be met after <prerequisite>": sequencing within one agreement."""

    obligation = models.ForeignKey(
        Obligation,
        on_delete=models.CASCADE,
        related_name="prerequisite_links",
        verbose_name=_("obligation"),
    )
    prerequisite = models.ForeignKey(
        Obligation,
        on_delete=models.PROTECT,
        related_name="dependent_links",
        verbose_name=_("prerequisite"),
    )
    note = models.CharField(
        max_length=300, blank=True, help_text=_("What the sources say."), verbose_name=_("note")
    )

    class Meta:
        verbose_name = _("obligation dependency")
        verbose_name_plural = _("obligation dependencies")
        constraints = [
            models.UniqueConstraint(
                fields=["obligation", "prerequisite"], name="obligation_dependency_unique"
            ),
            FieldCheck(
                field="prerequisite",
                condition=~Q(obligation=F("prerequisite")),
                name="obligation_not_own_prerequisite",
                violation_error_message=_("An obligation cannot depend on itself."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.obligation.key} after {self.prerequisite.key}"

    def clean(self) -> None:
        if self.obligation_id and self.prerequisite_id:
            problem = dependency_problem(self.obligation, self.prerequisite)
            if problem:
                raise ValidationError({"prerequisite": problem})
