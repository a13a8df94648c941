"""Serializer building blocks: brief related objects, and the model's own rules on every write."""

import copy
import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils import timezone
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers


class BriefRelatedField(serializers.PrimaryKeyRelatedField):
    """Written as an id; read as a small object (id plus identifying fields).

    The viewset must select_related the relation, or each row costs a query.
    """

    def __init__(self, *, brief: tuple[str, ...] = (), **kwargs: Any) -> None:
        self.brief = brief
        super().__init__(**kwargs)

    def use_pk_only_optimization(self) -> bool:
        return False

    def to_representation(self, value: models.Model) -> dict[str, Any]:
        return {"id": value.pk, **{name: getattr(value, name) for name in self.brief}}


class BriefRelatedFieldSchema(OpenApiSerializerFieldExtension):
    """Tells the OpenAPI schema that requests carry an id and responses an object."""

    target_class = BriefRelatedField

    def map_serializer_field(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        if direction == "request":
            return {"type": "integer", "description": "id of the related record"}
        properties = {"id": {"type": "integer"}}
        properties.update({name: {"type": "string"} for name in self.target.brief})
        return {"type": "object", "properties": properties, "readOnly": True}


# Dates the tracker accepts at all: its agreements and events are from 1900 on, and staying far
# from Python's year 9999 keeps "N days after" arithmetic from overflowing.
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2999, 12, 31)
# Dates of things that happened, which cannot lie after today. The rule belongs with the
# models (their clean()); it lives here until the audit move lets those files change.
HAPPENED_DATES = {
    "tracker.incident": ("occurred_on", "ended_on"),
    "tracker.complianceassessment": ("valid_from",),
}


def date_window_errors(model: type[models.Model], attrs: dict[str, Any]) -> dict[str, list[str]]:
    """Messages for dates outside the sane window, by field."""
    happened = HAPPENED_DATES.get(model._meta.label_lower, ())
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    for name, value in attrs.items():
        if isinstance(value, datetime.datetime):
            value = value.date()
        if not isinstance(value, datetime.date):
            continue
        if value < EARLIEST_DATE:
            errors[name] = [f"Dates before {EARLIEST_DATE.isoformat()} are not accepted."]
        elif value > LATEST_DATE:
            errors[name] = [f"Dates after {LATEST_DATE.isoformat()} are not accepted."]
        elif name in happened and value > today:
            errors[name] = [
                f"Cannot be after today ({today.isoformat()}): it records something that "
                "has already happened."
            ]
    return errors


class ModelRulesSerializer(serializers.ModelSerializer):
    """Runs the model's full_clean() on every write, so the API obeys the same rules as the
    admin and a rule broken in the database never surfaces as a 500."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        model = self.Meta.model
        out_of_window = date_window_errors(model, attrs)
        if out_of_window:
            raise serializers.ValidationError(out_of_window)
        # Only plain columns: many-to-many and nested lists are checked by their services.
        columns = {field.name for field in model._meta.concrete_fields}
        instance = copy.copy(self.instance) if self.instance is not None else model()
        for name, value in attrs.items():
            if name in columns:
                setattr(instance, name, value)
        try:
            instance.full_clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(
                error.message_dict
                if hasattr(error, "error_dict")
                else {"non_field_errors": error.messages}
            ) from None
        return attrs
