"""The two yardsticks bench/reports_bench.py holds each report against.

- ``raw_*``: the report's figures by hand-written SQL over the live tables, with no time
  travel and no framework: the floor any implementation pays for the same answer.
- ``naive_*``: what a first version would do: the ORM loads every row involved and Python
  sorts and counts.

Each takes the bench's parameters (``Case``) and returns its rows, so the three ways can be
timed on the same question. They read the live tables, so they answer as known now; the
bench times ours at a past known_at against the same floor.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Case:
    """The question every report is asked: one agreement, one party, one date in the world."""

    agreement: str
    party: str
    valid_on: datetime.date
    horizon_days: int = 30
    listed: int = 200


# Each obligation's standing judgement on valid_on: not rejected, not corrected by a later
# judgement that is not rejected, the latest by valid-from date (ties: the later recorded).
STANDING = """
    standing AS (
        SELECT DISTINCT ON (a.obligation_id) a.obligation_id, a.status, a.level, a.valid_from
        FROM tracker_complianceassessment AS a
        WHERE a.review_state <> 'rejected' AND a.valid_from <= %(on)s
            AND NOT EXISTS (SELECT 1 FROM tracker_complianceassessment AS c
                            WHERE c.supersedes_id = a.id AND c.review_state <> 'rejected')
        ORDER BY a.obligation_id, a.valid_from DESC, a.recorded_at DESC, a.id DESC
    )"""


def _fetch(sql: str, params: dict[str, Any]) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _params(case: Case) -> dict[str, Any]:
    return {
        "on": case.valid_on,
        "horizon": case.valid_on + datetime.timedelta(days=case.horizon_days),
        "agreement": case.agreement,
        "party": case.party,
        "listed": case.listed,
    }


def raw_compliance_matrix(case: Case) -> list[tuple]:
    rows = f"""
        WITH {STANDING}, matrix AS (
            SELECT c.position, c.key AS clause_key, coalesce(nullif(c.label, ''), c.key) AS clause,
                o.key, p.name_en AS obligor, t.code AS topic, o.due_on, s.status, s.level,
                s.valid_from
            FROM agreements_obligation AS o
            JOIN agreements_clause AS c ON c.id = o.clause_id
            JOIN agreements_agreement AS g ON g.id = c.agreement_id
            LEFT JOIN agreements_party AS p ON p.id = o.obligor_id
            LEFT JOIN agreements_topic AS t ON t.id = c.topic_id
            LEFT JOIN standing AS s ON s.obligation_id = o.id
            WHERE g.code = %(agreement)s
        )"""
    listed = _fetch(
        rows + " SELECT clause, key, obligor, due_on, status, level, valid_from FROM matrix"
        " ORDER BY position, clause_key, key",
        _params(case),
    )
    rollups = _fetch(
        rows
        + """ SELECT status, topic, obligor, count(*),
            count(*) FILTER (WHERE status = 'complied'),
            count(*) FILTER (WHERE status = 'partially_complied'),
            count(*) FILTER (WHERE status = 'not_complied'),
            count(*) FILTER (WHERE status = 'disputed'),
            count(*) FILTER (WHERE status = 'not_yet_due'), avg(level)
        FROM matrix GROUP BY GROUPING SETS ((status), (topic), (obligor))""",
        _params(case),
    )
    return listed + rollups


def raw_party_scorecard(case: Case) -> list[tuple]:
    params = _params(case)
    by_agreement = _fetch(
        f"""WITH {STANDING}
        SELECT g.code, s.status, count(*) FROM agreements_obligation AS o
        JOIN agreements_party AS p ON p.id = o.obligor_id
        JOIN agreements_clause AS c ON c.id = o.clause_id
        JOIN agreements_agreement AS g ON g.id = c.agreement_id
        LEFT JOIN standing AS s ON s.obligation_id = o.id
        WHERE p.key = %(party)s GROUP BY 1, 2 ORDER BY 1, 2""",
        params,
    )
    claims = _fetch(
        """SELECT b.state, count(*) FROM tracker_breachclaim AS b
        JOIN agreements_obligation AS o ON o.id = b.obligation_id
        JOIN agreements_party AS p ON p.id = o.obligor_id
        JOIN tracker_incident AS i ON i.id = b.incident_id
        WHERE p.key = %(party)s AND i.occurred_on <= %(on)s GROUP BY 1""",
        params,
    )
    incidents = _fetch(
        """SELECT to_char(i.occurred_on, 'YYYY-MM'), i.event_type, count(*),
            coalesce(sum(i.fatalities), 0)
        FROM tracker_incident AS i
        WHERE i.occurred_on <= %(on)s AND EXISTS (
            SELECT 1 FROM tracker_incidentactor AS a JOIN agreements_party AS p
            ON p.id = a.party_id WHERE a.incident_id = i.id AND p.key = %(party)s)
        GROUP BY 1, 2 ORDER BY 1, 2""",
        params,
    )
    return by_agreement + claims + incidents


def raw_incident_summary(case: Case) -> list[tuple]:
    params = _params(case)
    by_month = _fetch(
        """SELECT to_char(occurred_on, 'YYYY-MM'), count(*), coalesce(sum(fatalities), 0)
        FROM tracker_incident WHERE occurred_on <= %(on)s GROUP BY 1 ORDER BY 1""",
        params,
    )
    by_actor = _fetch(
        """SELECT to_char(i.occurred_on, 'YYYY-MM'), i.event_type,
            coalesce(p.name_en, a.name_as_reported, '(no actor recorded)'),
            count(DISTINCT i.id), coalesce(sum(i.fatalities), 0)
        FROM tracker_incident AS i
        LEFT JOIN tracker_incidentactor AS a ON a.incident_id = i.id
        LEFT JOIN agreements_party AS p ON p.id = a.party_id
        WHERE i.occurred_on <= %(on)s GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""",
        params,
    )
    return by_month + by_actor


def raw_deadlines(case: Case) -> list[tuple]:
    rows = _fetch(
        f"""WITH {STANDING}, unmet AS (
            SELECT d.obligation_id, string_agg(pc.key || '/' || po.key, ', '
                ORDER BY pc.key || '/' || po.key) AS keys
            FROM agreements_obligationdependency AS d
            JOIN agreements_obligation AS po ON po.id = d.prerequisite_id
            JOIN agreements_clause AS pc ON pc.id = po.clause_id
            LEFT JOIN standing AS ps ON ps.obligation_id = d.prerequisite_id
            WHERE ps.status IS DISTINCT FROM 'complied' GROUP BY d.obligation_id
        ), open AS (
            SELECT g.code, coalesce(nullif(c.label, ''), c.key) AS clause, c.position,
                c.key AS clause_key, o.key, p.name_en,
                coalesce(o.due_on, g.signed_on + o.due_days_after_signature) AS deadline,
                s.status, u.keys
            FROM agreements_obligation AS o
            JOIN agreements_clause AS c ON c.id = o.clause_id
            JOIN agreements_agreement AS g ON g.id = c.agreement_id
            LEFT JOIN agreements_party AS p ON p.id = o.obligor_id
            LEFT JOIN standing AS s ON s.obligation_id = o.id
            LEFT JOIN unmet AS u ON u.obligation_id = o.id
            WHERE g.code = %(agreement)s AND s.status IS DISTINCT FROM 'complied'
                AND (g.signed_on IS NULL OR g.signed_on <= %(on)s)
                AND (g.ended_on IS NULL OR g.ended_on > %(on)s)
        )
        SELECT * FROM (
            SELECT open.*, CASE WHEN keys IS NOT NULL THEN 'blocked'
                WHEN deadline < %(on)s THEN 'overdue'
                WHEN deadline <= %(horizon)s THEN 'due soon' END AS category
            FROM open
        ) AS categorised WHERE category IS NOT NULL
        ORDER BY deadline NULLS LAST, code, position, clause_key, key""",
        _params(case),
    )
    return [*rows, *Counter(row[-1] for row in rows).items()]


def raw_audit(case: Case) -> list[tuple]:
    """Events by user, table, channel and action, and the latest ``listed`` events: each
    table's latest first (its chain-number index), then the newest of those."""
    from history.chain import event_models

    tables = [model._meta.db_table for model in event_models()]
    who = "coalesce(pgh_context->>'username', 'manage.py ' || (pgh_context->>'command'), 'system')"
    counts = " UNION ALL ".join(
        f"SELECT {who}, '{table}', coalesce(pgh_context->>'channel', 'none'), pgh_label,"
        f" count(*) FROM {table} GROUP BY 1, 2, 3, 4"
        for table in tables
    )
    latest = " UNION ALL ".join(
        f"(SELECT pgh_seq, pgh_created_at, {who}, '{table}', pgh_obj_id, pgh_label,"
        f" pgh_data::text FROM (SELECT *, to_jsonb(e) AS pgh_data FROM {table} AS e"
        f" ORDER BY pgh_seq DESC LIMIT %(listed)s) AS newest)"
        for table in tables
    )
    params = _params(case)
    return _fetch(counts, params) + _fetch(
        f"SELECT * FROM ({latest}) AS events ORDER BY pgh_seq DESC LIMIT %(listed)s", params
    )


