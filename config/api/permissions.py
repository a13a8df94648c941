"""Who may call what: the model permissions of the user's role groups, nothing else."""

from typing import Any

from django.conf import settings
from rest_framework.permissions import SAFE_METHODS, BasePermission, DjangoModelPermissions
from rest_framework.request import Request


class RolePermission(DjangoModelPermissions):
    """Reading needs the model's view permission; writing its add/change/delete permission.

    Anonymous requests are refused (401), except safe requests to views that declare
    ``public_read = True`` when the API_PUBLIC_READ setting is on; those views then show
    published records only.
    """

    perms_map = {
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
        "POST": ["%(app_label)s.add_%(model_name)s"],
        "PUT": ["%(app_label)s.change_%(model_name)s"],
        "PATCH": ["%(app_label)s.change_%(model_name)s"],
        "DELETE": ["%(app_label)s.delete_%(model_name)s"],
    }

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return is_public_read(request, view)
        if not TokenAllowsMethod().has_permission(request, view):
            return False
        extra = getattr(view, "extra_permissions", {}).get(getattr(view, "action", None), ())
        return super().has_permission(request, view) and request.user.has_perms(extra)


def is_public_read(request: Request, view: Any) -> bool:
    return (
        request.method in SAFE_METHODS
        and getattr(view, "public_read", False)
        and settings.API_PUBLIC_READ
        and not (request.user and request.user.is_authenticated)
    )


class TokenAllowsMethod(BasePermission):
    """A read-only API token reads and never writes (403), whatever its user's role.

    ``request.auth`` is the token when one authenticated the request (None for a session);
    any credential object with a true ``read_only`` attribute is held to safe methods.
    """

    message = "This API token is read-only."

    def has_permission(self, request: Request, view: Any) -> bool:
        return request.method in SAFE_METHODS or not getattr(request.auth, "read_only", False)
