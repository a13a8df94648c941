"""API tokens in the admin: admins list and revoke anyone's; a new token is shown once."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracker.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "key_prefix",
        "name",
        "user",
        "read_only",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    list_filter = ("revoked_at",)
    list_select_related = ("user",)
    search_fields = ("name", "key_prefix", "user__username")
    autocomplete_fields = ("user",)
    actions = ("revoke",)

    def get_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> list[str]:
        if obj is None:
            return ["user", "name", "expires_at", "read_only"]
        return [
            "user",
            "name",
            "key_prefix",
            "created_at",
            "last_used_at",
            "expires_at",
            "read_only",
            "revoked_at",
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> list[str]:
        if obj is None:
            return []
        # Expiry and read-only are set when the token is made; a new token changes them.
        return [
            "user",
            "name",
            "key_prefix",
            "created_at",
            "last_used_at",
            "expires_at",
            "read_only",
        ]

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        token, raw = ApiToken.issue(
            user=obj.user, name=obj.name, expires_at=obj.expires_at, read_only=obj.read_only
        )
        obj.pk = token.pk
        self.message_user(
            request,
            _("Token for %(user)s: %(token)s — copy it now, it will not be shown again.")
            % {"user": obj.user, "token": raw},
            messages.WARNING,
        )

    def has_delete_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        # Revoked, not deleted: the audit trail may still name the token.
        return False

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, _("%(count)d tokens revoked.") % {"count": count})
