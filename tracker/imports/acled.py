"""ACLED CSV import: upsert incidents by ``event_id_cnty``, in bounded audited batches.

How a file goes in (``incident_import``):

1. The header is checked first; missing required columns refuse the whole file by name.
2. Rows are read one at a time (the file is never held in memory) and checked; a bad row is
   rejected with its row number (the header is row 1, as a spreadsheet numbers them), column
   and message, and the rest go on.
3. Each batch of good rows is compared with what the database holds (three queries, whatever
   the batch size): new, updated (any column, actor or source differs) or unchanged.
4. Unless it is a dry run, the batch is written in a transaction of its own: the new and
   changed rows are COPYed into temporary staging tables, then moved into the audited tables
   with one ``INSERT ... SELECT`` / ``UPDATE ... FROM`` each, so the history triggers record
   every row with the open audit context. Unchanged rows are not touched (no history).

The chain head (``history.models.ChainHead``) is locked by a transaction's first audited
event until it commits, so committing per batch keeps an analyst's save waiting at most one
batch. ``pgtrigger.ignore`` is set for each batch transaction: pgtrigger's per-row check
otherwise reads an unset setting inside an EXCEPTION block, i.e. one subtransaction per row
per trigger, which made large audited statements superlinear.
"""

from __future__ import annotations

import csv
import datetime
import functools
import io
import queue
import threading
import unicodedata
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from agreements.choices import DatePrecision
from agreements.models import Party, PartyAlias, Source
from agreements.models.rules import outside_the_date_window
from tracker.choices import ACLED_EVENT_TYPES, ActorSide, Credibility
from tracker.models import Incident, IncidentActor, IncidentSource

# ACLED's export columns, in ACLED's order. The export writes exactly these.
ACLED_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]
REQUIRED_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "country",
    "location",
    "latitude",
    "longitude",
    "notes",
    "fatalities",
]

# ACLED time_precision -> ours. 3 (only the month is known) is stored on the 1st.
TIME_PRECISION = {"1": DatePrecision.DAY, "2": DatePrecision.WEEK, "3": DatePrecision.MONTH}
PRECISION_TO_ACLED = {
    DatePrecision.DAY: 1,
    DatePrecision.WEEK: 2,
    DatePrecision.APPROXIMATE: 2,
    DatePrecision.MONTH: 3,
    DatePrecision.YEAR: 3,
}

# Incident columns the importer writes; compared to tell updated from unchanged rows.
FIELDS = [
    "occurred_on",
    "date_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "inter1",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source_scale",
    "description_en",
    "fatalities",
    "tags",
    "acled_timestamp",
]
MAX_LENGTHS = {
    name: Incident._meta.get_field(name).max_length
    for name in FIELDS
    if getattr(Incident._meta.get_field(name), "max_length", None)
}
# Which ACLED column a field's value comes from, for messages.
COLUMN_OF = {
    "occurred_on": "event_date",
    "date_precision": "time_precision",
    "description_en": "notes",
    "acled_timestamp": "timestamp",
}

DEFAULT_BATCH = 1000
MAX_KEPT_REJECTIONS = 1000

# Arabic letters that NFKD does not fold: alef wasla, alef maqsura, ta marbuta, hamza, tatweel.
_ARABIC_FOLD = str.maketrans(
    {"\u0671": "\u0627", "\u0649": "\u064a", "\u0629": "\u0647", "\u0621": None, "\u0640": None}
)