def raw_timeline(case: Case) -> list[tuple]:
    events = """
        WITH chosen AS (SELECT id, signed_on, coalesce(ended_on, %(on)s) AS last
                        FROM agreements_agreement WHERE code = %(agreement)s),
        scope AS (
            SELECT id FROM chosen
            UNION SELECT to_agreement_id FROM agreements_agreementlink
                WHERE from_agreement_id IN (SELECT id FROM chosen)
            UNION SELECT from_agreement_id FROM agreements_agreementlink
                WHERE to_agreement_id IN (SELECT id FROM chosen)
        ),
        events AS (
            SELECT g.signed_on AS day, 'agreement signed' AS kind, g.code AS agreement,
                g.title_en AS subject, NULL::text AS detail, NULL::int AS fatalities,
                NULL::int AS level
            FROM agreements_agreement AS g WHERE g.id IN (SELECT id FROM scope)
            UNION ALL
            SELECT g.effective_on, 'agreement took effect', g.code, g.title_en, NULL, NULL, NULL
            FROM agreements_agreement AS g WHERE g.id IN (SELECT id FROM scope)
            UNION ALL
            SELECT g.ended_on, 'agreement ended', g.code, g.title_en, g.status, NULL, NULL
            FROM agreements_agreement AS g
            WHERE g.id IN (SELECT id FROM scope) AND g.ended_on IS NOT NULL
            UNION ALL
            SELECT f.signed_on, 'agreement link', f.code, l.kind || ' ' || t.code, NULL,
                NULL, NULL
            FROM agreements_agreementlink AS l
            JOIN agreements_agreement AS f ON f.id = l.from_agreement_id
            JOIN agreements_agreement AS t ON t.id = l.to_agreement_id
            WHERE l.from_agreement_id IN (SELECT id FROM scope)
            UNION ALL
            SELECT i.occurred_on, 'incident', NULL, i.location, i.event_type, i.fatalities, NULL
            FROM tracker_incident AS i, chosen
            WHERE EXISTS (
                SELECT 1 FROM tracker_breachclaim AS b
                JOIN agreements_obligation AS o ON o.id = b.obligation_id
                JOIN agreements_clause AS c ON c.id = o.clause_id
                WHERE b.incident_id = i.id AND b.state <> 'rejected'
                    AND c.agreement_id IN (SELECT id FROM scope))
            OR (i.occurred_on <= chosen.last AND (i.ended_on >= chosen.signed_on
                OR (i.ended_on IS NULL AND i.occurred_on >= chosen.signed_on)))
            UNION ALL
            SELECT a.valid_from, 'status change', g.code, c.key || '/' || o.key, a.status,
                NULL, a.level
            FROM tracker_complianceassessment AS a
            JOIN agreements_obligation AS o ON o.id = a.obligation_id
            JOIN agreements_clause AS c ON c.id = o.clause_id
            JOIN agreements_agreement AS g ON g.id = c.agreement_id
            WHERE g.id IN (SELECT id FROM scope) AND a.review_state <> 'rejected'
                AND NOT EXISTS (SELECT 1 FROM tracker_complianceassessment AS n
                                WHERE n.supersedes_id = a.id AND n.review_state <> 'rejected')
        )"""
    params = _params(case)
    listed = _fetch(
        events + " SELECT * FROM events WHERE day <= %(on)s ORDER BY day, kind, subject,"
        " agreement, detail, fatalities, level LIMIT %(listed)s",
        params,
    )
    per_month = _fetch(
        events + " SELECT date_trunc('month', day), kind, count(*) FROM events"
        " WHERE day <= %(on)s GROUP BY 1, 2",
        params,
    )
    return listed + per_month


