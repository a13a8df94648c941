from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def secure_the_trail(using: str, **kwargs: Any) -> None:
    """After every migrate (as the owner): trail-writing triggers run with the owner's rights,
    and the runtime role, if one is named, gets exactly its grants (history.roles)."""
    from history.roles import grant_runtime_role, run_trail_triggers_as_owner

    connection = connections[using]
    run_trail_triggers_as_owner(connection)
    role = getattr(settings, "DATABASE_RUNTIME_ROLE", "")
    if role:
        grant_runtime_role(connection, role)


class HistoryConfig(AppConfig):
    """The audit trail beneath both domain apps: who changed what, when, through which
    channel and why; the hash chain over it; and reads of the past ("as known at")."""

    name = "history"
    verbose_name = _("History")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Sent after pgtrigger's own post_migrate (it comes first in INSTALLED_APPS), which
        # installs the triggers again: their functions are made SECURITY DEFINER afterwards.
        post_migrate.connect(secure_the_trail, sender=self)
