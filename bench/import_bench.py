#!/usr/bin/env python3
"""Benchmark the ACLED import against PostgreSQL COPY and against saving one by one.

    make bench-import                               # 100,000 rows
    .venv/bin/python bench/import_bench.py --rows 1000000

It builds a throw-away database (DATABASE_URL's server, database ``tracker_bench_import``),
migrates it, loads the Daraa seeds and generates an ACLED-format file
(``tracker.imports.generator``). Then, in one run:

- COPY floor: the same rows, already converted, COPYed straight into tracker_incident,
  tracker_incidentactor and tracker_incidentsource of a clone of that database, with the same
  audit triggers on (and pgtrigger's ignore setting set, as the importer sets it), in one
  transaction: what any importer pays at least;
- ours: ``manage.py import_incidents FILE`` in a child process (its peak resident memory is
  read from the OS), while another connection plays an analyst saving an incident every
  0.2 s; the longest of those saves is how long an analyst waits for the import's batch;
- the same file again (every row unchanged);
- naive: the first rows saved one at a time through the ORM service (``incident_save``, as
  the API and admin save one incident), extrapolated to rows per second.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DATABASE = "tracker_bench_import"
COPY_DATABASE = "tracker_bench_import_copy"
NULL = "\\N"  # NULL in the COPY files; an empty field is an empty string


def url_for(database: str) -> str:
    parts = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tracker"))
    return urlunsplit(parts._replace(path=f"/{database}"))


def admin_execute(url: str, *statements) -> None:
    import psycopg

    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def step(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def copy_payloads(path: Path, folder: Path) -> tuple[int, int]:
    """The file's rows converted to the three tables' rows, as CSV files for COPY."""
    from django.db.models import Max

    from tracker.imports.acled import FIELDS, ImportReport, Matcher, _key_for, read_rows
    from tracker.models import Incident

    report = ImportReport(dry_run=True)
    matcher = Matcher()
    next_id = (Incident.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    first = next_id
    with (
        path.open("rb") as stream,
        (folder / "incidents.csv").open("w", newline="") as incidents,
        (folder / "actors.csv").open("w", newline="") as actors,
        (folder / "sources.csv").open("w", newline="") as sources,
    ):
        out_i, out_a, out_s = csv.writer(incidents), csv.writer(actors), csv.writer(sources)
        _, rows = read_rows(stream, matcher, report)
        for row in rows:
            values = [NULL if row.values[n] is None else row.values[n] for n in FIELDS]
            out_i.writerow([next_id, _key_for(row.event_id), row.event_id, *values, "", "reported"])
            for party, name, side, associate in row.actors:
                out_a.writerow([next_id, NULL if party is None else party, name, side, associate])
            for name in row.sources:
                out_s.writerow([next_id, matcher.sources[name], 6, ""])
            next_id += 1
    return next_id - first, report.rejected


def copy_floor(url: str, folder: Path) -> float:
    import psycopg

    from tracker.imports.acled import FIELDS

    columns = {
        "tracker_incident": [
            "id",
            "key",
            "acled_event_id",
            *FIELDS,
            "description_ar",
            "verification",
        ],
        "tracker_incidentactor": [
            "incident_id",
            "party_id",
            "name_as_reported",
            "side",
            "is_associate",
        ],
        "tracker_incidentsource": ["incident_id", "source_id", "credibility", "excerpt"],
    }
    files = {
        "tracker_incident": "incidents.csv",
        "tracker_incidentactor": "actors.csv",
        "tracker_incidentsource": "sources.csv",
    }
    with psycopg.connect(url) as connection:
        started = time.perf_counter()
        with connection.transaction(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL pgtrigger.ignore = '{}'")
            for table, names in columns.items():
                statement = (
                    f"COPY {table} ({', '.join(names)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
                )
                with cursor.copy(statement) as copy, (folder / files[table]).open("rb") as data:
                    while block := data.read(1 << 20):
                        copy.write(block)
        return time.perf_counter() - started


class Analyst(threading.Thread):
    """Saves one seeded incident every 0.2 s (an audited write) and records how long each
    save took, start to commit."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.waits: list[float] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as connection:
            pk = connection.execute(
                "SELECT id FROM tracker_incident WHERE acled_event_id = '' ORDER BY id LIMIT 1"
            ).fetchone()[0]
            flip = 0
            while not self.stopping.is_set():
                flip = 1 - flip
                started = time.perf_counter()
                with connection.transaction():
                    connection.execute(
                        "UPDATE tracker_incident SET description_ar = %s WHERE id = %s",
                        ["bench" * flip, pk],
                    )
                self.waits.append(time.perf_counter() - started)
                time.sleep(0.2)


