"""The compliance matrix: numbers a reader can check, counted again by hand."""

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from agreements.models import Agreement, Obligation
from tests import builders
from tests.tracker.report_checks import (
    assert_refused_everywhere,
    level_on,
    queries_and_data,
    status_on,
    table,
)

URL = "/api/v1/reports/compliance-matrix/"
VALID_ON = "2021-09-10"


def expected_statuses(agreement: Agreement, on: datetime.date) -> Counter:
    """Status per obligation, worked out here without the report's SQL."""
    return Counter(
        status_on(obligation, on) or "not assessed"
        for obligation in Obligation.objects.filter(clause__agreement=agreement)
    )


@pytest.mark.django_db
def test_the_matrix_counts_match_a_count_made_independently(seeded, reader):
    extra = builders.obligation(clause=builders.clause(agreement=seeded))
    builders.assessment(
        obligation=extra, status="not_complied", valid_from=datetime.date(2021, 9, 8)
    )

    data = reader.get(URL, {"agreement": seeded.code, "valid_on": VALID_ON}).json()

    by_status = dict(map(tuple, table(data, "by_status")))
    assert by_status == dict(expected_statuses(seeded, datetime.date(2021, 9, 10)))
    matrix = table(data, "matrix")
    assert len(matrix) == Obligation.objects.filter(clause__agreement=seeded).count()
    totals = table(data, "by_topic")
    assert sum(row[1] for row in totals) == len(matrix)


@pytest.mark.django_db
def test_each_obligors_shares_and_mean_level_match_a_count_made_independently(seeded, reader):
    on = datetime.date(2021, 9, 10)
    data = reader.get(URL, {"agreement": seeded.code, "valid_on": VALID_ON}).json()

    columns = next(t for t in data["tables"] if t["key"] == "by_party")["columns"]
    complied, disputed = columns.index("% complied"), columns.index("% disputed")
    for row in table(data, "by_party"):
        owed = Obligation.objects.filter(clause__agreement=seeded, obligor__name_en=row[0])
        statuses = [status_on(obligation, on) for obligation in owed]
        assert row[1] == len(statuses)
        # An obligor none of whose obligations is judged has no shares, rather than 0 %.
        judged = any(status is not None for status in statuses)
        shares = {
            status: round(100 * statuses.count(status) / len(statuses), 1) if judged else None
            for status in ("complied", "disputed")
        }
        assert row[complied] == shares["complied"]
        assert row[disputed] == shares["disputed"]
        levels = [level for obligation in owed if (level := level_on(obligation, on)) is not None]
        assert row[-1] == (round(sum(levels) / len(levels), 2) if levels else None)


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_data(seeded, reader):
    params = {"agreement": seeded.code, "valid_on": VALID_ON}
    reader.get(URL, params)
    small, _ = queries_and_data(reader, URL, params)
    for _ in range(10 * Obligation.objects.filter(clause__agreement=seeded).count()):
        obligation = builders.obligation(clause=builders.clause(agreement=seeded))
        builders.assessment(obligation=obligation, status="complied", level=3)
    large, _ = queries_and_data(reader, URL, params)

    assert large == small


# Known at means committed by: each write commits on its own here, as users' writes do.
@pytest.mark.django_db(transaction=True)
def test_known_at_before_a_judgement_shows_what_was_believed_then(seeded_and_committed, reader):
    seeded = seeded_and_committed
    obligation = builders.obligation(clause=builders.clause(agreement=seeded), key="late-one")
    builders.assessment(
        obligation=obligation, status="not_complied", level=0, valid_from=datetime.date(2021, 9, 7)
    )
    believed_then = timezone.now().isoformat()
    builders.assessment(
        obligation=obligation, status="complied", level=3, valid_from=datetime.date(2021, 9, 8)
    )

    def status_of(**extra: str) -> str:
        data = reader.get(URL, {"agreement": seeded.code, "valid_on": VALID_ON, **extra}).json()
        matrix = table(data, "matrix")
        return next(row[4] for row in matrix if row[1] == "late-one")

    assert status_of() == "complied"
    assert status_of(known_at=believed_then) == "not_complied"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({}, "agreement"),
        ({"agreement": "no-such-agreement"}, "agreement"),
        ({"agreement": "daraa-2021-09-06", "valid_on": "6 Sept"}, "valid_on"),
        ({"agreement": "daraa-2021-09-06", "known_at": "2999-01-01T00:00:00Z"}, "known_at"),
        ({"agreement": "daraa-2021-09-06", "known_at": "yesterday"}, "known_at"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it_everywhere(seeded, params, named):
    assert_refused_everywhere("compliance-matrix", params, named)
