"""ACLED's deletion lists: events ACLED withdrew, removed here too, or flagged where cited."""

from __future__ import annotations

import csv
import io
from typing import IO

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from tracker.imports.acled import ImportRefused, ImportReport
from tracker.models import BreachClaim, ComplianceAssessment, Incident

BATCH = 2000


def incident_delete_withdrawn(*, stream: IO[bytes], dry_run: bool = False) -> ImportReport:
    """Delete the incidents whose ``event_id_cnty`` the file lists.

    An incident that a breach claim or a judgement cites is kept and flagged
    (``acled_withdrawn_at``) for an analyst to decide. The audit context's reason (required
    by the command) is on every event. One transaction per batch, like the import.
    """
    report = ImportReport(dry_run=dry_run)
    reader = csv.DictReader(io.TextIOWrapper(stream, encoding="utf-8-sig", newline=""))
    if "event_id_cnty" not in [name.strip() for name in reader.fieldnames or []]:
        raise ImportRefused("The header lacks required columns: event_id_cnty.")
    reader.fieldnames = [name.strip() for name in reader.fieldnames or []]
    batch: list[str] = []
    for raw in reader:
        event_id = (raw.get("event_id_cnty") or "").strip()
        if event_id:
            batch.append(event_id)
        if len(batch) >= BATCH:
            _apply(batch, report, dry_run)
            batch = []
    if batch:
        _apply(batch, report, dry_run)
    return report


def _apply(ids: list[str], report: ImportReport, dry_run: bool) -> None:
    cited = Exists(BreachClaim.objects.filter(incident=OuterRef("pk"))) | Exists(
        ComplianceAssessment.evidence_incidents.through.objects.filter(incident=OuterRef("pk"))
    )
    with transaction.atomic():
        found = Incident.objects.filter(acled_event_id__in=set(ids)).annotate(cited=cited)
        flag = [pk for pk, is_cited in found.values_list("pk", "cited") if is_cited]
        remove = Incident.objects.filter(acled_event_id__in=set(ids)).exclude(pk__in=flag)
        report.batches += 1
        report.flagged += len(flag)
        count = remove.count()
        report.deleted += count
        report.not_found += len(set(ids)) - len(flag) - count
        if dry_run:
            return
        Incident.objects.filter(Q(pk__in=flag), acled_withdrawn_at__isnull=True).update(
            acled_withdrawn_at=timezone.now()
        )
        remove.delete()
