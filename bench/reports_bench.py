#!/usr/bin/env python3
"""Benchmark two reports on a generated large dataset, against raw SQL and a naive baseline.

    make bench                                    # 100,000 incidents, 5,000 obligations
    .venv/bin/python bench/reports_bench.py --incidents 300000 --obligations 20000

With ``--only api`` (or by default, after the reports) it also times the API lists and the
admin's incident list (bench/api_bench.py, which says how).

It builds a throw-away database (DATABASE_URL's server, database ``tracker_bench``), loads the
Daraa seeds, then generates incidents (one or two actors each) and obligations (three
judgements each) with server-side INSERT ... SELECT, so the audit triggers record every row as
they would any other write. Then, in one run, it times each report three ways and prints the
ratios:

- ours: the report as the page, CSV and API compute it (history tables, "as known at" now);
- raw SQL: the same figures from hand-written GROUP BY queries over the live tables, with no
  time travel (the floor any implementation pays);
- naive: the ORM loading every row and counting in Python (what a first version would do).

Each is the best of three runs; memory is Python's peak allocation (tracemalloc) while it runs.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# Several checkouts may share one server: BENCH_DATABASE names another throw-away database.
BENCH_DATABASE = os.environ.get("BENCH_DATABASE", "tracker_bench")
VALID_ON = "2021-12-31"


def bench_url() -> str:
    """DATABASE_URL (or the project default) with its database swapped for the bench one."""
    parts = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tracker"))
    return urlunsplit(parts._replace(path=f"/{BENCH_DATABASE}"))


def recreate_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(BENCH_DATABASE)
            )
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(BENCH_DATABASE)))


def step(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def generate(incidents: int, obligations: int) -> None:
    """Incidents with actors, and an agreement whose obligations carry three judgements each."""
    from django.db import connection, transaction

    from agreements.models import Agreement, Topic

    with transaction.atomic(), connection.cursor() as cursor:
        step(f"generating {incidents:,} incidents")
        cursor.execute(
            """
            INSERT INTO tracker_incident (key, acled_event_id, occurred_on, date_precision,
                event_type, sub_event_type, country, admin1, admin2, admin3, location,
                fatalities, description_en, description_ar, verification)
            SELECT 'bench-' || g, '', date '2019-01-01' + (g %% 1095), 'day',
                (ARRAY['Battles', 'Explosions/Remote violence', 'Violence against civilians',
                       'Protests'])[1 + g %% 4],
                '', 'Syria', (ARRAY['Daraa', 'Quneitra', 'Suwayda'])[1 + g %% 3], '', '',
                'Generated place ' || (g %% 40), g %% 5, 'Generated incident ' || g, '',
                'reported'
            FROM generate_series(1, %s) AS g
            """,
            [incidents],
        )
        step("generating their actors (a party each, a second one for every other incident)")
        cursor.execute(
            """
            WITH parties AS (SELECT array_agg(id ORDER BY id) AS ids FROM agreements_party)
            INSERT INTO tracker_incidentactor (name_as_reported, side, is_associate,
                incident_id, party_id)
            SELECT '', 1, false, i.id, ids[1 + i.id %% array_length(ids, 1)]
            FROM tracker_incident AS i, parties WHERE i.key LIKE 'bench-%%'
            UNION ALL
            SELECT 'Unidentified armed group', 2, false, i.id, NULL
            FROM tracker_incident AS i WHERE i.key LIKE 'bench-%%' AND i.id %% 2 = 0
            """,
            [],
        )
        step(
            f"generating an agreement with {obligations:,} obligations (every other one with a"
            " deadline), 3 judgements each"
        )
        agreement = Agreement.objects.create(
            code="bench-agreement",
            title_en="Generated agreement for the benchmark",
            signed_on="2021-01-01",
            signed_precision="day",
            stage="ceasefire",
        )
        cursor.execute(
            """
            INSERT INTO agreements_clause (key, label, position, summary_en, summary_ar,
                retired_reason, agreement_id, topic_id)
            SELECT 'clause-' || g, '', g, 'Generated clause ' || g, '', '', %s,
                (SELECT array_agg(id ORDER BY id) FROM agreements_topic)[1 + g %% %s]
            FROM generate_series(1, %s) AS g
            """,
            [agreement.pk, Topic.objects.count(), obligations],
        )
        cursor.execute(
            """
            WITH parties AS (SELECT array_agg(id ORDER BY id) AS ids FROM agreements_party)
            INSERT INTO agreements_obligation (key, modality, action_en, action_ar, due_on,
                due_precision, note, clause_id, obligor_id)
            SELECT 'obligation', 'do', 'Generated action ' || c.position, '',
                CASE WHEN c.position %% 2 = 0 THEN date '2021-01-01' + c.position %% 730 END,
                CASE WHEN c.position %% 2 = 0 THEN 'day' ELSE '' END, '', c.id,
                ids[1 + c.position %% array_length(ids, 1)]
            FROM agreements_clause AS c, parties WHERE c.agreement_id = %s
            """,
            [agreement.pk],
        )
        cursor.execute(
            """
            INSERT INTO tracker_complianceassessment (status, level, valid_from,
                valid_from_precision, rationale, recorded_at, review_state, review_note,
                obligation_id)
            SELECT (ARRAY['in_progress', 'complied', 'partially_complied', 'not_complied',
                          'disputed'])[1 + (o.id + n) %% 5],
                (o.id + n) %% 4, date '2021-01-01' + 60 * n, 'day', 'Generated judgement',
                now(), 'pending', '', o.id
            FROM agreements_obligation AS o
            JOIN agreements_clause AS c ON c.id = o.clause_id,
            generate_series(0, 2) AS n
            WHERE c.agreement_id = %s
            """,
            [agreement.pk],
        )
        step("claiming every 20th incident breaches an obligation of the agreement")
        cursor.execute(
            """
            -- MATERIALIZED: computed once. Inlined, the planner (its statistics not yet
            -- counting the rows this transaction added) re-aggregated every obligation for
            -- each incident: minutes at 100,000 incidents.
            WITH obligations AS MATERIALIZED (
                SELECT array_agg(o.id ORDER BY o.id) AS ids FROM agreements_obligation AS o
                JOIN agreements_clause AS c ON c.id = o.clause_id WHERE c.agreement_id = %s
            )
            INSERT INTO tracker_breachclaim (incident_id, obligation_id, state, rationale,
                created_at, updated_at)
            SELECT i.id, ids[1 + i.id %% array_length(ids, 1)], 'alleged', 'Generated claim',
                now(), now()
            FROM tracker_incident AS i, obligations
            WHERE i.key LIKE 'bench-%%' AND i.id %% 20 = 0
            """,
            [agreement.pk],
        )
    with connection.cursor() as cursor:
        # As autovacuum would soon after: statistics, and the trigram indexes' pending lists.
        cursor.execute("VACUUM ANALYZE")


def measure(work: Callable[[], Any], runs: int = 3) -> tuple[float, int, Any]:
    """(best seconds, peak Python bytes, result) over ``runs`` runs."""
    best, peak, result = float("inf"), 0, None
    for _ in range(runs):
        tracemalloc.start()
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
        peak = max(peak, tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    return best, peak, result


def raw_incident_summary() -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT to_char(occurred_on, 'YYYY-MM'), count(*), coalesce(sum(fatalities), 0)
            FROM tracker_incident WHERE occurred_on <= %s GROUP BY 1 ORDER BY 1
            """,
            [VALID_ON],
        )
        by_month = cursor.fetchall()
        cursor.execute(
            """
            SELECT to_char(i.occurred_on, 'YYYY-MM'), i.event_type,
                coalesce(p.name_en, a.name_as_reported), count(DISTINCT i.id),
                coalesce(sum(i.fatalities), 0)
            FROM tracker_incident AS i
            JOIN tracker_incidentactor AS a ON a.incident_id = i.id
            LEFT JOIN agreements_party AS p ON p.id = a.party_id
            WHERE i.occurred_on <= %s GROUP BY 1, 2, 3
            """,
            [VALID_ON],
        )
        return by_month + cursor.fetchall()


