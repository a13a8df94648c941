"""Analysts import ACLED files in the admin (upload, preview, confirm) and export selections."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import make_role_user
from tests.tracker.acled_helpers import acled_parties, fixture_text
from tracker.imports.acled import ACLED_COLUMNS, import_text
from tracker.models import Incident

pytestmark = pytest.mark.django_db

URL = "/admin/tracker/incident/import-acled/"


def upload(client, text: str, reason: str = "ACLED Syria, September 2021"):
    return client.post(
        URL,
        {"file": SimpleUploadedFile("syria.csv", text.encode("utf-8")), "reason": reason},
    )


def test_the_incident_list_links_to_the_import_page_for_analysts(client_as):
    page = client_as(make_role_user("analyst")).get("/admin/tracker/incident/")

    assert 'id="acled-import-link"' in page.content.decode()


def test_a_viewer_cannot_open_the_import_page(client_as):
    assert client_as(make_role_user("viewer")).get(URL).status_code == 403


def test_the_preview_shows_counts_rejections_and_unmatched_actors_and_writes_nothing(client_as):
    acled_parties()
    client = client_as(make_role_user("analyst"))

    page = upload(client, fixture_text())

    assert page.status_code == 200
    report = page.context["report"]
    assert (report.new, report.updated, report.unchanged, report.rejected) == (46, 0, 0, 4)
    html = page.content.decode()
    assert "<td>51</td><td>latitude</td><td>95.2 is out of range (-90..90).</td>" in html
    assert "Military Forces of Syria (2000-) (1)" in html
    assert Incident.objects.count() == 0


def test_confirming_imports_with_the_admin_channel_the_user_and_the_reason(client_as):
    acled_parties()
    analyst = make_role_user("analyst")
    client = client_as(analyst)
    preview = upload(client, fixture_text())
    confirm = preview.context["confirm_form"]

    response = client.post(
        URL,
        {
            "upload": confirm.initial["upload"],
            "reason": confirm.initial["reason"],
            "confirm": "Import",
        },
    )

    assert response.status_code == 302
    assert Incident.objects.count() == 46
    incident = Incident.objects.get(acled_event_id="SYR90005")
    event = Incident.pgh_event_model.objects.get(pgh_obj_id=incident.pk)
    assert event.pgh_context["channel"] == "admin"
    assert event.pgh_context["username"] == analyst.username
    assert event.pgh_context["reason"] == "ACLED Syria, September 2021"
    # The upload is used once.
    again = client.post(
        URL, {"upload": confirm.initial["upload"], "reason": "x", "confirm": "Import"}
    )
    assert again.status_code == 302
    assert Incident.objects.count() == 46


def test_a_bad_header_is_refused_on_the_upload_form_with_the_missing_columns(client_as):
    client = client_as(make_role_user("analyst"))

    page = upload(client, "event_id_cnty,notes\nSYR1,x\n")

    assert "report" not in page.context
    assert "The header lacks required columns: event_date" in page.content.decode()


def test_the_export_action_streams_the_selected_incidents_as_acled_csv(client_as):
    acled_parties()
    import_text(fixture_text())
    chosen = list(Incident.objects.filter(admin1="Daraa").values_list("pk", flat=True)[:3])

    response = client_as(make_role_user("viewer")).post(
        "/admin/tracker/incident/",
        {"action": "export_acled", "_selected_action": chosen},
    )

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ACLED_COLUMNS
    assert len(rows) == 4
