from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from history.chain import verify_chain
from history.models import chain_head


class Command(BaseCommand):
    help = (
        "Walk the audit trail's hash chain from the first event to the last and recompute "
        "every hash. Exits 0 and prints the head hash when intact (keep it somewhere else to "
        "prove later that the trail was not rewritten); otherwise names the first event "
        "that does not match and exits 1."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        checked, broken = verify_chain(
            progress=lambda n: self.stdout.write(f"  {n} events checked...")
        )
        if broken is not None:
            raise CommandError(
                f"Audit trail broken at {broken} ({checked} events before it verified)."
            )
        head = chain_head(connection)
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit trail intact: {checked} events; head hash {head[1] if head else '-'}"
            )
        )
