from django.urls import URLPattern, path

from tracker.reports import views
from tracker.reports.registry import REPORTS

urlpatterns = [
    path("", views.report_index, name="report-index"),
    path("status-palette.css", views.status_palette_css, name="status-palette-css"),
    path("<slug:name>/", views.report_page, name="report-page"),
    path("<slug:name>.csv", views.report_csv, name="report-csv"),
]


def api_urlpatterns() -> list[URLPattern]:
    """One API path per report, /api/v1/reports/<name>/ (included under /api/v1/), each with
    its own view class, so the schema gives each its own parameters and response."""
    return [
        path(
            f"reports/{name}/",
            views.report_api_view(report).as_view(),
            name=f"api-report-{name}",
        )
        for name, report in REPORTS.items()
    ]
