from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import F, Q, TextField
from django.db.models.functions import Cast, Upper
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from agreements.models import Party, Source
from agreements.models.dates import (
    FieldCheck,
    date_precision_constraints,
    nonblank,
    precision_field,
)
from agreements.models.rules import LATEST_DATE, RulesModel
from history.models import audited
from tracker.choices import (
    ACLED_EVENT_TYPES,
    EVENT_TYPE_CHOICES,
    SUB_EVENT_TYPE_CHOICES,
    ActorSide,
    Credibility,
    GeoPrecision,
    Verification,
)


def substring_index(name: str, field: str) -> GinIndex:
    """A trigram index on ``UPPER(field::text)``: the expression Django's ``icontains`` compares
    (``UPPER(col::text) LIKE UPPER('%...%')``), so a case-insensitive substring search of any
    language (Arabic included) is answered from the index instead of reading every row."""
    return GinIndex(OpClass(Upper(Cast(field, TextField())), name="gin_trgm_ops"), name=name)


# The incident columns ``q=`` (API) and the admin search look in, with their indexes.
INCIDENT_SEARCH_FIELDS = ("key", "location", "description_en", "description_ar")


def _sub_event_belongs_to_event_type() -> Q:
    condition = Q(sub_event_type="")
    for event_type, subs in ACLED_EVENT_TYPES.items():
        condition |= Q(event_type=event_type, sub_event_type__in=subs)
    return condition


def _words(text: str) -> str:
    # "Explosions/Remote violence" reads as two words, not "explosionsremote".
    return slugify(text.replace("/", " "))


def readable_key(incident: "Incident") -> str:
    """A key a person can read back: date, place (when written in Latin letters) and event
    type, numbered from -2 on when the same day, place and type already have one. Made once,
    when the incident is first saved without one; the admin then shows it read-only."""
    key_length = Incident._meta.get_field("key").max_length
    words = [
        incident.occurred_on.isoformat(),
        _words(incident.location),
        _words(incident.event_type),
    ]
    # Room for a "-NN" suffix; cut at a hyphen so no word is left half.
    base = "-".join(part for part in words if part)
    if len(base) > key_length - 4:
        base = base[: key_length - 4].rsplit("-", 1)[0]
    # Two analysts saving the same day, place and type at once would otherwise both pick the
    # same number; the second waits here until the first's transaction ends, then sees it.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"incident-key:{base}"])
    taken = set(Incident.objects.filter(key__startswith=base).values_list("key", flat=True))
    key, number = base, 1
    while key in taken:
        number += 1
        key = f"{base}-{number}"
    return key


