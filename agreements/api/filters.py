"""Filters analysts ask for on the agreements resources (django-filter)."""

import django_filters as filters

from agreements.models import Agreement, AgreementLink, AgreementParty, Clause, ClauseAccount, Party
from history.as_of import event_model, snapshots_as_of


class PartyFilter(filters.FilterSet):
    agreement = filters.CharFilter(
        field_name="agreements__code",
        distinct=True,
        help_text="Agreement code the party has a role in.",
    )

    class Meta:
        model = Party
        fields = ["kind", "parent"]


class AgreementFilter(filters.FilterSet):
    signed_after = filters.DateFilter(field_name="signed_on", lookup_expr="gte")
    signed_before = filters.DateFilter(field_name="signed_on", lookup_expr="lte")
    party = filters.CharFilter(
        field_name="parties__key",
        distinct=True,
        help_text="Key of a party with any role in the agreement.",
    )

    class Meta:
        model = Agreement
        fields = ["status", "stage", "is_published"]


class AgreementAsOfFilter(AgreementFilter):
    """The same filters over agreements as recorded at ``as_of`` (their history snapshots)."""

    party = filters.CharFilter(
        method="with_party_then",
        help_text="Key of a party with any role in the agreement.",
    )

    class Meta(AgreementFilter.Meta):
        model = event_model(Agreement)

    def with_party_then(self, queryset, name, value):
        # Roles as recorded at the same moment as the agreements.
        at = self.request.parser_context["view"].as_of
        roles = snapshots_as_of(AgreementParty, at).filter(party__key=value)
        return queryset.filter(id__in=roles.values("agreement_id"))


class AgreementPartyFilter(filters.FilterSet):
    agreement = filters.CharFilter(field_name="agreement__code")
    party = filters.CharFilter(field_name="party__key")

    class Meta:
        model = AgreementParty
        fields = ["role"]


class AgreementLinkFilter(filters.FilterSet):
    agreement = filters.CharFilter(method="involving", help_text="Code of either agreement.")

    class Meta:
        model = AgreementLink
        fields = ["kind"]

    def involving(self, queryset, name, value):
        return queryset.filter(from_agreement__code=value) | queryset.filter(
            to_agreement__code=value
        )


class ClauseFilter(filters.FilterSet):
    agreement = filters.CharFilter(field_name="agreement__code")
    topic = filters.CharFilter(field_name="topic__code")
    retired = filters.BooleanFilter(field_name="retired_on", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Clause
        fields = ["key"]


class ClauseAsOfFilter(ClauseFilter):
    """The same filters over clauses as recorded at ``as_of``. ``agreement`` and ``topic`` match
    the code those records have now (codes are stable identifiers)."""

    class Meta(ClauseFilter.Meta):
        model = event_model(Clause)


class ClauseAccountFilter(filters.FilterSet):
    agreement = filters.CharFilter(field_name="clause__agreement__code")
    source = filters.CharFilter(field_name="source__key")

    class Meta:
        model = ClauseAccount
        fields = ["clause", "form", "is_working_text"]
