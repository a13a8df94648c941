"""A write that PostgreSQL picks as a deadlock's victim is run once more, and succeeds.

With every write taking the audit chain head first, the API's own writes no longer deadlock;
this one is provoked by an outside session that locks in the opposite order (the obligation's
row, then the chain head), as a script or a future code path might.
"""

import json
import logging
import threading
import time
import urllib.error
import urllib.request

import psycopg
import pytest
from django.db import connection

from history.models import ChainHead
from tests import builders
from tests.conftest import make_role_user
from tracker.models import ApiToken


def _patch(url: str, token: str, body: dict) -> int:
    request = urllib.request.Request(
        url,
        method="PATCH",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _waiting_on_a_lock(outside: psycopg.Connection, own_pid: int) -> bool:
    # Only this test database: the server is shared with other work whose sessions may wait.
    row = outside.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> %s"
        " AND datname = current_database()",
        [own_pid],
    ).fetchone()
    return bool(row and row[0])


@pytest.mark.django_db(transaction=True)
def test_the_victim_of_a_deadlock_is_retried_once_and_succeeds(live_server, caplog):
    obligation = builders.obligation()
    _, token = ApiToken.issue(user=make_role_user("lead"), name="retry")
    settings = connection.settings_dict
    dsn = (
        f"host={settings['HOST'] or '127.0.0.1'} port={settings['PORT'] or 5432} "
        f"dbname={settings['NAME']} user={settings['USER']}"
    )
    head = ChainHead._meta.db_table
    answers: list[int] = []
    caplog.set_level(logging.WARNING, logger="config.middleware.database")

    with psycopg.connect(dsn) as outside, psycopg.connect(dsn, autocommit=True) as watcher:
        # The outside session waits long before checking for deadlocks, so the API's
        # transaction (default deadlock_timeout) is the one PostgreSQL aborts.
        outside.execute("SET deadlock_timeout = '20s'")
        outside.execute(
            f"SELECT 1 FROM {obligation._meta.db_table} WHERE id = %s FOR UPDATE",
            [obligation.pk],
        )
        writer = threading.Thread(
            target=lambda: answers.append(
                _patch(
                    f"{live_server.url}/api/v1/obligations/{obligation.pk}/",
                    token,
                    {"action_en": "Open the road at dawn"},
                )
            )
        )
        writer.start()
        # Wait until the API's transaction holds the chain head and waits for the row.
        deadline = time.monotonic() + 30
        while not _waiting_on_a_lock(watcher, outside.info.backend_pid):
            assert time.monotonic() < deadline, "the PATCH never waited for the row lock"
            time.sleep(0.05)
        # Opposite order: this waits for the chain head, closing the cycle.
        outside.execute(f'SELECT 1 FROM "{head}" WHERE id = 1 FOR UPDATE')
        outside.commit()
        writer.join(timeout=60)

    assert answers == [200]
    obligation.refresh_from_db()
    assert obligation.action_en == "Open the road at dawn"
    assert any("Retrying PATCH" in message for message in caplog.messages)
