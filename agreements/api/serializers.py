from rest_framework import serializers

from agreements.models import (
    Agreement,
    AgreementLink,
    AgreementParty,
    Clause,
    ClauseAccount,
    Party,
    PartyAlias,
    Topic,
)
from config.api.serializers import BriefRelatedField, ModelRulesSerializer

# The source model belongs to the tracker app; reach it through the relation, not an import.
SOURCE_MODEL = ClauseAccount._meta.get_field("source").related_model


class PartyAliasSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartyAlias
        fields = ["alias", "language", "note"]


class PartySerializer(ModelRulesSerializer):
    parent = BriefRelatedField(
        queryset=Party.objects.all(), brief=("key", "name_en"), required=False, allow_null=True
    )
    aliases = PartyAliasSerializer(many=True, read_only=True)

    class Meta:
        model = Party
        fields = ["id", "key", "name_en", "name_ar", "kind", "parent", "description", "aliases"]


class TopicSerializer(ModelRulesSerializer):
    class Meta:
        model = Topic
        fields = ["id", "code", "name_en", "name_ar", "parent", "description"]


class AgreementPartySerializer(ModelRulesSerializer):
    agreement = BriefRelatedField(queryset=Agreement.objects.all(), brief=("code",))
    party = BriefRelatedField(queryset=Party.objects.all(), brief=("key", "name_en"))
    # Read by anonymous users under API_PUBLIC_READ (config.api.viewsets): not the note.
    public_fields = ("id", "agreement", "party", "role")

    class Meta:
        model = AgreementParty
        fields = ["id", "agreement", "party", "role", "note"]


class AgreementSerializer(ModelRulesSerializer):
    party_roles = AgreementPartySerializer(many=True, read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "id",
            "code",
            "title_en",
            "title_ar",
            "signed_on",
            "signed_precision",
            "effective_on",
            "ended_on",
            "status",
            "stage",
            "place_en",
            "place_ar",
            "summary_en",
            "summary_ar",
            "text_reference",
            "is_published",
            "party_roles",
        ]


class AgreementAsOfSerializer(AgreementSerializer):
    """An agreement as recorded at a past moment, with its roles at that moment."""

    party_roles = AgreementPartySerializer(source="party_roles_then", many=True, read_only=True)


class AgreementLinkSerializer(ModelRulesSerializer):
    from_agreement = BriefRelatedField(queryset=Agreement.objects.all(), brief=("code",))
    to_agreement = BriefRelatedField(queryset=Agreement.objects.all(), brief=("code",))

    class Meta:
        model = AgreementLink
        fields = ["id", "from_agreement", "kind", "to_agreement", "note"]


class ClauseSerializer(ModelRulesSerializer):
    agreement = BriefRelatedField(queryset=Agreement.objects.all(), brief=("code",))
    topic = BriefRelatedField(queryset=Topic.objects.all(), brief=("code", "name_en"))
    parent = BriefRelatedField(
        queryset=Clause.objects.all(), brief=("key",), required=False, allow_null=True
    )

    class Meta:
        model = Clause
        fields = [
            "id",
            "agreement",
            "key",
            "label",
            "position",
            "parent",
            "topic",
            "summary_en",
            "summary_ar",
            "retired_on",
            "retired_reason",
        ]


class ClauseAccountSerializer(ModelRulesSerializer):
    clause = BriefRelatedField(queryset=Clause.objects.all(), brief=("key",))
    source = BriefRelatedField(
        queryset=SOURCE_MODEL.objects.all(), brief=("key", "publisher", "reliability")
    )

    class Meta:
        model = ClauseAccount
        fields = ["id", "clause", "source", "form", "text_en", "text_ar", "is_working_text", "note"]