def _standing_status(assessments: list[Any], on: datetime.date) -> Any:
    """The standing judgement among one obligation's ``assessments`` on ``on``, in Python."""
    corrected = {a.supersedes_id for a in assessments if a.review_state != "rejected"}
    held = [
        a
        for a in assessments
        if a.review_state != "rejected" and a.id not in corrected and a.valid_from <= on
    ]
    return max(held, key=lambda a: (a.valid_from, a.recorded_at, a.id), default=None)


def naive_compliance_matrix(case: Case) -> list[Any]:
    from agreements.models import Obligation

    rows, counts = [], Counter()
    for obligation in (
        Obligation.objects.filter(clause__agreement__code=case.agreement)
        .select_related("clause__topic", "obligor")
        .prefetch_related("assessments")
    ):
        held = _standing_status(list(obligation.assessments.all()), case.valid_on)
        status = held.status if held else None
        rows.append((obligation.clause.position, obligation.clause.key, obligation.key, status))
        topic = obligation.clause.topic.code if obligation.clause.topic else None
        counts.update([("status", status), ("topic", topic, status)])
        counts[("party", obligation.obligor.name_en, status)] += 1
    return [*sorted(rows, key=lambda row: row[:3]), *counts.items()]


def naive_party_scorecard(case: Case) -> list[Any]:
    from agreements.models import Obligation
    from tracker.models import BreachClaim, Incident

    counts: Counter = Counter()
    for obligation in Obligation.objects.filter(obligor__key=case.party).prefetch_related(
        "assessments", "clause__agreement"
    ):
        held = _standing_status(list(obligation.assessments.all()), case.valid_on)
        counts[(obligation.clause.agreement.code, held.status if held else None)] += 1
    for claim in BreachClaim.objects.filter(obligation__obligor__key=case.party).select_related(
        "incident"
    ):
        if claim.incident.occurred_on <= case.valid_on:
            counts[("claim", claim.state)] += 1
    for incident in Incident.objects.filter(
        actor_roles__party__key=case.party, occurred_on__lte=case.valid_on
    ).distinct():
        counts[(incident.occurred_on.strftime("%Y-%m"), incident.event_type)] += 1
    return sorted(counts.items(), key=str)


