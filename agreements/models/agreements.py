from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from agreements.choices import AgreementStage, AgreementStatus, LinkKind, PartyRole
from agreements.models.dates import FieldCheck, date_precision_constraints, precision_field
from agreements.models.parties import Party
from agreements.models.rules import RulesModel
from agreements.names import in_reader_language
from history.models import audited


@audited()
class Agreement(RulesModel):
    """One agreement as a whole; its promises live in its clauses."""

    code = models.SlugField(
        max_length=64,
        unique=True,
        help_text=_(
            "Stable identifier used in URLs, exports and seeds, e.g. 'daraa-2021-09-06'. "
            "Never change it once others cite it."
        ),
        verbose_name=_("code"),
    )
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_ar = models.CharField(_("title (Arabic)"), max_length=300, blank=True)
    signed_on = models.DateField(
        null=True,
        blank=True,
        help_text=_("When it was signed or announced, as far as known."),
        verbose_name=_("signed on"),
    )
    signed_precision = precision_field("signed_on", verbose_name=_("signed precision"))
    effective_on = models.DateField(
        null=True,
        blank=True,
        help_text=_("When it took effect, if different from signature."),
        verbose_name=_("effective on"),
    )
    ended_on = models.DateField(
        null=True,
        blank=True,
        help_text=_("When it collapsed, expired or was superseded. Required for those statuses."),
        verbose_name=_("ended on"),
    )
    status = models.CharField(
        max_length=16,
        choices=AgreementStatus.choices,
        default=AgreementStatus.IN_FORCE,
        verbose_name=_("status"),
    )
    stage = models.CharField(
        max_length=20,
        choices=AgreementStage.choices,
        help_text=_("Kind of agreement, after the PA-X stages."),
        verbose_name=_("stage"),
    )
    place_en = models.CharField(_("place (English)"), max_length=200, blank=True)
    place_ar = models.CharField(_("place (Arabic)"), max_length=200, blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_ar = models.TextField(_("summary (Arabic)"), blank=True)
    text_reference = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("Where a full text is published, if anywhere (report, annex, URL)."),
        verbose_name=_("text reference"),
    )
    is_published = models.BooleanField(
        default=False,
        help_text=_("Published agreements, their clauses and obligations may be shown publicly."),
        verbose_name=_("is published"),
    )
    parties = models.ManyToManyField(
        Party, through="AgreementParty", related_name="agreements", verbose_name=_("parties")
    )

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["signed_on", "code"]
        constraints = [
            *date_precision_constraints("agreement", "signed_on", "signed_precision"),
            FieldCheck(
                field="effective_on",
                condition=Q(effective_on__isnull=True)
                | Q(signed_on__isnull=True)
                | Q(effective_on__gte=F("signed_on")),
                name="agreement_effective_after_signed",
                violation_error_message=_("An agreement cannot take effect before it is signed."),
            ),
            FieldCheck(
                field="ended_on",
                condition=Q(ended_on__isnull=True)
                | Q(signed_on__isnull=True)
                | Q(ended_on__gte=F("signed_on")),
                name="agreement_ended_after_signed",
                violation_error_message=_("An agreement cannot end before it is signed."),
            ),
            FieldCheck(
                field="ended_on",
                condition=Q(ended_on__isnull=True)
                | Q(effective_on__isnull=True)
                | Q(ended_on__gte=F("effective_on")),
                name="agreement_ended_after_effective",
                violation_error_message=_("An agreement cannot end before it takes effect."),
            ),
            FieldCheck(
                field="ended_on",
                condition=~Q(status__in=AgreementStatus.ended()) | Q(ended_on__isnull=False),
                name="agreement_ended_status_has_date",
                violation_error_message=_(
                    "A collapsed, superseded or expired agreement needs its end date."
                ),
            ),
        ]

    def __str__(self) -> str:
        return in_reader_language(self.title_en, self.title_ar)


@audited()
class AgreementParty(RulesModel):
    """A party's role in one agreement; a party can hold several roles."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="party_roles", verbose_name=_("agreement")
    )
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="agreement_roles", verbose_name=_("party")
    )
    role = models.CharField(max_length=16, choices=PartyRole.choices, verbose_name=_("role"))
    note = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("e.g. who signed for the party, or a caveat."),
        verbose_name=_("note"),
    )

    class Meta:
        verbose_name_plural = _("party roles")
        ordering = ["agreement", "role", "party__name_en"]
        verbose_name = _("party role")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "party", "role"], name="agreement_party_role_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party} ({self.get_role_display()})"


@audited()
class AgreementLink(RulesModel):
    """A relation between two agreements, read as "<from_agreement> <kind> <to_agreement>"."""

    from_agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="links_out",
        verbose_name=_("from agreement"),
    )
    kind = models.CharField(max_length=24, choices=LinkKind.choices, verbose_name=_("kind"))
    to_agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="links_in", verbose_name=_("to agreement")
    )
    note = models.TextField(
        blank=True, help_text=_("What the sources say about this relation."), verbose_name=_("note")
    )

    class Meta:
        verbose_name = _("agreement link")
        verbose_name_plural = _("agreement links")
        ordering = ["from_agreement", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_agreement", "kind", "to_agreement"], name="agreement_link_unique"
            ),
            FieldCheck(
                field="to_agreement",
                condition=~Q(from_agreement=F("to_agreement")),
                name="agreement_link_not_to_itself",
                violation_error_message=_("An agreement cannot be linked to itself."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_agreement.code} {self.get_kind_display()} {self.to_agreement.code}"
