from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError

DEMO_USERNAME = "demo-lead"
DEMO_PASSWORD = "daraa-demo-2021"


class Command(BaseCommand):
    help = (
        "Create (or reset) the demo lead account for local development and print how to log "
        "in. Refuses to run unless DEBUG is on, so a production site never gets a known password."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("The demo account is for development only; set DEBUG=1.")
        user, _ = User.objects.get_or_create(username=DEMO_USERNAME)
        user.is_staff = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([Group.objects.get(name="lead")])
        self.stdout.write(
            self.style.SUCCESS(
                "\nLog in at http://127.0.0.1:8000/admin/ "
                f"as '{DEMO_USERNAME}' with password '{DEMO_PASSWORD}' (role: lead).\n"
                "Reports: http://127.0.0.1:8000/reports/  "
                "API docs: http://127.0.0.1:8000/api/docs/\n"
            )
        )
