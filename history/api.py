"""``?as_of=<timestamp>``: read a resource as the tracker recorded it at a past moment.

Lists and details answer from the history tables (history.as_of): filters, search,
ordering and pagination run on the recorded values, and related records (brief objects,
nested roles, prerequisites) are read as of the same moment. Past states are read-only.
"""

import datetime
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated, ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request

from history.moments import FutureMoment, Moment, end_of_day, moment_at

AS_OF = OpenApiParameter(
    "as_of",
    OpenApiTypes.DATETIME,
    description=(
        "Transaction time: answer with what the tracker had recorded at this moment (ISO 8601, "
        "e.g. 2026-01-05T12:00:00Z; without an offset it is read as UTC; a "
        "bare date means the end of that day, UTC). A change is known from the moment its "
        "transaction committed. "
        "Rows created later are absent, rows deleted later are present, edits made later are "
        "undone. Not in the future; GET only."
    ),
)


@extend_schema_field(OpenApiTypes.DATETIME)
class MomentField(serializers.Field):
    """A moment of transaction time (history.moments), read from an ISO 8601 time or a bare
    date, which means the end of that day, UTC (a bare date of today means now). Never in the
    future. Its representation is the moment's time, in full, so that passing it back gives
    the same moment."""

    default_error_messages = {
        "invalid": _("'{value}' is not a time like 2021-09-05T18:00:00Z or a date."),
        "future": _("Cannot be in the future: nothing is known yet."),
    }

    def to_internal_value(self, data: Any) -> Moment:
        if isinstance(data, Moment):  # a default already resolved
            return data
        raw = str(data).strip()
        try:
            # Any ISO 8601 date alone (2021-09-06, 20210906) is a day; anything longer a time.
            day = datetime.date.fromisoformat(raw) if len(raw) <= 10 else None
        except ValueError:
            day = None
        try:
            at = None if day else parse_datetime(raw)
        except ValueError:  # well formed, but no such day or hour (2021-02-30T25:00)
            at = None
        if day is None and at is None:
            self.fail("invalid", value=raw)
        try:
            if day is not None:
                today = timezone.now().astimezone(datetime.UTC).date()
                if day > today:
                    self.fail("future")
                return moment_at(end_of_day(day), clamp=day == today)
            if timezone.is_naive(at):
                at = at.replace(tzinfo=datetime.UTC)
            return moment_at(at.astimezone(datetime.UTC))
        except FutureMoment:
            self.fail("future")

    def to_representation(self, value: Moment) -> str:
        return value.at.isoformat()


class AsOfParams(serializers.Serializer):
    as_of = MomentField(required=False)


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
    as_of: Moment | None = None
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

    def snapshots_as_of(self, at: Moment) -> models.QuerySet:
        raise NotImplementedError

    def records_from(self, snapshots: list[Any], at: Moment) -> list[models.Model]:
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
