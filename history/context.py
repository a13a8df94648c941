"""What every history event records about the change that caused it.

pghistory copies the metadata of the open context into each event row it writes, inside
the same transaction, so the context cannot be lost or attached to the wrong change.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import pghistory

if TYPE_CHECKING:  # manage.py imports this module before Django's apps are loaded
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

CHANNELS = ("admin", "api", "web", "command", "shell")


def audit_context(
    *,
    channel: str,
    user: AbstractBaseUser | AnonymousUser | None = None,
    request_id: str | None = None,
    reason: str = "",
    **extra: Any,
) -> pghistory.context:
    """Open (or add to) the audit context; use as ``with audit_context(...):``."""
    known = user is not None and getattr(user, "is_authenticated", False)
    return pghistory.context(
        channel=channel,
        user=user.pk if known else None,
        # A copy of the name, so the trail still reads right if the account is renamed.
        username=user.get_username() if known else None,
        request_id=request_id or str(uuid.uuid4()),
        reason=reason.strip(),
        **extra,
    )


def add_reason(reason: str) -> None:
    """Attach the reason to the context already open (e.g. from an admin form)."""
    pghistory.context(reason=reason.strip())


def current_reason() -> str:
    """The reason of the audit context open now ("" when none is open or none was given)."""
    tracker = getattr(pghistory.runtime._tracker, "value", None)
    return str((tracker.metadata.get("reason") if tracker else "") or "")
