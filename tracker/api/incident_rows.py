"""The incident list's page, read as plain rows instead of model instances.

A page of 100 incidents through IncidentSerializer builds 100 incidents, their actors, parties,
source links and sources as model instances, then walks some 40 serializer fields per incident:
most of the list's time at 100,000 incidents (bench/api_bench.py). Here the page is three
queries of plain values (incidents; actors with their party; links with their source) put
together in the serializer's shape. The serializer stays the one description of an incident:
its fields name the columns and convert the values that are not JSON as read (dates, decimals,
moments), and a test holds every listed row equal to what the detail view says.
"""

from collections import defaultdict
from typing import Any

from django.db.models import F, Lookup, QuerySet
from rest_framework import fields
from rest_framework.serializers import ModelSerializer

from config.api.serializers import BriefRelatedField
from tracker.api.serializers import (
    IncidentActorSerializer,
    IncidentSerializer,
    IncidentSourceSerializer,
)

NESTED = ("actors", "sources")

# Fields whose value is already what the serializer would give (a str, int, bool or None).
_AS_READ = (fields.CharField, fields.IntegerField, fields.BooleanField, fields.ChoiceField)


def _columns_and_conversions() -> tuple[tuple[str, ...], dict[str, Any]]:
    serializer_fields = IncidentSerializer().fields
    columns = tuple(name for name in serializer_fields if name not in NESTED)
    conversions = {
        name: serializer_fields[name].to_representation
        for name in columns
        if not isinstance(serializer_fields[name], _AS_READ)
    }
    return columns, conversions


COLUMNS, _CONVERSIONS = _columns_and_conversions()


def incident_values(incidents: QuerySet) -> QuerySet:
    """The list's queryset as plain rows of the serializer's own columns (the cursor
    paginator reads its position from them as from an instance)."""
    return incidents.prefetch_related(None).values(*COLUMNS)


def incident_rows(page: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The page's rows as IncidentSerializer(many=True).data would give them."""
    ids = [row["id"] for row in page]
    actors = ACTORS.by_incident(ids)
    sources = SOURCES.by_incident(ids)
    for row in page:
        for name, convert in _CONVERSIONS.items():
            if row[name] is not None:
                row[name] = convert(row[name])
        row["actors"] = actors[row["id"]]
        row["sources"] = sources[row["id"]]
    return page


class AnyOf(Lookup):
    """``column = ANY(%s::bigint[])``: the page's ids bound as one array. Django's ``__in``
    prepares and binds each id on its own, which cost as much as the rest of the page."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs}::bigint[])", [*lhs_params, *rhs_params]


class NestedRows:
    """Reads the rows of a nested serializer (actors, source links) for a page of incidents, in
    its model's order: its plain fields as read, a BriefRelatedField as {"id", *brief}."""

    def __init__(self, serializer: type[ModelSerializer]) -> None:
        self.model = serializer.Meta.model
        self.plain: list[str] = []
        self.brief: dict[str, tuple[str, ...]] = {}
        for name, field in serializer().fields.items():
            if isinstance(field, BriefRelatedField):
                self.brief[name] = field.brief
            else:
                self.plain.append(name)
        self.lookups = ["incident_id", *self.plain]
        for name, attributes in self.brief.items():
            self.lookups += [f"{name}_id", *(f"{name}__{attribute}" for attribute in attributes)]
        # The model's order within an incident; by the incident's id, not by "incident" (that
        # is the incident's own ordering: a join to every incident of the page).
        self.ordering = (
            "incident_id",
            *(name for name in self.model._meta.ordering if name != "incident"),
            "id",
        )

    def by_incident(self, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
        found: dict[int, list[dict[str, Any]]] = defaultdict(list)
        rows = (
            self.model.objects.filter(AnyOf(F("incident_id"), ids))
            .order_by(*self.ordering)
            .values(*self.lookups)
        )
        for row in rows:
            nested = {name: row[name] for name in self.plain}
            for name, attributes in self.brief.items():
                pk = row[f"{name}_id"]
                nested[name] = (
                    None
                    if pk is None
                    else {"id": pk, **{key: row[f"{name}__{key}"] for key in attributes}}
                )
            found[row["incident_id"]].append(nested)
        return found


ACTORS = NestedRows(IncidentActorSerializer)
SOURCES = NestedRows(IncidentSourceSerializer)
