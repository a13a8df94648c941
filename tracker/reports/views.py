"""A report as a page, a CSV download and a JSON endpoint: one computation, three renderings."""

from dataclasses import replace
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.cache import cache_control
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import permissions, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.fields import empty
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker.reports import display
from tracker.reports.base import Chart, Report, ReportResult, Table
from tracker.reports.registry import REPORTS
from tracker.reports.svg import bar_chart, timeline_chart
from tracker.status_palette import palette, stylesheet


def _report(name: str, user: Any) -> Report:
    """The report, if ``user`` may read it: 404 for no such report, 403 for a user whose role
    does not open it (or who has no role)."""
    if name not in REPORTS:
        raise Http404(f"No report named '{name}'.")
    report = REPORTS[name]
    if not report.readable_by(user):
        raise PermissionDenied(f"The {report.title} is not open to your role.")
    return report


def _in_reader_language(report: Report, result: ReportResult) -> list[Table]:
    """The tables as the page shows them: the report's worded columns in the page's language.
    Copies, so the result (its CSV, JSON and hash) stays as computed."""
    shown = []
    for table in result.tables:
        worded = report.worded_columns.get(table.key, ())

        def word(index: int, value: Any, worded: tuple[int, ...] = worded) -> Any:
            return gettext(value) if index in worded and isinstance(value, str) else value

        rows = [[word(index, value) for index, value in enumerate(row)] for row in table.rows]
        shown.append(replace(table, rows=rows))
    return shown


def _charts(tables: list[Table], charts: list[Chart]) -> list[str]:
    by_key = {table.key: table for table in tables}
    drawn = []
    rtl = translation.get_language_bidi()
    for chart in charts:
        table = by_key[chart.table]
        if chart.kind == "timeline":
            events = [
                (str(row[chart.label_column]), row[chart.value_column])
                for row in table.rows
                if row[chart.value_column] is not None
            ]
            title = gettext(chart.title)
            drawn.append(
                mark_safe(timeline_chart(title, events, period=chart.period, rtl=rtl))
            )  # escaped in svg.py
            continue
        bars = [
            (str(row[chart.label_column]), float(row[chart.value_column] or 0))
            for row in table.rows
        ]
        drawn.append(mark_safe(bar_chart(gettext(chart.title), bars, rtl=rtl)))  # svg.py escapes
    return drawn


@login_required
def report_index(request: HttpRequest) -> HttpResponse:
    """The reports the user's role opens; a user without a role gets 403."""
    readable = [report for report in REPORTS.values() if report.readable_by(request.user)]
    if not readable:
        raise PermissionDenied("No report is open to you: ask an admin for a role.")
    return render(request, "tracker/reports/index.html", {"reports": readable})


def parameter_errors(error: ValidationError) -> list[tuple[str, str]]:
    """(parameter, message) for each bad parameter, as the parameters' serializer named them."""
    detail = error.detail if isinstance(error.detail, dict) else {"parameters": error.detail}
    return [
        (name, " ".join(str(message) for message in messages)) for name, messages in detail.items()
    ]


@login_required
def report_page(request: HttpRequest, name: str) -> HttpResponse:
    report = _report(name, request.user)
    context: dict[str, Any] = {
        "report": report,
        "inputs": display.parameter_inputs(report, request.GET),
        "json_url": reverse(f"api-report-{report.name}"),
    }
    try:
        result = report.run(request.GET)
    except ValidationError as error:
        context["errors"] = parameter_errors(error)
        return render(request, "tracker/reports/report.html", context, status=400)
    tables = _in_reader_language(report, result)
    context.update(
        result=result,
        charts=_charts(tables, result.charts),
        tables=display.shown_tables(tables),
        grid=display.grid(result),
        legend=palette() if display.shows_statuses(result) else [],
    )
    return render(request, "tracker/reports/report.html", context)


@cache_control(max_age=3600)
def status_palette_css(request: HttpRequest) -> HttpResponse:
    """The status colours (tracker.status_palette) as CSS classes, for the report pages and
    the admin: a stylesheet, because the Content-Security-Policy refuses inline styles."""
    return HttpResponse(stylesheet(), content_type="text/css; charset=utf-8")