@functools.lru_cache(maxsize=65536)
def normalize_name(name: str) -> str:
    """Case-, diacritic- and hamza-insensitive form of a name (Arabic and Latin scripts).

    NFKD splits accents, harakat and the hamza carried on alef/waw/ya off their letter; the
    marks are dropped, then the remaining Arabic variants are folded.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.translate(_ARABIC_FOLD).casefold().split())


class ImportRefused(Exception):
    """The file cannot be imported at all (e.g. its header lacks required columns)."""


@dataclass(frozen=True)
class Rejection:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.column}: {self.message}"


@dataclass
class ImportReport:
    dry_run: bool
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    unmatched_actors: Counter = field(default_factory=Counter)
    new_sources: list[str] = field(default_factory=list)
    batches: int = 0
    deleted: int = 0
    flagged: int = 0
    not_found: int = 0

    @property
    def rows(self) -> int:
        return self.new + self.updated + self.unchanged + self.rejected

    def reject(self, rejection: Rejection) -> None:
        self.rejected += 1
        if len(self.rejections) < MAX_KEPT_REJECTIONS:
            self.rejections.append(rejection)

    def summary(self) -> str:
        batches = f"{self.batches} batch" + ("" if self.batches == 1 else "es")
        done = "dry run" if self.dry_run else "committed"
        return (
            f"{self.rows} rows: {self.new} new, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.rejected} rejected ({batches}, {done})"
        )


@dataclass
class Row:
    """One good ACLED row, in the tracker's terms."""

    event_id: str
    values: dict[str, Any]
    # (party id or None, name as reported, side, is associate), in the file's order
    actors: list[tuple[int | None, str, int, bool]]
    sources: list[str]  # normalized source names, first mention first


# --- reading --------------------------------------------------------------------------------


