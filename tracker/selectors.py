"""Reads of the tracker that need joins, subqueries or aggregates."""

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import CharField, Exists, F, Func, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.sql.constants import LOUTER
from django_cte import CTE, with_cte

from agreements.models import Obligation
from history.as_of import snapshots_as_of
from history.models import ChainedEvent
from history.moments import Moment
from tracker.choices import ReviewState
from tracker.models import ComplianceAssessment, Incident, IncidentActor

# Newest judgement first: by the date it holds from in the world, then by when it was typed.
LATEST_FIRST = ("-valid_from", "-recorded_at", "-id")

# What obligations_with_status adds to each obligation.
STATUS_FIELDS = ("current_status", "current_level", "current_valid_from", "current_assessment_id")


def assessments_known(known_at: Moment | None = None) -> QuerySet:
    """Assessments as known at ``known_at`` (as they are now, if None), with their review
    state then.

    Live rows now; snapshots from the history table at a past moment. Both carry the
    assessment's ``id`` and field names, so the queries below read them alike.
    """
    if known_at is None:
        return ComplianceAssessment.objects.all()
    return snapshots_as_of(ComplianceAssessment, known_at)


def standing_assessments(
    known_at: Moment | None = None, *, approved_only: bool = False
) -> QuerySet:
    """Assessments that count (at ``known_at``, or now): recorded, not rejected by a lead, and
    not corrected by a later one that is itself not rejected.

    ``approved_only`` (what the public sees) counts only judgements a lead has approved: the
    same rule applied to the approved ones, so a correction still awaiting review neither shows
    nor hides the approved judgement it corrects.
    """
    known = assessments_known(known_at)
    if approved_only:
        known = known.filter(review_state=ReviewState.APPROVED)
    corrected = known.filter(supersedes_id=OuterRef("id")).exclude(
        review_state=ReviewState.REJECTED
    )
    return known.exclude(review_state=ReviewState.REJECTED).exclude(Exists(corrected))


def standing_judgements(
    *,
    valid_on: datetime.date | None = None,
    known_at: Moment | None = None,
    approved_only: bool = False,
) -> QuerySet:
    """Each obligation's standing judgement: one row per obligation that has one.

    Of the standing assessments (``standing_assessments``) valid on ``valid_on`` in the world,
    the latest by valid-from date wins (ties: the later recorded). DISTINCT ON picks it in one
    pass: every consumer joins this (``with_standing``) instead of working it out again.
    """
    standing = standing_assessments(known_at, approved_only=approved_only)
    if valid_on is not None:
        standing = standing.filter(valid_from__lte=valid_on)
    return standing.order_by("obligation_id", *LATEST_FIRST).distinct("obligation_id")


def with_standing(
    queryset: QuerySet,
    *,
    on: str = "id",
    prefix: str = "current",
    valid_on: datetime.date | None = None,
    known_at: Moment | None = None,
    approved_only: bool = False,
) -> QuerySet:
    """``queryset`` with the standing judgement of the obligation whose id is in its ``on``
    column, as ``<prefix>_status``, ``_level``, ``_valid_from`` and ``_assessment_id`` (None
    where there is none): a LEFT JOIN to ``standing_judgements`` as a CTE, computed once per
    query whatever the number of rows."""
    cte = CTE(
        standing_judgements(
            valid_on=valid_on, known_at=known_at, approved_only=approved_only
        ).values("obligation_id", "id", "status", "level", "valid_from"),
        name=f"{prefix}_standing",
    )
    joined = cte.join(queryset, **{on: cte.col.obligation_id}, _join_type=LOUTER).annotate(
        **{
            f"{prefix}_assessment_id": cte.col.id,
            f"{prefix}_status": cte.col.status,
            f"{prefix}_level": cte.col.level,
            f"{prefix}_valid_from": cte.col.valid_from,
        }
    )
    return with_cte(cte, select=joined)


def with_standing_per_row(
    queryset: QuerySet, *, valid_on: datetime.date | None = None, approved_only: bool = False
) -> QuerySet:
    """``queryset`` (live obligations) with the same STATUS_FIELDS as ``with_standing``, each
    a correlated subquery of the obligation's own standing assessments (the same rule,
    ``standing_assessments``), newest first.

    For a page of rows: PostgreSQL looks up each listed obligation's few judgements by index
    and stops at the page's end, where ``with_standing`` decides every obligation's judgement
    first (a sort of every assessment on every page: 0.12 s at 5,000 obligations)."""
    own = standing_assessments(approved_only=approved_only).filter(obligation_id=OuterRef("id"))
    if valid_on is not None:
        own = own.filter(valid_from__lte=valid_on)
    newest = own.order_by(*LATEST_FIRST)
    columns = ("status", "level", "valid_from", "id")
    return queryset.annotate(
        **{
            field: Subquery(newest.values(column)[:1])
            for field, column in zip(STATUS_FIELDS, columns, strict=True)
        }
    )


