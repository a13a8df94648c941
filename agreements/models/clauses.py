from typing import Any

import pgtrigger
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from agreements.choices import AccountForm
from agreements.models.agreements import Agreement
from agreements.models.dates import FieldCheck
from agreements.models.rules import RulesModel
from agreements.names import in_reader_language
from history.models import audited


@audited()
class Topic(RulesModel):
    """A subject a clause deals with, from a PA-X-like vocabulary loaded from seeds/."""

    code = models.SlugField(max_length=60, unique=True, verbose_name=_("code"))
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    description = models.TextField(
        blank=True, help_text=_("When to use this topic."), verbose_name=_("description")
    )

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["code"]
        constraints = [
            FieldCheck(field="parent", condition=~Q(parent=F("pk")), name="topic_not_own_parent"),
        ]

    def __str__(self) -> str:
        return in_reader_language(self.name_en, self.name_ar)


@audited()
class Clause(RulesModel):
    """One provision of an agreement.

    Its key is permanent: a clause that no longer applies is retired, never deleted, so the
    key is never reused and every judgement that cites it keeps its meaning. The database
    refuses deletes and key changes. What the clause says lives in its accounts, because
    sources disagree about the wording.
    """

    # What the history shows as the reason for a retirement.
    audit_reason_fields = ("retired_reason",)

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="clauses", verbose_name=_("agreement")
    )
    key = models.SlugField(
        max_length=60,
        help_text=_("Permanent identifier within the agreement, e.g. 'checkpoints'. Never reused."),
        verbose_name=_("key"),
    )
    label = models.CharField(
        max_length=40,
        blank=True,
        help_text=_("Number or heading as the sources give it."),
        verbose_name=_("label"),
    )
    position = models.PositiveIntegerField(
        default=0,
        help_text=_("Order within the agreement; lower comes first."),
        verbose_name=_("position"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subclauses",
        help_text=_("The clause this one is a sub-clause of."),
        verbose_name=_("parent"),
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="clauses", verbose_name=_("topic")
    )
    summary_en = models.CharField(
        _("summary (English)"),
        max_length=300,
        help_text=_(
            "A neutral one-line summary in the analyst's words; the wording is in accounts."
        ),
    )
    summary_ar = models.CharField(_("summary (Arabic)"), max_length=300, blank=True)
    retired_on = models.DateField(
        null=True,
        blank=True,
        help_text=_("Set instead of deleting when the clause is withdrawn."),
        verbose_name=_("retired on"),
    )
    retired_reason = models.TextField(
        blank=True,
        help_text=_("Why the clause was retired. Required with a retirement date."),
        verbose_name=_("retired reason"),
    )

    class Meta:
        verbose_name = _("clause")
        verbose_name_plural = _("clauses")
        ordering = ["agreement", "position", "key"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "key"], name="clause_key_unique"),
            FieldCheck(
                field="parent",
                condition=~Q(parent=F("pk")),
                name="clause_not_own_parent",
                violation_error_message=_("A clause cannot be its own sub-clause."),
            ),
            FieldCheck(
                field="retired_reason",
                condition=Q(retired_on__isnull=True) | Q(retired_reason__regex=r"\S"),
                name="clause_retired_has_reason",
                violation_error_message=_("A retired clause needs the reason it was retired."),
            ),
        ]
        triggers = [
            pgtrigger.Protect(name="clause_never_deleted", operation=pgtrigger.Delete),
            pgtrigger.ReadOnly(name="clause_key_permanent", fields=["agreement", "key"]),
        ]

    def __str__(self) -> str:
        return f"{self.label or self.key}: {in_reader_language(self.summary_en, self.summary_ar)}"

    @classmethod
    def from_db(cls, db: str, field_names: Any, values: Any) -> "Clause":
        clause = super().from_db(db, field_names, values)
        # What the row held, so clean() can tell a change of the permanent fields without
        # reading the row again.
        clause._stored_identity = (clause.__dict__.get("agreement_id"), clause.__dict__.get("key"))
        return clause

    def clean(self) -> None:
        stored = getattr(self, "_stored_identity", None)
        if stored is None:
            return
        # The database refuses the change too (clause_key_permanent); this says so at the field.
        changed = {
            name: _("A clause's key and agreement never change; retire it instead.")
            for name, before, now in (
                ("agreement", stored[0], self.agreement_id),
                ("key", stored[1], self.key),
            )
            if before is not None and before != now
        }
        if changed:
            raise ValidationError(changed)


@audited()
class ClauseAccount(RulesModel):
    """The wording of a clause as one source reports it.

    Sources disagree (three, four, nine or ten checkpoints), so every account is kept side by
    side. At most one account per clause is marked as the working text analysts rely on.
    """

    clause = models.ForeignKey(
        Clause, on_delete=models.PROTECT, related_name="accounts", verbose_name=_("clause")
    )
    # A lazy reference, not an import: sources belong to the tracker app, and agreements
    # must not import tracker code.
    source = models.ForeignKey(
        "agreements.Source",
        on_delete=models.PROTECT,
        related_name="clause_accounts",
        verbose_name=_("source"),
    )
    form = models.CharField(max_length=16, choices=AccountForm.choices, verbose_name=_("form"))
    text_en = models.TextField(_("wording (English)"), blank=True)
    text_ar = models.TextField(_("wording (Arabic)"), blank=True)
    is_working_text = models.BooleanField(
        default=False,
        help_text=_(
            "The account analysts work from. At most one per clause; it does not make "
            "the other accounts wrong."
        ),
        verbose_name=_("is working text"),
    )
    note = models.TextField(
        blank=True,
        help_text=_("How this account differs from the others, and why it matters."),
        verbose_name=_("note"),
    )

    class Meta:
        verbose_name = _("clause account")
        verbose_name_plural = _("clause accounts")
        ordering = ["clause", "-is_working_text", "id"]
        constraints = [
            models.UniqueConstraint(fields=["clause", "source"], name="clause_account_per_source"),
            models.UniqueConstraint(
                fields=["clause"],
                condition=Q(is_working_text=True),
                name="clause_one_working_text",
                violation_error_message=_("Another account is already the working text."),
            ),
            FieldCheck(
                field="text_en",
                condition=Q(text_en__regex=r"\S") | Q(text_ar__regex=r"\S"),
                name="clause_account_has_wording",
                violation_error_message=_("Give the wording in English, Arabic or both."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clause.key} per {self.source}"
