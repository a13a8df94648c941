"""Ordinary concurrent writes queue instead of deadlocking.

A PATCH with If-Match locks the obligation's row and then, at its first history event, the
audit chain head; a new judgement on the same obligation takes the chain head first and the
foreign-key lock on the obligation at commit. Raced over real HTTP, that order used to turn
some writes into 500 "deadlock detected".
"""

import json
import threading
import urllib.error
import urllib.request

import pytest

from tests import builders
from tests.conftest import make_role_user
from tracker.models import ApiToken

ROUNDS = 25


def send(
    url: str, token: str, method: str = "GET", body: dict | None = None, etag: str | None = None
) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(
        url,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            **({"If-Match": etag} if etag else {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.mark.django_db(transaction=True)
def test_a_patch_with_if_match_racing_a_new_judgement_never_deadlocks(live_server):
    obligation = builders.obligation()
    _, lead = ApiToken.issue(user=make_role_user("lead"), name="patch")
    _, analyst = ApiToken.issue(user=make_role_user("analyst"), name="judge")
    detail = f"{live_server.url}/api/v1/obligations/{obligation.pk}/"
    statuses: list[int] = []
    failures: list[bytes] = []

    def record(status: int, body: bytes) -> None:
        statuses.append(status)
        if status >= 500:
            failures.append(body)

    def race(n: int, etag: str) -> None:
        start = threading.Barrier(2)

        def patch() -> None:
            start.wait()
            status, _, body = send(detail, lead, "PATCH", {"action_en": f"Round {n}"}, etag)
            record(status, body)

        def judge() -> None:
            start.wait()
            status, _, body = send(
                f"{live_server.url}/api/v1/assessments/",
                analyst,
                "POST",
                {
                    "obligation": obligation.pk,
                    "status": "in_progress",
                    "level": 1,
                    "valid_from": "2021-09-10",
                    "valid_from_precision": "day",
                    "rationale": f"Round {n}: partly done.",
                },
            )
            record(status, body)

        threads = [threading.Thread(target=patch), threading.Thread(target=judge)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    for n in range(ROUNDS):
        _, headers, _ = send(detail, lead)
        race(n, headers["ETag"])

    assert failures == []
    # Every judgement is recorded; a PATCH may lose only to a changed ETag (the judgement
    # changes the obligation's derived status), never to the database.
    assert statuses.count(201) == ROUNDS
    assert set(statuses) <= {200, 201, 412}
