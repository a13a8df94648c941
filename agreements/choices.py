"""Controlled vocabularies of the agreements app.

Stored values are short English slugs so that exports and the API stay stable when labels are
reworded or translated.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    """How much of a recorded date the sources actually support.

    A date known only to the month is stored as the first of that month with precision
    "month"; a date known only to the year as 1 January. Nobody has to invent a day.
    """

    DAY = "day", _("Exact day")
    WEEK = "week", _("Within the week starting on the date")
    MONTH = "month", _("Month only")
    YEAR = "year", _("Year only")
    APPROXIMATE = "approximate", _("Approximate (about this date)")


class PartyKind(models.TextChoices):
    STATE = "state", _("State or government")
    STATE_FORCE = "state_force", _("State armed force or security service")
    ARMED_GROUP = "armed_group", _("Non-state armed group")
    MILITIA = "militia", _("Militia")
    NEGOTIATING_BODY = "negotiating_body", _("Negotiating body or committee")
    MEDIATOR = "mediator", _("Mediator or third party")
    FOREIGN_STATE = "foreign_state", _("Foreign state")
    FOREIGN_FORCE = "foreign_force", _("Foreign armed force")
    CIVILIANS = "civilians", _("Civilian population")
    INTERNATIONAL_ORG = "international_org", _("International or humanitarian organisation")
    PERSON = "person", _("Individual")


class AgreementStatus(models.TextChoices):
    NEGOTIATING = "negotiating", _("Under negotiation")
    IN_FORCE = "in_force", _("In force")
    COLLAPSED = "collapsed", _("Collapsed")
    SUPERSEDED = "superseded", _("Superseded")
    EXPIRED = "expired", _("Expired")
    IMPLEMENTED = "implemented", _("Fully implemented")

    @classmethod
    def ended(cls) -> list[str]:
        """Statuses that only make sense once the agreement has an end date."""
        return [cls.COLLAPSED, cls.SUPERSEDED, cls.EXPIRED]


class AgreementStage(models.TextChoices):
    """Agreement stage, after the PA-X classification."""

    PRE_NEGOTIATION = "pre_negotiation", _("Pre-negotiation / process")
    CEASEFIRE = "ceasefire", _("Ceasefire / related")
    PARTIAL = "partial", _("Framework / substantive, partial")
    COMPREHENSIVE = "comprehensive", _("Framework / substantive, comprehensive")
    IMPLEMENTATION = "implementation", _("Implementation / renegotiation")
    RENEWAL = "renewal", _("Renewal")
    LOCAL = "local", _("Local settlement")
    OTHER = "other", _("Other")


class PartyRole(models.TextChoices):
    SIGNATORY = "signatory", _("Signatory")
    GUARANTOR = "guarantor", _("Guarantor")
    MEDIATOR = "mediator", _("Mediator")
    WITNESS = "witness", _("Witness")
    IMPLEMENTER = "implementer", _("Implementer")
    BENEFICIARY = "beneficiary", _("Beneficiary")
    REFERENCED = "referenced", _("Referenced, not a signatory")


class LinkKind(models.TextChoices):
    """How one agreement relates to another, read as "<from> <kind> <to>"."""

    IMPLEMENTS = "implements", _("implements")
    RENEGOTIATES = "renegotiates", _("renegotiates")
    AMENDS = "amends", _("amends")
    SUPPLEMENTS = "supplements", _("supplements")
    REPLACES = "replaces", _("replaces")
    FOLLOWS_COLLAPSE_OF = "follows_collapse_of", _("follows the collapse of")


class AccountForm(models.TextChoices):
    """What kind of wording a source gives for a clause."""

    VERBATIM = "verbatim", _("Verbatim text of the agreement")
    QUOTE = "quote", _("Quoted by a party or spokesperson")
    PARAPHRASE = "paraphrase", _("Paraphrase or summary by the source")
    TRANSLATION = "translation", _("Translation by the source")


class Modality(models.TextChoices):
    DO = "do", _("must do")
    REFRAIN = "refrain", _("must refrain from")
    ALLOW = "allow", _("must allow")


class Reliability(models.TextChoices):
    A = "A", _("A: completely reliable")
    B = "B", _("B: usually reliable")
    C = "C", _("C: fairly reliable")
    D = "D", _("D: not usually reliable")
    E = "E", _("E: unreliable")
    F = "F", _("F: reliability cannot be judged")
