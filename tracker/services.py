"""Writes of the tracker. The admin, the API and commands call these; they hold the rules."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.choices import DatePrecision
from agreements.models import Obligation, Source
from history.context import add_reason, current_reason
from tracker.choices import ReviewState
from tracker.models import ComplianceAssessment, Incident, IncidentActor, IncidentSource
from tracker.models.assessments import JUDGEMENT_FIELDS, REVIEW_FIELDS


@transaction.atomic
def assessment_record(
    *,
    obligation: Obligation,
    status: str,
    valid_from: datetime.date,
    rationale: str,
    author: AbstractBaseUser | None,
    level: int | None = None,
    valid_from_precision: str = DatePrecision.DAY,
    evidence_sources: Iterable[Source] = (),
    evidence_incidents: Iterable[Incident] = (),
    supersedes: ComplianceAssessment | None = None,
) -> ComplianceAssessment:
    """Append a judgement of ``obligation``; past judgements are never rewritten.

    The judgement's rules are the model's (``ComplianceAssessment.clean`` and its
    constraints), checked here once; a broken one raises ValidationError keyed by field.
    """
    assessment = ComplianceAssessment(
        obligation=obligation,
        status=status,
        level=level,
        valid_from=valid_from,
        valid_from_precision=valid_from_precision,
        rationale=(rationale or "").strip(),
        author=author,
        supersedes=supersedes,
    )
    assessment.full_clean()
    assessment.save()
    assessment.evidence_sources.set(evidence_sources)
    assessment.evidence_incidents.set(evidence_incidents)
    return assessment


def assessment_review_check(
    *, assessment: ComplianceAssessment, reviewer: AbstractBaseUser, state: str
) -> None:
    """Who may review and what a review does: it approves or rejects, and (four eyes) not
    the author's own judgement unless settings.REVIEW_OWN_JUDGEMENTS allows it. The admin's
    review form calls this to show the refusal at the field; assessment_review calls it too.
    """
    if state not in (ReviewState.APPROVED, ReviewState.REJECTED):
        raise ValidationError({"review_state": _("A review approves or rejects.")})
    own = assessment.author_id is not None and assessment.author_id == reviewer.pk
    if own and not settings.REVIEW_OWN_JUDGEMENTS:
        raise ValidationError(
            {
                "review_state": _(
                    "You recorded this judgement, so another lead must approve or reject it."
                )
            }
        )


@transaction.atomic
def assessment_review(
    *,
    assessment: ComplianceAssessment,
    reviewer: AbstractBaseUser,
    state: str,
    note: str = "",
) -> ComplianceAssessment:
    """A lead approves or rejects a judgement; the judgement itself stays as it was."""
    assessment_review_check(assessment=assessment, reviewer=reviewer, state=state)
    assessment.review_state = state
    assessment.reviewed_by = reviewer
    assessment.reviewed_at = timezone.now()
    assessment.review_note = note.strip()
    # The judgement was checked when it was recorded and cannot change; only the review is.
    assessment.full_clean(exclude=set(JUDGEMENT_FIELDS))
    # The note says why; the trail keeps it as the change's reason, unless the request gave
    # one of its own (an API client's reason header).
    if assessment.review_note and not current_reason():
        add_reason(assessment.review_note)
    assessment.save(update_fields=[*REVIEW_FIELDS])
    return assessment


@dataclass
class BulkReview:
    """What a bulk review did: the judgements it reviewed and those it left alone, by why."""

    reviewed: list[ComplianceAssessment] = field(default_factory=list)
    own: list[ComplianceAssessment] = field(default_factory=list)
    already_reviewed: list[ComplianceAssessment] = field(default_factory=list)


@transaction.atomic
def assessments_review(
    *,
    assessments: Iterable[ComplianceAssessment],
    reviewer: AbstractBaseUser,
    state: str,
    note: str = "",
) -> BulkReview:
    """Approve or reject several judgements with one note, each through assessment_review.

    A judgement the four-eyes rule keeps from ``reviewer`` is skipped, not refused: the others
    still go through. So is one already reviewed: a bulk action never overturns a lead's
    review (that is done on the judgement's own page, where its note can be read).
    """
    result = BulkReview()
    # Locked, and read again: two leads reviewing the same rows at once must not overwrite
    # each other's review; the second finds them reviewed and skips them.
    locked = (
        ComplianceAssessment.objects.select_for_update()
        .filter(pk__in=[assessment.pk for assessment in assessments])
        .order_by("pk")
    )
    for assessment in locked:
        if assessment.review_state != ReviewState.PENDING:
            result.already_reviewed.append(assessment)
            continue
        try:
            assessment_review_check(assessment=assessment, reviewer=reviewer, state=state)
        except ValidationError:
            result.own.append(assessment)
            continue
        result.reviewed.append(
            assessment_review(assessment=assessment, reviewer=reviewer, state=state, note=note)
        )
    return result


@transaction.atomic
def incident_save(
    *,
    incident: Incident,
    actors: list[dict] | None = None,
    sources: list[dict] | None = None,
) -> Incident:
    """Save an incident and, when given, replace its actors and its sources.

    ``actors`` items hold party / name_as_reported / side / is_associate; ``sources`` items
    hold source / credibility / excerpt. None leaves that list as it is.
    """
    adding = incident._state.adding
    incident.full_clean()
    incident.save()
    # Each row is checked once. An actor need not look up the incident saved just above; a
    # source does, for the check that it is not listed twice.
    if actors is not None:
        if not adding:
            incident.actor_roles.all().delete()
        for actor in actors:
            row = IncidentActor(incident=incident, **actor)
            row.full_clean(exclude={"incident"})
            row.save()
    if sources is not None:
        if not adding:
            incident.source_links.all().delete()
        for report in sources:
            row = IncidentSource(incident=incident, **report)
            row.full_clean()
            row.save()
    return incident
