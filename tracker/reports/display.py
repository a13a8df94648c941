"""How a computed report is shown on its page: cells, the matrix grid, the status legend and
the parameters' pickers. Nothing here changes a number; the CSV, the JSON and the hash keep
the report's own values (status codes, None), the page shows them as a reader reads them."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from rest_framework import serializers

from tracker.reports.base import Report, ReportResult, Table
from tracker.reports.timeline import STATUS as STATUS_CHANGE
from tracker.status_palette import status_badge, style_of
from tracker.templatetags.report_tags import cell as plain_cell
from tracker.templatetags.report_tags import is_number


@dataclass
class ShownTable:
    key: str
    title: str
    columns: list[str]
    # Each cell as (HTML, CSS class): numbers align to the end of their column.
    rows: list[list[tuple[SafeString, str]]]


def _status_columns(table: Table) -> set[int]:
    return {index for index, name in enumerate(table.columns) if name == "status"}


def _shown_cell(table: Table, row: list[Any], index: int, statuses: set[int]) -> SafeString:
    value = row[index]
    column = table.columns[index]
    # The timeline's "detail" of a status change is the status it changed to.
    is_status = index in statuses or (column == "detail" and STATUS_CHANGE in row)
    if is_status and style_of(value) is not None:
        return status_badge(value)
    # A share of nothing assessed is no 0 %: say so rather than print a dash next to 0.0s.
    if value is None and column.startswith("% "):
        return format_html('<span class="not-assessed">{}</span>', _("not assessed"))
    return format_html("{}", plain_cell(value))


def shown_tables(tables: list[Table]) -> list[ShownTable]:
    shown = []
    for table in tables:
        statuses = _status_columns(table)
        rows = [
            [
                (_shown_cell(table, row, index, statuses), "number" if is_number(value) else "")
                for index, value in enumerate(row)
            ]
            for row in table.rows
        ]
        shown.append(ShownTable(table.key, table.title, table.columns, rows))
    return shown


def shows_statuses(result: ReportResult) -> bool:
    """Whether the page needs the status legend: a status column or a status chart."""
    return any(
        "status" in table.columns or any(STATUS_CHANGE in row for row in table.rows)
        for table in result.tables
    )


@dataclass
class GridCell:
    entries: list[tuple[str, SafeString]] = field(default_factory=list)


@dataclass
class Grid:
    """Clauses down, obligors across; each cell the obligations one obligor owes under one
    clause, each as its status's colour with its level."""

    title: str
    obligors: list[str]
    rows: list[tuple[str, list[GridCell]]]


# Which table a report's grid is drawn from, by column name: (table, row, column).
GRIDS = {"compliance-matrix": ("matrix", "clause", "obligor")}


def grid(result: ReportResult) -> Grid | None:
    if result.report not in GRIDS:
        return None
    key, down, across = GRIDS[result.report]
    table = result.table(key)
    at = {name: index for index, name in enumerate(table.columns)}
    clauses = list(dict.fromkeys(str(row[at[down]]) for row in table.rows))
    obligors = list(dict.fromkeys(str(row[at[across]]) for row in table.rows))
    cells = {(clause, obligor): GridCell() for clause in clauses for obligor in obligors}
    for row in table.rows:
        level = row[at["PAM level"]]
        suffix = "" if level is None else f" · {level}"
        badge = status_badge(row[at["status"]], suffix)
        cells[str(row[at[down]]), str(row[at[across]])].entries.append(
            (str(row[at["obligation"]]), badge)
        )
    return Grid(
        _("Matrix: clauses by obligor (status · PAM level)"),
        obligors,
        [(clause, [cells[clause, obligor] for obligor in obligors]) for clause in clauses],
    )


@dataclass
class ParameterInput:
    """One parameter of the form: its input kind and, for a picker, its options."""

    name: str
    label: str
    help: str
    value: str
    kind: str  # "select", "date", "number" or "text"
    options: list[tuple[str, str]] = field(default_factory=list)
    low: int | None = None
    high: int | None = None


def _record_label(record: Model, slug: str) -> str:
    """A record as a reader knows it, in the reader's language (English as fall-back), with
    the key the URL carries."""
    language = translation.get_language() or "en"
    for name in ("title", "name"):
        words = getattr(record, f"{name}_{language[:2]}", None) or getattr(
            record, f"{name}_en", None
        )
        if words:
            return f"{words} ({slug})"
    return slug


def _input(name: str, field: serializers.Field, value: str) -> ParameterInput:
    shown = ParameterInput(name, str(field.label), str(field.help_text or ""), value, "text")
    if isinstance(field, serializers.SlugRelatedField):
        shown.kind = "select"
        slugs = (
            (getattr(record, field.slug_field), record)
            for record in field.get_queryset().order_by(field.slug_field)
        )
        shown.options = [(slug, _record_label(record, slug)) for slug, record in slugs]
    elif isinstance(field, serializers.ChoiceField):
        shown.kind = "select"
        shown.options = [(str(key), str(label)) for key, label in field.choices.items()]
    elif isinstance(field, serializers.DateField):
        shown.kind = "date"
    elif isinstance(field, serializers.IntegerField):
        shown.kind, shown.low, shown.high = "number", field.min_value, field.max_value
    if shown.kind == "select":
        known = {key for key, _label in shown.options}
        # A value no longer offered (a record since removed) stays in the form as typed.
        if value and value not in known:
            shown.options.append((value, value))
        if not field.required:
            shown.options.insert(0, ("", _("(any)")))
    return shown


def parameter_inputs(report: Report, query: Any) -> list[ParameterInput]:
    """The report's parameters as form inputs, filled from the query; the names are the
    query parameters, so a filled form gives the same URL as a typed one."""
    fields = report.params_serializer().fields
    return [_input(name, field, (query.get(name) or "").strip()) for name, field in fields.items()]
