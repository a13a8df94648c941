"""WSGI entry point, used by production app servers such as gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Marks this process as a web server: its database sessions get DB_STATEMENT_TIMEOUT, which
# management commands (imports, migrations, verify_audit) must not inherit.
os.environ.setdefault("TRACKER_PROCESS", "web")

application = get_wsgi_application()
