"""The audit trail over the API.

``GET /api/v1/<resource>/{id}/history/``: one record's history (with its children's), for
anyone who may read that resource. ``GET /api/v1/audit/``: the whole trail, filtered, for
leads and admins only, as JSON pages or streamed as CSV (one row per event, its changes as
a JSON column).
"""

import csv
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, serializers
from rest_framework.exceptions import NotFound
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from history.context import CHANNELS
from history.readers import (
    AuditFilters,
    HistoryEntry,
    audit_events,
    audited_models,
    history_of,
)
from tracker.roles import AUDIT_PERMISSION

CSV_COLUMNS = (
    "seq",
    "at",
    "action",
    "model",
    "object_id",
    "object",
    "who",
    "user_id",
    "channel",
    "reason",
    "request_id",
    "changes",
)


class ChangeSerializer(serializers.Serializer):
    before = serializers.JSONField(allow_null=True, help_text="Empty for a creation.")
    after = serializers.JSONField(allow_null=True, help_text="Empty for a deletion.")


class HistoryEntrySerializer(serializers.Serializer):
    seq = serializers.IntegerField(allow_null=True, help_text="Place in the whole trail.")
    at = serializers.DateTimeField()
    action = serializers.ChoiceField(choices=["insert", "update", "delete"])
    model = serializers.CharField(source="model_label", help_text='e.g. "agreements.Clause"')
    object_id = serializers.IntegerField()
    object = serializers.CharField(source="object_str")
    who = serializers.CharField(help_text='Username, "manage.py <command>" or "system".')
    user_id = serializers.IntegerField(allow_null=True)
    channel = serializers.CharField(allow_null=True, help_text=", ".join(CHANNELS))
    reason = serializers.CharField(allow_blank=True)
    request_id = serializers.CharField(allow_null=True)
    changes = serializers.DictField(
        child=ChangeSerializer(),
        source="change_pairs",
        help_text="Field -> its value before and after; foreign keys as ids, choices as "
        "their stored values.",
    )
    readable_changes = serializers.DictField(
        child=serializers.DictField(),
        source="readable_pairs",
        help_text="The same changes as a reader sees them, in the request's language "
        "(Accept-Language): field -> its label, and its value before and after, with related "
        "records by name and choices by label.",
    )


class ObjectHistoryView(generics.GenericAPIView):
    """The record's changes, newest first: who, when, through which channel, why, and each
    field's value before and after. A clause's history includes its obligations', accounts'
    and dependencies'; an agreement's its clauses', party roles' and links'; an obligation's
    its dependencies', assessments' and breach claims'; an incident's its actors', sources'
    and breach claims'. A deleted record's history is still served."""

    model: type[models.Model] | None = None  # one route per resource: as_view(model=...)
    serializer_class = HistoryEntrySerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> models.QuerySet:
        # RolePermission reads the model from here: history needs the view permission.
        return self.model._default_manager.all()

    @extend_schema(
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
        responses=HistoryEntrySerializer(many=True),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        pk = int(self.kwargs["id"])
        entries = history_of(self.model, pk)
        if not entries and not self.get_queryset().filter(pk=pk).exists():
            raise NotFound(f"No {self.model._meta.verbose_name} #{pk}, and no history of one.")
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class AuditQuerySerializer(serializers.Serializer):
    user = serializers.CharField(required=False, help_text="A username, or a user id.")
    model = serializers.CharField(
        required=False,
        help_text='A model label, e.g. "agreements.Obligation", or its name ("obligation").',
    )
    object = serializers.IntegerField(
        required=False, min_value=1, help_text="The changed record's id (best with model)."
    )
    channel = serializers.ChoiceField(choices=CHANNELS, required=False)
    request_id = serializers.CharField(required=False)
    after = serializers.DateTimeField(
        required=False, help_text="At or after this time (ISO 8601; a date means its start)."
    )
    before = serializers.DateTimeField(required=False, help_text="Strictly before this time.")

    def validate_model(self, value: str) -> type[models.Model]:
        wanted = value.strip().lower()
        for model in audited_models():
            if wanted in (model._meta.label_lower, model._meta.model_name):
                return model
        raise serializers.ValidationError(f"No audited model is called {value!r}.")

    def filters(self) -> AuditFilters:
        data = self.validated_data
        return AuditFilters(
            user=data.get("user"),
            models=(data["model"],) if "model" in data else (),
            object_id=data.get("object"),
            channel=data.get("channel"),
            request_id=data.get("request_id"),
            after=data.get("after"),
            before=data.get("before"),
        )


class CanReadAuditTrail(permissions.BasePermission):
    message = "The audit trail is open to leads and admins."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(AUDIT_PERMISSION))


class CSVRenderer(BaseRenderer):
    """Writes entries as CSV; the audit view streams it rather than rendering a page."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def lines(self, entries: Iterable[HistoryEntry]) -> Iterator[str]:
        line = _Line()
        writer = csv.writer(line)
        yield writer.writerow(CSV_COLUMNS)
        for entry in entries:
            yield writer.writerow(
                [
                    entry.seq,
                    entry.at.isoformat(),
                    entry.action,
                    entry.model_label,
                    entry.object_id,
                    entry.object_str,
                    entry.who,
                    entry.user_id,
                    entry.channel,
                    entry.reason,
                    entry.request_id,
                    json.dumps(entry.change_pairs, cls=DjangoJSONEncoder, ensure_ascii=False),
                ]
            )

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context=None):
        return "".join(self.lines(data))


class _Line:
    """A file-like object that hands back what csv.writer writes, one row at a time."""

    def write(self, text: str) -> str:
        return text


class AuditTrailView(generics.GenericAPIView):
    """Every change to every record, newest first, for leads and admins. Filter by user,
    model, object, channel, request_id and time (after/before). ``?format=csv`` or
    ``Accept: text/csv`` streams every matching event as CSV (no pagination): one row per
    event, with its field changes as JSON in the ``changes`` column."""

    permission_classes = [CanReadAuditTrail]
    serializer_class = HistoryEntrySerializer
    filter_backends: list[Any] = []
    renderer_classes = [*api_settings.DEFAULT_RENDERER_CLASSES, CSVRenderer]

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        # Errors keep the API's JSON shape even when CSV was asked for.
        if isinstance(response, Response) and response.exception:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    @extend_schema(
        parameters=[
            AuditQuerySerializer,
            OpenApiParameter("format", str, enum=["json", "csv"], description="csv: stream"),
        ],
        responses={
            (200, "application/json"): HistoryEntrySerializer(many=True),
            (200, "text/csv"): OpenApiTypes.STR,
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        query = AuditQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        trail = audit_events(query.filters())
        if isinstance(request.accepted_renderer, CSVRenderer):
            response = StreamingHttpResponse(
                request.accepted_renderer.lines(trail), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = 'attachment; filename="audit-trail.csv"'
            return response
        page = self.paginate_queryset(trail)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