def naive_incident_summary() -> Counter:
    from tracker.models import Incident

    counts: Counter = Counter()
    for incident in Incident.objects.filter(occurred_on__lte=VALID_ON).prefetch_related(
        "actor_roles__party"
    ):
        month = incident.occurred_on.strftime("%Y-%m")
        counts[month] += 1
        for actor in incident.actor_roles.all():
            name = actor.party.name_en if actor.party else actor.name_as_reported
            counts[(month, incident.event_type, name)] += 1
    return counts


def raw_compliance_matrix() -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT latest.status, count(*)
            FROM agreements_obligation AS o
            JOIN agreements_clause AS c ON c.id = o.clause_id
            JOIN agreements_agreement AS ag ON ag.id = c.agreement_id
            LEFT JOIN LATERAL (
                SELECT status FROM tracker_complianceassessment AS a
                WHERE a.obligation_id = o.id AND a.valid_from <= %s
                    AND a.review_state <> 'rejected'
                ORDER BY a.valid_from DESC, a.recorded_at DESC, a.id DESC LIMIT 1
            ) AS latest ON true
            WHERE ag.code = 'bench-agreement' GROUP BY 1
            """,
            [VALID_ON],
        )
        return cursor.fetchall()


def naive_compliance_matrix() -> Counter:
    from agreements.models import Obligation

    counts: Counter = Counter()
    for obligation in Obligation.objects.filter(
        clause__agreement__code="bench-agreement"
    ).prefetch_related("assessments"):
        held = [a for a in obligation.assessments.all() if str(a.valid_from) <= VALID_ON]
        held.sort(key=lambda a: (a.valid_from, a.recorded_at, a.id), reverse=True)
        counts[held[0].status if held else None] += 1
    return counts


def setup_environment() -> None:
    """Point Django at the bench database, with the production settings."""
    os.environ.update(DATABASE_URL=bench_url(), DJANGO_SETTINGS_MODULE="config.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret-" + "x" * 40)
    # The API lists build their next/previous links from the request's host.
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")


def rebuild(incidents: int, obligations: int) -> None:
    """A fresh bench database with the seeds and the generated data; Django set up on it."""
    step(f"recreating database {BENCH_DATABASE}")
    recreate_database(bench_url())

    import django

    django.setup()
    from django.core.management import call_command

    step("migrating and loading the Daraa seeds")
    call_command("migrate", verbosity=0)
    call_command("load_seeds", verbosity=0)
    generate(incidents, obligations)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, default=100_000, help="default 100,000")
    parser.add_argument("--obligations", type=int, default=5_000, help="default 5,000")
    parser.add_argument(
        "--only",
        choices=["all", "reports", "api"],
        default="all",
        help="time the reports, the API lists, or both (default)",
    )
    options = parser.parse_args()
    if options.incidents < 1 or options.obligations < 1:
        parser.error("--incidents and --obligations must be at least 1")

    setup_environment()
    rebuild(options.incidents, options.obligations)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tracker.reports.registry import REPORTS

    cases = [
        (
            f"incident summary ({options.incidents:,} incidents)",
            lambda: REPORTS["incident-summary"].run({"valid_on": VALID_ON}),
            raw_incident_summary,
            naive_incident_summary,
        ),
        (
            f"compliance matrix ({options.obligations:,} obligations)",
            lambda: REPORTS["compliance-matrix"].run(
                {"agreement": "bench-agreement", "valid_on": VALID_ON}
            ),
            raw_compliance_matrix,
            naive_compliance_matrix,
        ),
    ]
    if options.only == "api":
        cases = []
    lines = []
    for title, ours, raw, naive in cases:
        step(f"timing {title}")
        with CaptureQueriesContext(connection) as queries:
            ours()
        ours_s, ours_mem, _ = measure(ours)
        raw_s, _, _ = measure(raw)
        naive_s, naive_mem, _ = measure(naive)
        lines.append(
            f"{title}: ours {ours_s * 1000:,.0f} ms in {len(queries.captured_queries)} queries, "
            f"peak {ours_mem / 1024:,.0f} KiB | raw SQL {raw_s * 1000:,.0f} ms | "
            f"naive ORM {naive_s * 1000:,.0f} ms, peak {naive_mem / 1024:,.0f} KiB\n"
            f"    ours / raw SQL = {ours_s / raw_s:.1f}x   "
            f"naive / ours = {naive_s / ours_s:.1f}x   "
            f"naive memory / ours = {naive_mem / max(ours_mem, 1):.0f}x"
        )
    if options.only != "reports":
        from api_bench import api_lines

        lines += api_lines()
    print("\nResults (best of 3 runs each, one machine, one run):")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
