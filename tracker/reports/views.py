"""A report as a page, a CSV download and a JSON endpoint: one computation, three renderings."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker.reports.base import Report, ReportResult
from tracker.reports.registry import REPORTS
from tracker.reports.svg import bar_chart, timeline_chart


def _report(name: str) -> Report:
    if name not in REPORTS:
        raise Http404(f"No report named '{name}'.")
    return REPORTS[name]


def _charts(result: ReportResult) -> list[str]:
    drawn = []
    for chart in result.charts:
        table = result.table(chart.table)
        if chart.kind == "timeline":
            events = [
                (str(row[chart.label_column]), row[chart.value_column])
                for row in table.rows
                if row[chart.value_column] is not None
            ]
            drawn.append(mark_safe(timeline_chart(chart.title, events)))  # escaped in svg.py
            continue
        bars = [
            (str(row[chart.label_column]), float(row[chart.value_column] or 0))
            for row in table.rows
        ]
        drawn.append(mark_safe(bar_chart(chart.title, bars)))  # svg.py escapes every label
    return drawn


@login_required
def report_index(request: HttpRequest) -> HttpResponse:
    return render(request, "tracker/reports/index.html", {"reports": REPORTS.values()})


def parameter_errors(error: ValidationError) -> list[tuple[str, str]]:
    """(parameter, message) for each bad parameter, as the parameters' serializer named them."""
    detail = error.detail if isinstance(error.detail, dict) else {"parameters": error.detail}
    return [
        (name, " ".join(str(message) for message in messages)) for name, messages in detail.items()
    ]


@login_required
def report_page(request: HttpRequest, name: str) -> HttpResponse:
    report = _report(name)
    context: dict[str, Any] = {
        "report": report,
        "query": request.GET,
    }
    try:
        result = report.run(request.GET)
    except ValidationError as error:
        context["errors"] = parameter_errors(error)
        return render(request, "tracker/reports/report.html", context, status=400)
    context.update(result=result, charts=_charts(result))
    return render(request, "tracker/reports/report.html", context)


@login_required
def report_csv(request: HttpRequest, name: str) -> HttpResponse:
    report = _report(name)
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


class ReportAPIView(APIView):
    """GET /api/v1/reports/<name>/: the report's tables as JSON, with its content hash."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("valid_on", str, description="Date the judgements hold in the world."),
            OpenApiParameter("known_at", str, description="What the tracker knew at this time."),
        ],
        responses={200: dict},
    )
    def get(self, request: Request, name: str) -> Response:
        report = _report(name)
        # A bad parameter raises serializers.ValidationError: the API's 400 naming it.
        return Response(report.run(request.query_params).as_json())
