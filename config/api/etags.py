"""Optimistic concurrency for detail routes: strong ETags, If-None-Match and If-Match.

The ETag is a hash of the resource's JSON representation, so it changes whenever anything
the client sees changes. A write with If-Match is checked while the row is locked
(SELECT ... FOR UPDATE), so two writers holding the same ETag cannot both succeed: the second
waits for the first, then sees a different ETag and gets 412.
"""

import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.errors import error_body


def etag_of(data: Any) -> str:
    payload = json.dumps(data, sort_keys=True, cls=DjangoJSONEncoder).encode()
    return '"' + hashlib.sha256(payload).hexdigest()[:40] + '"'


def _listed(header: str) -> set[str]:
    return {tag.strip() for tag in header.split(",") if tag.strip()}


class ETagMixin:
    """Adds ETags to retrieve, update, partial_update and destroy of a ModelViewSet."""

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.get_serializer(self.get_object()).data
        etag = etag_of(data)
        wanted = _listed(request.headers.get("If-None-Match", ""))
        if etag in wanted or "*" in wanted:
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        return Response(data, headers={"ETag": etag})

    def get_locked_object(self) -> models.Model:
        """The object, re-read under a row lock for the rest of the transaction."""
        self.lock_for_update = True
        return self.get_object()

    def get_queryset(self) -> models.QuerySet:
        queryset = super().get_queryset()
        if getattr(self, "lock_for_update", False):
            queryset = queryset.select_for_update(of=("self",))
        return queryset

    def _stale(self, request: Request, instance: models.Model) -> Response | None:
        expected = _listed(request.headers.get("If-Match", ""))
        if not expected or "*" in expected:
            return None
        current = etag_of(self.get_serializer(instance).data)
        if current in expected:
            return None
        return Response(
            error_body(
                412,
                "precondition_failed",
                "The resource changed since you read it; fetch it again and reapply your change.",
                current_etag=current,
            ),
            status=status.HTTP_412_PRECONDITION_FAILED,
            headers={"ETag": current},
        )

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with transaction.atomic():
            instance = self.get_locked_object()
            refused = self._stale(request, instance)
            if refused is not None:
                return refused
            serializer = self.get_serializer(
                instance, data=request.data, partial=kwargs.pop("partial", False)
            )
            serializer.is_valid(raise_exception=True)
            self.perform_update(serializer)
        data = self.get_serializer(self.get_object_fresh(instance)).data
        return Response(data, headers={"ETag": etag_of(data)})

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with transaction.atomic():
            instance = self.get_locked_object()
            refused = self._stale(request, instance)
            if refused is not None:
                return refused
            self.perform_destroy(instance)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def get_object_fresh(self, instance: models.Model) -> models.Model:
        """Re-read after a write, so annotations (such as a derived status) are current."""
        self.lock_for_update = False
        return self.get_queryset().get(pk=instance.pk)
