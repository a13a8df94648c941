"""Serializer building blocks: brief related objects, and the model's own rules on every write."""

from typing import Any

from django.db import models
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers
from rest_framework.utils import model_meta
from rest_framework.validators import UniqueValidator

from agreements.models.dates import typed_date, with_day_typed


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


class DateWithPrecisionField(serializers.DateField):
    """A date with a precision beside it: "2021-09" or "2021" when only the month or the
    year is known, as in the admin; the model records that precision."""

    def to_internal_value(self, value: Any) -> Any:
        if isinstance(value, str) and (typed := typed_date(value)) is not None:
            return typed
        return with_day_typed(super().to_internal_value(value))


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
    """Writes through the model's own rules, as the admin does: create() and update() put the
    request's values on the one instance that is saved, run its full_clean() once and save it.
    A broken rule is a Django ValidationError, which the API's error handler answers as a 400
    naming the field, so a rule broken in the database never surfaces as a 500.

    Serializers whose writes go through a service override create()/update() and call it:
    the service runs full_clean() itself, once.

    Uniqueness is the model's to check too: DRF's own unique validators, which would ask the
    database the same question before full_clean() asks it again, are left out.
    """

    def get_validators(self) -> list[Any]:
        return list(getattr(self.Meta, "validators", []))

    def build_standard_field(self, field_name: str, model_field: models.Field) -> tuple:
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if any(
            getattr(field, "precision_of", None) == model_field.name
            for field in model_field.model._meta.concrete_fields
        ):
            field_class = DateWithPrecisionField
        return field_class, _without_unique_validators(kwargs)

    def build_relational_field(self, field_name: str, relation_info: Any) -> tuple:
        field_class, kwargs = super().build_relational_field(field_name, relation_info)
        return field_class, _without_unique_validators(kwargs)

    def create(self, validated_data: dict[str, Any]) -> models.Model:
        serializers.raise_errors_on_nested_writes("create", self, validated_data)
        model = self.Meta.model
        many = self._pop_many_to_many(model, validated_data)
        instance = model(**validated_data)
        return self._clean_and_save(instance, many)

    def update(self, instance: models.Model, validated_data: dict[str, Any]) -> models.Model:
        serializers.raise_errors_on_nested_writes("update", self, validated_data)
        many = self._pop_many_to_many(type(instance), validated_data)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return self._clean_and_save(instance, many)

    @staticmethod
    def _pop_many_to_many(model: type[models.Model], data: dict[str, Any]) -> dict[str, Any]:
        relations = model_meta.get_field_info(model).relations
        return {
            name: data.pop(name)
            for name in list(data)
            if name in relations and relations[name].to_many
        }

    @staticmethod
    def _clean_and_save(instance: models.Model, many: dict[str, Any]) -> models.Model:
        instance.full_clean()
        instance.save()
        for name, value in many.items():
            getattr(instance, name).set(value)
        return instance


def _without_unique_validators(kwargs: dict[str, Any]) -> dict[str, Any]:
    if "validators" in kwargs:
        kwargs["validators"] = [
            validator
            for validator in kwargs["validators"]
            if not isinstance(validator, UniqueValidator)
        ]
    return kwargs