class _CountingLines:
    """Text lines of a binary stream, counting the bytes read (for the progress bar)."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.bytes_read = 0

    def __iter__(self) -> Iterator[str]:
        first = True
        for raw in self.stream:
            self.bytes_read += len(raw)
            line = raw.decode("utf-8")
            if first:
                line = line.removeprefix("\ufeff")
                first = False
            yield line


_MONTHS = {
    name.casefold(): number
    for number, names in enumerate(
        [
            ("January", "Jan"),
            ("February", "Feb"),
            ("March", "Mar"),
            ("April", "Apr"),
            ("May",),
            ("June", "Jun"),
            ("July", "Jul"),
            ("August", "Aug"),
            ("September", "Sep", "Sept"),
            ("October", "Oct"),
            ("November", "Nov"),
            ("December", "Dec"),
        ],
        start=1,
    )
    for name in names
}


def _parse_date(text: str) -> datetime.date:
    """``2021-09-03`` or ``03 September 2021`` (also ``3-September-2021``, ``03 Sep 2021``)."""
    if len(text) == 10 and text[4] == "-":
        return datetime.date.fromisoformat(text)
    parts = text.replace("-", " ").split()
    if len(parts) != 3 or parts[1].casefold() not in _MONTHS:
        raise ValueError(text)
    return datetime.date(int(parts[2]), _MONTHS[parts[1].casefold()], int(parts[0]))


def _int(text: str, column: str, *, low: int | None = None, high: int | None = None) -> int | None:
    if text == "":
        return None
    try:
        number = int(text)
    except ValueError:
        try:
            as_float = float(text)
        except ValueError:
            raise _Bad(column, f"'{text}' is not a whole number.") from None
        if not as_float.is_integer():
            raise _Bad(column, f"'{text}' is not a whole number.") from None
        number = int(as_float)
    if (low is not None and number < low) or (high is not None and number > high):
        raise _Bad(column, f"{number} is out of range ({low}..{high}).")
    return number


def _coordinate(text: str, column: str, limit: int) -> Decimal | None:
    if text == "":
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise _Bad(column, f"'{text}' is not a number.") from None
    if not value.is_finite() or not -limit <= value <= limit:
        raise _Bad(column, f"{text} is out of range (-{limit}..{limit}).")
    return value.quantize(Decimal("0.000001"))


class _Bad(Exception):
    def __init__(self, column: str, message: str) -> None:
        self.column, self.message = column, message


class Matcher:
    """Parties by any of their names and aliases; sources by name (publisher or key)."""

    def __init__(self) -> None:
        self.parties: dict[str, int] = {}
        for pk, name_en, name_ar in Party.objects.values_list("pk", "name_en", "name_ar"):
            for name in (name_en, name_ar):
                if name:
                    self.parties.setdefault(normalize_name(name), pk)
        for pk, alias in PartyAlias.objects.values_list("party_id", "alias"):
            self.parties.setdefault(normalize_name(alias), pk)
        self.sources: dict[str, int] = {}
        self.source_names: dict[str, str] = {}  # normalized -> as first written, for new ones
        for pk, key, publisher in Source.objects.order_by("pk").values_list(
            "pk", "key", "publisher"
        ):
            self.sources.setdefault(normalize_name(publisher), pk)
            self.sources.setdefault(normalize_name(key), pk)

    def party(self, name: str) -> int | None:
        return self.parties.get(normalize_name(name))


def _names(cell: str) -> list[str]:
    return [name.strip() for name in cell.split(";") if name.strip()]


def parse_row(raw: dict[str, str], matcher: Matcher, report: ImportReport) -> Row:
    """One CSV record -> Row, or _Bad naming the first column at fault."""
    cell = {key: (value or "").strip() for key, value in raw.items() if key is not None}
    get = cell.get
    event_id = get("event_id_cnty", "")
    if not event_id:
        raise _Bad("event_id_cnty", "The event id is empty.")
    if len(event_id) > 32:
        raise _Bad("event_id_cnty", "The event id is longer than 32 characters.")
    try:
        occurred_on = _parse_date(get("event_date", ""))
    except ValueError:
        raise _Bad(
            "event_date",
            f"'{get('event_date', '')}' is not a date (write 2021-09-03 or 03 September 2021).",
        ) from None
    # The same window the incident row keeps (agreements.models.rules, Incident.clean).
    if problem := outside_the_date_window(occurred_on):
        raise _Bad("event_date", problem)
    if occurred_on > timezone.localdate():
        raise _Bad("event_date", f"{occurred_on.isoformat()} is after today.")
    precision = TIME_PRECISION.get(get("time_precision", "") or "1")
    if precision is None:
        raise _Bad("time_precision", f"'{get('time_precision')}' is not 1, 2 or 3.")
    if precision == DatePrecision.MONTH:
        occurred_on = occurred_on.replace(day=1)
    event_type, sub_event_type = get("event_type", ""), get("sub_event_type", "")
    if event_type not in ACLED_EVENT_TYPES:
        raise _Bad("event_type", f"'{event_type}' is not an ACLED event type.")
    if sub_event_type and sub_event_type not in ACLED_EVENT_TYPES[event_type]:
        raise _Bad(
            "sub_event_type", f"'{sub_event_type}' is not a sub-event type of '{event_type}'."
        )
    latitude = _coordinate(get("latitude", ""), "latitude", 90)
    longitude = _coordinate(get("longitude", ""), "longitude", 180)
    if (latitude is None) != (longitude is None):
        raise _Bad(
            "longitude" if longitude is None else "latitude", "Give both coordinates or neither."
        )
    values = {
        "occurred_on": occurred_on,
        "date_precision": str(precision),
        "disorder_type": get("disorder_type", ""),
        "event_type": event_type,
        "sub_event_type": sub_event_type,
        "inter1": get("inter1", ""),
        "inter2": get("inter2", ""),
        "interaction": get("interaction", ""),
        "civilian_targeting": get("civilian_targeting", ""),
        "iso": _int(get("iso", ""), "iso", low=0, high=32767),
        "region": get("region", ""),
        "country": get("country", ""),
        "admin1": get("admin1", ""),
        "admin2": get("admin2", ""),
        "admin3": get("admin3", ""),
        "location": get("location", ""),
        "latitude": latitude,
        "longitude": longitude,
        "geo_precision": _int(get("geo_precision", ""), "geo_precision", low=1, high=3),
        "source_scale": get("source_scale", ""),
        "description_en": get("notes", ""),
        "fatalities": _int(get("fatalities", ""), "fatalities", low=0, high=2_147_483_647),
        "tags": get("tags", ""),
        "acled_timestamp": _int(get("timestamp", ""), "timestamp", low=0),
    }
    for name in ("location", "description_en", "country"):
        if not values[name]:
            raise _Bad(COLUMN_OF.get(name, name), "This column is empty.")
    for name, limit in MAX_LENGTHS.items():
        if isinstance(values[name], str) and len(values[name]) > limit:
            raise _Bad(COLUMN_OF.get(name, name), f"Longer than {limit} characters.")
    actors: list[tuple[int | None, str, int, bool]] = []
    for column, side, associate in (
        ("actor1", ActorSide.FIRST, False),
        ("assoc_actor_1", ActorSide.FIRST, True),
        ("actor2", ActorSide.SECOND, False),
        ("assoc_actor_2", ActorSide.SECOND, True),
    ):
        names = _names(get(column, "")) if associate else [get(column, "")] if get(column) else []
        for name in names:
            if len(name) > 200:
                raise _Bad(column, "An actor's name is longer than 200 characters.")
            party = matcher.party(name)
            actors.append((party, name, int(side), associate))
    if not any(side == ActorSide.FIRST and not assoc for _, _, side, assoc in actors):
        raise _Bad("actor1", "This column is empty.")
    sources: list[str] = []
    for name in _names(get("source", "")):
        normal = normalize_name(name)
        if normal not in sources:
            sources.append(normal)
            matcher.source_names.setdefault(normal, name[:200])
    for party, name, _, _ in actors:
        if party is None:
            report.unmatched_actors[name] += 1
    return Row(event_id=event_id, values=values, actors=actors, sources=sources)


def read_rows(
    stream: IO[bytes], matcher: Matcher, report: ImportReport
) -> tuple[_CountingLines, Iterator[Row]]:
    """Check the header, then yield good rows; bad rows are recorded on ``report``."""
    lines = _CountingLines(stream)
    reader = csv.DictReader(iter(lines))
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise ImportRefused(f"The header lacks required columns: {', '.join(missing)}.")
    reader.fieldnames = header

    def rows() -> Iterator[Row]:
        seen = _FirstRows()
        for number, raw in enumerate(reader, start=2):
            try:
                row = parse_row(raw, matcher, report)
            except _Bad as bad:
                report.reject(Rejection(number, bad.column, bad.message))
                continue
            first = seen.setdefault(hash(row.event_id), number)
            if first != number:
                report.reject(
                    Rejection(
                        number, "event_id_cnty", f"'{row.event_id}' already appears on row {first}."
                    )
                )
                continue
            yield row

    return lines, rows()


class _FirstRows:
    """Each event id's first row number, by the id's hash, in two flat arrays.

    16 bytes a slot (at most half full) instead of a dict's ~115 bytes an entry: 32 MB for a
    million ids. Two ids of one file sharing a 64-bit hash is not a practical risk.
    """

    def __init__(self) -> None:
        self.size = 0
        self._allocate(1 << 16)

    def _allocate(self, capacity: int) -> None:
        self.keys = array("q", bytes(8 * capacity))
        self.rows = array("q", bytes(8 * capacity))
        self.mask = capacity - 1

    def setdefault(self, key: int, row: int) -> int:
        key = key or 1  # 0 marks an empty slot
        keys, slot = self.keys, key & self.mask
        while True:
            found = keys[slot]
            if found == 0:
                keys[slot], self.rows[slot] = key, row
                self.size += 1
                if 2 * self.size > len(keys):
                    self._grow()
                return row
            if found == key:
                return self.rows[slot]
            slot = (slot + 1) & self.mask

    def _grow(self) -> None:
        keys, rows = self.keys, self.rows
        self.size = 0
        self._allocate(2 * len(keys))
        for key, row in zip(keys, rows, strict=True):
            if key:
                self.setdefault(key, row)


def _batches(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# --- comparing and writing ------------------------------------------------------------------

_STAGE_INCIDENT = "acled_stage_incident"
_STAGE_ACTOR = "acled_stage_actor"
_STAGE_SOURCE = "acled_stage_source"
_INSERT_COLUMNS = ["key", "acled_event_id", *FIELDS]


def _key_for(event_id: str) -> str:
    return f"acled-{slugify(event_id)}"[:80]


class _Batch:
    """Classifies one batch against the database and, unless dry, writes it."""

    def __init__(self, rows: list[Row], matcher: Matcher) -> None:
        self.rows = rows
        self.matcher = matcher

    def existing(self) -> dict[str, dict[str, Any]]:
        ids = [row.event_id for row in self.rows]
        found: dict[str, dict[str, Any]] = {}
        # An incident without an ACLED id is matched by its own key: the export writes the key
        # as event_id_cnty for incidents that did not come from ACLED.
        # Repeats the unique index's condition, so PostgreSQL uses it for long id lists.
        known = Incident.objects.filter(acled_event_id__in=ids).exclude(acled_event_id="")
        for values in known.values("id", "acled_event_id", *FIELDS):
            found[values["acled_event_id"]] = values
        for values in Incident.objects.filter(acled_event_id="", key__in=ids).values(
            "id", "key", *FIELDS
        ):
            found.setdefault(values["key"], values)
        pks = [values["id"] for values in found.values()]
        actors: dict[int, list] = {pk: [] for pk in pks}
        for incident, party, name, side, associate in IncidentActor.objects.filter(
            incident_id__in=pks
        ).values_list("incident_id", "party_id", "name_as_reported", "side", "is_associate"):
            actors[incident].append((party, name, side, associate))
        sources: dict[int, set[int]] = {pk: set() for pk in pks}
        for incident, source in IncidentSource.objects.filter(incident_id__in=pks).values_list(
            "incident_id", "source_id"
        ):
            sources[incident].add(source)
        for values in found.values():
            values["actors"] = sorted(actors[values["id"]], key=_actor_order)
            values["sources"] = sources[values["id"]]
        return found

    def source_ids(self, row: Row) -> set[int | None]:
        return {self.matcher.sources.get(name) for name in row.sources}

    def classify(self, report: ImportReport) -> tuple[list[Row], list[tuple[int, Row]]]:
        """(new rows, [(incident id, row)] of changed ones); counts them on ``report``."""
        existing = self.existing()
        new: list[Row] = []
        changed: list[tuple[int, Row]] = []
        for row in self.rows:
            current = existing.get(row.event_id)
            if current is None:
                new.append(row)
                report.new += 1
                continue
            same = (
                all(current[name] == row.values[name] for name in FIELDS)
                and current["actors"] == sorted(row.actors, key=_actor_order)
                and current["sources"] == self.source_ids(row)
            )
            if same:
                report.unchanged += 1
            else:
                changed.append((current["id"], row))
                report.updated += 1
        return new, changed

    def write(self, new: list[Row], changed: list[tuple[int, Row]], report: ImportReport) -> None:
        if not new and not changed:
            return
        with transaction.atomic(), connection.cursor() as cursor:
            # pgtrigger's per-row ignore check rolls back a subtransaction whenever this
            # setting is unset; an empty list ignores no trigger and skips that cost.
            cursor.execute("SET LOCAL pgtrigger.ignore = '{}'")
            self._create_sources(report)
            _stage_tables(cursor)
            raw = cursor.cursor
            ids: dict[str, int] = {}
            if new:
                with raw.copy(
                    f"COPY {_STAGE_INCIDENT} ({', '.join(_INSERT_COLUMNS)}) FROM STDIN"
                ) as copy:
                    for row in new:
                        copy.write_row(
                            [_key_for(row.event_id), row.event_id, *(row.values[n] for n in FIELDS)]
                        )
                columns = ", ".join(_INSERT_COLUMNS)
                cursor.execute(
                    f"INSERT INTO tracker_incident ({columns}, description_ar, verification) "
                    f"SELECT {columns}, '', 'reported' FROM {_STAGE_INCIDENT} ORDER BY ord "
                    "RETURNING id, acled_event_id"
                )
                ids = {event_id: pk for pk, event_id in cursor.fetchall()}
                cursor.execute(f"TRUNCATE {_STAGE_INCIDENT}")
            if changed:
                with raw.copy(
                    f"COPY {_STAGE_INCIDENT} (id, {', '.join(_INSERT_COLUMNS)}) FROM STDIN"
                ) as copy:
                    for pk, row in changed:
                        copy.write_row([pk, "", "", *(row.values[n] for n in FIELDS)])
                assignments = ", ".join(f"{name} = s.{name}" for name in FIELDS)
                cursor.execute(
                    f"UPDATE tracker_incident t SET {assignments} FROM {_STAGE_INCIDENT} s "
                    f"WHERE t.id = s.id AND ({', '.join('t.' + n for n in FIELDS)}) "
                    f"IS DISTINCT FROM ({', '.join('s.' + n for n in FIELDS)})"
                )
            targets = [(ids[row.event_id], row) for row in new] + changed
            touched = [pk for pk, _ in changed]
            with raw.copy(
                f"COPY {_STAGE_ACTOR} (incident_id, party_id, name, side, is_associate) FROM STDIN"
            ) as copy:
                for pk, row in targets:
                    for party, name, side, associate in row.actors:
                        copy.write_row([pk, party, name, side, associate])
            with raw.copy(f"COPY {_STAGE_SOURCE} (incident_id, source_id) FROM STDIN") as copy:
                for pk, row in targets:
                    for name in row.sources:
                        copy.write_row([pk, self.matcher.sources[name]])
            # Actors of a changed incident are replaced only where they differ; sources keep
            # their credibility and excerpt when the incident still cites them.
            cursor.execute(
                f"""
                WITH now_ AS (
                    SELECT incident_id,
                        array_agg(ROW(party_id, name_as_reported, side, is_associate)::text
                        ORDER BY side, is_associate, name_as_reported, party_id) AS list
                    FROM tracker_incidentactor WHERE incident_id = ANY(%s) GROUP BY incident_id
                ), next_ AS (
                    SELECT incident_id, array_agg(ROW(party_id, name, side, is_associate)::text
                        ORDER BY side, is_associate, name, party_id) AS list
                    FROM {_STAGE_ACTOR} GROUP BY incident_id
                ), differ AS (
                    SELECT coalesce(n.incident_id, x.incident_id) AS incident_id
                    FROM now_ n FULL JOIN next_ x ON x.incident_id = n.incident_id
                    WHERE n.list IS DISTINCT FROM x.list
                ), gone AS (
                    DELETE FROM tracker_incidentactor a USING differ d
                    WHERE a.incident_id = d.incident_id AND a.incident_id = ANY(%s)
                )
                INSERT INTO tracker_incidentactor (incident_id, party_id, name_as_reported, side,
                    is_associate)
                SELECT s.incident_id, s.party_id, s.name, s.side, s.is_associate
                FROM {_STAGE_ACTOR} s JOIN differ d ON d.incident_id = s.incident_id
                ORDER BY s.ord
                """,
                [touched, touched],
            )
            cursor.execute(
                f"""
                DELETE FROM tracker_incidentsource l WHERE l.incident_id = ANY(%s)
                AND NOT EXISTS (SELECT 1 FROM {_STAGE_SOURCE} s
                    WHERE s.incident_id = l.incident_id AND s.source_id = l.source_id)
                """,
                [touched],
            )
            cursor.execute(
                f"""
                INSERT INTO tracker_incidentsource (incident_id, source_id, credibility, excerpt)
                SELECT incident_id, source_id, %s, '' FROM {_STAGE_SOURCE} ORDER BY ord
                ON CONFLICT (incident_id, source_id) DO NOTHING
                """,
                [int(Credibility.CANNOT_JUDGE)],
            )

    def _create_sources(self, report: ImportReport) -> None:
        names = {name for row in self.rows for name in row.sources} - self.matcher.sources.keys()
        if not names:
            return
        taken = set(
            Source.objects.filter(
                key__in=[_source_key(self.matcher.source_names[n]) for n in names]
            ).values_list("key", flat=True)
        )
        created = []
        for normal in sorted(names):
            name = self.matcher.source_names[normal]
            key = _source_key(name)
            if key in taken:
                key = f"{key[:70]}-{len(taken)}"
            taken.add(key)
            created.append(
                Source(
                    key=key,
                    publisher=name,
                    title=name,
                    language="ar" if _is_arabic(name) else "en",
                    notes="Named as a source by an ACLED import.",
                )
            )
        for source in Source.objects.bulk_create(created):
            self.matcher.sources[normalize_name(source.publisher)] = source.pk
            report.new_sources.append(source.publisher)


def _source_key(name: str) -> str:
    return f"acled-source-{slugify(name, allow_unicode=False) or 'x'}"[:80]


def _is_arabic(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


def _actor_order(actor: tuple) -> tuple:
    party, name, side, associate = actor
    return (side, associate, name, party or 0)


def _stage_tables(cursor: Any) -> None:
    columns = ", ".join(["id", *_INSERT_COLUMNS])
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE_INCIDENT} ON COMMIT DROP AS "
        f"SELECT {columns} FROM tracker_incident WITH NO DATA;"
        f"ALTER TABLE {_STAGE_INCIDENT} ADD COLUMN IF NOT EXISTS ord bigserial;"
        f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE_ACTOR} (incident_id bigint, party_id bigint, "
        "name text, side smallint, is_associate boolean, ord bigserial) ON COMMIT DROP;"
        f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE_SOURCE} (incident_id bigint, source_id bigint,"
        " ord bigserial) ON COMMIT DROP;"
        f"TRUNCATE {_STAGE_INCIDENT}, {_STAGE_ACTOR}, {_STAGE_SOURCE}"
    )


Progress = Callable[[int, int], None]  # (rows read, bytes read)


def _read_ahead(batches: Iterator[list[Row]], depth: int = 2) -> Iterator[list[Row]]:
    """Read and check the next batches in a thread while this one writes the current batch.

    The database works on a batch (the audit triggers are most of the cost) while Python
    parses the next; the driver releases the GIL while it waits. At most ``depth`` batches
    wait in memory. The reading thread touches no database connection.
    """
    ready: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    done = object()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for batch in batches:
                if not put(batch):
                    return
            put(done)
        except BaseException as error:
            put(error)

    reader = threading.Thread(target=produce, name="acled-reader", daemon=True)
    reader.start()
    try:
        while True:
            item = ready.get()
            if item is done:
                return
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        reader.join()


def incident_import(
    *,
    stream: IO[bytes],
    dry_run: bool = False,
    batch_size: int = DEFAULT_BATCH,
    progress: Progress | None = None,
) -> ImportReport:
    """Import an ACLED CSV export (binary stream, UTF-8). See the module's docstring.

    Committed per batch: a failure leaves the batches before it in place; importing the same
    file again finishes the job (what was written is then unchanged).
    """
    report = ImportReport(dry_run=dry_run)
    matcher = Matcher()
    lines, rows = read_rows(stream, matcher, report)
    for batch_rows in _read_ahead(_batches(rows, batch_size)):
        batch = _Batch(batch_rows, matcher)
        new, changed = batch.classify(report)
        if not dry_run:
            batch.write(new, changed, report)
        else:
            for name in {n for row in batch_rows for n in row.sources} - matcher.sources.keys():
                matcher.sources[name] = -1  # would be created; counted once
                report.new_sources.append(matcher.source_names[name])
        report.batches += 1
        if progress:
            progress(report.rows, lines.bytes_read)
    if progress:
        progress(report.rows, lines.bytes_read)
    return report


def import_text(text: str, **kwargs: Any) -> ImportReport:
    """Convenience for tests and small uploads."""
    return incident_import(stream=io.BytesIO(text.encode("utf-8")), **kwargs)
