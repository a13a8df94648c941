"""Filters analysts ask for on the tracker resources (django-filter)."""

import django_filters as filters
from django.db.models import Exists, OuterRef, QuerySet

from agreements.models import Obligation, Source
from history.as_of import event_model
from tracker.choices import ComplianceStatus, ImplementationLevel
from tracker.models import (
    BreachClaim,
    ComplianceAssessment,
    Incident,
    IncidentActor,
    IncidentSource,
)


class SourceFilter(filters.FilterSet):
    published_after = filters.DateFilter(field_name="published_on", lookup_expr="gte")
    published_before = filters.DateFilter(field_name="published_on", lookup_expr="lte")

    class Meta:
        model = Source
        fields = ["reliability", "language", "publisher"]


# The ObligationFilter filters on the derived judgement.
STATUS_FILTERS = frozenset({"status", "level", "unassessed"})


class ObligationFilter(filters.FilterSet):
    """``status`` and ``level`` filter on the derived current judgement."""

    agreement = filters.CharFilter(field_name="clause__agreement__code")
    clause = filters.NumberFilter(field_name="clause")
    topic = filters.CharFilter(field_name="clause__topic__code")
    obligor = filters.CharFilter(field_name="obligor__key")
    beneficiary = filters.CharFilter(field_name="beneficiary__key")
    status = filters.ChoiceFilter(field_name="current_status", choices=ComplianceStatus.choices)
    level = filters.ChoiceFilter(field_name="current_level", choices=ImplementationLevel.choices)
    unassessed = filters.BooleanFilter(field_name="current_status", lookup_expr="isnull")
    due_after = filters.DateFilter(field_name="due_on", lookup_expr="gte")
    due_before = filters.DateFilter(field_name="due_on", lookup_expr="lte")

    class Meta:
        model = Obligation
        fields = ["modality"]


class ObligationAsOfFilter(ObligationFilter):
    """The same filters over obligations as recorded at ``as_of``; ``status`` and ``level``
    use the status derived from what was known then. Filters through a related record
    (agreement, topic, obligor, beneficiary) match the code or key it has now."""

    class Meta(ObligationFilter.Meta):
        model = event_model(Obligation)


class AssessmentFilter(filters.FilterSet):
    agreement = filters.CharFilter(field_name="obligation__clause__agreement__code")
    obligor = filters.CharFilter(field_name="obligation__obligor__key")
    valid_from_after = filters.DateFilter(field_name="valid_from", lookup_expr="gte")
    valid_from_before = filters.DateFilter(field_name="valid_from", lookup_expr="lte")
    author = filters.CharFilter(field_name="author__username")

    class Meta:
        model = ComplianceAssessment
        fields = ["obligation", "status", "level", "review_state"]


def _having(model: type, link: str, **lookup: str) -> Exists:
    """EXISTS (a row of ``model`` for this incident matching ``lookup``): a semi-join, so an
    incident shows once without a DISTINCT over the whole join."""
    return Exists(model.objects.filter(**{link: OuterRef("pk")}, **lookup))


class IncidentFilter(filters.FilterSet):
    occurred_after = filters.DateFilter(field_name="occurred_on", lookup_expr="gte")
    occurred_before = filters.DateFilter(field_name="occurred_on", lookup_expr="lte")
    actor = filters.CharFilter(
        method="filter_actor", help_text="Key of a party among the incident's actors."
    )
    agreement = filters.CharFilter(
        method="filter_agreement",
        help_text="Code of an agreement the incident is claimed to breach.",
    )
    source = filters.CharFilter(method="filter_source", help_text="Key of a source reporting it.")

    class Meta:
        model = Incident
        fields = ["event_type", "sub_event_type", "verification", "admin1", "admin2", "country"]

    def filter_actor(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(_having(IncidentActor, "incident", party__key=value))

    def filter_agreement(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            _having(BreachClaim, "incident", obligation__clause__agreement__code=value)
        )

    def filter_source(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(_having(IncidentSource, "incident", source__key=value))


class BreachClaimFilter(filters.FilterSet):
    agreement = filters.CharFilter(field_name="obligation__clause__agreement__code")
    obligor = filters.CharFilter(field_name="obligation__obligor__key")
    claimant = filters.CharFilter(field_name="claimant__key")
    incident_after = filters.DateFilter(field_name="incident__occurred_on", lookup_expr="gte")
    incident_before = filters.DateFilter(field_name="incident__occurred_on", lookup_expr="lte")

    class Meta:
        model = BreachClaim
        fields = ["state", "incident", "obligation"]
