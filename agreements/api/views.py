"""API resources for what was promised. Thin: querysets, serializers and filters."""


from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view

from agreements import selectors
from agreements.api import filters, serializers
from agreements.models import (
    Agreement,
    AgreementLink,
    AgreementParty,
    Clause,
    ClauseAccount,
    Party,
    Topic,
)
from config.api.viewsets import ResourceViewSet
from history.api import AS_OF, AsOfMixin
from history.moments import Moment


class PartyViewSet(ResourceViewSet):
    queryset = Party.objects.select_related("parent").prefetch_related("aliases").order_by("id")
    serializer_class = serializers.PartySerializer
    filterset_class = filters.PartyFilter
    search_fields = ["key", "name_en", "name_ar", "aliases__alias"]
    ordering_fields = ["id", "name_en", "key"]


class TopicViewSet(ResourceViewSet):
    queryset = Topic.objects.order_by("id")
    serializer_class = serializers.TopicSerializer
    search_fields = ["code", "name_en", "name_ar"]
    ordering_fields = ["id", "code"]


@extend_schema_view(
    list=extend_schema(parameters=[AS_OF]), retrieve=extend_schema(parameters=[AS_OF])
)
class AgreementViewSet(AsOfMixin, ResourceViewSet):
    queryset = Agreement.objects.prefetch_related("party_roles__party").order_by("id")
    serializer_class = serializers.AgreementSerializer
    filterset_class = filters.AgreementFilter
    as_of_serializer_class = serializers.AgreementAsOfSerializer
    as_of_filterset_class = filters.AgreementAsOfFilter
    search_fields = ["code", "title_en", "title_ar", "summary_en", "summary_ar"]
    ordering_fields = ["id", "signed_on", "code"]
    public_read = True
    public_filter = Q(is_published=True)

    def snapshots_as_of(self, at: Moment) -> QuerySet:
        return selectors.agreements_as_of(at)

    def records_from(self, snapshots: list, at: Moment) -> list[Agreement]:
        return selectors.agreement_records(snapshots, at)


class AgreementPartyViewSet(ResourceViewSet):
    queryset = AgreementParty.objects.select_related("agreement", "party").order_by("id")
    serializer_class = serializers.AgreementPartySerializer
    filterset_class = filters.AgreementPartyFilter
    ordering_fields = ["id"]


class AgreementLinkViewSet(ResourceViewSet):
    queryset = AgreementLink.objects.select_related("from_agreement", "to_agreement").order_by("id")
    serializer_class = serializers.AgreementLinkSerializer
    filterset_class = filters.AgreementLinkFilter
    ordering_fields = ["id"]


@extend_schema_view(
    list=extend_schema(parameters=[AS_OF]), retrieve=extend_schema(parameters=[AS_OF])
)
class ClauseViewSet(AsOfMixin, ResourceViewSet):
    """Clauses are retired (set retired_on and retired_reason), never deleted."""

    queryset = Clause.objects.select_related("agreement", "topic", "parent").order_by(
        "agreement_id", "position", "id"
    )
    serializer_class = serializers.ClauseSerializer
    filterset_class = filters.ClauseFilter
    as_of_filterset_class = filters.ClauseAsOfFilter
    search_fields = ["key", "label", "summary_en", "summary_ar"]
    ordering_fields = ["id", "position"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    public_read = True
    public_filter = Q(agreement__is_published=True)

    def snapshots_as_of(self, at: Moment) -> QuerySet:
        return selectors.clauses_as_of(at)

    def records_from(self, snapshots: list, at: Moment) -> list[Clause]:
        return selectors.clause_records(snapshots, at)


class ClauseAccountViewSet(ResourceViewSet):
    queryset = ClauseAccount.objects.select_related("clause", "source").order_by("id")
    serializer_class = serializers.ClauseAccountSerializer
    filterset_class = filters.ClauseAccountFilter
    search_fields = ["text_en", "text_ar", "note"]
    ordering_fields = ["id"]
