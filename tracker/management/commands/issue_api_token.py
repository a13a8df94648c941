from argparse import ArgumentParser
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

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

    def handle(self, *args: Any, user: str, name: str, **options: Any) -> None:
        owner = get_user_model().objects.filter(username=user, is_active=True).first()
        if owner is None:
            raise CommandError(f"No active user named '{user}'.")
        token, raw = ApiToken.issue(user=owner, name=name)
        self.stderr.write(f"Token #{token.pk} '{name}' for {user}; copy it now:")
        self.stdout.write(raw)
