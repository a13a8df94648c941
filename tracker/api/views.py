"""API resources for what happened and what analysts judge."""

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import SearchFilter
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from agreements.models import Obligation, Source
from agreements.selectors import (
    DUE_FIELDS,
    obligation_records,
    obligations_as_of,
    with_due_date,
)
from config.api.etags import etag_of
from config.api.pagination import NewestFirstCursorPagination
from config.api.permissions import TokenAllowsMethod, is_public_read
from config.api.viewsets import ResourceViewSet
from history.api import AS_OF, AsOfMixin
from history.as_of import related_as_of
from history.moments import Moment
from tracker.api import filters, serializers
from tracker.api.incident_rows import incident_rows, incident_values
from tracker.api.renderers import AcledCsvRenderer, GeoJsonRenderer
from tracker.exports.acled import csv_chunks, geojson_chunks
from tracker.models import ApiToken, BreachClaim, ComplianceAssessment, Incident
from tracker.models.incidents import INCIDENT_SEARCH_FIELDS
from tracker.roles import has_role
from tracker.selectors import (
    LOOK_ALIKES_SHOWN,
    STATUS_FIELDS,
    incident_look_alikes,
    obligations_with_status,
)
from tracker.services import assessment_review


class SourceViewSet(ResourceViewSet):
    queryset = Source.objects.order_by("id")
    serializer_class = serializers.SourceSerializer
    filterset_class = filters.SourceFilter
    search_fields = ["key", "publisher", "title", "notes"]
    ordering_fields = ["id", "published_on", "publisher"]


VALID_ON = OpenApiParameter(
    "valid_on",
    OpenApiTypes.DATE,
    description=(
        "Valid time: the status that held in the world on this date (the latest standing "
        "judgement with valid_from on or before it). With as_of: what the tracker believed at "
        "that moment about this date."
    ),
)


@extend_schema_view(
    list=extend_schema(parameters=[AS_OF, VALID_ON]),
    retrieve=extend_schema(parameters=[AS_OF, VALID_ON]),
)
class ObligationViewSet(AsOfMixin, ResourceViewSet):
    queryset = (
        Obligation.objects.select_related("clause__agreement", "obligor", "beneficiary")
        .prefetch_related(Prefetch("depends_on", queryset=Obligation.objects.only("id")))
        .order_by("id")
    )
    serializer_class = serializers.ObligationSerializer
    filterset_class = filters.ObligationFilter
    params_class = serializers.ObligationTimeParams
    as_of_serializer_class = serializers.ObligationAsOfSerializer
    as_of_filterset_class = filters.ObligationAsOfFilter
    search_fields = ["key", "action_en", "action_ar", "note"]
    ordering_fields = ["id", "due_on", "current_valid_from"]
    public_read = True
    public_filter = Q(clause__agreement__is_published=True)
    # The analysts' working note and the id of a judgement (not public) stay private.
    public_fields = tuple(
        name
        for name in serializers.ObligationSerializer.Meta.fields
        if name not in {"note", "current_assessment"}
    )

    def get_queryset(self) -> QuerySet:
        return obligations_with_status(
            with_due_date(super().get_queryset()),
            on=self.time_params.get("valid_on"),
            known_at=self.as_of,
            # The public sees statuses from judgements a lead has approved, nothing pending.
            approved_only=is_public_read(self.request, self),
            # A page: each listed obligation's judgement looked up, not every obligation's. A
            # filter on the judgement keeps every obligation's decided at once: filtered on a
            # subquery per row, the planner expects a handful of rows and nests the count's
            # joins without an index (3 s at 5,000 obligations, against 0.4 s).
            per_row=not filters.STATUS_FILTERS.intersection(self.request.query_params),
        )

    def snapshots_as_of(self, at: Moment) -> QuerySet:
        # The deadline counts from the signature as it was recorded then.
        return with_due_date(
            obligations_as_of(at),
            signed_on=related_as_of(Obligation, at, "clause__agreement__signed_on"),
            signed_precision=related_as_of(Obligation, at, "clause__agreement__signed_precision"),
        )

    def records_from(self, snapshots: list, at: Moment) -> list[Obligation]:
        return obligation_records(snapshots, at, carry=(*STATUS_FIELDS, *DUE_FIELDS))


class AssessmentViewSet(ResourceViewSet):
    """Append-only: list, read and create; a correction is a new assessment that names the one
    it supersedes. Leads approve or reject through the review action."""

    queryset = (
        ComplianceAssessment.objects.select_related("obligation", "author", "reviewed_by")
        .prefetch_related("evidence_sources", "evidence_incidents")
        .order_by("id")
    )
    serializer_class = serializers.AssessmentSerializer
    filterset_class = filters.AssessmentFilter
    search_fields = ["rationale"]
    ordering_fields = ["id", "valid_from", "recorded_at"]
    http_method_names = ["get", "post", "head", "options"]
    extra_permissions = {"review": ("tracker.review_complianceassessment",)}

    @extend_schema(
        request=serializers.AssessmentReviewSerializer, responses=serializers.AssessmentSerializer
    )
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str | None = None) -> Response:
        """Approve or reject a judgement (leads). Rejecting needs a note."""
        review = serializers.AssessmentReviewSerializer(data=request.data)
        review.is_valid(raise_exception=True)
        assessment = assessment_review(
            assessment=self.get_object(),
            reviewer=request.user,
            state=review.validated_data["state"],
            note=review.validated_data["note"],
        )
        data = self.get_serializer(self.get_object_fresh(assessment)).data
        return Response(data, headers={"ETag": etag_of(data)})


