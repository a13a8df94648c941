"""Serializer building blocks: brief related objects, and the model's own rules on every write."""

import copy
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
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


class ModelRulesSerializer(serializers.ModelSerializer):
    """Runs the model's full_clean() on every write, so the API obeys the same rules as the
    admin and a rule broken in the database never surfaces as a 500."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        model = self.Meta.model
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
