"""The date window is a rule of the rows themselves, so the admin, imports and the API all keep
it: no date before 1900 or after 2999, and nothing that happened dated after today."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests import builders

pytestmark = pytest.mark.django_db


def refusal(record, **values) -> dict[str, list[str]]:
    for name, value in values.items():
        setattr(record, name, value)
    with pytest.raises(ValidationError) as refused:
        record.full_clean()
    return refused.value.message_dict


def test_an_incident_before_1900_or_after_today_is_refused_at_the_field():
    incident = builders.incident()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    assert refusal(incident, occurred_on=datetime.date(1899, 12, 31))["occurred_on"] == [
        "Dates before 1900-01-01 are not accepted."
    ]
    assert "has already happened" in refusal(incident, occurred_on=tomorrow)["occurred_on"][0]


def test_any_stored_date_after_2999_is_refused_even_a_deadline():
    obligation = builders.obligation()

    assert refusal(obligation, due_on=datetime.date(3000, 1, 1), due_precision="day")[
        "due_on"
    ] == ["Dates after 2999-12-31 are not accepted."]


def test_a_deadline_years_ahead_is_fine():
    obligation = builders.obligation(due_on=datetime.date(2030, 1, 1), due_precision="day")

    obligation.full_clean()
