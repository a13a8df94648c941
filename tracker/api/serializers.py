import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework import serializers

from agreements.models import Clause, Obligation, Party, Source
from agreements.services import obligation_set_prerequisites
from config.api.serializers import BriefRelatedField, ModelRulesSerializer
from history.api import AsOfParams
from tracker.choices import ReviewState
from tracker.models import (
    ApiToken,
    BreachClaim,
    ComplianceAssessment,
    Incident,
    IncidentActor,
    IncidentSource,
)
from tracker.services import assessment_record, incident_save

User = get_user_model()


class SourceSerializer(ModelRulesSerializer):
    class Meta:
        model = Source
        fields = [
            "id",
            "key",
            "publisher",
            "title",
            "url",
            "language",
            "published_on",
            "published_precision",
            "accessed_on",
            "reliability",
            "notes",
        ]


class ObligationSerializer(ModelRulesSerializer):
    """An obligation with its derived status: the latest standing assessment's judgement."""

    clause = BriefRelatedField(queryset=Clause.objects.all(), brief=("key",))
    agreement = serializers.CharField(source="clause.agreement.code", read_only=True)
    obligor = BriefRelatedField(queryset=Party.objects.all(), brief=("key", "name_en"))
    beneficiary = BriefRelatedField(
        queryset=Party.objects.all(), brief=("key", "name_en"), required=False, allow_null=True
    )
    depends_on = serializers.PrimaryKeyRelatedField(
        queryset=Obligation.objects.all(),
        many=True,
        required=False,
        help_text="ids of the obligations that must be met first (same agreement, no cycles)",
    )
    due_date = serializers.SerializerMethodField()
    current_status = serializers.CharField(read_only=True, allow_null=True)
    current_level = serializers.IntegerField(read_only=True, allow_null=True)
    current_valid_from = serializers.DateField(read_only=True, allow_null=True)
    current_assessment = serializers.IntegerField(
        source="current_assessment_id", read_only=True, allow_null=True
    )

    class Meta:
        model = Obligation
        fields = [
            "id",
            "agreement",
            "clause",
            "key",
            "obligor",
            "beneficiary",
            "modality",
            "action_en",
            "action_ar",
            "due_on",
            "due_precision",
            "due_days_after_signature",
            "due_date",
            "depends_on",
            "note",
            "current_status",
            "current_level",
            "current_valid_from",
            "current_assessment",
        ]

    def get_due_date(self, obligation: Obligation) -> dict[str, Any] | None:
        """The deadline resolved to a date (relative deadlines counted from signature)."""
        # Annotated by agreements.selectors.with_due_date, the one place the rule lives.
        date, precision = obligation.due_date, obligation.due_date_precision
        return None if date is None else {"date": date.isoformat(), "precision": precision}

    def create(self, validated: dict[str, Any]) -> Obligation:
        prerequisites = validated.pop("depends_on", [])
        obligation = super().create(validated)
        obligation_set_prerequisites(obligation=obligation, prerequisites=prerequisites)
        return obligation

    def update(self, obligation: Obligation, validated: dict[str, Any]) -> Obligation:
        prerequisites = validated.pop("depends_on", None)
        obligation = super().update(obligation, validated)
        if prerequisites is not None:
            obligation_set_prerequisites(obligation=obligation, prerequisites=prerequisites)
        return obligation


class ObligationAsOfSerializer(ObligationSerializer):
    """An obligation as recorded at a past moment, with its prerequisites at that moment."""

    depends_on = serializers.ListField(
        source="depends_on_then", child=serializers.IntegerField(), read_only=True
    )


class ObligationTimeParams(AsOfParams):
    valid_on = serializers.DateField(required=False)


