"""Every way of changing data leaves a history event that says who, how and why."""

import pytest
from django.db import connection

from agreements.models import Source
from history.context import audit_context
from tests import builders
from tests.admin_helpers import submitted_form
from tests.api.conftest import token_client
from tests.conftest import make_role_user
from tracker.models import Incident


def latest_event(model, pk: int):
    return model.pgh_event_model.objects.filter(pgh_obj_id=pk).order_by("-pgh_seq").first()


@pytest.mark.django_db
def test_an_admin_edit_is_recorded_with_the_editor_and_the_admin_channel(client_as):
    lead = make_role_user("lead")
    source = builders.source(title="First title")
    page = client_as(lead).get(f"/admin/agreements/source/{source.pk}/change/")
    form = submitted_form(page)
    form["title"] = ["Corrected title"]

    response = client_as(lead).post(f"/admin/agreements/source/{source.pk}/change/", form)

    assert response.status_code == 302
    event = latest_event(Source, source.pk)
    assert (event.pgh_label, event.title) == ("update", "Corrected title")
    assert event.pgh_context["username"] == lead.username
    assert event.pgh_context["user"] == lead.pk
    assert event.pgh_context["channel"] == "admin"
    assert event.pgh_context["request_id"] == response["X-Request-ID"]


@pytest.mark.django_db
def test_an_api_edit_is_recorded_with_the_token_holder_the_reason_and_the_request_id():
    analyst = make_role_user("analyst")
    source = builders.source()

    response = token_client(analyst).patch(
        f"/api/v1/sources/{source.pk}/",
        {"title": "From the API"},
        format="json",
        HTTP_X_CHANGE_REASON="Title was misspelt",
        HTTP_X_REQUEST_ID="req-42",
    )

    assert response.status_code == 200
    event = latest_event(Source, source.pk)
    assert event.title == "From the API"
    assert event.pgh_context["channel"] == "api"
    assert event.pgh_context["username"] == analyst.username
    assert event.pgh_context["reason"] == "Title was misspelt"
    assert event.pgh_context["request_id"] == "req-42"
    assert response["X-Request-ID"] == "req-42"


@pytest.mark.django_db
def test_a_bulk_queryset_update_records_one_event_per_row_with_its_context():
    incidents = [builders.incident(verification="reported") for _ in range(3)]

    with audit_context(channel="command", reason="Verified against ACLED"):
        Incident.objects.filter(pk__in=[i.pk for i in incidents]).update(verification="verified")

    for incident in incidents:
        event = latest_event(Incident, incident.pk)
        assert (event.pgh_label, event.verification) == ("update", "verified")
        assert event.pgh_context["channel"] == "command"
        assert event.pgh_context["reason"] == "Verified against ACLED"


@pytest.mark.django_db
def test_an_admin_bulk_action_records_every_row_it_changed(client_as):
    analyst = make_role_user("analyst")
    incidents = [builders.incident(verification="reported") for _ in range(2)]

    response = client_as(analyst).post(
        "/admin/tracker/incident/",
        {"action": "mark_corroborated", "_selected_action": [i.pk for i in incidents]},
    )

    assert response.status_code == 302
    for incident in incidents:
        event = latest_event(Incident, incident.pk)
        assert event.verification == "corroborated"
        assert event.pgh_context["channel"] == "admin"
        assert event.pgh_context["username"] == analyst.username


@pytest.mark.django_db
def test_a_raw_sql_update_is_recorded_too():
    source = builders.source(title="Before")

    with audit_context(channel="shell", reason="Fixing a typo by hand"), connection.cursor() as c:
        c.execute("UPDATE agreements_source SET title = %s WHERE id = %s", ["After", source.pk])

    event = latest_event(Source, source.pk)
    assert (event.pgh_label, event.title) == ("update", "After")
    assert event.pgh_context["channel"] == "shell"
    assert event.pgh_context["reason"] == "Fixing a typo by hand"


@pytest.mark.django_db
def test_raw_sql_outside_the_application_is_recorded_without_context():
    source = builders.source(title="Before")

    with connection.cursor() as cursor:
        cursor.execute("UPDATE agreements_source SET title = 'Outside' WHERE id = %s", [source.pk])

    event = latest_event(Source, source.pk)
    assert event.title == "Outside"
    assert event.pgh_context is None


@pytest.mark.django_db
def test_an_unchanged_save_records_nothing():
    source = builders.source()
    before = Source.pgh_event_model.objects.count()

    source.save()

    assert Source.pgh_event_model.objects.count() == before
