#!/usr/bin/env python3
"""Benchmark the six reports on a generated large dataset, against raw SQL and a naive baseline.

    make bench                                    # 100,000 incidents, 5,000 obligations
    .venv/bin/python bench/reports_bench.py --incidents 300000 --obligations 20000
    .venv/bin/python bench/reports_bench.py --reuse   # keep the database if of the same size

With ``--only api`` (or by default, after the reports) it also times the API incident list,
a page of 100 without and with each filter (date range, actor, agreement, q=), against the
same page by raw SQL + json.dumps and a naive DRF ModelViewSet.

It builds a throw-away database (DATABASE_URL's server, database ``tracker_bench``), loads the
Daraa seeds, then generates incidents (one or two actors each) and obligations (a deadline
and three judgements each) with server-side INSERT ... SELECT, so the audit triggers record
every row as they would any other write; then, in a last transaction, it revises 1% of the
incidents and judges 1% of the obligations again. ``--reuse`` keeps a bench database that
already holds the same numbers (migrating it only), so a 1M run is generated once.

Then, in one run, it times each report three ways and prints the ratios:

- ours: the report as the page, CSV and API compute it, asked as known now and as known at
  the moment before the last transaction (so the history tables, not the live ones, answer);
- raw SQL: the same figures from hand-written queries over the live tables, with no time
  travel (the floor any implementation pays; bench/report_floors.py);
- naive: the ORM loading every row and counting in Python (what a first version would do).

Each is the best of three untraced runs (the naive one: one run); ours' memory is Python's peak
allocation (tracemalloc) in one more run.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tracemalloc
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


def same_size(url: str, incidents: int, obligations: int) -> bool:
    """Whether the bench database exists and holds these numbers of generated rows (--reuse)."""
    import psycopg

    try:
        with psycopg.connect(url) as connection:
            found = connection.execute(
                "SELECT (SELECT count(*) FROM tracker_incident WHERE key LIKE 'bench-%%'),"
                " (SELECT count(*) FROM agreements_obligation AS o JOIN agreements_clause AS c"
                " ON c.id = o.clause_id JOIN agreements_agreement AS g ON g.id = c.agreement_id"
                " WHERE g.code = 'bench-agreement')"
            ).fetchone()
    except psycopg.Error:
        return False
    return found == (incidents, obligations)


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
    from django.db import connection

    from agreements.models import Agreement, Topic

    # Each statement commits on its own: a transaction's deferred audit triggers queue up
    # until its commit, and one transaction for all of them grows slower with every row.
    with connection.cursor() as cursor:
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
        step(f"generating an agreement with {obligations:,} obligations, 3 judgements each")
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
            INSERT INTO agreements_obligation (key, modality, action_en, action_ar,
                due_precision, note, clause_id, obligor_id, due_on)
            SELECT 'obligation', 'do', 'Generated action ' || c.position, '', 'day', '', c.id,
                ids[1 + c.position %% array_length(ids, 1)], date '2021-01-01' + c.position %% 730
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
    revise()
    with connection.cursor() as cursor:
        # As autovacuum would soon after: statistics, and the trigram indexes' pending lists.
        cursor.execute("VACUUM ANALYZE")


REVISED = "Revised: "


def revise() -> None:
    """The last transaction: 1% of the incidents revised, 1% of the obligations judged again.

    Reports asked as known before it read the history tables; their figures differ from now.
    """
    from django.db import connection, transaction

    step("revising 1% of the incidents and judging 1% of the obligations again")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE tracker_incident SET fatalities = fatalities + 1,"
            " description_en = %s || description_en WHERE key LIKE 'bench-%%' AND id %% 100 = 7",
            [REVISED],
        )
        cursor.execute(
            """
            INSERT INTO tracker_complianceassessment (status, level, valid_from,
                valid_from_precision, rationale, recorded_at, review_state, review_note,
                obligation_id)
            SELECT 'complied', 3, date '2021-06-01', 'day', 'Generated revision', now(),
                'pending', '', o.id
            FROM agreements_obligation AS o
            JOIN agreements_clause AS c ON c.id = o.clause_id
            JOIN agreements_agreement AS g ON g.id = c.agreement_id
            WHERE g.code = 'bench-agreement' AND o.id %% 100 = 7
            """,
            [],
        )


def before_revision() -> str:
    """The moment just before the last transaction (revise), as a known_at parameter."""
    from django.db.models import Max, Min

    from history.as_of import event_model
    from history.models import Commit
    from tracker.models import Incident

    event = event_model(Incident).objects.filter(description_en__startswith=REVISED)
    first = event.aggregate(first=Min("pgh_seq"))["first"]
    at = Commit.objects.filter(seq__lt=first).aggregate(at=Max("committed_at"))["at"]
    return at.isoformat()


def measure(
    work: Callable[[], Any], runs: int = 3, *, memory: bool = False
) -> tuple[float, int, Any]:
    """(best seconds, peak Python bytes, result) over ``runs`` runs.

    Timed without tracemalloc, which slows Python code several-fold (and so would favour
    whichever side does less in Python); with ``memory``, one more run is traced for the
    peak (0 without).
    """
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    peak = 0
    if memory:
        tracemalloc.start()
        work()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return best, peak, result


def report_cases(options: argparse.Namespace) -> tuple[list[tuple], Any]:
    """(title, report name, its parameters, raw SQL, naive ORM) for each of the six reports."""
    import datetime

    from agreements.models import Party
    from bench import report_floors as floors

    party = Party.objects.order_by("id").values_list("key", flat=True)[1]
    case = floors.Case(
        agreement="bench-agreement", party=party, valid_on=datetime.date.fromisoformat(VALID_ON)
    )
    matrix = {"agreement": case.agreement, "valid_on": VALID_ON}
    return [
        (
            f"compliance matrix ({options.obligations:,} obligations)",
            "compliance-matrix",
            matrix,
            floors.raw_compliance_matrix,
            floors.naive_compliance_matrix,
        ),
        (
            f"party scorecard ({party})",
            "party-scorecard",
            {"party": party, "valid_on": VALID_ON},
            floors.raw_party_scorecard,
            floors.naive_party_scorecard,
        ),
        (
            f"incident summary ({options.incidents:,} incidents)",
            "incident-summary",
            {"valid_on": VALID_ON},
            floors.raw_incident_summary,
            floors.naive_incident_summary,
        ),
        ("deadlines", "deadlines", matrix, floors.raw_deadlines, floors.naive_deadlines),
        (
            f"audit ({case.listed} latest of all changes)",
            "audit",
            {"limit": str(case.listed)},
            floors.raw_audit,
            floors.naive_audit,
        ),
        (
            "timeline (one agreement, 200 events listed)",
            "timeline",
            {**matrix, "limit": str(case.listed)},
            floors.raw_timeline,
            floors.naive_timeline,
        ),
    ], case


def report_lines(options: argparse.Namespace) -> list[str]:
    """Time each report as known now and before the last transaction; two lines each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tracker.reports.registry import REPORTS

    cases, case = report_cases(options)
    past = before_revision()
    lines = []
    for title, name, query, raw, naive in cases:
        step(f"timing {title}")
        raw_s, _, _ = measure(lambda raw=raw: raw(case))
        # One run: at 100,000 incidents the naive ones take minutes.
        naive_s, _, _ = measure(lambda naive=naive: naive(case), runs=1)
        for when, known_at in (("known now", ""), ("known before the last change", past)):
            report = REPORTS[name]

            def ours(report=report, query=query, known_at=known_at) -> Any:
                return report.run({**query, "known_at": known_at})

            with CaptureQueriesContext(connection) as queries:
                ours()
            ours_s, ours_mem, _ = measure(ours, memory=True)
            naive_part = f" | naive ORM {naive_s * 1000:,.0f} ms" if not known_at else ""
            ratios = f"    ours / raw SQL = {ours_s / raw_s:.1f}x"
            if not known_at:
                ratios += f"   naive / ours = {naive_s / ours_s:.1f}x"
            lines.append(
                f"{title}, {when}: ours {ours_s * 1000:,.0f} ms in "
                f"{len(queries.captured_queries)} queries, peak {ours_mem / 1024:,.0f} KiB | "
                f"raw SQL {raw_s * 1000:,.0f} ms{naive_part}\n{ratios}"
            )
            # As measured too: a long run shows its figures before it ends.
            print(lines[-1], flush=True)
    return lines