class AssessmentSerializer(ModelRulesSerializer):
    """A judgement. Created once, never edited: a correction names the one it supersedes."""

    obligation = BriefRelatedField(queryset=Obligation.objects.all(), brief=("key",))
    author = serializers.CharField(source="author.username", read_only=True, allow_null=True)
    reviewed_by = serializers.CharField(
        source="reviewed_by.username", read_only=True, allow_null=True
    )
    evidence_sources = serializers.PrimaryKeyRelatedField(
        queryset=Source.objects.all(), many=True, required=False
    )
    evidence_incidents = serializers.PrimaryKeyRelatedField(
        queryset=Incident.objects.all(), many=True, required=False
    )

    class Meta:
        model = ComplianceAssessment
        fields = [
            "id",
            "obligation",
            "status",
            "level",
            "valid_from",
            "valid_from_precision",
            "rationale",
            "evidence_sources",
            "evidence_incidents",
            "supersedes",
            "author",
            "recorded_at",
            "review_state",
            "reviewed_by",
            "reviewed_at",
            "review_note",
        ]
        read_only_fields = ["recorded_at", "review_state", "reviewed_at", "review_note"]

    def create(self, validated: dict[str, Any]) -> ComplianceAssessment:
        return assessment_record(author=self.context["request"].user, **validated)


class AssessmentReviewSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=[ReviewState.APPROVED, ReviewState.REJECTED])
    note = serializers.CharField(required=False, allow_blank=True, default="")


class IncidentActorSerializer(serializers.ModelSerializer):
    party = BriefRelatedField(
        queryset=Party.objects.all(), brief=("key", "name_en"), required=False, allow_null=True
    )

    class Meta:
        model = IncidentActor
        fields = ["party", "name_as_reported", "side", "is_associate"]


class IncidentSourceSerializer(serializers.ModelSerializer):
    source = BriefRelatedField(queryset=Source.objects.all(), brief=("key", "publisher"))

    class Meta:
        model = IncidentSource
        fields = ["source", "credibility", "excerpt"]


class IncidentSerializer(ModelRulesSerializer):
    actors = IncidentActorSerializer(source="actor_roles", many=True, required=False)
    sources = IncidentSourceSerializer(source="source_links", many=True, required=False)

    class Meta:
        model = Incident
        fields = [
            "id",
            "key",
            "acled_event_id",
            "occurred_on",
            "date_precision",
            "ended_on",
            "event_type",
            "sub_event_type",
            "country",
            "admin1",
            "admin2",
            "admin3",
            "location",
            "latitude",
            "longitude",
            "geo_precision",
            "fatalities",
            "description_en",
            "description_ar",
            "verification",
            "actors",
            "sources",
            # ACLED's other columns (see the README's column mapping)
            "disorder_type",
            "inter1",
            "inter2",
            "interaction",
            "civilian_targeting",
            "iso",
            "region",
            "source_scale",
            "tags",
            "acled_timestamp",
            "acled_withdrawn_at",
        ]

    def _save(self, incident: Incident, validated: dict[str, Any]) -> Incident:
        actors = validated.pop("actor_roles", None)
        sources = validated.pop("source_links", None)
        for name, value in validated.items():
            setattr(incident, name, value)
        return incident_save(incident=incident, actors=actors, sources=sources)

    def create(self, validated: dict[str, Any]) -> Incident:
        return self._save(Incident(), validated)

    def update(self, incident: Incident, validated: dict[str, Any]) -> Incident:
        return self._save(incident, validated)


class BreachClaimSerializer(ModelRulesSerializer):
    incident = BriefRelatedField(queryset=Incident.objects.all(), brief=("key",))
    obligation = BriefRelatedField(queryset=Obligation.objects.all(), brief=("key",))
    claimant = BriefRelatedField(
        queryset=Party.objects.all(), brief=("key", "name_en"), required=False, allow_null=True
    )
    created_by = serializers.CharField(
        source="created_by.username", read_only=True, allow_null=True
    )

    class Meta:
        model = BreachClaim
        fields = [
            "id",
            "incident",
            "obligation",
            "state",
            "claimant",
            "rationale",
            "created_by",
            "created_at",
            "updated_at",
        ]

    def create(self, validated: dict[str, Any]) -> BreachClaim:
        return super().create({**validated, "created_by": self.context["request"].user})


class ApiTokenSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "key_prefix",
            "user",
            "created_at",
            "last_used_at",
            "revoked_at",
            "expires_at",
            "read_only",
        ]
        read_only_fields = ["key_prefix", "created_at", "last_used_at", "revoked_at"]

    def validate_expires_at(self, value: datetime.datetime | None) -> datetime.datetime | None:
        if value is not None and value <= timezone.now():
            raise serializers.ValidationError("Give a moment in the future, or leave it empty.")
        return value


class IssuedApiTokenSerializer(ApiTokenSerializer):
    token = serializers.CharField(read_only=True, help_text="Shown only in this response.")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "token"]