def naive(path: Path, count: int) -> float:
    """Seconds to save ``count`` rows one by one through incident_save (a transaction each)."""
    from agreements.models import Source
    from tracker.imports.acled import ImportReport, Matcher, _key_for, read_rows
    from tracker.models import Incident
    from tracker.services import incident_save

    report = ImportReport(dry_run=True)
    matcher = Matcher()
    sources = {pk: Source.objects.get(pk=pk) for pk in set(matcher.sources.values())}
    started = time.perf_counter()
    done = 0
    with path.open("rb") as stream:
        _, rows = read_rows(stream, matcher, report)
        for row in rows:
            if done >= count:
                break
            incident = Incident(
                key=_key_for(row.event_id), acled_event_id=row.event_id, **row.values
            )
            incident_save(
                incident=incident,
                actors=[
                    {
                        "party_id": party,
                        "name_as_reported": name,
                        "side": side,
                        "is_associate": assoc,
                    }
                    for party, name, side, assoc in row.actors
                ],
                sources=[{"source": sources[matcher.sources[name]]} for name in row.sources],
            )
            done += 1
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="default 100,000")
    parser.add_argument("--naive-rows", type=int, default=1_000, help="default 1,000")
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument(
        "--no-again", action="store_true", help="skip importing the same file a second time"
    )
    options = parser.parse_args()

    url = url_for(BENCH_DATABASE)
    os.environ.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="config.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret-" + "x" * 40)
    step(f"recreating database {BENCH_DATABASE}")
    admin_execute(
        url,
        f"DROP DATABASE IF EXISTS {COPY_DATABASE} WITH (FORCE)",
        f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)",
        f"CREATE DATABASE {BENCH_DATABASE}",
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from agreements.models import Source
    from tracker.imports.generator import SOURCES, write_acled_file
    from tracker.models import Incident, IncidentActor, IncidentSource

    step("migrating and loading the Daraa seeds")
    call_command("migrate", verbosity=0)
    call_command("load_seeds", verbosity=0)
    for name in SOURCES:  # both runs find the same sources
        Source.objects.get_or_create(
            key=f"bench-{abs(hash(name)) % 10**8}", defaults={"publisher": name, "title": name}
        )
    folder = Path(tempfile.mkdtemp(prefix="acled-bench-"))
    path = folder / "acled.csv"
    step(f"generating {options.rows:,} ACLED rows into {path}")
    with path.open("w", encoding="utf-8", newline="") as out:
        write_acled_file(out, options.rows)
    size_mb = path.stat().st_size / 1e6
    step(f"converting the rows for COPY ({size_mb:,.0f} MB file)")
    converted, rejected = copy_payloads(path, folder)
    assert rejected == 0, rejected
    connection.close()
    admin_execute(url, f"CREATE DATABASE {COPY_DATABASE} TEMPLATE {BENCH_DATABASE}")

    step("COPY floor: the same rows into a clone, triggers on, one transaction")
    copy_s = copy_floor(url_for(COPY_DATABASE), folder)
    admin_execute(url, f"DROP DATABASE IF EXISTS {COPY_DATABASE} WITH (FORCE)")

    step("ours: manage.py import_incidents, an analyst saving every 0.2 s meanwhile")
    analyst = Analyst(url)
    analyst.start()
    command = [
        sys.executable,
        str(ROOT / "manage.py"),
        "import_incidents",
        str(path),
        "--reason",
        "import benchmark",
        "--no-progress",
    ]
    if options.batch_size:
        command += ["--batch-size", str(options.batch_size)]
    started = time.perf_counter()
    result = subprocess.run(command, env=os.environ, capture_output=True, text=True)
    ours_s = time.perf_counter() - started
    analyst.stopping.set()
    analyst.join()
    if result.returncode:
        sys.exit(result.stderr)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(result.stdout.strip().splitlines()[0])
    events = sum(
        m.pgh_event_model.objects.count() for m in (Incident, IncidentActor, IncidentSource)
    )

    again_s = None
    if not options.no_again:
        step("ours again: the same file (nothing changes)")
        started = time.perf_counter()
        again = subprocess.run(command, env=os.environ, capture_output=True, text=True)
        again_s = time.perf_counter() - started
        print(again.stdout.strip().splitlines()[0])

    step(f"naive: {options.naive_rows:,} new rows saved one by one through incident_save")
    naive_path = folder / "naive.csv"
    with naive_path.open("w", encoding="utf-8", newline="") as out:
        write_acled_file(out, options.naive_rows, seed=12, first_id=options.rows + 1)
    naive_s = naive(naive_path, options.naive_rows)

    rows = converted
    waits = sorted(analyst.waits)
    print()
    print(f"ACLED import of {rows:,} rows ({size_mb:,.0f} MB; {events:,} audit events written):")
    print(f"  COPY floor         {copy_s:8.1f} s  {rows / copy_s:10,.0f} rows/s")
    print(
        f"  ours               {ours_s:8.1f} s  {rows / ours_s:10,.0f} rows/s  "
        f"= {copy_s / ours_s:.2f} of COPY's rate; peak memory {peak_mb:,.0f} MB"
    )
    if again_s is not None:
        print(
            f"  ours, same again   {again_s:8.1f} s  {rows / again_s:10,.0f} rows/s (all unchanged)"
        )
    naive_rate = options.naive_rows / naive_s
    print(
        f"  naive ORM          {naive_s:8.1f} s  {naive_rate:10,.0f} rows/s "
        f"({options.naive_rows:,} rows); ours is {rows / ours_s / naive_rate:.0f}x faster"
    )
    if waits:
        print(
            f"  analyst saves during the import: {len(waits)}, longest wait {waits[-1]:.2f} s, "
            f"median {waits[len(waits) // 2] * 1000:.0f} ms"
        )
    for file in folder.iterdir():
        file.unlink()
    folder.rmdir()


if __name__ == "__main__":
    main()
