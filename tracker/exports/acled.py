"""Incidents out in ACLED's columns and order, as CSV or GeoJSON, streamed.

Whatever the number of incidents, memory stays flat: the incidents are read through a
server-side cursor in chunks, and each chunk's actors and sources come with two queries.
Importing an export changes nothing (the columns map back one to one; see the README).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Value
from django.db.models.functions import Coalesce, NullIf

from tracker.imports.acled import ACLED_COLUMNS, FIELDS, PRECISION_TO_ACLED
from tracker.models import IncidentActor, IncidentSource

CHUNK = 2000

# The incident's own columns that ACLED's row carries: the ones the importer writes.
_VALUES = ["pk", "key", "acled_event_id", *FIELDS]
NUMERIC = {"year", "time_precision", "iso", "geo_precision", "fatalities", "timestamp"}


def _blank(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    return str(value)


def acled_rows(queryset: QuerySet) -> Iterator[dict[str, str]]:
    """One dict per incident, keyed by ACLED column, values as ACLED writes them."""
    values = queryset.prefetch_related(None).values(*_VALUES).iterator(chunk_size=CHUNK)
    chunk: list[dict[str, Any]] = []
    for incident in values:
        chunk.append(incident)
        if len(chunk) >= CHUNK:
            yield from _chunk_rows(chunk)
            chunk = []
    if chunk:
        yield from _chunk_rows(chunk)


def _chunk_rows(chunk: list[dict[str, Any]]) -> Iterable[dict[str, str]]:
    pks = [incident["pk"] for incident in chunk]
    actors: dict[tuple[int, int, bool], list[str]] = {}
    for incident, side, associate, name in (
        IncidentActor.objects.filter(incident_id__in=pks)
        .order_by("incident_id", "side", "is_associate", "id")
        .values_list(
            "incident_id",
            "side",
            "is_associate",
            Coalesce(NullIf("name_as_reported", Value("")), "party__name_en"),
        )
    ):
        actors.setdefault((incident, side, associate), []).append(name)
    sources: dict[int, list[str]] = {}
    for incident, publisher in (
        IncidentSource.objects.filter(incident_id__in=pks)
        .order_by("incident_id", "id")
        .values_list("incident_id", "source__publisher")
    ):
        names = sources.setdefault(incident, [])
        if publisher not in names:
            names.append(publisher)
    for incident in chunk:
        pk = incident["pk"]
        occurred_on = incident["occurred_on"]
        yield {
            "event_id_cnty": incident["acled_event_id"] or incident["key"],
            "event_date": occurred_on.isoformat(),
            "year": str(occurred_on.year),
            "time_precision": str(PRECISION_TO_ACLED.get(incident["date_precision"], 1)),
            "disorder_type": incident["disorder_type"],
            "event_type": incident["event_type"],
            "sub_event_type": incident["sub_event_type"],
            "actor1": "; ".join(actors.get((pk, 1, False), [])[:1]),
            "assoc_actor_1": "; ".join(
                actors.get((pk, 1, True), []) + actors.get((pk, 1, False), [])[1:]
            ),
            "inter1": incident["inter1"],
            "actor2": "; ".join(actors.get((pk, 2, False), [])[:1]),
            "assoc_actor_2": "; ".join(
                actors.get((pk, 2, True), []) + actors.get((pk, 2, False), [])[1:]
            ),
            "inter2": incident["inter2"],
            "interaction": incident["interaction"],
            "civilian_targeting": incident["civilian_targeting"],
            "iso": _blank(incident["iso"]),
            "region": incident["region"],
            "country": incident["country"],
            "admin1": incident["admin1"],
            "admin2": incident["admin2"],
            "admin3": incident["admin3"],
            "location": incident["location"],
            "latitude": _blank(incident["latitude"]),
            "longitude": _blank(incident["longitude"]),
            "geo_precision": _blank(incident["geo_precision"]),
            "source": "; ".join(sources.get(pk, [])),
            "source_scale": incident["source_scale"],
            "notes": incident["description_en"],
            "fatalities": _blank(incident["fatalities"]),
            "tags": incident["tags"],
            "timestamp": _blank(incident["acled_timestamp"]),
        }


class _Line:
    """csv.writer target that hands back what it was given."""

    def write(self, text: str) -> str:
        return text


def csv_chunks(queryset: QuerySet) -> Iterator[str]:
    """The CSV text, header first, in pieces of about a hundred rows."""
    writer = csv.writer(_Line(), lineterminator="\n")
    yield writer.writerow(ACLED_COLUMNS)
    lines: list[str] = []
    for row in acled_rows(queryset):
        lines.append(writer.writerow([row[name] for name in ACLED_COLUMNS]))
        if len(lines) >= 100:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


def _typed(row: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in ACLED_COLUMNS:
        value = row[name]
        if name in NUMERIC and value != "":
            out[name] = int(value)
        elif name in ("latitude", "longitude") and value != "":
            out[name] = float(value)
        else:
            out[name] = value
    return out


def geojson_chunks(queryset: QuerySet) -> Iterator[str]:
    """A GeoJSON FeatureCollection of points with the CSV's columns as properties; an
    incident without coordinates is a feature with a null geometry."""
    yield '{"type": "FeatureCollection", "features": ['
    first = True
    for row in acled_rows(queryset):
        properties = _typed(row)
        geometry = (
            {"type": "Point", "coordinates": [properties["longitude"], properties["latitude"]]}
            if row["latitude"] != ""
            else None
        )
        feature = {"type": "Feature", "geometry": geometry, "properties": properties}
        yield ("" if first else ",\n") + json.dumps(feature, ensure_ascii=False)
        first = False
    yield "]}\n"
