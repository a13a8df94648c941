"""A date is stored with how precise it is, and an imprecise date never carries an invented day.

The rule is the same for every dated record, so each case runs against all of them. Rows are
written straight to the database: the database itself must refuse bad data.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from tests import builders

pytestmark = pytest.mark.django_db

D = datetime.date


@dataclass(frozen=True)
class DatedRecord:
    """One model's date field, its precision field and the prefix of its constraint names."""

    label: str
    make: Callable[..., Any]
    date_field: str
    precision_field: str
    prefix: str
    nullable: bool

    def __str__(self) -> str:
        return self.label

    def constraint(self, rule: str) -> str:
        return f"{self.prefix}_{self.date_field}_{rule}"

    def build(self, day: datetime.date | None, precision: str) -> Any:
        return self.make(**{self.date_field: day, self.precision_field: precision})


RECORDS = [
    DatedRecord(
        "agreement signed",
        builders.agreement,
        "signed_on",
        "signed_precision",
        "agreement",
        nullable=True,
    ),
    DatedRecord(
        "obligation due",
        builders.obligation,
        "due_on",
        "due_precision",
        "obligation",
        nullable=True,
    ),
    DatedRecord(
        "source published",
        builders.source,
        "published_on",
        "published_precision",
        "source",
        nullable=True,
    ),
    DatedRecord(
        "incident occurred",
        builders.incident,
        "occurred_on",
        "date_precision",
        "incident",
        nullable=False,
    ),
    DatedRecord(
        "assessment valid from",
        builders.assessment,
        "valid_from",
        "valid_from_precision",
        "assessment",
        nullable=False,
    ),
]

NULLABLE = [record for record in RECORDS if record.nullable]


def refused(record: DatedRecord, rule: str, day: datetime.date | None, precision: str) -> None:
    with pytest.raises(IntegrityError, match=record.constraint(rule)), transaction.atomic():
        record.build(day, precision)


@pytest.mark.parametrize("record", RECORDS, ids=str)
@pytest.mark.parametrize(
    ("day", "precision"),
    [
        (D(2021, 9, 6), "day"),
        (D(2021, 9, 6), "week"),
        (D(2021, 9, 6), "approximate"),
        (D(2021, 9, 1), "month"),
        (D(2021, 1, 1), "year"),
    ],
    ids=["exact-day", "week", "approximate", "month-on-the-1st", "year-on-1-january"],
)
def test_a_date_with_a_fitting_precision_is_stored(record, day, precision):
    row = record.build(day, precision)

    row.refresh_from_db()
    assert getattr(row, record.date_field) == day
    assert getattr(row, record.precision_field) == precision


@pytest.mark.parametrize("record", NULLABLE, ids=str)
def test_an_unknown_date_without_precision_is_stored(record):
    row = record.build(None, "")

    row.refresh_from_db()
    assert getattr(row, record.date_field) is None


@pytest.mark.parametrize("record", RECORDS, ids=str)
def test_a_date_without_its_precision_is_refused(record):
    refused(record, "has_precision", D(2021, 9, 6), "")


@pytest.mark.parametrize("record", NULLABLE, ids=str)
def test_a_precision_without_a_date_is_refused(record):
    refused(record, "has_precision", None, "day")


@pytest.mark.parametrize("record", RECORDS, ids=str)
def test_a_month_only_date_that_is_not_the_1st_is_refused(record):
    refused(record, "month_on_first", D(2021, 9, 6), "month")


@pytest.mark.parametrize("record", RECORDS, ids=str)
@pytest.mark.parametrize(
    "day", [D(2021, 3, 1), D(2021, 1, 15)], ids=["first-of-march", "mid-january"]
)
def test_a_year_only_date_that_is_not_1_january_is_refused(record, day):
    refused(record, "year_on_jan_first", day, "year")
