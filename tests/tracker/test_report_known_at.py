"""known_at, the transaction time every report looks from: a time, or a bare date meaning the
end of that day (UTC), never the future; today's date means now, printed exactly."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from agreements.models import Source
from history.readers import AuditFilters, AuditTrail
from tests import builders
from tests.tracker.report_checks import table
from tracker.reports.audit_report import AuditReportParams
from tracker.reports.compliance_matrix import ComplianceMatrixParams

# Reading a moment asks the database which changes had committed by then.
pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/audit/"


def known_at(raw: str) -> datetime.datetime:
    return AuditReportParams.read({"known_at": raw})["known_at"].at


def refusal(raw: str) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        known_at(raw)
    return refused.value.detail["known_at"]


def test_a_bare_date_means_the_end_of_that_day_in_utc():
    end = known_at("2021-09-06")

    assert end == datetime.datetime(2021, 9, 6, 23, 59, 59, 999999, tzinfo=datetime.UTC)
    # So a change recorded late that day is known at that date.
    assert datetime.datetime(2021, 9, 6, 23, 0, tzinfo=datetime.UTC) <= end
    assert end < datetime.datetime(2021, 9, 7, tzinfo=datetime.UTC)
    assert known_at("20210906") == end  # ISO 8601's basic form too


def test_every_report_reads_a_bare_date_the_same_way():
    field = ComplianceMatrixParams().fields["known_at"]

    assert field.to_internal_value("2021-09-06").at == known_at("2021-09-06")


def test_a_time_is_read_as_given_and_printed_in_utc():
    assert known_at("2021-09-06T18:00:00+03:00") == datetime.datetime(
        2021, 9, 6, 15, 0, tzinfo=datetime.UTC
    )
    # Without an offset: UTC, as before.
    assert known_at("2021-09-06T18:00:00") == datetime.datetime(
        2021, 9, 6, 18, 0, tzinfo=datetime.UTC
    )
    assert known_at("2021-09-06T00:00:00Z").tzinfo == datetime.UTC


def test_todays_date_means_now_because_its_end_has_not_come():
    before = timezone.now()
    today = before.astimezone(datetime.UTC).date()

    moment = known_at(str(today))

    assert before <= moment <= timezone.now()


def test_tomorrows_date_and_a_future_time_are_refused():
    tomorrow = timezone.now().astimezone(datetime.UTC).date() + datetime.timedelta(days=1)

    assert refusal(str(tomorrow)) == ["Cannot be in the future: nothing is known yet."]
    assert refusal("2999-01-01T00:00:00Z") == ["Cannot be in the future: nothing is known yet."]


@pytest.mark.parametrize("raw", ["2021-02-30", "yesterday", "6 Sept 2021", "2021-09-06T25:00"])
def test_what_is_neither_a_time_nor_a_date_is_refused(raw):
    assert refusal(raw)


def test_without_known_at_the_report_looks_from_now():
    before = timezone.now()

    assert before <= AuditReportParams.read({})["known_at"].at <= timezone.now()


@pytest.mark.django_db
def test_a_change_recorded_on_a_day_is_known_at_that_date_and_the_printed_time_reruns_it(
    reader,
):
    builders.source(title="Recorded today")
    (event,) = AuditTrail(AuditFilters(models=(Source,)))[:1]
    day = event.at.astimezone(datetime.UTC).date()

    first = reader.get(URL, {"model": "source", "known_at": str(day)}).json()

    assert [row for row in table(first, "changes") if "Recorded today" in row[6]]
    printed = first["parameters"]["known_at"]
    assert printed != str(day)  # the exact time used, not the date asked for
    assert datetime.datetime.fromisoformat(printed).date() == day
    again = reader.get(URL, {"model": "source", "known_at": printed}).json()
    assert again["content_hash"] == first["content_hash"]
    assert again["parameters"] == first["parameters"]
