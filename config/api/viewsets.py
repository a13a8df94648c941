"""The one base every API resource uses: permissions by role, ETags, pagination, filters."""

from typing import Any

from django.db import models, transaction
from rest_framework import viewsets
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from config.api.etags import ETagMixin, etag_of
from config.api.permissions import is_public_read


class ResourceViewSet(ETagMixin, viewsets.ModelViewSet):
    """A model resource. Subclasses set queryset, serializer_class and filterset_class.

    ``public_read`` opens safe requests to anonymous users when API_PUBLIC_READ is on;
    they then see only rows matching ``public_filter``.
    """

    public_read = False
    public_filter: models.Q | None = None
    extra_permissions: dict[str, tuple[str, ...]] = {}

    def check_permissions(self, request: Request) -> None:
        # A method the resource does not offer (deleting a clause, editing a judgement) is
        # 405 for every signed-in user, whatever their role, so clients learn it is by design.
        offered = request.method.lower() in self.http_method_names
        if not offered and request.user and request.user.is_authenticated:
            raise MethodNotAllowed(request.method)
        super().check_permissions(request)

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
