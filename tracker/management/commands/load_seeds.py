from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tracker.seeding.loader import SeedLoader
from tracker.seeding.records import SeedError


class Command(BaseCommand):
    help = (
        "Load the reviewed seed files (parties, sources, the Daraa agreements, incidents and "
        "first assessments) into the database. Safe to run again: rows are matched by their "
        "keys and updated where the files changed. All or nothing: on any error nothing is "
        "written and the error names the file, record and field."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--path",
            type=Path,
            default=Path(settings.BASE_DIR) / "seeds",
            help="Folder holding the seed files (default: seeds/ in the project).",
        )

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        self.stdout.write(f"Loading seeds from {path}")
        loader = SeedLoader(path.resolve(), log=self.stdout.write)
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
