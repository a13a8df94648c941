"""Controlled vocabularies of the tracker app.

Source grading follows the Admiralty (NATO) system: reliability of the source A-F, credibility
of one piece of information 1-6. Event types are ACLED's, stored with ACLED's own labels so
that an ACLED export maps one to one.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Credibility(models.IntegerChoices):
    CONFIRMED = 1, _("1: confirmed by other independent sources")
    PROBABLY_TRUE = 2, _("2: probably true")
    POSSIBLY_TRUE = 3, _("3: possibly true")
    DOUBTFUL = 4, _("4: doubtful")
    IMPROBABLE = 5, _("5: improbable")
    CANNOT_JUDGE = 6, _("6: truth cannot be judged")


# ACLED event types and the sub-event types that belong to each.
ACLED_EVENT_TYPES: dict[str, list[str]] = {
    "Battles": [
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ],
    "Explosions/Remote violence": [
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ],
    "Violence against civilians": [
        "Sexual violence",
        "Attack",
        "Abduction/forced disappearance",
    ],
    "Protests": [
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ],
    "Riots": ["Violent demonstration", "Mob violence"],
    "Strategic developments": [
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ],
}

EVENT_TYPE_CHOICES = [(name, name) for name in ACLED_EVENT_TYPES]
SUB_EVENT_TYPE_CHOICES = [(sub, sub) for subs in ACLED_EVENT_TYPES.values() for sub in subs]


class GeoPrecision(models.IntegerChoices):
    """ACLED's geo-precision codes."""

    EXACT = 1, _("1: the exact town or place")
    NEAR = 2, _("2: near the place, or part of a region")
    REGION = 3, _("3: only a larger region is known")


class Verification(models.TextChoices):
    REPORTED = "reported", _("Reported by one source, not verified")
    CORROBORATED = "corroborated", _("Corroborated by independent sources")
    VERIFIED = "verified", _("Verified by the team")
    DISPUTED = "disputed", _("Disputed: sources contradict each other")


class ActorSide(models.IntegerChoices):
    """ACLED's actor 1 / actor 2 positions."""

    FIRST = 1, _("Actor 1 (initiator)")
    SECOND = 2, _("Actor 2 (target or other side)")


class ClaimState(models.TextChoices):
    ALLEGED = "alleged", _("Alleged")
    CORROBORATED = "corroborated", _("Corroborated")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class ComplianceStatus(models.TextChoices):
    NOT_YET_DUE = "not_yet_due", _("Not yet due")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLIED = "complied", _("Complied")
    PARTIALLY_COMPLIED = "partially_complied", _("Partially complied")
    NOT_COMPLIED = "not_complied", _("Not complied")
    DISPUTED = "disputed", _("Disputed")
    UNKNOWN = "unknown", _("Unknown")


class ImplementationLevel(models.IntegerChoices):
    """The Peace Accords Matrix implementation scale."""

    NONE = 0, _("0: not implemented")
    MINIMAL = 1, _("1: minimal implementation")
    INTERMEDIATE = 2, _("2: intermediate implementation")
    FULL = 3, _("3: full implementation")


class ReviewState(models.TextChoices):
    PENDING = "pending", _("Pending review")
    APPROVED = "approved", _("Approved by a lead")
    REJECTED = "rejected", _("Rejected by a lead")
