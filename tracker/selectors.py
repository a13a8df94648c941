"""Reads of the tracker that need joins, subqueries or aggregates."""

import datetime

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from agreements.models import Obligation
from tracker.choices import ReviewState
from tracker.models import ComplianceAssessment

# Newest judgement first: by the date it holds from in the world, then by when it was typed.
LATEST_FIRST = ("-valid_from", "-recorded_at", "-id")


def standing_assessments() -> QuerySet[ComplianceAssessment]:
    """Assessments that still count: not rejected by a lead and not corrected by a later one."""
    corrected = ComplianceAssessment.objects.filter(supersedes=OuterRef("pk")).exclude(
        review_state=ReviewState.REJECTED
    )
    return ComplianceAssessment.objects.exclude(review_state=ReviewState.REJECTED).exclude(
        Exists(corrected)
    )


def obligations_with_status(
    queryset: QuerySet[Obligation] | None = None, *, on: datetime.date | None = None
) -> QuerySet[Obligation]:
    """Obligations annotated with the judgement that holds for them.

    ``current_status``, ``current_level``, ``current_valid_from`` and
    ``current_assessment_id`` come from the latest standing assessment by valid-from date;
    with ``on``, from the latest one valid on that date. They are None when nothing has been
    judged yet. One query, whatever the number of obligations.
    """
    latest = standing_assessments().filter(obligation=OuterRef("pk"))
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
