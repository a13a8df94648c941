"""The incident form says how to write coordinates before anyone gets them wrong."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("field", "example"), [("latitude", "32.61"), ("longitude", "36.10")])
def test_each_coordinate_field_gives_its_format_range_and_datum(field, example, analyst, client_as):
    form = client_as(analyst).get(reverse("admin:tracker_incident_add")).context["adminform"].form

    help_text = str(form.fields[field].help_text)
    assert "WGS84" in help_text
    assert example in help_text
    assert ("-90 to 90" if field == "latitude" else "-180 to 180") in help_text
