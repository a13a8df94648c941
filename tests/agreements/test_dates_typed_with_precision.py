"""An analyst who knows only the month or the year types just that ("2021-09", "2021"); the
date is stored on the 1st with the matching precision, and refusals name the field by its
label."""

import datetime

import pytest
from django.urls import reverse

from agreements.models import Obligation
from tests import builders
from tests.admin_helpers import submitted_form
from tests.api.conftest import token_client
from tracker.models import Incident

pytestmark = pytest.mark.django_db


def _add_incident(client, occurred_on: str, precision: str = ""):
    url = reverse("admin:tracker_incident_add")
    data = submitted_form(client.get(url))
    data.update(
        occurred_on=[occurred_on],
        date_precision=[precision],
        event_type=["Battles"],
        sub_event_type=["Armed clash"],
        location=["Tafas"],
        description_en=["Clashes reported."],
    )
    return client.post(url, data)


@pytest.mark.parametrize(
    ("typed", "stored", "precision"),
    [
        ("2021-09", datetime.date(2021, 9, 1), "month"),
        ("2021", datetime.date(2021, 1, 1), "year"),
        ("2021-09-03", datetime.date(2021, 9, 3), "day"),
    ],
)
def test_a_date_typed_as_month_or_year_is_saved_with_that_precision(
    typed, stored, precision, analyst, client_as
):
    response = _add_incident(client_as(analyst), typed)

    assert response.status_code == 302
    incident = Incident.objects.get()
    assert (incident.occurred_on, incident.date_precision) == (stored, precision)


def test_a_month_typed_over_a_chosen_day_precision_is_saved_as_month_only(analyst, client_as):
    _add_incident(client_as(analyst), "2021-09", precision="day")

    assert Incident.objects.get().date_precision == "month"


def test_a_deadline_typed_as_a_month_on_the_clause_page_is_saved_as_month_only(lead, client_as):
    obligation = builders.obligation()
    client = client_as(lead)
    url = reverse("admin:agreements_obligation_change", args=[obligation.pk])
    data = submitted_form(client.get(url))
    data.update(due_on=["2021-10"], due_precision=[""])

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    obligation = Obligation.objects.get(pk=obligation.pk)
    assert (obligation.due_on, obligation.due_precision) == (datetime.date(2021, 10, 1), "month")


def test_the_date_field_says_that_a_month_or_a_year_may_be_typed(analyst, client_as):
    page = client_as(analyst).get(reverse("admin:tracker_incident_add")).content.decode()

    assert "2021-09 or 2021" in page


def test_a_refused_date_rule_names_the_field_by_its_label(analyst, client_as):
    response = _add_incident(client_as(analyst), "2021-09-15", precision="month")

    errors = response.context["adminform"].form.errors
    assert errors["occurred_on"] == ["A month-only “occurred on” must be the 1st of the month."]


def test_the_api_reads_a_month_alone_as_a_month_only_date(analyst):
    created = token_client(analyst).post(
        "/api/v1/incidents/",
        {
            "occurred_on": "2021-09",
            "event_type": "Battles",
            "location": "Tafas",
            "description_en": "Clashes reported.",
        },
        format="json",
    )

    assert created.status_code == 201, created.content
    assert (created.json()["occurred_on"], created.json()["date_precision"]) == (
        "2021-09-01",
        "month",
    )
