import datetime
from argparse import ArgumentParser
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tracker.models import ApiToken


class Command(BaseCommand):
    help = (
        "Issue a personal API token for a user and print it. The token is stored only as a "
        "hash: copy it now, it cannot be shown again. Revoke it in the admin or with "
        "DELETE /api/v1/tokens/<id>/."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--user", required=True, help="Username of the token's owner.")
        parser.add_argument("--name", required=True, help="What the token is for.")
        parser.add_argument(
            "--expires-days", type=int, default=None, help="Refuse the token after this many days."
        )
        parser.add_argument(
            "--read-only", action="store_true", help="The token reads only; writes get 403."
        )

    def handle(self, *args: Any, user: str, name: str, **options: Any) -> None:
        owner = get_user_model().objects.filter(username=user, is_active=True).first()
        if owner is None:
            raise CommandError(f"No active user named '{user}'.")
        if not owner.has_usable_password():
            raise CommandError(f"'{user}' has no usable password: their tokens would be refused.")
        days = options.get("expires_days")
        if days is not None and days < 1:
            raise CommandError("--expires-days must be 1 or more.")
        expires_at = timezone.now() + datetime.timedelta(days=days) if days else None
        token, raw = ApiToken.issue(
            user=owner, name=name, expires_at=expires_at, read_only=options.get("read_only", False)
        )
        self.stderr.write(f"Token #{token.pk} '{name}' for {user}; copy it now:")
        self.stdout.write(raw)
