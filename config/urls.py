"""Root URL configuration: the admin for analysts, /api/v1/ for other systems."""

import sys

from csp.decorators import csp_update
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path, re_path
from django.views import defaults
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.routers import APIRootView, DefaultRouter

from agreements.api import views as agreement_views
from config import health
from config.api import schema as _schema_extensions  # noqa: F401  (registers view fixes)
from config.api.errors import json_not_found, json_server_error, unavailable_response
from config.db import is_unavailable
from history.readers import is_audited
from tracker.api import history as history_views
from tracker.api import views as tracker_views
from tracker.reports.registry import REPORTS
from tracker.reports.urls import api_urlpatterns as report_api_urlpatterns


class ApiRootView(APIRootView):
    """/api/v1/: the router's resources, then the routes that are not viewsets: the audit
    trail and each report."""

    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        response = super().get(request, *args, **kwargs)
        response.data["audit"] = reverse("audit-trail", request=request)
        response.data["reports"] = {
            name: reverse(f"api-report-{name}", request=request) for name in REPORTS
        }
        return response


router = DefaultRouter()
router.APIRootView = ApiRootView
router.register("parties", agreement_views.PartyViewSet, basename="party")
router.register("topics", agreement_views.TopicViewSet, basename="topic")
router.register("agreements", agreement_views.AgreementViewSet, basename="agreement")
router.register(
    "agreement-parties", agreement_views.AgreementPartyViewSet, basename="agreementparty"
)
router.register("agreement-links", agreement_views.AgreementLinkViewSet, basename="agreementlink")
router.register("clauses", agreement_views.ClauseViewSet, basename="clause")
router.register("clause-accounts", agreement_views.ClauseAccountViewSet, basename="clauseaccount")
router.register("obligations", tracker_views.ObligationViewSet, basename="obligation")
router.register("assessments", tracker_views.AssessmentViewSet, basename="assessment")
router.register("incidents", tracker_views.IncidentViewSet, basename="incident")
router.register("breach-claims", tracker_views.BreachClaimViewSet, basename="breachclaim")
router.register("sources", tracker_views.SourceViewSet, basename="source")
router.register("tokens", tracker_views.ApiTokenViewSet, basename="apitoken")

# One history route per audited resource, all served by the same view; the route names the
# model, so the view checks the permission to read that model.
history_routes = [
    re_path(
        rf"^api/v1/{prefix}/(?P<id>[0-9]+)/history/$",
        history_views.ObjectHistoryView.as_view(model=viewset.queryset.model),
        name=f"{basename}-history",
    )
    for prefix, viewset, basename in router.registry
    if viewset.queryset is not None and is_audited(viewset.queryset.model)
]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    *history_routes,
    path("api/v1/audit/", history_views.AuditTrailView.as_view(), name="audit-trail"),
    path("api/v1/", include(report_api_urlpatterns())),
    path("api/v1/", include(router.urls)),
    path("reports/", include("tracker.reports.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's start-up script comes as a file (the split view), so the page needs no
    # inline script; its template's small <style> block is the one inline style we allow.
    path(
        "api/docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="schema")
        ),
        name="api-docs",
    ),
    # Not permanent: the landing page may become something else later, and browsers
    # cache 301s aggressively.
    path("", RedirectView.as_view(url="/admin/", permanent=False), name="home"),
]


def handler404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """JSON for API paths, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return json_not_found(request, exception)
    return defaults.page_not_found(request, exception)


def handler500(request: HttpRequest) -> HttpResponse:
    # A middleware (sessions, authentication) that met an unavailable database lands here.
    failure = sys.exc_info()[1]
    if failure is not None and is_unavailable(failure):
        return unavailable_response(request)
    if request.path.startswith("/api/"):
        return json_server_error(request)
    return defaults.server_error(request)
