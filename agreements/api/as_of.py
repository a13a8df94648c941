"""``?as_of=<timestamp>``: read a resource as the tracker recorded it at a past moment.

Lists and details answer from the history tables (agreements.selectors): filters, search,
ordering and pagination run on the recorded values, and related records (brief objects,
nested roles, prerequisites) are read as of the same moment. Past states are read-only.
"""

import datetime
from typing import Any

from django.db import models
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated, ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request

AS_OF = OpenApiParameter(
    "as_of",
    OpenApiTypes.DATETIME,
    description=(
        "Transaction time: answer with what the tracker had recorded at this moment (ISO 8601, "
        "e.g. 2026-01-05T12:00:00Z; without an offset it is read in the server's TIME_ZONE). "
        "Rows created later are absent, rows deleted later are present, edits made later are "
        "undone. Not in the future; GET only."
    ),
)


class AsOfParams(serializers.Serializer):
    as_of = serializers.DateTimeField(required=False)

    def validate_as_of(self, value: datetime.datetime) -> datetime.datetime:
        if value > timezone.now():
            raise serializers.ValidationError(
                "This moment has not come yet; the tracker can only say what it has recorded."
            )
        return value


class AsOfMixin:
    """Adds ``as_of`` (and whatever else ``params_class`` declares) to a ResourceViewSet.

    Subclasses say how to read the past: ``snapshots_as_of(at)`` gives the filterable queryset
    over the history table, ``records_from(snapshots, at)`` turns a page of it into model
    instances; ``as_of_filterset_class`` and ``as_of_serializer_class`` are the filter set and
    serializer for those (the serializer defaults to the live one).
    """

    params_class: type[serializers.Serializer] = AsOfParams
    as_of_filterset_class: type
    as_of_serializer_class: type[serializers.Serializer] | None = None
    # Read by get_queryset even when initial() has not run (schema generation).
    as_of: datetime.datetime | None = None
    time_params: dict[str, Any] = {}  # replaced, never mutated, per request

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        params = self.params_class(data=request.query_params)
        params.is_valid(raise_exception=True)
        self.time_params = dict(params.validated_data)
        if self.time_params and request.method not in SAFE_METHODS:
            refusal = "Only reads can look at another time; send the write without this."
            raise ValidationError({name: refusal for name in self.time_params})
        self.as_of = self.time_params.get("as_of")
        if self.as_of is not None:
            # Public readers see published records only, and history could show them records
            # that were published once and are not now.
            if not request.user.is_authenticated:
                raise NotAuthenticated("Sign in to read past states (as_of).")
            self.filterset_class = self.as_of_filterset_class

    def snapshots_as_of(self, at: datetime.datetime) -> models.QuerySet:
        raise NotImplementedError

    def records_from(self, snapshots: list[Any], at: datetime.datetime) -> list[models.Model]:
        raise NotImplementedError

    def get_queryset(self) -> models.QuerySet:
        if self.as_of is None:
            return super().get_queryset()
        return self.snapshots_as_of(self.as_of)

    def get_serializer_class(self) -> type[serializers.Serializer]:
        if self.as_of is not None and self.as_of_serializer_class is not None:
            return self.as_of_serializer_class
        return super().get_serializer_class()

    def paginate_queryset(self, queryset: models.QuerySet) -> list[Any] | None:
        # Every list is paginated (StandardPagination), so the page is where snapshots become
        # records: only the rows shown pay for their related lookups.
        page = super().paginate_queryset(queryset)
        if self.as_of is None:
            return page
        return self.records_from(page, self.as_of)

    def get_object(self) -> models.Model:
        if self.as_of is None:
            return super().get_object()
        lookup = self.lookup_url_kwarg or self.lookup_field
        snapshot = get_object_or_404(
            self.filter_queryset(self.get_queryset()), id=self.kwargs[lookup]
        )
        (record,) = self.records_from([snapshot], self.as_of)
        self.check_object_permissions(self.request, record)
        return record
