"""Two clients holding the same ETag write at once over real HTTP: exactly one wins."""

import json
import threading
import urllib.error
import urllib.request

import pytest

from tests import builders
from tests.conftest import make_role_user
from tracker.models import ApiToken


def send(
    url: str, token: str, method: str = "GET", body: dict | None = None, etag: str | None = None
) -> tuple[int, dict[str, str]]:
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
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


# Transactional, so each request really commits.
@pytest.mark.django_db(transaction=True)
def test_two_writers_with_the_same_etag_cannot_both_succeed(live_server):
    obligation = builders.obligation()
    _, token = ApiToken.issue(user=make_role_user("lead"), name="race")
    url = f"{live_server.url}/api/v1/obligations/{obligation.pk}/"
    _, headers = send(url, token)
    etag = headers["ETag"]
    start = threading.Barrier(2)
    results: list[int] = []

    def writer(text: str) -> None:
        start.wait()
        status, _ = send(url, token, "PATCH", {"action_en": text}, etag)
        results.append(status)

    threads = [threading.Thread(target=writer, args=(f"Version {n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(results) == [200, 412]
    obligation.refresh_from_db()
    assert obligation.action_en in {"Version 1", "Version 2"}
