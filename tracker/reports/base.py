"""What every report is made of, and how it is run and fingerprinted."""

import csv
import datetime
import hashlib
import io
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar

from django.core.serializers.json import DjangoJSONEncoder

from history.moments import Moment, read_known
from tracker.reports.params import ReportParams


@dataclass
class Table:
    """One table of a report: the unit shown on the page, exported and hashed."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]


@dataclass
class Chart:
    """A chart drawn from one table.

    A "bar" chart draws a bar per row: a label column and a numeric column. A "timeline"
    places each row on a time axis: the label column names its lane, the value column holds
    its date, on an axis fitted to the events within ``period`` (first, last day; None: open).
    """

    title: str
    table: str
    label_column: int
    value_column: int
    kind: str = "bar"
    period: tuple[datetime.date | None, datetime.date | None] = (None, None)


@dataclass
class ReportResult:
    report: str
    title: str
    parameters: dict[str, Any]
    tables: list[Table]
    charts: list[Chart] = field(default_factory=list)

    def content(self) -> dict[str, Any]:
        """What the hash covers: the parameters and every number, nothing time-dependent."""
        return {
            "report": self.report,
            "parameters": self.parameters,
            "tables": [asdict(table) for table in self.tables],
        }

    @property
    def content_hash(self) -> str:
        canonical = json.dumps(
            self.content(), cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":")
        )
        return hashlib.sha256(canonical.encode()).hexdigest()

    def as_json(self) -> dict[str, Any]:
        return {**self.content(), "title": self.title, "content_hash": self.content_hash}

    def as_csv(self) -> str:
        """All tables in one CSV: a 'table' column says which one each row belongs to."""
        out = io.StringIO()
        writer = csv.writer(out)
        for table in self.tables:
            writer.writerow(["table", *table.columns])
            writer.writerows([table.key, *row] for row in table.rows)
        writer.writerow(["content_hash", self.content_hash])
        return out.getvalue()

    def table(self, key: str) -> Table:
        return next(table for table in self.tables if table.key == key)


class Report:
    """Subclasses say what they answer, declare their parameters as a serializer, and compute
    their tables from the parsed parameters."""

    name: ClassVar[str]
    title: ClassVar[str]
    question: ClassVar[str]
    # The report's own parameters, in the order the page's form shows them; the same
    # serializer reads the page's, the CSV's and the JSON endpoint's query and documents the
    # endpoint's parameters in the OpenAPI schema.
    params_serializer: ClassVar[type[ReportParams]]
    # Parameters that show the report on the Daraa seeds: linked from the index page, and the
    # parameters the browser tests open each report with.
    example: ClassVar[dict[str, str]] = {}
    # Columns (by table key, then index) whose cells are words marked for the catalogue: the
    # page shows them in the reader's language; CSV, JSON and the hash keep them as computed.
    worded_columns: ClassVar[dict[str, tuple[int, ...]]] = {}
    # Who may open the report (page, CSV and JSON alike): the view permissions of what it
    # shows, which every role holds and a user without a role does not. The audit report asks
    # for tracker.roles.AUDIT_PERMISSION, like /api/v1/audit/.
    permissions: ClassVar[tuple[str, ...]] = (
        "agreements.view_obligation",
        "tracker.view_complianceassessment",
    )

    def readable_by(self, user: Any) -> bool:
        return bool(user and user.is_authenticated and user.has_perms(self.permissions))

    @property
    def parameter_labels(self) -> list[tuple[str, str]]:
        """(query parameter, label) pairs shown as the page's form, in order."""
        fields = self.params_serializer().fields
        return [(name, str(field.label)) for name, field in fields.items()]

    def parameters(self, query: Mapping[str, str]) -> dict[str, Any]:
        """Validated parameters; raise serializers.ValidationError naming each bad one."""
        return self.params_serializer.read(query)

    def compute(self, parameters: dict[str, Any]) -> tuple[list[Table], list[Chart]]:
        raise NotImplementedError

    def run(self, query: Mapping[str, str]) -> ReportResult:
        parameters = self.parameters(query)
        # Every report looks from a known_at (KnownAtField). From the live tables when
        # nothing was committed since it: the same rows, without sorting the history tables.
        tables, charts = read_known(
            parameters["known_at"], lambda moment: self.compute({**parameters, "known_at": moment})
        )
        return ReportResult(
            report=self.name,
            title=str(self.title),
            parameters={name: _plain(value) for name, value in parameters.items()},
            tables=tables,
            charts=charts,
        )


def _plain(value: Any) -> Any:
    """Parameters as they are printed and hashed: records by their key, times in ISO."""
    if isinstance(value, Moment):
        return value.at.isoformat()
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    for attribute in ("code", "key"):
        if hasattr(value, attribute):
            return getattr(value, attribute)
    return value