@audited()
class Incident(RulesModel):
    """Something that happened, in ACLED's terms, as the sources report it."""

    key = models.SlugField(
        max_length=80,
        unique=True,
        blank=True,
        help_text=_(
            "Stable identifier used by seeds and exports. Leave it blank and one is made from "
            "the date, place and event type."
        ),
        verbose_name=_("key"),
    )
    acled_event_id = models.CharField(
        max_length=32,
        blank=True,
        help_text=_("ACLED's event_id_cnty, for imported events."),
        verbose_name=_("acled event id"),
    )
    occurred_on = models.DateField(
        help_text=_("The day, or the start of the period, it happened."),
        verbose_name=_("occurred on"),
    )
    date_precision = precision_field("occurred_on", verbose_name=_("date precision"))
    ended_on = models.DateField(
        null=True,
        blank=True,
        help_text=_("Last day, for something that lasted (a siege)."),
        verbose_name=_("ended on"),
    )
    event_type = models.CharField(
        max_length=40, choices=EVENT_TYPE_CHOICES, verbose_name=_("event type")
    )
    sub_event_type = models.CharField(
        max_length=60, choices=SUB_EVENT_TYPE_CHOICES, blank=True, verbose_name=_("sub event type")
    )
    country = models.CharField(max_length=80, default="Syria", verbose_name=_("country"))
    admin1 = models.CharField(
        max_length=120, blank=True, help_text=_("Governorate"), verbose_name=_("admin1")
    )
    admin2 = models.CharField(
        max_length=120, blank=True, help_text=_("District"), verbose_name=_("admin2")
    )
    admin3 = models.CharField(
        max_length=120, blank=True, help_text=_("Sub-district"), verbose_name=_("admin3")
    )
    location = models.CharField(
        max_length=200, help_text=_("Town, village or area."), verbose_name=_("location")
    )
    latitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_(
            "Decimal degrees, WGS84 (as GPS and ACLED give them), -90 to 90, negative south of "
            "the equator; e.g. 32.61 for Daraa. Give both coordinates or neither."
        ),
        verbose_name=_("latitude"),
    )
    longitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_(
            "Decimal degrees, WGS84, -180 to 180, negative west of Greenwich; e.g. 36.10 for Daraa."
        ),
        verbose_name=_("longitude"),
    )
    geo_precision = models.PositiveSmallIntegerField(
        choices=GeoPrecision.choices,
        null=True,
        blank=True,
        verbose_name=_("geo precision"),
    )
    fatalities = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=_("The most conservative figure the sources support; empty if none reported."),
        verbose_name=_("fatalities"),
    )
    # ACLED's columns that have no other home (see the README's column mapping). Empty by
    # default in the database too, so rows written by SQL (psql, COPY, the benchmark) need not
    # name them.
    disorder_type = models.CharField(
        max_length=80,
        blank=True,
        db_default="",
        help_text=_("ACLED disorder_type"),
        verbose_name=_("disorder type"),
    )
    inter1 = models.CharField(
        max_length=60,
        blank=True,
        db_default="",
        help_text=_("ACLED inter1"),
        verbose_name=_("inter1"),
    )
    inter2 = models.CharField(
        max_length=60,
        blank=True,
        db_default="",
        help_text=_("ACLED inter2"),
        verbose_name=_("inter2"),
    )
    interaction = models.CharField(
        max_length=80,
        blank=True,
        db_default="",
        help_text=_("ACLED interaction"),
        verbose_name=_("interaction"),
    )
    civilian_targeting = models.CharField(
        max_length=40,
        blank=True,
        db_default="",
        help_text=_("ACLED civilian_targeting"),
        verbose_name=_("civilian targeting"),
    )
    iso = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=_("ACLED iso (numeric country code)"),
        verbose_name=_("iso"),
    )
    region = models.CharField(
        max_length=80,
        blank=True,
        db_default="",
        help_text=_("ACLED region"),
        verbose_name=_("region"),
    )
    source_scale = models.CharField(
        max_length=120,
        blank=True,
        db_default="",
        help_text=_("ACLED source_scale"),
        verbose_name=_("source scale"),
    )
    tags = models.TextField(
        blank=True, db_default="", help_text=_("ACLED tags"), verbose_name=_("tags")
    )
    acled_timestamp = models.BigIntegerField(
        null=True,
        blank=True,
        help_text=_("ACLED timestamp: when ACLED last changed the event."),
        verbose_name=_("acled timestamp"),
    )
    acled_withdrawn_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_(
            "When ACLED's deletion list withdrew this event while breach claims or judgements "
            "still cite it (kept, flagged)."
        ),
        verbose_name=_("acled withdrawn at"),
    )
    description_en = models.TextField(_("description (English)"))
    description_ar = models.TextField(_("description (Arabic)"), blank=True)
    verification = models.CharField(
        max_length=16,
        choices=Verification.choices,
        default=Verification.REPORTED,
        verbose_name=_("verification"),
    )
    actors = models.ManyToManyField(
        Party,
        through="IncidentActor",
        related_name="incidents",
        blank=True,
        verbose_name=_("actors"),
    )
    sources = models.ManyToManyField(
        Source,
        through="IncidentSource",
        related_name="incidents",
        blank=True,
        verbose_name=_("sources"),
    )

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-occurred_on", "-id"]
        indexes = [
            # The API's cursor order (newest first, then id) and every date filter.
            models.Index(fields=["occurred_on", "id"], name="incident_occurred_id"),
            # admin1= in the API (in cursor order) and the admin's list of governorates.
            models.Index(fields=["admin1", "occurred_on", "id"], name="incident_admin1_occurred"),
            *(substring_index(f"incident_{name}_trgm", name) for name in INCIDENT_SEARCH_FIELDS),
        ]
        constraints = [
            *date_precision_constraints("incident", "occurred_on", "date_precision"),
            FieldCheck(
                field="ended_on",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("occurred_on")),
                name="incident_ends_after_start",
                violation_error_message=_("An incident cannot end before it starts."),
            ),
            FieldCheck(
                field="sub_event_type",
                condition=_sub_event_belongs_to_event_type(),
                name="incident_sub_event_matches_type",
                violation_error_message=_("This sub-event type belongs to another event type."),
            ),
            FieldCheck(
                field="latitude",
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="incident_coordinates_valid",
                violation_error_message=_(
                    "Give both latitude (-90..90) and longitude (-180..180), or neither."
                ),
            ),
            models.UniqueConstraint(
                fields=["acled_event_id"],
                condition=~Q(acled_event_id=""),
                name="incident_acled_id_unique",
            ),
            nonblank("description_en", "incident_has_description"),
        ]

    def clean(self) -> None:
        super().clean()
        if not self.key and self.occurred_on and self.event_type:
            self.key = readable_key(self)
        today = timezone.localdate()
        future = {
            name: _(
                "Cannot be after today (%(today)s): it records something that has already happened."
            )
            % {"today": today.isoformat()}
            for name in ("occurred_on", "ended_on")
            if (value := getattr(self, name)) is not None and today < value <= LATEST_DATE
        }
        if future:
            raise ValidationError(future)

    def __str__(self) -> str:
        # How pickers and lists tell one incident from another.
        return f"{self.occurred_on} · {self.location} · {self.get_event_type_display()}"


