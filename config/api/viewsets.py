"""The one base every API resource uses: permissions by role, ETags, pagination, filters."""

from typing import Any

import pghistory
from django.db import models, transaction
from rest_framework import viewsets
from rest_framework.exceptions import MethodNotAllowed, ValidationError
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from config.api.etags import ETagMixin, etag_of
from config.api.permissions import is_public_read
from history.headers import REASON_HEADER


class ResourceViewSet(ETagMixin, viewsets.ModelViewSet):
    """A model resource. Subclasses set queryset, serializer_class and filterset_class.

    ``public_read`` opens safe requests to anonymous users when API_PUBLIC_READ is on;
    they then see only rows matching ``public_filter``.
    """

    public_read = False
    public_filter: models.Q | None = None
    # The fields anonymous users read (None: all the serializer's); nested serializers with a
    # ``public_fields`` attribute of their own are cut down the same way. README lists them.
    public_fields: tuple[str, ...] | None = None
    extra_permissions: dict[str, tuple[str, ...]] = {}

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        # The audit middleware opened the context before DRF knew who holds the token, and
        # the reason may also come as a "reason" field of the body.
        self.change_reason = request.headers.get(REASON_HEADER, "").strip()
        if isinstance(request.data, dict) and isinstance(request.data.get("reason"), str):
            self.change_reason = request.data["reason"].strip() or self.change_reason
        if request.method not in SAFE_METHODS and request.user.is_authenticated:
            pghistory.context(
                user=request.user.pk,
                username=request.user.get_username(),
                reason=self.change_reason,
            )

    def perform_destroy(self, instance: models.Model) -> None:
        if not self.change_reason:
            raise ValidationError(
                {"reason": f"Say why this is deleted: send the {REASON_HEADER} header."}
            )
        instance.delete()

    def check_permissions(self, request: Request) -> None:
        # A method the resource does not offer (deleting a clause, editing a judgement) is
        # 405 for every signed-in user, whatever their role, so clients learn it is by design.
        offered = request.method.lower() in self.http_method_names
        if not offered and request.user and request.user.is_authenticated:
            raise MethodNotAllowed(request.method)
        super().check_permissions(request)

    def get_serializer(self, *args: Any, **kwargs: Any) -> BaseSerializer:
        serializer = super().get_serializer(*args, **kwargs)
        if is_public_read(self.request, self):
            only_public_fields(getattr(serializer, "child", serializer), self.public_fields)
        return serializer

    def get_queryset(self) -> models.QuerySet:
        queryset = super().get_queryset()
        if self.public_filter is not None and is_public_read(self.request, self):
            queryset = queryset.filter(self.public_filter)
        return queryset

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            self.perform_create(serializer)
        data = self.get_serializer(self.get_object_fresh(serializer.instance)).data
        return Response(data, status=201, headers={"ETag": etag_of(data)})

    def perform_update(self, serializer: BaseSerializer) -> None:
        serializer.save()


def only_public_fields(serializer: BaseSerializer, public: tuple[str, ...] | None) -> None:
    """Drop the fields anonymous users do not read, here and in nested serializers that
    declare their own ``public_fields``."""
    fields = serializer.fields  # type: ignore[attr-defined]
    for name in list(fields):
        if public is not None and name not in public:
            fields.pop(name)
            continue
        nested = getattr(fields[name], "child", fields[name])
        if hasattr(nested, "fields") and getattr(nested, "public_fields", None) is not None:
            only_public_fields(nested, nested.public_fields)
