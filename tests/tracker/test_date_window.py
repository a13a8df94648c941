"""The date window is a rule of the rows themselves, so the admin, imports and the API all keep
it: no date before 1900 or after 2999, and nothing that happened dated after today."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests import builders
from tracker.imports.acled import REQUIRED_COLUMNS, import_text

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

    assert refusal(obligation, due_on=datetime.date(3000, 1, 1), due_precision="day")["due_on"] == [
        "Dates after 2999-12-31 are not accepted."
    ]


def test_a_deadline_years_ahead_is_fine():
    obligation = builders.obligation(due_on=datetime.date(2030, 1, 1), due_precision="day")

    obligation.full_clean()


def test_an_acled_row_dated_outside_the_window_is_rejected_with_its_column():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    columns = [name for name in REQUIRED_COLUMNS]
    rows = [
        {"event_id_cnty": "SYR1", "event_date": "1899-12-31"},
        {"event_id_cnty": "SYR2", "event_date": tomorrow.isoformat()},
    ]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, restval="")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                "time_precision": "1",
                "event_type": "Battles",
                "sub_event_type": "Armed clash",
                "country": "Syria",
                "location": "Daraa",
                **row,
            }
        )

    report = import_text(out.getvalue(), dry_run=True)

    assert [(r.column, r.message) for r in report.rejections] == [
        ("event_date", "Dates before 1900-01-01 are not accepted."),
        ("event_date", f"{tomorrow.isoformat()} is after today."),
    ]
