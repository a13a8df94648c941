#!/usr/bin/env python3
"""Benchmark audited bulk writes (linear in their size?) and the two CSV exports (near COPY?).

    make bench-bulk                                        # 10k and 100k rows; 500k incidents
    .venv/bin/python bench/bulk_bench.py --rows 2000 20000 --export-incidents 50000
    .venv/bin/python bench/bulk_bench.py --reuse --only exports

It builds a throw-away database (DATABASE_URL's server, database ``tracker_bench_bulk`` or
BENCH_BULK_DATABASE), migrates it and loads the seeds; ``--reuse`` keeps one built before.

Inserts: for every audited table, one INSERT ... SELECT of each ``--rows`` size, through the
real triggers (history event, chain, commit stamp, foreign-key checks), then COMMIT, each in its
own transaction. It prints the cost per row at each size and the ratio of the largest size's
to the smallest's: 1.0 is linear. Time is the database backend's own CPU time (read from /proc
when the server runs on this machine), so other work on the machine does not blur it; the wall
time is printed alongside.

Exports, over ``--export-incidents`` generated incidents with an actor each (two audit events
apiece) plus whatever the database already holds:

- the audit trail CSV, streamed by the code behind ``GET /api/v1/audit/?format=csv`` in a child
  process (its peak resident memory read from the OS), against ``psql \\copy`` of the same
  events (every history table's rows, newest first) to /dev/null;
- the incident CSV (ACLED columns), streamed by the code behind ``GET
  /api/v1/incidents/?format=csv``, against ``psql \\copy`` of the same query, and of the bare
  incident table for context.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DATABASE = os.environ.get("BENCH_BULK_DATABASE", "tracker_bench_bulk")
TICKS = os.sysconf("SC_CLK_TCK")
# In the generated keys, so a run on a reused database adds rows rather than clashing.
RUN = format(int(time.time()), "x")


def bench_url() -> str:
    parts = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tracker"))
    return urlunsplit(parts._replace(path=f"/{BENCH_DATABASE}"))


def step(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def recreate_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    name = sql.Identifier(BENCH_DATABASE)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(name))


# ---- inserts ---------------------------------------------------------------------------------

# What each audited table's generated rows must carry beyond the generic filling (unique keys,
# the parent each row hangs from, values the table's checks ask for). ``g`` numbers the rows
# 1..N; percent signs are doubled (the SQL goes with parameters). "P:<label>" is the g-th row
# of that table's batch of the same size: ids are consecutive within one INSERT ... SELECT in
# this private database.
OVERRIDES: dict[str, dict[str, str]] = {
    "agreements.Party": {"key": "'{tag}-' || g", "name_en": "'Bench party ' || g"},
    "agreements.PartyAlias": {"party": "P:agreements.Party", "alias": "'alias ' || g"},
    "agreements.Topic": {"code": "'{tag}-' || g", "name_en": "'Bench topic ' || g"},
    "agreements.Agreement": {"code": "'{tag}-' || g", "title_en": "'Bench agreement ' || g"},
    "agreements.AgreementParty": {
        "agreement": "P:agreements.Agreement",
        "party": "P:agreements.Party",
    },
    "agreements.AgreementLink": {
        "from_agreement": "P:agreements.Agreement",
        "to_agreement": "{first:agreements.Agreement} + g %% {n}",
    },
    "agreements.Source": {"key": "'{tag}-' || g", "publisher": "'Bench'", "title": "'Bench'"},
    "agreements.Capture": {
        "source": "P:agreements.Source",
        "sha256": "encode(sha256(convert_to('{tag}-' || g, 'UTF8')), 'hex')",
    },
    "agreements.Clause": {"agreement": "P:agreements.Agreement", "key": "'clause'"},
    "agreements.ClauseAccount": {"clause": "P:agreements.Clause", "text_en": "'Bench text'"},
    "agreements.Obligation": {"clause": "P:agreements.Clause", "key": "'obligation'"},
    "agreements.ObligationDependency": {
        "obligation": "P:agreements.Obligation",
        "prerequisite": "{first:agreements.Obligation} + g %% {n}",
    },
    "tracker.Incident": {
        "key": "'{tag}-' || g",
        "occurred_on": "date '2021-01-01' + g %% 365",
        "date_precision": "'day'",
        "event_type": "'Battles'",
        "description_en": "'Bench incident ' || g",
    },
    "tracker.IncidentActor": {
        "incident": "P:tracker.Incident",
        "side": "1",
        "party": "(SELECT min(id) FROM agreements_party)",
    },
    "tracker.IncidentSource": {"incident": "P:tracker.Incident", "credibility": "6"},
    "tracker.ComplianceAssessment": {
        "obligation": "P:agreements.Obligation",
        "rationale": "'Bench judgement'",
        "review_state": "'pending'",
        "valid_from_precision": "'day'",
    },
    "tracker.ComplianceAssessment_evidence_sources": {
        "complianceassessment": "P:tracker.ComplianceAssessment"
    },
    "tracker.ComplianceAssessment_evidence_incidents": {
        "complianceassessment": "P:tracker.ComplianceAssessment",
        "incident": "P:tracker.Incident",
    },
    "tracker.BreachClaim": {
        "incident": "P:tracker.Incident",
        "obligation": "P:agreements.Obligation",
        "rationale": "'Bench claim'",
    },
}


def audited_in_order() -> list[Any]:
    """Every audited model, parents before children (the order of OVERRIDES); a table audited
    since and missing there stops the bench rather than going unmeasured."""
    from history.readers import audited_models

    by_label = {model._meta.label: model for model in audited_models()}
    missing = set(by_label) - set(OVERRIDES)
    if missing:
        sys.exit(f"bulk_bench.py: no generator for the audited tables {sorted(missing)}")
    return [by_label[label] for label in OVERRIDES]


def filler(field: Any, params: list[Any]) -> str:
    """A value for a column the table's generator leaves to the bench: its default, NULL, the
    first of its choices, an existing parent row, or a neutral value of its type; no date, so
    no date precision."""
    from django.db import connection, models

    if field.name.endswith("_precision") and isinstance(field, models.CharField):
        return "''"  # the precision of a date left empty (every date here but the overridden)
    if field.is_relation:
        if field.null:
            return "NULL"
        return f"(SELECT min(id) FROM {field.related_model._meta.db_table})"
    if field.has_default() and not callable(field.default):
        params.append(field.get_db_prep_save(field.get_default(), connection))
        return "%s"
    if field.null:
        return "NULL"
    if field.choices:
        params.append(field.choices[0][0])
        return "%s"
    if isinstance(field, models.BooleanField):
        return "false"
    if isinstance(field, models.DateTimeField):
        return "now()"
    if isinstance(field, models.DateField):
        return "date '2021-01-01'"
    if isinstance(field, models.IntegerField | models.DecimalField | models.FloatField):
        return "0"
    if isinstance(field, models.JSONField):
        return "'{}'"
    return "''"


def insert_sql(model: Any, size: int, first: dict[str, int]) -> tuple[str, list[Any]]:
    overrides = OVERRIDES[model._meta.label]
    tag = f"b{size}-{RUN}"
    columns, values, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        expression = overrides.get(field.name)
        if expression is None:
            expression = filler(field, params)
        elif expression.startswith("P:"):
            expression = f"{first[expression[2:]]} + g - 1"
        else:
            for label, pk in first.items():
                expression = expression.replace(f"{{first:{label}}}", str(pk))
            expression = expression.replace("{tag}", tag).replace("{n}", str(size))
        columns.append(field.column)
        values.append(expression)
    sql = (
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM generate_series(1, {size}) AS g"
    )
    return sql, params


def backend_cpu(pid: int) -> float | None:
    """Seconds of CPU the backend process has used, or None if the server is elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICKS


