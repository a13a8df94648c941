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

from django.db import connection
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


# Each ACLED column as SQL over the incident row ``i``: the same text acled_rows() makes in
# Python (GeoJSON's path), so PostgreSQL can write the CSV itself with COPY, at its own speed.
# The actor and source columns follow _chunk_rows(): actors by side, associate flag and id, the
# first non-associate of a side its actorN, the others its assoc_actor_N; publishers once each,
# in the order of their first link.
_PRECISION = " ".join(f"WHEN '{key}' THEN '{value}'" for key, value in PRECISION_TO_ACLED.items())
_NAMES = "array_agg(coalesce(nullif(a.name_as_reported, ''), p.name_en) ORDER BY a.id)"
_SIDES = ", ".join(
    f"{_NAMES} FILTER (WHERE a.side = {side} AND {'' if associate else 'NOT '}a.is_associate)"
    f" AS {name}"
    for name, side, associate in (
        ("a1", 1, False),
        ("x1", 1, True),
        ("a2", 2, False),
        ("x2", 2, True),
    )
)
_JOINS = f"""
    LEFT JOIN LATERAL (
        SELECT {_SIDES}
        FROM tracker_incidentactor a LEFT JOIN agreements_party p ON p.id = a.party_id
        WHERE a.incident_id = i.id
    ) AS actors ON true
    LEFT JOIN LATERAL (
        SELECT string_agg(publisher, '; ' ORDER BY first_link) AS names
        FROM (SELECT s.publisher, min(l.id) AS first_link
              FROM tracker_incidentsource l JOIN agreements_source s ON s.id = l.source_id
              WHERE l.incident_id = i.id GROUP BY s.publisher) AS publishers
    ) AS sources ON true"""
SQL_COLUMNS = {
    "event_id_cnty": "coalesce(nullif(i.acled_event_id, ''), i.key)",
    "event_date": "to_char(i.occurred_on, 'YYYY-MM-DD')",
    "year": "extract(year FROM i.occurred_on)::int::text",
    "time_precision": f"CASE i.date_precision {_PRECISION} ELSE '1' END",
    "actor1": "coalesce(actors.a1[1], '')",
    "assoc_actor_1": "coalesce(array_to_string(actors.x1 || actors.a1[2:], '; '), '')",
    "actor2": "coalesce(actors.a2[1], '')",
    "assoc_actor_2": "coalesce(array_to_string(actors.x2 || actors.a2[2:], '; '), '')",
    # Decimal.normalize() then format "f": no trailing zeros, never an exponent.
    "latitude": "coalesce(trim_scale(i.latitude)::text, '')",
    "longitude": "coalesce(trim_scale(i.longitude)::text, '')",
    "source": "coalesce(sources.names, '')",
    "notes": "i.description_en",
    "timestamp": "coalesce(i.acled_timestamp::text, '')",
}
# COPY writes NULL as this; every column above is coalesced, so it stands only for a text that
# happens to equal it, which COPY then quotes where Python's csv does not (see _python_csv).
_NULL_MARK = "\x01NULL\x01"


def copy_sql(queryset: QuerySet) -> tuple[str, list[Any]]:
    """SELECT of the ACLED columns for the queryset's incidents, in the queryset's order
    (its filters and ordering kept as Django wrote them, numbered by row_number() over them;
    a NULL column reads as the empty text csv.writer writes for None)."""
    ids, params = queryset.values_list("pk").query.sql_with_params()
    columns = ",\n".join(
        SQL_COLUMNS.get(name, f"coalesce(i.{name}::text, '')") for name in ACLED_COLUMNS
    )
    sql = f"""
        SELECT {columns}
        FROM (SELECT id, row_number() OVER () AS n FROM ({ids}) AS q (id)) AS o
        JOIN tracker_incident AS i ON i.id = o.id {_JOINS}
        ORDER BY o.n
    """
    return sql, list(params)


def _python_csv(line: bytes) -> bytes:
    """The line as Python's csv module writes it (the export's format): COPY also quotes a
    field holding a carriage return, or equal to the NULL mark; both are rare, so only those
    lines are parsed and written again."""
    fields = next(csv.reader([line.decode("utf-8")[:-1]]))
    return csv.writer(_Line(), lineterminator="\n").writerow(fields).encode("utf-8")


def csv_chunks(queryset: QuerySet) -> Iterator[str]:
    """The CSV text, header first, in pieces of about 64 KB, written by PostgreSQL's COPY
    through a streamed COPY TO STDOUT (one row per message, so memory stays flat)."""
    yield csv.writer(_Line(), lineterminator="\n").writerow(ACLED_COLUMNS)
    sql, params = copy_sql(queryset)
    odd = (b"\r", _NULL_MARK.encode("utf-8"))
    with connection.cursor() as cursor:
        copy_to = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, NULL '{_NULL_MARK}')"
        with cursor.cursor.copy(copy_to, params) as copy:
            piece: list[bytes] = []
            size = 0
            for line in copy:
                line = bytes(line)
                if odd[0] in line or odd[1] in line:
                    line = _python_csv(line)
                piece.append(line)
                size += len(line)
                if size >= 1 << 16:
                    yield b"".join(piece).decode("utf-8")
                    piece, size = [], 0
            if piece:
                yield b"".join(piece).decode("utf-8")


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
