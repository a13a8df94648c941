from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from agreements.choices import PartyKind
from agreements.models.dates import FieldCheck
from agreements.models.rules import RulesModel
from agreements.names import in_reader_language
from history.models import audited


@audited()
class Party(RulesModel):
    """Anyone who promises, guarantees, benefits from or is named in an agreement or incident.

    Names are neutral; the loaded words sources use ("regime", "militias") go into aliases.
    """

    key = models.SlugField(
        max_length=80,
        unique=True,
        help_text=_("Stable identifier used by seeds, exports and the API. Do not change it."),
        verbose_name=_("key"),
    )
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    kind = models.CharField(max_length=20, choices=PartyKind.choices, verbose_name=_("kind"))
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        help_text=_("The force or body this one is a unit of (e.g. a division of an army)."),
        verbose_name=_("parent"),
    )
    description = models.TextField(
        blank=True,
        help_text=_("Who this is, in neutral words, with the sources' names for it."),
        verbose_name=_("description"),
    )

    class Meta:
        verbose_name = _("party")
        ordering = ["name_en"]
        verbose_name_plural = _("parties")
        constraints = [
            FieldCheck(
                field="parent",
                condition=~Q(parent=F("pk")),
                name="party_not_own_parent",
                violation_error_message=_("A party cannot be a unit of itself."),
            ),
        ]

    def __str__(self) -> str:
        return in_reader_language(self.name_en, self.name_ar)


@audited()
class PartyAlias(RulesModel):
    """Another name a source uses for a party, kept so searches find it under any name."""

    party = models.ForeignKey(
        Party, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("party")
    )
    alias = models.CharField(max_length=200, verbose_name=_("alias"))
    language = models.CharField(
        max_length=8, default="en", help_text=_("e.g. en, ar"), verbose_name=_("language")
    )
    note = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Who uses this name, e.g. 'opposition media'."),
        verbose_name=_("note"),
    )

    class Meta:
        verbose_name = _("party alias")
        ordering = ["alias"]
        verbose_name_plural = _("party aliases")
        constraints = [
            models.UniqueConstraint(fields=["party", "alias"], name="party_alias_unique"),
        ]

    def __str__(self) -> str:
        return self.alias
