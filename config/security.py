"""Sign-in protection and response headers that are wiring, not domain rules.

django-axes does the locking, django-csp the Content-Security-Policy, DRF the throttling (see
the "Security" blocks of config/settings.py); this module only adapts them.
"""

from collections.abc import Callable
from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' backend, which refuses sign-ins from a locked user+address (and counts the
    failures through Django's user_login_failed signal).

    Axes needs the request to know the address; ``authenticate()`` called without one (Django's
    test ``Client.login``, scripts) is left to the password check of ModelBackend alone
    instead of raising. Every sign-in page (the admin's) passes the request.
    """

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
        **kwargs: Any,
    ) -> None:  # fmt: skip
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


class PrivateNoStoreMiddleware:
    """``Cache-Control: private, no-store`` on every response the application makes: pages,
    API answers, reports and CSV downloads all carry data that is not public (a browser or a
    proxy keeps no copy). Static files (served before Django) are not affected; the flags are
    added to whatever a view already set (the admin's never_cache already has them)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        patch_cache_control(response, private=True, no_store=True)
        return response