@login_required
def report_csv(request: HttpRequest, name: str) -> HttpResponse:
    report = _report(name, request.user)
    try:
        result = report.run(request.GET)
    except ValidationError as error:
        return HttpResponse(
            "".join(f"{name}: {message}\n" for name, message in parameter_errors(error)),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(result.as_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-{result.content_hash[:12]}.csv"'
    )
    return response


@extend_schema_field(
    {
        "anyOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}],
        "nullable": True,
        "description": "A cell: text (dates in ISO 8601), a number, or null for nothing.",
    }
)
class CellField(serializers.Field):
    def to_representation(self, value: Any) -> Any:
        return value


class ReportTableSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Stable name of the table within the report.")
    title = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(
        child=serializers.ListField(child=CellField()),
        help_text="One array per row, a cell per column.",
    )


class ReportResponseSerializer(serializers.Serializer):
    """The JSON of a report; subclasses declare the report's own ``parameters``."""

    report = serializers.CharField(help_text="The report's name.")
    title = serializers.CharField()
    parameters = serializers.DictField()
    tables = ReportTableSerializer(many=True)
    content_hash = serializers.CharField(
        min_length=64,
        max_length=64,
        help_text="SHA-256 (hex) of the report name, the parameters and the tables: the same "
        "parameters, known_at included, give the same hash.",
    )


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("-"))


def printed_parameters_serializer(report: Report) -> type[serializers.Serializer]:
    """The report's parameters as the response prints them: every one present, records by
    their key, times in ISO 8601; the types are those of the report's params_serializer."""

    class Printed(report.params_serializer):  # type: ignore[name-defined,misc]
        def get_fields(self) -> dict[str, serializers.Field]:
            fields = super().get_fields()
            for field in fields.values():
                # Not given and without a default: printed as null.
                field.allow_null = not field.required and field.default is empty
                field.required = True
            return fields

    Printed.__name__ = Printed.__qualname__ = f"{_camel(report.name)}ReportParameters"
    Printed.__doc__ = (
        f"The parameters the {report.title} was computed with, every one of them (null: not "
        "given): passing them back, known_at included, gives the same report and hash."
    )
    return Printed


def response_serializer(report: Report) -> type[ReportResponseSerializer]:
    return type(
        f"{_camel(report.name)}Report",
        (ReportResponseSerializer,),
        {
            "parameters": printed_parameters_serializer(report)(),
            "__doc__": f"The {report.title} as JSON: {report.question}",
            "__module__": __name__,
        },
    )


class CanReadReport(permissions.BasePermission):
    """The report's own permissions (Report.permissions), as on its page and CSV."""

    message = "This report is not open to your role."

    def has_permission(self, request: Request, view: Any) -> bool:
        return view.report.readable_by(request.user)


class ReportAPIView(APIView):
    """GET /api/v1/reports/<name>/: the report's tables as JSON, with its content hash.

    One subclass per report (report_api_view), so each has its own path, parameters and
    response in the OpenAPI schema.
    """

    permission_classes = [permissions.IsAuthenticated, CanReadReport]
    report: Report

    def respond(self, request: Request) -> Response:
        # A bad parameter raises serializers.ValidationError: the API's 400 naming it.
        return Response(self.report.run(request.query_params).as_json())


def report_api_view(report: Report) -> type[ReportAPIView]:
    @extend_schema(
        operation_id=f"reports_{report.name.replace('-', '_')}",
        summary=str(report.title),
        description=str(report.question),
        parameters=[report.params_serializer],
        responses={200: response_serializer(report)},
        tags=["reports"],
    )
    def get(self: ReportAPIView, request: Request) -> Response:
        return self.respond(request)

    return type(
        f"{_camel(report.name)}ReportView",
        (ReportAPIView,),
        {"report": report, "get": get, "__doc__": report.question, "__module__": __name__},
    )