def timed_insert(model: Any, size: int, first: dict[str, int]) -> tuple[float, float | None]:
    """(wall, backend CPU) seconds of one INSERT ... SELECT of ``size`` rows and its COMMIT."""
    from django.db import connection, transaction

    sql, params = insert_sql(model, size, first)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    cpu_before, started = backend_cpu(pid), time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    wall, cpu_after = time.perf_counter() - started, backend_cpu(pid)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT max(id) FROM {model._meta.db_table}")
        first[model._meta.label] = cursor.fetchone()[0] - size + 1
    cpu = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
    return wall, cpu


def bench_inserts(sizes: list[int]) -> None:
    models = audited_in_order()
    results: dict[str, dict[int, tuple[float, float | None]]] = {}
    for size in sizes:
        first: dict[str, int] = {}
        for model in models:
            step(f"{model._meta.db_table}: INSERT ... SELECT of {size:,} rows, then COMMIT")
            results.setdefault(model._meta.db_table, {})[size] = timed_insert(model, size, first)
    small, large = min(sizes), max(sizes)
    print()
    print("Audited INSERT ... SELECT + COMMIT, microseconds per row (backend CPU; wall):")
    header = "".join(f"{size:>22,}" for size in sizes)
    print(f"  {'table':<50}{header}   ratio {large:,}/{small:,}")
    worst = 0.0
    for table, by_size in results.items():
        cells, per_row = "", {}
        for size in sizes:
            wall, cpu = by_size[size]
            per_row[size] = (cpu if cpu is not None else wall) / size * 1e6
            cpu_text = "-" if cpu is None else f"{cpu / size * 1e6:,.0f}"
            cells += f"{cpu_text:>12}; {wall / size * 1e6:>7,.0f}"
        ratio = per_row[large] / per_row[small]
        worst = max(worst, ratio)
        print(f"  {table:<50}{cells}   {ratio:5.2f}")
    print(f"  worst ratio {worst:.2f} (goal: at most 1.5)")


