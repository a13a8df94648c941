"""Sub-event choices follow the event type: each option says its event type (for the page's
script), and without the script the server still refuses a pair that does not belong."""

import re

import pytest
from django.urls import reverse

from tests.admin_helpers import submitted_form
from tracker.choices import ACLED_EVENT_TYPES

pytestmark = pytest.mark.django_db

ADD = "admin:tracker_incident_add"


def test_each_sub_event_option_names_its_event_type_and_the_page_loads_the_script(
    analyst, client_as
):
    page = client_as(analyst).get(reverse(ADD)).content.decode()

    tagged = dict(re.findall(r'<option value="([^"]+)" data-event-type="([^"]+)"', page))
    expected = {sub: event for event, subs in ACLED_EVENT_TYPES.items() for sub in subs}
    assert tagged == expected
    assert "tracker/sub_event_choices.js" in page


def test_a_sub_event_of_another_event_type_is_refused_next_to_the_sub_event(analyst, client_as):
    client = client_as(analyst)
    data = submitted_form(client.get(reverse(ADD)))
    data.update(
        occurred_on=["2021-09-03"],
        event_type=["Protests"],
        sub_event_type=["Armed clash"],
        location=["Tafas"],
        description_en=["A protest."],
    )

    response = client.post(reverse(ADD), data)

    errors = response.context["adminform"].form.errors
    assert errors["sub_event_type"] == ["This sub-event type belongs to another event type."]
