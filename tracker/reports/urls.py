from django.urls import path

from tracker.reports import views

urlpatterns = [
    path("", views.report_index, name="report-index"),
    path("<slug:name>/", views.report_page, name="report-page"),
    path("<slug:name>.csv", views.report_csv, name="report-csv"),
]