# ---- exports ---------------------------------------------------------------------------------


def generate_incidents(count: int) -> None:
    """``count`` incidents with one actor each, through the audit triggers (two events each)."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO tracker_incident (key, acled_event_id, occurred_on, date_precision,
                disorder_type, event_type, sub_event_type, inter1, inter2, interaction,
                civilian_targeting, iso, region, country, admin1, admin2, admin3, location,
                latitude, longitude, geo_precision, source_scale, fatalities, description_en,
                description_ar, tags, verification, acled_timestamp)
            SELECT 'export-' || g, 'SYR' || g, date '2019-01-01' + g %% 1095, 'day',
                'Political violence', 'Battles', 'Armed clash', 'State forces', '', '', '',
                760, 'Middle East', 'Syria', 'Daraa', 'Daraa', '', 'Place ' || g %% 40,
                32.6 + (g %% 100) / 1000.0, 36.1, 1, 'National', g %% 5,
                'Generated incident ' || g || ', as "reported"', '', '', 'reported',
                1600000000 + g
            FROM generate_series(1, %s) AS g
            """,
            [count],
        )
        cursor.execute(
            """
            INSERT INTO tracker_incidentactor (name_as_reported, side, is_associate,
                incident_id, party_id)
            SELECT '', 1 + i.id %% 2, false, i.id, (SELECT min(id) FROM agreements_party)
            FROM tracker_incident AS i WHERE i.key LIKE 'export-%%'
            """,
            [],
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def audit_floor_sql() -> str:
    """Every event of every history table, newest first, with what the CSV shows of it."""
    from history.chain import event_models

    branches = [
        f"SELECT pgh_seq, '{m._meta.db_table}' AS tbl, pgh_created_at, pgh_label, pgh_obj_id, "
        f"pgh_context, to_jsonb(e) - 'pgh_hash' - 'pgh_prev_hash' AS row FROM "
        f"{m._meta.db_table} AS e"
        for m in event_models()
    ]
    return " UNION ALL ".join(branches) + " ORDER BY pgh_seq DESC"


def psql_copy(url: str, query: str) -> float:
    """Seconds for ``psql \\copy (query) to /dev/null`` (CSV)."""
    flat = " ".join(query.split())
    started = time.perf_counter()
    subprocess.run(
        [
            "psql",
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            url,
            "-c",
            f"\\copy ({flat}) to '/dev/null' with (format csv)",
        ],
        check=True,
    )
    return time.perf_counter() - started


def child_export(which: str) -> None:
    """In the child process: stream one export to /dev/null, print how many lines."""
    import django

    django.setup()
    from history.readers import AuditFilters, audit_events
    from tracker.api.history import CSVRenderer
    from tracker.exports.acled import csv_chunks
    from tracker.models import Incident

    if which == "audit":
        pieces = (
            line.encode("utf-8") for line in CSVRenderer().lines(audit_events(AuditFilters()))
        )
    else:
        incidents = Incident.objects.order_by("-occurred_on", "-id")
        pieces = (piece.encode("utf-8") for piece in csv_chunks(incidents))
    with open(os.devnull, "wb") as sink:
        for piece in pieces:
            sink.write(piece)


def run_child(which: str) -> tuple[float, float]:
    """(seconds, peak resident MB) of one export in a child process."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, __file__, "--child", which], env=os.environ)
    _pid, status, usage = os.wait4(child.pid, 0)
    if status:
        sys.exit(f"the {which} export failed")
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def bench_exports(url: str, incidents: int) -> None:
    from django.db import connection

    from history.chain import event_models
    from tracker.exports.acled import copy_sql
    from tracker.models import Incident

    if incidents:
        step(f"generating {incidents:,} incidents with an actor each")
        generate_incidents(incidents)
    events = sum(model.objects.count() for model in event_models())
    rows = Incident.objects.count()
    connection.close()

    step(f"audit trail CSV: {events:,} events; psql \\copy first")
    floor = psql_copy(url, audit_floor_sql())
    ours, peak = run_child("audit")
    report("audit trail CSV", events, floor, ours, peak, goal=0.25)

    step(f"incident CSV: {rows:,} incidents; psql \\copy first")
    sql, params = copy_sql(Incident.objects.order_by("-occurred_on", "-id"))
    assert not params
    bare = psql_copy(url, "SELECT * FROM tracker_incident ORDER BY occurred_on DESC, id DESC")
    floor = psql_copy(url, sql)
    ours, peak = run_child("incidents")
    report("incident CSV", rows, floor, ours, peak, goal=0.5)
    print(f"    (\\copy of the bare incident table: {rows / bare:,.0f} rows/s)")


def report(name: str, rows: int, floor: float, ours: float, peak: float, goal: float) -> None:
    print(
        f"  {name}: {rows:,} rows; psql \\copy {floor:.1f} s ({rows / floor:,.0f} rows/s), "
        f"ours {ours:.1f} s ({rows / ours:,.0f} rows/s) = {floor / ours:.2f} of \\copy's rate "
        f"(goal {goal:.2f}); peak memory {peak:,.0f} MB (goal < 150)",
        flush=True,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--export-incidents", type=int, default=500_000)
    parser.add_argument("--only", choices=["inserts", "exports"])
    parser.add_argument("--reuse", action="store_true", help="keep the existing bench database")
    parser.add_argument("--child", choices=["audit", "incidents"], help=argparse.SUPPRESS)
    options = parser.parse_args(argv)

    url = bench_url()
    os.environ.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="config.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret-" + "x" * 40)
    if options.child:
        child_export(options.child)
        return
    if not options.reuse:
        step(f"recreating database {BENCH_DATABASE}")
        recreate_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    if not options.reuse:
        step("migrating and loading the seeds")
        call_command("migrate", verbosity=0)
        call_command("load_seeds", verbosity=0)
    if options.only != "exports":
        bench_inserts(sorted(options.rows))
    if options.only != "inserts":
        bench_exports(url, options.export_incidents)


if __name__ == "__main__":
    main()
