from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from agreements.models import Obligation, Party
from agreements.models.dates import nonblank
from agreements.models.rules import RulesModel
from history.models import audited
from tracker.choices import ClaimState
from tracker.models.incidents import Incident


@audited()
class BreachClaim(RulesModel):
    """A claim that an incident breaches an obligation, and how far it has been established."""

    # What the history shows as the reason for a claim.
    audit_reason_fields = ("rationale",)

    incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, related_name="breach_claims", verbose_name=_("incident")
    )
    obligation = models.ForeignKey(
        Obligation,
        on_delete=models.PROTECT,
        related_name="breach_claims",
        verbose_name=_("obligation"),
    )
    state = models.CharField(
        max_length=16,
        choices=ClaimState.choices,
        default=ClaimState.ALLEGED,
        verbose_name=_("state"),
    )
    claimant = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="breach_claims_made",
        help_text=_("The party that alleges the breach, if a party does."),
        verbose_name=_("claimant"),
    )
    rationale = models.TextField(
        help_text=_("Why this incident would breach this obligation, and what supports it."),
        verbose_name=_("rationale"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text=_("Empty for claims loaded from the seed files."),
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("breach claim")
        verbose_name_plural = _("breach claims")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "obligation"],
                name="breach_claim_unique",
                violation_error_message=_(
                    "This incident is already claimed against this obligation."
                ),
            ),
            nonblank("rationale", "breach_claim_has_rationale"),
        ]

    def __str__(self) -> str:
        return f"{self.incident} vs {self.obligation.key} ({self.get_state_display()})"
