"""Small builders for test data: each makes one valid row, with every field overridable.

Unique keys come from a counter so tests can build as many rows as they need.
"""

import datetime
import itertools
from typing import Any

from agreements.models import Agreement, Clause, ClauseAccount, Obligation, Party, Source, Topic
from tracker.models import BreachClaim, ComplianceAssessment, Incident

_serial = itertools.count(1)


def _next() -> int:
    return next(_serial)


def party(**fields: Any) -> Party:
    n = _next()
    return Party.objects.create(
        **{"key": f"party-{n}", "name_en": f"Party {n}", "kind": "armed_group", **fields}
    )


def agreement(**fields: Any) -> Agreement:
    n = _next()
    defaults = {
        "code": f"agreement-{n}",
        "title_en": f"Agreement {n}",
        "signed_on": datetime.date(2021, 9, 6),
        "signed_precision": "day",
        "stage": "ceasefire",
    }
    return Agreement.objects.create(**{**defaults, **fields})


def topic(**fields: Any) -> Topic:
    n = _next()
    return Topic.objects.create(**{"code": f"topic-{n}", "name_en": f"Topic {n}", **fields})


def clause(**fields: Any) -> Clause:
    n = _next()
    defaults: dict[str, Any] = {"key": f"clause-{n}", "position": n, "summary_en": f"Clause {n}"}
    if "agreement" not in fields:
        defaults["agreement"] = agreement()
    if "topic" not in fields:
        defaults["topic"] = topic()
    return Clause.objects.create(**{**defaults, **fields})


def source(**fields: Any) -> Source:
    n = _next()
    return Source.objects.create(
        **{"key": f"source-{n}", "publisher": f"Publisher {n}", "title": f"Report {n}", **fields}
    )


def clause_account(**fields: Any) -> ClauseAccount:
    defaults: dict[str, Any] = {"form": "paraphrase", "text_en": "Nine checkpoints."}
    if "clause" not in fields:
        defaults["clause"] = clause()
    if "source" not in fields:
        defaults["source"] = source()
    return ClauseAccount.objects.create(**{**defaults, **fields})


def obligation(**fields: Any) -> Obligation:
    n = _next()
    defaults: dict[str, Any] = {"key": f"obligation-{n}", "action_en": f"Do thing {n}"}
    if "clause" not in fields:
        defaults["clause"] = clause()
    if "obligor" not in fields:
        defaults["obligor"] = party()
    return Obligation.objects.create(**{**defaults, **fields})


def incident(**fields: Any) -> Incident:
    n = _next()
    defaults = {
        "key": f"incident-{n}",
        "occurred_on": datetime.date(2021, 9, 3),
        "date_precision": "day",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "admin1": "Daraa",
        "location": "Daraa al-Balad",
        "description_en": f"Incident {n} as reported.",
    }
    return Incident.objects.create(**{**defaults, **fields})


def assessment(**fields: Any) -> ComplianceAssessment:
    defaults: dict[str, Any] = {
        "status": "in_progress",
        "level": 1,
        "valid_from": datetime.date(2021, 9, 6),
        "valid_from_precision": "day",
        "rationale": "Reported by two sources.",
    }
    if "obligation" not in fields:
        defaults["obligation"] = obligation()
    return ComplianceAssessment.objects.create(**{**defaults, **fields})


def breach_claim(**fields: Any) -> BreachClaim:
    defaults: dict[str, Any] = {"rationale": "The incident happened inside the agreed zone."}
    if "incident" not in fields:
        defaults["incident"] = incident()
    if "obligation" not in fields:
        defaults["obligation"] = obligation()
    return BreachClaim.objects.create(**{**defaults, **fields})
