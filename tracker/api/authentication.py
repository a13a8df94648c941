"""API token authentication: ``Authorization: Token <token>``."""

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from tracker.models.tokens import ApiToken, hash_token

# Failed token sign-ins are counted by django-axes under this name, per address: a wrong
# token names no user, so every token guess from one address counts against one lock.
LOCKOUT_NAME = "api-token"


class LockedOut(exceptions.APIException):
    status_code = 429
    default_detail = "Too many failed token sign-ins from this address; try again later."
    default_code = "locked_out"


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token <token>``: refused when revoked, expired, or its user deactivated
    or without a usable password; failures count towards django-axes' lock of the address."""

    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode(errors="replace")
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != self.keyword.lower():
            return None
        raw = raw.strip()
        credentials = {"username": LOCKOUT_NAME}
        if AxesProxyHandler.is_locked(request._request, credentials):
            raise LockedOut()
        if not raw or " " in raw:
            self.failed(request, credentials)
            raise exceptions.AuthenticationFailed("Malformed token header: use 'Token <token>'.")
        token = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=hash_token(raw), revoked_at__isnull=True)
            .first()
        )
        if token is None or not token.usable_now():
            # Revoked, expired, or its user deactivated or without a usable password.
            self.failed(request, credentials)
            raise exceptions.AuthenticationFailed("Unknown, revoked or expired token.")
        # At most one write a minute per token, so reads stay reads.
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    @staticmethod
    def failed(request: Request, credentials: dict[str, str]) -> None:
        """Tell django-axes (through Django's own signal), which counts, logs and locks."""
        user_login_failed.send(
            sender=ApiTokenAuthentication, credentials=credentials, request=request._request
        )
        if getattr(request._request, "axes_locked_out", False):
            raise LockedOut()

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Describes the token scheme in the OpenAPI schema, so the docs page can send it."""

    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Personal API token, sent as `Token <token>`.",
        }
