import argparse
import contextlib
import sys
import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from history.context import audit_context, current_reason
from tracker.imports.acled import DEFAULT_BATCH, ImportRefused, incident_import
from tracker.imports.deletions import incident_delete_withdrawn


class Progress:
    """One line on stderr, redrawn: rows, rows/s and time left (from the bytes read)."""

    def __init__(self, total_bytes: int, stream: Any, enabled: bool) -> None:
        self.total, self.stream, self.enabled = max(total_bytes, 1), stream, enabled
        self.started = time.monotonic()

    def __call__(self, rows: int, done_bytes: int) -> None:
        if not self.enabled:
            return
        elapsed = max(time.monotonic() - self.started, 1e-6)
        share = min(done_bytes / self.total, 1.0)
        left = elapsed * (1 - share) / share if share else 0.0
        width = 30
        bar = "#" * int(width * share) + "-" * (width - int(width * share))
        self.stream.write(
            f"\r[{bar}] {share:4.0%} {rows:,} rows  {rows / elapsed:,.0f} rows/s  "
            f"{int(left) // 60}:{int(left) % 60:02d} left "
        )
        self.stream.flush()

    def end(self) -> None:
        if self.enabled:
            self.stream.write("\n")


class Command(BaseCommand):
    help = (
        "Import incidents from an ACLED CSV export, upserting by event_id_cnty: rows already "
        "imported and unchanged are left alone (no history). Committed per batch; after a "
        "failure, run it again with the same file to finish. --dry-run reports what would "
        "change. Give the reason for the audit trail with --reason."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, nargs="?", help="The ACLED CSV file (UTF-8).")
        parser.add_argument("--format", default="acled", choices=["acled"])
        parser.add_argument("--dry-run", action="store_true", help="Write nothing; report counts.")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH)
        parser.add_argument(
            "--deletions",
            type=Path,
            help="ACLED's list of deleted events (a CSV with event_id_cnty): remove them, or "
            "flag them where breach claims or judgements cite them. Needs --reason.",
        )
        parser.add_argument("--no-progress", action="store_true")
        # manage.py takes --reason off the command line into the audit context; this option
        # serves call_command().
        parser.add_argument("--reason", default="", help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        file: Path | None = options["file"]
        if file is None and options["deletions"] is None:
            raise CommandError("Give a file to import, --deletions FILE, or both.")
        reason = options["reason"] or current_reason()
        scope = (
            audit_context(channel="command", reason=reason, command="import_incidents")
            if options["reason"]
            else contextlib.nullcontext()
        )
        with scope:
            if file is not None:
                self._import(file, options)
            if options["deletions"] is not None:
                if not reason.strip():
                    raise CommandError('Deleting needs a reason: add --reason "...".')
                self._delete(options["deletions"], options["dry_run"])

    def _import(self, file: Path, options: dict[str, Any]) -> None:
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        progress = Progress(
            file.stat().st_size,
            sys.stderr,
            enabled=not options["no_progress"] and options["verbosity"] > 0,
        )
        with file.open("rb") as stream:
            try:
                report = incident_import(
                    stream=stream,
                    dry_run=options["dry_run"],
                    batch_size=options["batch_size"],
                    progress=progress,
                )
            except ImportRefused as refused:
                raise CommandError(f"{file}: not imported. {refused}") from None
            except UnicodeDecodeError as error:
                raise CommandError(f"{file}: not UTF-8 ({error}).") from None
            finally:
                progress.end()
        self.stdout.write(
            ("Dry run, nothing written. " if report.dry_run else "") + report.summary()
        )
        for rejection in report.rejections:
            self.stdout.write(f"  rejected {rejection}")
        if report.rejected > len(report.rejections):
            self.stdout.write(f"  ... and {report.rejected - len(report.rejections)} more")
        if report.unmatched_actors:
            self.stdout.write(
                f"Actors that matched no party (kept as reported): {len(report.unmatched_actors)}"
            )
            for name, count in report.unmatched_actors.most_common(20):
                self.stdout.write(f"  {name} ({count})")
        if report.new_sources:
            self.stdout.write(f"New sources: {', '.join(report.new_sources[:20])}")

    def _delete(self, file: Path, dry_run: bool) -> None:
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        with file.open("rb") as stream:
            try:
                report = incident_delete_withdrawn(stream=stream, dry_run=dry_run)
            except ImportRefused as refused:
                raise CommandError(f"{file}: not applied. {refused}") from None
        self.stdout.write(
            ("Dry run, nothing written. " if dry_run else "")
            + f"Deletions: {report.deleted} removed, {report.flagged} flagged (cited by claims "
            f"or judgements), {report.not_found} not in the tracker."
        )
