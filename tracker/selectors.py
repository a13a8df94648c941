"""Reads of the tracker that need joins, subqueries or aggregates."""

import datetime

from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    Func,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from agreements.models import Obligation
from agreements.models.audit import ChainedEvent
from agreements.selectors import event_model, snapshots_as_of
from tracker.choices import ReviewState
from tracker.models import ComplianceAssessment, Incident

# Newest judgement first: by the date it holds from in the world, then by when it was typed.
LATEST_FIRST = ("-valid_from", "-recorded_at", "-id")

# What obligations_with_status adds to each obligation.
STATUS_FIELDS = ("current_status", "current_level", "current_valid_from", "current_assessment_id")


def assessments_known_at(
    known_at: datetime.datetime | None = None,
) -> QuerySet[ComplianceAssessment]:
    """Assessments recorded by ``known_at`` (all, if None), each annotated with
    ``review_state_then``: its review state at that moment.

    Judgements are append-only, so recorded_at says when each became known; only the review
    changes afterwards, and its past states are read from the history table.
    """
    if known_at is None:
        return ComplianceAssessment.objects.annotate(review_state_then=F("review_state"))
    reviewed = (
        event_model(ComplianceAssessment)
        .objects.filter(pgh_obj=OuterRef("pk"), pgh_created_at__lte=known_at)
        .order_by("-pgh_created_at", "-pgh_id")
        .values("review_state")[:1]
    )
    # No snapshot by then: recorded_at is stamped just before the insert's transaction starts,
    # or the row predates the audit trail. Its review then is the stored one if it happened by
    # then, else none yet.
    without_snapshot = Case(
        When(reviewed_at__lte=known_at, then=F("review_state")),
        default=Value(ReviewState.PENDING),
    )
    return ComplianceAssessment.objects.filter(recorded_at__lte=known_at).annotate(
        review_state_then=Coalesce(Subquery(reviewed), without_snapshot)
    )


def standing_assessments(
    known_at: datetime.datetime | None = None,
) -> QuerySet[ComplianceAssessment]:
    """Assessments that count (at ``known_at``, or now): recorded, not rejected by a lead, and not
    corrected by a later one that is itself not rejected."""
    known = assessments_known_at(known_at)
    corrected = known.filter(supersedes=OuterRef("pk")).exclude(
        review_state_then=ReviewState.REJECTED
    )
    return known.exclude(review_state_then=ReviewState.REJECTED).exclude(Exists(corrected))


def obligations_with_status(
    queryset: QuerySet | None = None,
    *,
    on: datetime.date | None = None,
    known_at: datetime.datetime | None = None,
) -> QuerySet:
    """Obligations annotated with the judgement that holds for them.

    ``current_status``, ``current_level``, ``current_valid_from`` and
    ``current_assessment_id`` come from the latest standing assessment by valid-from date.
    ``on`` (valid time) keeps the judgements valid on that date in the world; ``known_at``
    (transaction time) judges from what had been recorded and reviewed by that moment. With
    both: what the tracker believed at ``known_at`` about ``on``. They are None when nothing
    applies. One query, whatever the number of obligations.

    ``queryset`` may also be obligations as recorded in the past (agreements.selectors
    .obligations_as_of): both carry the obligation's ``id``.
    """
    latest = standing_assessments(known_at).filter(obligation=OuterRef("id"))
    if on is not None:
        latest = latest.filter(valid_from__lte=on)
    latest = latest.order_by(*LATEST_FIRST)
    queryset = Obligation.objects.all() if queryset is None else queryset
    return queryset.annotate(
        current_assessment_id=Subquery(latest.values("pk")[:1]),
        current_status=Subquery(latest.values("status")[:1]),
        current_level=Subquery(latest.values("level")[:1]),
        current_valid_from=Subquery(latest.values("valid_from")[:1]),
    )


def assessment_history(obligation: Obligation) -> QuerySet[ComplianceAssessment]:
    """Every judgement of one obligation, newest first, with who made and reviewed it."""
    return (
        obligation.assessments.select_related("author", "reviewed_by", "supersedes")
        .prefetch_related("evidence_sources", "evidence_incidents")
        .order_by(*LATEST_FIRST)
    )


def incidents_as_of(
    known_at: datetime.datetime, *, occurred_by: datetime.date | None = None
) -> QuerySet[ChainedEvent]:
    """Incidents as recorded at ``known_at`` (transaction time) that had occurred by
    ``occurred_by`` (valid time; all, if None), each annotated with ``month``: "YYYY-MM" of
    ``occurred_on``, the label reports group incidents by.

    Snapshots from the history table (agreements.selectors.snapshots_as_of): they carry the
    incident's ``id`` and field names, but no reverse relations, so join to them by id.
    """
    incidents = snapshots_as_of(Incident, known_at)
    if occurred_by is not None:
        incidents = incidents.filter(occurred_on__lte=occurred_by)
    return incidents.annotate(
        month=Func(F("occurred_on"), Value("YYYY-MM"), function="to_char", output_field=CharField())
    )