def naive_incident_summary(case: Case) -> list[Any]:
    from tracker.models import Incident

    counts: Counter = Counter()
    for incident in Incident.objects.filter(occurred_on__lte=case.valid_on).prefetch_related(
        "actor_roles__party"
    ):
        month = incident.occurred_on.strftime("%Y-%m")
        counts[month] += 1
        names = {
            actor.party.name_en if actor.party else actor.name_as_reported
            for actor in incident.actor_roles.all()
        } or {"(no actor recorded)"}
        for name in names:
            counts[(month, incident.event_type, name)] += 1
    return sorted(counts.items(), key=str)


def naive_deadlines(case: Case) -> list[Any]:
    from agreements.models import Obligation

    on = case.valid_on
    horizon = on + datetime.timedelta(days=case.horizon_days)
    obligations = list(
        Obligation.objects.filter(clause__agreement__code=case.agreement)
        .select_related("clause__agreement", "obligor")
        .prefetch_related("assessments", "depends_on__assessments")
    )
    listed = []
    for obligation in obligations:
        agreement = obligation.clause.agreement
        held = _standing_status(list(obligation.assessments.all()), on)
        if held and held.status == "complied":
            continue
        if (agreement.signed_on and agreement.signed_on > on) or (
            agreement.ended_on and agreement.ended_on <= on
        ):
            continue
        unmet = [
            other.key
            for other in obligation.depends_on.all()
            if getattr(_standing_status(list(other.assessments.all()), on), "status", None)
            != "complied"
        ]
        deadline = obligation.due_on
        days = obligation.due_days_after_signature
        if deadline is None and days is not None and agreement.signed_on:
            deadline = agreement.signed_on + datetime.timedelta(days=days)
        if unmet:
            listed.append(("blocked", deadline, obligation.key))
        elif deadline and deadline < on:
            listed.append(("overdue", deadline, obligation.key))
        elif deadline and deadline <= horizon:
            listed.append(("due soon", deadline, obligation.key))
    return sorted(listed, key=lambda row: (row[1] or datetime.date.max, row[2]))


