"""The documented production environment passes Django's deployment checklist."""

import subprocess

from django.conf import settings

from tests.deploy.production_env import PROJECT, PYTHON, production_env


def _database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def test_check_deploy_is_clean_under_the_documented_production_environment():
    result = subprocess.run(
        [PYTHON, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=production_env(_database_url()),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