def setup_environment() -> None:
    """Point Django at the bench database, with the production settings."""
    os.environ.update(DATABASE_URL=bench_url(), DJANGO_SETTINGS_MODULE="config.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret-" + "x" * 40)
    # The API lists build their next/previous links from the request's host.
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")


def rebuild(incidents: int, obligations: int, *, reuse: bool = False) -> None:
    """Set Django up on the bench database with the seeds and the generated data: made anew,
    or, with ``reuse`` and a database that already holds these numbers, only migrated."""
    url = bench_url()
    reuse = reuse and same_size(url, incidents, obligations)
    if not reuse:
        step(f"recreating database {BENCH_DATABASE}")
        recreate_database(url)

    import django

    django.setup()
    from django.core.management import call_command

    if reuse:
        step(f"reusing database {BENCH_DATABASE}: migrating only")
        call_command("migrate", verbosity=0)
        return
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
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the bench database if it holds the same numbers (migrate only)",
    )
    options = parser.parse_args()
    if options.incidents < 1 or options.obligations < 1:
        parser.error("--incidents and --obligations must be at least 1")

    setup_environment()
    rebuild(options.incidents, options.obligations, reuse=options.reuse)
    lines = [] if options.only == "api" else report_lines(options)
    if options.only != "reports":
        from api_bench import api_lines

        lines += api_lines()
    print("\nResults (best of 3 runs each, the naive ORM one run; one machine, one run):")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
