"""A request that waits on a hung database is cut loose, so it ends as a 503, not a killed
worker.

statement_timeout is enforced by the server, so a stopped or frozen server (SIGSTOP, a
stalled disk, a network partition) never sends it; the worker would wait until gunicorn
killed it. Here a timer armed for each request shuts down the database sockets when the
request outlives its deadline: the waiting query then fails at once with an OperationalError,
which the database middleware answers with a 503 and Django replaces the connection.

Only in the main thread of a web process (gunicorn's sync workers): signals cannot be used
from other threads, and commands and tests have no deadline.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import threading
from collections.abc import Callable
from types import FrameType

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse


def cut_database_connections(signum: int = 0, frame: FrameType | None = None) -> None:
    """Shut down every open database socket (the connection objects stay; using them fails).

    Safe in a signal handler: it only calls shutdown(2) on duplicates of the sockets.
    """
    for connection in connections.all(initialized_only=True):
        raw = connection.connection
        if raw is None:
            continue
        with (
            contextlib.suppress(OSError, ValueError, AttributeError),
            socket.socket(fileno=os.dup(raw.pgconn.socket)) as duplicate,
        ):
            duplicate.shutdown(socket.SHUT_RDWR)


class RequestDeadlineMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.seconds: float = settings.REQUEST_DEADLINE_SECONDS
        self.enabled = settings.WEB_PROCESS and self.seconds > 0 and hasattr(signal, "setitimer")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.enabled or threading.current_thread() is not threading.main_thread():
            return self.get_response(request)
        previous = signal.signal(signal.SIGALRM, cut_database_connections)
        signal.setitimer(signal.ITIMER_REAL, self.seconds)
        try:
            return self.get_response(request)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