class IncidentViewSet(ResourceViewSet):
    queryset = Incident.objects.prefetch_related(
        "actor_roles__party", "source_links__source"
    ).order_by("-occurred_on", "-id")
    serializer_class = serializers.IncidentSerializer
    filterset_class = filters.IncidentFilter
    pagination_class = NewestFirstCursorPagination
    # The cursor fixes the order (newest first); a client-chosen order would break it.
    filter_backends = [DjangoFilterBackend, SearchFilter]
    # q=: each word a case-insensitive substring of one of these, answered by their trigram
    # indexes (tracker/models/incidents.py).
    search_fields = list(INCIDENT_SEARCH_FIELDS)
    # ?format=csv (ACLED's columns and order) and ?format=geojson stream every incident the
    # filters select, unpaginated.
    renderer_classes = [*api_settings.DEFAULT_RENDERER_CLASSES, AcledCsvRenderer, GeoJsonRenderer]

    def perform_create(self, serializer: serializers.IncidentSerializer) -> None:
        super().perform_create(serializer)
        self.look_alikes = incident_look_alikes(serializer.instance)[:LOOK_ALIKES_SHOWN]

    def perform_update(self, serializer: serializers.IncidentSerializer) -> None:
        super().perform_update(serializer)
        self.look_alikes = incident_look_alikes(serializer.instance)[:LOOK_ALIKES_SHOWN]

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        """A write that saved an incident looking like one already recorded says so in a
        header (the body stays the incident, so its ETag is the one a GET gives)."""
        response = super().finalize_response(request, response, *args, **kwargs)
        look_alikes = getattr(self, "look_alikes", None)
        if look_alikes:
            response["Possible-Duplicates"] = ", ".join(
                reverse("incident-detail", args=[other.pk]) for other in look_alikes
            )
        return response

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        export = {"csv": (csv_chunks, "csv"), "geojson": (geojson_chunks, "geojson")}.get(
            request.accepted_renderer.format
        )
        if export is None:
            # Plain rows, not instances through the serializer (tracker/api/incident_rows.py).
            page = self.paginate_queryset(
                incident_values(self.filter_queryset(self.get_queryset()))
            )
            return self.get_paginated_response(incident_rows(page))
        chunks, extension = export
        incidents = self.filter_queryset(self.get_queryset())
        response = StreamingHttpResponse(
            (piece.encode("utf-8") for piece in chunks(incidents)),
            content_type=f"{request.accepted_renderer.media_type}; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="incidents.{extension}"'
        return response


class BreachClaimViewSet(ResourceViewSet):
    queryset = BreachClaim.objects.select_related(
        "incident", "obligation", "claimant", "created_by"
    ).order_by("id")
    serializer_class = serializers.BreachClaimSerializer
    filterset_class = filters.BreachClaimFilter
    search_fields = ["rationale"]
    ordering_fields = ["id", "created_at"]


class HoldsARole(permissions.BasePermission):
    """Tokens are for users with a role: a token of a user with none would open nothing."""

    message = "You have no role: ask an admin for one."

    def has_permission(self, request: Request, view: Any) -> bool:
        return has_role(request.user)


class NotMadeByToken(permissions.BasePermission):
    """Tokens are made in a session signed in with a password (or by an admin, in the admin or
    with issue_api_token), never with another token: a leaked token cannot breed tokens that
    outlive its revocation."""

    message = "Create tokens while signed in with your password, not with a token."

    def has_permission(self, request: Request, view: Any) -> bool:
        return not (view.action == "create" and isinstance(request.auth, ApiToken))


class ApiTokenViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your API tokens. A new token's secret is in the creation response only; revoking keeps
    the record (with its revocation time) so the audit trail can still name it."""

    serializer_class = serializers.ApiTokenSerializer
    permission_classes = [
        permissions.IsAuthenticated,
        HoldsARole,
        TokenAllowsMethod,
        NotMadeByToken,
    ]
    filterset_class = None
    search_fields: list[str] = []

    def get_queryset(self) -> QuerySet[ApiToken]:
        tokens = ApiToken.objects.select_related("user").order_by("-id")
        # Admins (who may change users) see and revoke everyone's tokens.
        if self.request.user.has_perm("auth.change_user"):
            return tokens
        return tokens.filter(user=self.request.user)

    @extend_schema(responses={201: serializers.IssuedApiTokenSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, raw = ApiToken.issue(
            user=request.user,
            name=serializer.validated_data["name"],
            expires_at=serializer.validated_data.get("expires_at"),
            read_only=serializer.validated_data.get("read_only", False),
        )
        data = serializers.IssuedApiTokenSerializer(token).data | {"token": raw}
        return Response(data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, token: ApiToken) -> None:
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