@audited()
class IncidentActor(RulesModel):
    """A party (or a name as reported, when no party fits) involved in an incident."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="actor_roles", verbose_name=_("incident")
    )
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incident_roles",
        verbose_name=_("party"),
    )
    name_as_reported = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("The actor's name in the source's own words."),
        verbose_name=_("name as reported"),
    )
    side = models.PositiveSmallIntegerField(
        choices=ActorSide.choices, default=ActorSide.FIRST, verbose_name=_("side")
    )
    is_associate = models.BooleanField(
        default=False,
        help_text=_("An associated actor (ACLED's assoc_actor) rather than a main one."),
        verbose_name=_("is associate"),
    )

    class Meta:
        verbose_name_plural = _("incident actors")
        ordering = ["incident", "side", "is_associate", "id"]
        verbose_name = _("incident actor")
        indexes = [substring_index("incidentactor_name_trgm", "name_as_reported")]
        constraints = [
            FieldCheck(
                field="name_as_reported",
                condition=Q(party__isnull=False) | Q(name_as_reported__regex=r"\S"),
                name="incident_actor_identified",
                violation_error_message=_("Choose a party or give the name as reported."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.party or self.name_as_reported)


@audited()
class IncidentSource(RulesModel):
    """A source that reports an incident, with how credible this report is (1-6)."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="source_links", verbose_name=_("incident")
    )
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="incident_links", verbose_name=_("source")
    )
    credibility = models.PositiveSmallIntegerField(
        choices=Credibility.choices,
        default=Credibility.CANNOT_JUDGE,
        help_text=_("How credible this report of the incident is (Admiralty scale 1-6)."),
        verbose_name=_("credibility"),
    )
    excerpt = models.TextField(
        blank=True, help_text=_("What the source says, quoted."), verbose_name=_("excerpt")
    )

    class Meta:
        verbose_name_plural = _("incident sources")
        ordering = ["incident", "credibility"]
        verbose_name = _("incident source")
        constraints = [
            models.UniqueConstraint(fields=["incident", "source"], name="incident_source_unique"),
            FieldCheck(
                field="credibility",
                condition=Q(credibility__gte=1, credibility__lte=6),
                name="incident_source_credibility_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} ({self.credibility})"
