from django.db import models
from django.utils.translation import gettext_lazy as _

from agreements.choices import Reliability
from agreements.models.dates import FieldCheck, date_precision_constraints, precision_field
from agreements.models.rules import RulesModel
from history.models import audited


@audited()
class Source(RulesModel):
    """A publication, statement or document that reports something the tracker records."""

    key = models.SlugField(
        max_length=80,
        unique=True,
        help_text=_("Stable identifier used by seeds and exports, e.g. 'npa-64449'."),
        verbose_name=_("key"),
    )
    publisher = models.CharField(
        max_length=200, help_text=_("Outlet, agency or organisation."), verbose_name=_("publisher")
    )
    title = models.CharField(max_length=400, verbose_name=_("title"))
    url = models.URLField(
        max_length=500,
        blank=True,
        help_text=_("Leave empty for offline material."),
        verbose_name=_("url"),
    )
    language = models.CharField(
        max_length=8, default="en", help_text=_("e.g. en, ar"), verbose_name=_("language")
    )
    published_on = models.DateField(null=True, blank=True, verbose_name=_("published on"))
    published_precision = precision_field("published_on", verbose_name=_("published precision"))
    accessed_on = models.DateField(null=True, blank=True, verbose_name=_("accessed on"))
    reliability = models.CharField(
        max_length=1,
        choices=Reliability.choices,
        default=Reliability.F,
        help_text=_("How reliable this source has been in the past (Admiralty scale A-F)."),
        verbose_name=_("reliability"),
    )
    notes = models.TextField(
        blank=True,
        help_text=_("Affiliation or leaning that a reader should know about."),
        verbose_name=_("notes"),
    )

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["publisher", "title"]
        constraints = [
            *date_precision_constraints("source", "published_on", "published_precision"),
        ]

    def __str__(self) -> str:
        return f"{self.publisher}: {self.title}"


@audited()
class Capture(RulesModel):
    """A stored copy of a source, with the hash that proves the copy was not changed."""

    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="captures", verbose_name=_("source")
    )
    sha256 = models.CharField(
        max_length=64,
        help_text=_("SHA-256 of the stored file, 64 lowercase hex digits."),
        verbose_name=_("sha256"),
    )
    captured_at = models.DateTimeField(verbose_name=_("captured at"))
    collector = models.CharField(
        max_length=200, help_text=_("Who made the copy."), verbose_name=_("collector")
    )
    location = models.CharField(
        max_length=500,
        help_text=_("Where the copy is kept (archive path or identifier)."),
        verbose_name=_("location"),
    )
    media_type = models.CharField(
        max_length=100, blank=True, help_text=_("e.g. text/html"), verbose_name=_("media type")
    )

    class Meta:
        verbose_name = _("capture")
        verbose_name_plural = _("captures")
        ordering = ["source", "-captured_at"]
        constraints = [
            models.UniqueConstraint(fields=["source", "sha256"], name="capture_unique_hash"),
            FieldCheck(
                field="sha256",
                condition=models.Q(sha256__regex=r"^[0-9a-f]{64}$"),
                name="capture_sha256_is_hex",
                violation_error_message=_("A SHA-256 is 64 lowercase hexadecimal digits."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source.key} @ {self.captured_at:%Y-%m-%d}"