def obligations_with_status(
    queryset: QuerySet | None = None,
    *,
    on: datetime.date | None = None,
    known_at: Moment | None = None,
    approved_only: bool = False,
    per_row: bool = False,
) -> QuerySet:
    """Obligations annotated with the judgement that holds for them (STATUS_FIELDS).

    ``on`` (valid time) keeps the judgements valid on that date in the world; ``known_at``
    (transaction time) judges from what had been recorded and reviewed by that moment. With
    both: what the tracker believed at ``known_at`` about ``on``.

    ``queryset`` may also be obligations as recorded in the past
    (agreements.selectors.obligations_as_of): both carry the obligation's ``id``.
    ``approved_only``: judged from approved judgements only (standing_assessments).
    ``per_row`` (live obligations, as known now): for a page of them (with_standing_per_row).
    """
    queryset = Obligation.objects.all() if queryset is None else queryset
    if per_row and known_at is None:
        return with_standing_per_row(queryset, valid_on=on, approved_only=approved_only)
    return with_standing(queryset, valid_on=on, known_at=known_at, approved_only=approved_only)


def assessment_history(obligation: Obligation) -> QuerySet[ComplianceAssessment]:
    """Every judgement of one obligation, newest first, with who made and reviewed it."""
    return (
        obligation.assessments.select_related("author", "reviewed_by", "supersedes")
        .prefetch_related("evidence_sources", "evidence_incidents")
        .order_by(*LATEST_FIRST)
    )


def incidents_as_of(
    known_at: Moment, *, occurred_by: datetime.date | None = None
) -> QuerySet[ChainedEvent]:
    """Incidents as known at ``known_at`` (transaction time) that had occurred by
    ``occurred_by`` (valid time; all, if None), each annotated with ``month``: "YYYY-MM" of
    ``occurred_on``, the label reports group incidents by.

    Snapshots from the history table (history.as_of.snapshots_as_of): they carry the
    incident's ``id`` and field names, but no reverse relations, so join to them by id.
    """
    incidents = snapshots_as_of(Incident, known_at)
    if occurred_by is not None:
        incidents = incidents.filter(occurred_on__lte=occurred_by)
    return incidents.annotate(
        month=Func(F("occurred_on"), Value("YYYY-MM"), function="to_char", output_field=CharField())
    )


def awaiting_review(reviewer: AbstractBaseUser | None = None) -> QuerySet[ComplianceAssessment]:
    """Judgements no lead has approved or rejected yet; with ``reviewer``, only those that
    reviewer may review: not their own, by the four-eyes rule of
    tracker.services.assessment_review_check (unless settings.REVIEW_OWN_JUDGEMENTS)."""
    pending = ComplianceAssessment.objects.filter(review_state=ReviewState.PENDING)
    if reviewer is not None and not settings.REVIEW_OWN_JUDGEMENTS:
        # author_id may be NULL (seeded judgements): exclude() keeps those, as it should.
        pending = pending.exclude(author_id=reviewer.pk)
    return pending


# Enough to find the earlier entry; more would bury the warning.
LOOK_ALIKES_SHOWN = 5


def incident_look_alikes(incident: Incident) -> QuerySet[Incident]:
    """Other incidents that may be this one entered again: the same day, place (any case) and
    event type, and a shared actor (a party, or a name as reported). When either has no actors
    yet, nothing tells them apart, so the first three suffice."""
    mine = IncidentActor.objects.filter(incident=incident)
    parties = mine.exclude(party=None).values("party")
    names = mine.exclude(name_as_reported="").values("name_as_reported")
    theirs = IncidentActor.objects.filter(incident=OuterRef("pk"))
    same = (
        Incident.objects.filter(
            occurred_on=incident.occurred_on,
            event_type=incident.event_type,
            location__iexact=incident.location.strip(),
        )
        .exclude(pk=incident.pk)
        .order_by("id")
    )
    # One query: asked on every save, it stays within the write's statement budget.
    shared = theirs.filter(Q(party__in=parties) | Q(name_as_reported__in=names))
    return same.filter(Exists(shared) | ~Exists(theirs) | ~Exists(mine))
