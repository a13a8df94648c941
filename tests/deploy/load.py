"""A bounded mixed load against a running server, recording every answer.

Readers list, read and run a report; writers PATCH obligations with If-Match and post
judgements and incidents about the same obligations. Each write carries a unique marker, so
afterwards the database can be asked which writes it holds.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Write:
    kind: str  # "patch", "judgement" or "incident"
    marker: str
    obligation: int
    status: int


@dataclass
class Record:
    statuses: Counter = field(default_factory=Counter)
    writes: list[Write] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, method: str, path: str, status: int, body: bytes) -> None:
        with self.lock:
            self.statuses[status] += 1
            if (status >= 500 and status != 503) or status == 0:
                self.server_errors.append(f"{method} {path} -> {status}: {body[:300]!r}")


def call(
    base: str,
    token: str,
    method: str,
    path: str,
    body: dict | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(
        base + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            # As the TLS proxy in front would say.
            "X-Forwarded-Proto": "https",
            **(headers or {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()
    except OSError as error:  # no answer at all: a killed worker or a refused connection
        return 0, {}, str(error).encode()


class Load:
    def __init__(self, base: str, data: dict[str, Any], record: Record) -> None:
        self.base, self.data, self.record = base, data, record
        self.stopping = threading.Event()
        self.serial = itertools.count(1)
        self.threads: list[threading.Thread] = []

    def _send(
        self,
        role: str,
        method: str,
        path: str,
        body: dict | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        status, answer_headers, content = call(
            self.base, self.data["tokens"][role], method, path, body, headers
        )
        self.record.note(method, path, status, content)
        return status, answer_headers, content

    def _obligation(self) -> int:
        ids = self.data["obligations"]
        return ids[next(self.serial) % len(ids)]

    def reader(self) -> None:
        paths = itertools.cycle(
            [
                "/api/v1/obligations/",
                f"/api/v1/obligations/{self.data['obligations'][0]}/",
                f"/api/v1/reports/compliance-matrix/?agreement={self.data['agreement']}",
                "/api/v1/assessments/?page_size=5",
            ]
        )
        while not self.stopping.is_set():
            self._send("viewer", "GET", next(paths))
            time.sleep(0.05)

    def patcher(self) -> None:
        while not self.stopping.is_set():
            obligation = self._obligation()
            path = f"/api/v1/obligations/{obligation}/"
            status, headers, _ = self._send("lead", "GET", path)
            if status == 200:
                marker = f"patch-{next(self.serial)}"
                status, _, _ = self._send(
                    "lead", "PATCH", path, {"action_en": marker}, {"If-Match": headers["ETag"]}
                )
                self.record.writes.append(Write("patch", marker, obligation, status))
            time.sleep(0.05)

    def judge(self) -> None:
        while not self.stopping.is_set():
            obligation, marker = self._obligation(), f"judgement-{next(self.serial)}"
            status, _, _ = self._send(
                "analyst",
                "POST",
                "/api/v1/assessments/",
                {
                    "obligation": obligation,
                    "status": "in_progress",
                    "level": 1,
                    "valid_from": "2021-09-10",
                    "valid_from_precision": "day",
                    "rationale": marker,
                },
            )
            self.record.writes.append(Write("judgement", marker, obligation, status))
            time.sleep(0.05)

    def reporter(self) -> None:
        while not self.stopping.is_set():
            obligation, marker = self._obligation(), f"incident-{next(self.serial)}"
            status, _, _ = self._send(
                "analyst",
                "POST",
                "/api/v1/incidents/",
                {
                    "key": marker,
                    "occurred_on": "2021-09-03",
                    "date_precision": "day",
                    "event_type": "Battles",
                    "sub_event_type": "Armed clash",
                    "location": "Daraa al-Balad",
                    "description_en": f"Clashes near the site of obligation {obligation}.",
                    "actors": [{"party": self.data["party"], "side": 1}],
                },
            )
            self.record.writes.append(Write("incident", marker, obligation, status))
            time.sleep(0.05)

    def start(self) -> None:
        workers = [self.reader, self.reader, self.patcher, self.patcher, self.judge, self.reporter]
        self.threads = [threading.Thread(target=work, daemon=True) for work in workers]
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=90)
