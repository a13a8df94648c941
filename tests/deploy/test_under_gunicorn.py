"""The application deployed as the README says: gunicorn (3 workers), production settings,
its own PostgreSQL, which this module restarts and stops under load.

Set RESILIENCE=0 to leave these out of a quick local run; CI runs them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
from django.apps import apps

from agreements.models import Obligation
from tests.deploy.cluster import PG_BIN, PrivateCluster, have_postgres_binaries
from tests.deploy.load import Load, Record, call
from tests.deploy.production_env import PROJECT, PYTHON, production_env
from tests.deploy.server import Gunicorn, get_status, manage
from tracker.models import ComplianceAssessment, Incident

pytestmark = [
    pytest.mark.skipif(os.environ.get("RESILIENCE") == "0", reason="RESILIENCE=0"),
    pytest.mark.skipif(not have_postgres_binaries(), reason="no initdb/pg_ctl"),
]

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@dataclass
class Deployment:
    cluster: PrivateCluster
    server: Gunicorn
    env: dict[str, str]
    data: dict[str, Any]

    @property
    def database_url(self) -> str:
        return self.cluster.url("tracker")


@pytest.fixture(scope="module")
def deployed() -> Iterator[Deployment]:
    cluster = PrivateCluster()
    server = None
    try:
        cluster.init()
        cluster.start()
        cluster.create_database("tracker")
        env = production_env(
            cluster.url("tracker"),
            STATIC_ROOT=str(cluster.root / "static"),
            # Short, so the outage below is answered quickly; defaults are documented.
            DB_CONNECT_TIMEOUT="2",
            DB_STATEMENT_TIMEOUT="5",
            RETRY_AFTER_SECONDS="1",
        )
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        loaded = subprocess.run(
            [PYTHON, "-m", "tests.deploy.load_data"],
            cwd=PROJECT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        data = json.loads(loaded.stdout.strip().splitlines()[-1])
        server = Gunicorn(env, cluster.root / "gunicorn.log", workers=3)
        server.start()
        yield Deployment(cluster, server, env, data)
    finally:
        if server is not None:
            server.stop()
        cluster.destroy()


def _https(headers: dict[str, str] | None = None) -> dict[str, str]:
    return {"X-Forwarded-Proto": "https", **(headers or {})}


def test_static_files_are_served_with_debug_off(deployed: Deployment):
    base = deployed.server.url
    token = deployed.data["tokens"]["viewer"]
    status, _, page = call(base, token, "GET", "/api/docs/")
    assert status == 200
    html = page.decode()

    assert get_status_https(f"{base}/static/admin/css/base.css") == 200
    # The docs page names its assets by their hashed, collected names; each one is served.
    assets = [part.split('"')[0] for part in html.split('"/static/')[1:]]
    assert assets, html[:500]
    for asset in assets:
        assert get_status_https(f"{base}/static/{asset}") == 200, asset


def get_status_https(url: str) -> int:
    request = urllib.request.Request(url, headers=_https())
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"no Chromium at {CHROMIUM}")
def test_the_api_docs_render_under_gunicorn_with_no_request_leaving_the_server(
    deployed: Deployment,
):
    from playwright.sync_api import expect, sync_playwright

    from tests.e2e.conftest import CHROMIUM_ARGS

    base = deployed.server.url
    elsewhere: list[str] = []
    failed: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            # The browser speaks plain HTTP to gunicorn; the TLS proxy would add the
            # forwarded scheme. A viewer's token stands in for a login (Secure cookies and
            # CSRF origins are about the proxy's HTTPS, which this test has not got).
            token = deployed.data["tokens"]["viewer"]
            context = browser.new_context(
                extra_http_headers=_https({"Authorization": f"Token {token}"})
            )
            page = context.new_page()
            page.set_default_timeout(20000)
            page.on(
                "request",
                lambda r: None if r.url.startswith((base, "data:")) else elsewhere.append(r.url),
            )
            page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
            page.goto(f"{base}/api/docs/")

            expect(page.locator(".opblock").first).to_be_visible()
            shown = page.locator(".opblock-summary-path").all_inner_texts()
        finally:
            browser.close()
    assert any(path.startswith("/api/v1/obligations/") for path in shown)
    assert elsewhere == []
    assert failed == []


def _event_table(model: type) -> str:
    """The history table of a tracked model, wherever the audit models live."""
    return next(
        event._meta.db_table
        for event in apps.get_models()
        if getattr(event, "pgh_tracked_model", None) is model
    )


def _present(database_url: str) -> dict[str, set[str]]:
    """Markers of every write the database holds, by kind."""
    with psycopg.connect(database_url) as connection:
        patches = connection.execute(
            f'SELECT DISTINCT action_en FROM "{_event_table(Obligation)}"'
        ).fetchall()
        judgements = connection.execute(
            f'SELECT rationale FROM "{ComplianceAssessment._meta.db_table}"'
        ).fetchall()
        incidents = connection.execute(f'SELECT key FROM "{Incident._meta.db_table}"').fetchall()
    return {
        "patch": {row[0] for row in patches},
        "judgement": {row[0] for row in judgements},
        "incident": {row[0] for row in incidents},
    }


def _post_form(url: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(
        url,
        data=b"username=someone&password=secret",
        headers=_https({"Content-Type": "application/x-www-form-urlencoded"}),
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _wait_until_ready(url: str, seconds: float) -> int:
    deadline = time.monotonic() + seconds
    status = get_status(url)
    while status != 200 and time.monotonic() < deadline:
        time.sleep(0.5)
        status = get_status(url)
    return status


def test_restarts_and_an_outage_under_load_give_503s_lose_nothing_and_heal(
    deployed: Deployment,
):
    readyz = f"{deployed.server.url}/readyz"
    record = Record()
    load = Load(deployed.server.url, deployed.data, record)
    load.start()
    try:
        time.sleep(12)
        deployed.cluster.restart()
        time.sleep(12)
        deployed.cluster.stop()
        during_outage = []
        for _ in range(4):
            during_outage.append(get_status(readyz))
            time.sleep(2.5)
        api_answer = call(
            deployed.server.url, deployed.data["tokens"]["viewer"], "GET", "/api/v1/obligations/"
        )
        page_answer = _post_form(f"{deployed.server.url}/admin/login/")
        deployed.cluster.start()
        time.sleep(15)
    finally:
        load.stop()
        deployed.cluster.start() if get_status(readyz) == 0 else None
    ready_after = _wait_until_ready(readyz, 30)

    present = _present(deployed.database_url)
    acknowledged = [w for w in record.writes if 200 <= w.status < 300]
    refused = [w for w in record.writes if w.status >= 400 or w.status == 0]
    lost = [w for w in acknowledged if w.marker not in present[w.kind]]
    phantom = [w for w in refused if w.marker in present[w.kind]]
    audit = subprocess.run(
        [PYTHON, "manage.py", "verify_audit"],
        cwd=PROJECT,
        env=deployed.env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    print(
        f"\nanswers by status: {dict(sorted(record.statuses.items()))}; "
        f"writes acknowledged {len(acknowledged)}, refused {len(refused)}"
    )

    assert record.server_errors == []
    assert all(200 <= s < 500 or s == 503 for s in record.statuses), record.statuses
    assert record.statuses[503] > 0, "the outage was never seen"
    assert len(acknowledged) > 0
    assert lost == []
    assert phantom == []
    assert audit.returncode == 0, audit.stdout + audit.stderr
    assert during_outage == [503] * len(during_outage)
    assert ready_after == 200
    # The API's one error shape, and a short plain page elsewhere; both say when to retry.
    status, headers, body = api_answer
    assert (status, json.loads(body)["error"]["code"]) == (503, "unavailable")
    assert int(headers["Retry-After"]) > 0
    status, headers, body = page_answer
    assert status == 503
    assert headers["Content-Type"].startswith("text/plain")
    assert int(headers["Retry-After"]) > 0
    # One JSON line per request, each 503 with its request id (LOG_FORMAT=json).
    logged = [
        json.loads(line)
        for line in deployed.server.log.read_text().splitlines()
        if line.startswith("{")
    ]
    requests = [entry for entry in logged if entry["logger"] == "tracker.requests"]
    assert {"method", "path", "status", "duration_ms", "request_id", "user_id"} <= set(requests[-1])
    unavailable = [
        entry for entry in requests if entry["status"] == 503 and entry["path"] != "/readyz"
    ]
    assert len(unavailable) == record.statuses[503] + 2  # the load's, and the two asked above
    assert all(entry["request_id"] and entry["level"] == "ERROR" for entry in unavailable)


def test_a_hung_database_gets_503s_instead_of_holding_workers(deployed: Deployment):
    """Every server process stopped (SIGSTOP): requests on the workers' open connections end
    at the request deadline with a 503, not when gunicorn kills the worker (no answer)."""
    base, token = deployed.server.url, deployed.data["tokens"]["viewer"]
    assert call(base, token, "GET", "/api/v1/obligations/")[0] == 200
    answers: list[int] = []

    def ask() -> None:
        answers.append(call(base, token, "GET", "/api/v1/obligations/")[0])

    deployed.cluster.freeze()
    try:
        askers = [threading.Thread(target=ask) for _ in range(3)]
        for asker in askers:
            asker.start()
        for asker in askers:
            asker.join(timeout=120)
    finally:
        deployed.cluster.thaw()

    assert answers == [503, 503, 503]
    assert _wait_until_ready(f"{base}/readyz", 30) == 200
    assert call(base, token, "GET", "/api/v1/obligations/")[0] == 200


def test_a_pg_dump_restored_elsewhere_passes_verify_audit(deployed: Deployment):
    """The README's backup and restore, step by step: pg_dump, pg_restore into an empty
    database, then verify_audit on the copy."""
    dump = deployed.cluster.root / "tracker.dump"
    subprocess.run(
        [str(PG_BIN / "pg_dump"), "--format=custom", f"--file={dump}", deployed.database_url],
        check=True,
        capture_output=True,
        timeout=300,
    )
    deployed.cluster.create_database("tracker_restored")
    restored = deployed.cluster.url("tracker_restored")
    subprocess.run(
        [str(PG_BIN / "pg_restore"), "--no-owner", f"--dbname={restored}", str(dump)],
        check=True,
        capture_output=True,
        timeout=300,
    )

    original = manage(deployed.env, "verify_audit")
    copy = manage(deployed.env | {"DATABASE_URL": restored}, "verify_audit")

    # manage() fails the test on a non-zero exit; both report the same events and head.
    assert copy.startswith("Audit trail intact: ")
    assert copy == original
