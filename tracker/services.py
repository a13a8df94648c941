"""Writes of the tracker. The admin, the API and commands call these; they hold the rules."""

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agreements.choices import DatePrecision
from agreements.models import Obligation, Source
from tracker.choices import ReviewState
from tracker.models import ComplianceAssessment, Incident, IncidentActor, IncidentSource


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
    """Append a judgement of ``obligation``; past judgements are never rewritten."""
    errors: dict[str, str] = {}
    if not (rationale or "").strip():
        errors["rationale"] = "Say why you judge so; a judgement without a rationale is not kept."
    if valid_from and valid_from > timezone.localdate():
        errors["valid_from"] = "A judgement cannot hold from a date that has not come yet."
    if supersedes is not None and supersedes.obligation_id != obligation.pk:
        errors["supersedes"] = "A correction must concern the same obligation."
    if errors:
        raise ValidationError(errors)
    assessment = ComplianceAssessment(
        obligation=obligation,
        status=status,
        level=level,
        valid_from=valid_from,
        valid_from_precision=valid_from_precision,
        rationale=rationale.strip(),
        author=author,
        supersedes=supersedes,
    )
    assessment.full_clean()
    assessment.save()
    assessment.evidence_sources.set(evidence_sources)
    assessment.evidence_incidents.set(evidence_incidents)
    return assessment


@transaction.atomic
def assessment_review(
    *,
    assessment: ComplianceAssessment,
    reviewer: AbstractBaseUser,
    state: str,
    note: str = "",
) -> ComplianceAssessment:
    """A lead approves or rejects a judgement; the judgement itself stays as it was."""
    if state not in (ReviewState.APPROVED, ReviewState.REJECTED):
        raise ValidationError({"review_state": "A review approves or rejects."})
    if state == ReviewState.REJECTED and not note.strip():
        raise ValidationError({"review_note": "Say why the judgement is rejected."})
    assessment.review_state = state
    assessment.reviewed_by = reviewer
    assessment.reviewed_at = timezone.now()
    assessment.review_note = note.strip()
    assessment.save(update_fields=["review_state", "reviewed_by", "reviewed_at", "review_note"])
    return assessment


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
    incident.full_clean()
    incident.save()
    if actors is not None:
        incident.actor_roles.all().delete()
        for actor in actors:
            row = IncidentActor(incident=incident, **actor)
            row.full_clean()
            row.save()
    if sources is not None:
        incident.source_links.all().delete()
        for report in sources:
            row = IncidentSource(incident=incident, **report)
            row.full_clean()
            row.save()
    return incident
