import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "act_"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token. Only its hash is stored, so the token is shown once, at creation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(
        max_length=100,
        help_text=_("What the token is for, e.g. 'dashboard'."),
        verbose_name=_("name"),
    )
    key_hash = models.CharField(
        max_length=64, unique=True, editable=False, verbose_name=_("key hash")
    )
    key_prefix = models.CharField(
        max_length=12,
        editable=False,
        help_text=_("First characters, to recognise the token."),
        verbose_name=_("key prefix"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    last_used_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("last used at")
    )
    revoked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("revoked at"))
    expires_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("After this moment the token is refused; empty: never."),
        verbose_name=_("expires at"),
    )
    read_only = models.BooleanField(
        default=False,
        help_text=_("Reads only: every write made with it is refused (403)."),
        verbose_name=_("read only"),
    )

    class Meta:
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.key_prefix}… ({self.name})"

    @classmethod
    def issue(
        cls,
        *,
        user: AbstractBaseUser,
        name: str,
        expires_at: datetime.datetime | None = None,
        read_only: bool = False,
    ) -> tuple["ApiToken", str]:
        """A new token and its secret value, which is not stored and cannot be shown again."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            key_hash=hash_token(raw),
            key_prefix=raw[:10],
            expires_at=expires_at,
            read_only=read_only,
        )
        return token, raw

    @classmethod
    def revoke_all_of(cls, user: AbstractBaseUser) -> int:
        """End every live token of ``user`` (deactivated, or password made unusable)."""
        return cls.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )

    def usable_now(self) -> bool:
        """Not revoked, not expired, and its user still active with a usable password."""
        return (
            self.revoked_at is None
            and (self.expires_at is None or self.expires_at > timezone.now())
            and self.user.is_active
            and self.user.has_usable_password()
        )
