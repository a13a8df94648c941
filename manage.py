#!/usr/bin/env python
"""Django's command-line entry point for this project.

Every change a command makes is recorded in the audit trail with channel "command" (or
"shell" for the shell) and the reason given with ``--reason "..."`` anywhere on the line:

    python manage.py load_seeds --reason "Corrected the checkpoint counts"
"""

import getpass
import os
import sys

# Long-running servers open a context per request instead (AuditContextMiddleware).
UNAUDITED_COMMANDS = {"runserver", "testserver"}


def take_reason(argv: list[str]) -> tuple[list[str], str]:
    """Remove ``--reason TEXT`` / ``--reason=TEXT`` from the command line and return it."""
    rest, reason = [], ""
    args = iter(argv)
    for arg in args:
        if arg == "--reason":
            reason = next(args, "")
        elif arg.startswith("--reason="):
            reason = arg.split("=", 1)[1]
        else:
            rest.append(arg)
    return rest, reason


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    try:
        from django.core.management import execute_from_command_line
    except ImportError as exc:
        raise ImportError(
            "Django is not importable. Run `make install` and use .venv/bin/python, "
            "or activate the virtual environment first."
        ) from exc
    argv, reason = take_reason(sys.argv)
    command = argv[1] if len(argv) > 1 else ""
    if command in UNAUDITED_COMMANDS:
        execute_from_command_line(argv)
        return
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        # Read the settings now: the audit context below needs the database, and a bad
        # environment should read as one clear line, not as a traceback through it.
        settings.DATABASES  # noqa: B018
    except ImproperlyConfigured as error:
        sys.exit(f"manage.py: configuration error: {error}")
    from history.context import audit_context

    channel = "shell" if command in {"shell", "dbshell"} else "command"
    with audit_context(channel=channel, reason=reason, command=command, os_user=getpass.getuser()):
        execute_from_command_line(argv)


if __name__ == "__main__":
    main()
