from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from history.context import current_reason
from tracker.seeding.loader import SeedLoader
from tracker.seeding.records import SeedError


class Command(BaseCommand):
    help = (
        "Load the reviewed seed files (parties, sources, the Daraa agreements, incidents and "
        "first assessments) into the database. Safe to run again: rows are matched by their "
        "keys; only missing rows are added, and a stored row that differs from its file (someone "
        "changed it) is kept as it is and listed. --reset makes those rows match the files "
        "(needs --reason). Two records with the same key are refused, naming both. All or "
        "nothing: on any error nothing is written and the error names the file, record and field."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--path",
            type=Path,
            default=Path(settings.BASE_DIR) / "seeds",
            help="Folder holding the seed files (default: seeds/ in the project).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help='Overwrite seeded rows that differ from the files (needs --reason "...", '
            "recorded in the audit trail).",
        )

    def handle(self, *args: Any, path: Path, reset: bool = False, **options: Any) -> None:
        if reset and not current_reason():
            raise CommandError(
                'Say why the seeded rows are reset: add --reason "..." (it goes into the audit '
                "trail with every row the reset changes)."
            )
        self.stdout.write(f"Loading seeds from {path}" + (" (reset)" if reset else ""))
        loader = SeedLoader(path.resolve(), log=self.stdout.write, reset=reset)
        try:
            counts = loader.load()
        except SeedError as error:
            raise CommandError(f"Seeds not loaded, nothing was changed. {error}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeds loaded: {counts['created']} created, {counts['updated']} updated, "
                f"{counts['unchanged']} unchanged."
            )
        )
        differ = counts["differ"]
        if differ or not reset:
            rows = "1 row differs" if differ == 1 else f"{differ} rows differ"
            message = f"{rows} from the seed files (kept as edited)"
            if differ:
                message += '; use --reset --reason "..." to make them match'
            self.stdout.write((self.style.WARNING if differ else str)(message + "."))
