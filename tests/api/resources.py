"""One description per API resource; the generic tests in this folder run over all of them.

Each entry says how to make a row, what a valid create and change look like, one bad value
per resource, and which roles may write. The expected status codes are written out here,
independently of the role table in tracker/roles.py, so a wrong permission shows up.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models

from tests import builders

LEADS = frozenset({"lead", "admin"})
ANALYSTS = frozenset({"analyst", "lead", "admin"})


@dataclass(frozen=True)
class Resource:
    route: str
    make: Callable[[], models.Model]
    payload: Callable[[], dict[str, Any]]
    change: dict[str, Any]
    bad: dict[str, Any]
    writers: frozenset[str]
    offers_update: bool = True
    offers_delete: bool = True

    def __str__(self) -> str:
        return self.route


def _agreement_payload() -> dict[str, Any]:
    n = builders._next()
    return {
        "code": f"api-agreement-{n}",
        "title_en": "New agreement",
        "stage": "ceasefire",
        "signed_on": "2021-09-06",
        "signed_precision": "day",
    }


def _clause_payload() -> dict[str, Any]:
    return {
        "agreement": builders.agreement().pk,
        "key": f"c-{builders._next()}",
        "topic": builders.topic().pk,
        "summary_en": "A clause",
    }


def _obligation_payload() -> dict[str, Any]:
    return {
        "clause": builders.clause().pk,
        "key": f"o-{builders._next()}",
        "obligor": builders.party().pk,
        "action_en": "Open the road",
    }


def _incident_payload() -> dict[str, Any]:
    return {
        "key": f"i-{builders._next()}",
        "occurred_on": "2021-09-03",
        "date_precision": "day",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "location": "Daraa al-Balad",
        "description_en": "Clashes reported.",
        "actors": [{"party": builders.party().pk, "side": 1}],
        "sources": [{"source": builders.source().pk, "credibility": 3}],
    }


def _assessment_payload() -> dict[str, Any]:
    return {
        "obligation": builders.obligation().pk,
        "status": "complied",
        "level": 3,
        "valid_from": "2021-09-10",
        "valid_from_precision": "day",
        "rationale": "Two sources report the road open.",
    }


RESOURCES = [
    Resource(
        "parties",
        builders.party,
        lambda: {"key": f"p-{builders._next()}", "name_en": "A party", "kind": "militia"},
        {"name_en": "Renamed party"},
        {"kind": "dragon"},
        LEADS,
    ),
    Resource(
        "topics",
        builders.topic,
        lambda: {"code": f"t-{builders._next()}", "name_en": "A topic"},
        {"name_en": "Renamed topic"},
        {"code": "not a slug!"},
        LEADS,
    ),
    Resource(
        "agreements",
        builders.agreement,
        _agreement_payload,
        {"title_en": "Renamed agreement"},
        {"signed_precision": "sometime"},
        LEADS,
    ),
    Resource(
        "agreement-parties",
        lambda: builders.agreement().party_roles.create(party=builders.party(), role="witness"),
        lambda: {
            "agreement": builders.agreement().pk,
            "party": builders.party().pk,
            "role": "guarantor",
        },
        {"note": "Signed by its envoy."},
        {"party": 999999},
        LEADS,
    ),
    Resource(
        "agreement-links",
        lambda: builders.agreement().links_out.create(
            kind="amends", to_agreement=builders.agreement()
        ),
        lambda: {
            "from_agreement": builders.agreement().pk,
            "kind": "replaces",
            "to_agreement": builders.agreement().pk,
        },
        {"note": "Reported by two sources."},
        {"kind": "befriends"},
        LEADS,
    ),
    Resource(
        "clauses",
        builders.clause,
        _clause_payload,
        {"summary_en": "Reworded summary"},
        {"position": -1},
        LEADS,
        offers_delete=False,
    ),
    Resource(
        "clause-accounts",
        builders.clause_account,
        lambda: {
            "clause": builders.clause().pk,
            "source": builders.source().pk,
            "form": "quote",
            "text_en": "Ten checkpoints.",
        },
        {"note": "Differs on the number."},
        {"form": "rumour"},
        LEADS,
    ),
    Resource(
        "obligations",
        builders.obligation,
        _obligation_payload,
        {"action_en": "Open the road by noon"},
        {"due_on": "2021-09-31"},
        LEADS,
    ),
    Resource(
        "assessments",
        builders.assessment,
        _assessment_payload,
        {"status": "complied"},
        {"level": 4},
        ANALYSTS,
        offers_update=False,
        offers_delete=False,
    ),
    Resource(
        "incidents",
        builders.incident,
        _incident_payload,
        {"fatalities": 2},
        {"occurred_on": "last week"},
        ANALYSTS,
    ),
    Resource(
        "breach-claims",
        builders.breach_claim,
        lambda: {
            "incident": builders.incident().pk,
            "obligation": builders.obligation().pk,
            "rationale": "The shelling hit the agreed zone.",
        },
        {"state": "corroborated"},
        {"state": "proven"},
        ANALYSTS,
    ),
    Resource(
        "sources",
        builders.source,
        lambda: {"key": f"s-{builders._next()}", "publisher": "Outlet", "title": "Report"},
        {"title": "Corrected title"},
        {"reliability": "Z"},
        ANALYSTS,
    ),
]