def naive_audit(case: Case) -> list[Any]:
    from history.chain import event_models

    counts: Counter = Counter()
    latest: list[tuple] = []
    for model in event_models():
        for event in model.objects.all():
            context = event.pgh_context or {}
            who = context.get("username") or context.get("command") or "system"
            counts[(who, model._meta.label, context.get("channel"), event.pgh_label)] += 1
            latest.append((event.pgh_seq, model._meta.label, event.pgh_obj_id))
    latest.sort(reverse=True)
    return [*counts.items(), *latest[: case.listed]]


def naive_timeline(case: Case) -> list[Any]:
    from agreements.models import Agreement
    from tracker.models import ComplianceAssessment, Incident

    on = case.valid_on
    chosen = Agreement.objects.get(code=case.agreement)
    scope = {chosen.pk}
    for agreement in Agreement.objects.prefetch_related("links_out", "links_in"):
        ends = [link.to_agreement_id for link in agreement.links_out.all()]
        ends += [link.from_agreement_id for link in agreement.links_in.all()]
        if agreement.pk == chosen.pk or chosen.pk in ends:
            scope.add(agreement.pk)
    events: list[tuple] = []
    for agreement in Agreement.objects.filter(pk__in=scope):
        for day, kind in ((agreement.signed_on, "signed"), (agreement.effective_on, "effective")):
            events.append((day, kind, agreement.code))
        if agreement.ended_on:
            events.append((agreement.ended_on, "ended", agreement.code))
    last = chosen.ended_on or on
    for incident in Incident.objects.prefetch_related("breach_claims__obligation__clause"):
        claimed = any(
            claim.state != "rejected" and claim.obligation.clause.agreement_id in scope
            for claim in incident.breach_claims.all()
        )
        overlaps = (
            chosen.signed_on
            and incident.occurred_on <= last
            and ((incident.ended_on or incident.occurred_on) >= chosen.signed_on)
        )
        if claimed or overlaps:
            events.append((incident.occurred_on, "incident", incident.location))
    judgements = list(
        ComplianceAssessment.objects.filter(
            obligation__clause__agreement_id__in=scope
        ).select_related("obligation__clause")
    )
    corrected = {a.supersedes_id for a in judgements if a.review_state != "rejected"}
    for judgement in judgements:
        if judgement.review_state != "rejected" and judgement.id not in corrected:
            events.append((judgement.valid_from, "status", judgement.obligation.key))
    events = sorted((event for event in events if event[0] and event[0] <= on), key=str)
    per_month: dict[str, Counter] = defaultdict(Counter)
    for day, kind, _ in events:
        per_month[f"{day:%Y-%m}"][kind] += 1
    return [*events[: case.listed], *per_month.items()]
