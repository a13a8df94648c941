"""Valid time: the status that held in the world on a date; with known_at, as the tracker saw it
at a moment. The two are independent: a judgement typed today may be about last year."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements.models import Obligation
from history.moments import moment_at
from tests import builders
from tracker.selectors import obligations_with_status

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def checkpoints() -> Obligation:
    """Judged as the seeds judge deploy-checkpoints, plus a later judgement that it was met."""
    obligation = builders.obligation(key="deploy-checkpoints")
    for status, valid_from in [
        ("not_yet_due", D(2021, 9, 6)),
        ("unknown", D(2021, 9, 7)),
        ("complied", D(2021, 9, 20)),
    ]:
        builders.assessment(obligation=obligation, status=status, valid_from=valid_from)
    return obligation


def status_on(obligation: Obligation, **kwargs) -> str | None:
    return obligations_with_status(**kwargs).get(pk=obligation.pk).current_status


@pytest.mark.parametrize(
    ("valid_on", "expected"),
    [
        (D(2021, 9, 5), None),
        (D(2021, 9, 6), "not_yet_due"),
        (D(2021, 9, 7), "unknown"),
        (D(2021, 9, 19), "unknown"),
        (D(2021, 9, 20), "complied"),
        (D(2030, 1, 1), "complied"),
    ],
)
def test_valid_on_picks_the_latest_judgement_holding_from_that_date_or_before(
    checkpoints, valid_on, expected
):
    assert status_on(checkpoints, on=valid_on) == expected


@pytest.mark.parametrize(
    ("valid_on", "expected"),
    [("2021-09-05", None), ("2021-09-06", "not_yet_due"), ("2021-09-10", "unknown")],
)
def test_the_api_gives_the_status_valid_on_a_date(
    client_as, viewer, checkpoints, valid_on, expected
):
    client = client_as(viewer)

    detail = client.get(f"/api/v1/obligations/{checkpoints.pk}/", {"valid_on": valid_on})
    listed = client.get("/api/v1/obligations/", {"valid_on": valid_on})

    assert detail.json()["current_status"] == expected
    assert [row["current_status"] for row in listed.json()["results"]] == [expected]


def test_a_status_filter_with_valid_on_matches_the_status_of_that_date(
    client_as, viewer, checkpoints
):
    client = client_as(viewer)

    def ids(**params: str) -> list[int]:
        return [row["id"] for row in client.get("/api/v1/obligations/", params).json()["results"]]

    assert ids(status="not_yet_due", valid_on="2021-09-06") == [checkpoints.pk]
    assert ids(status="not_yet_due") == []
    assert ids(unassessed="true", valid_on="2021-09-01") == [checkpoints.pk]


def test_a_rejected_judgement_does_not_hold_on_any_date(checkpoints):
    checkpoints.assessments.filter(status="unknown").update(
        review_state="rejected", reviewed_at=timezone.now(), review_note="No source."
    )

    assert status_on(checkpoints, on=D(2021, 9, 10)) == "not_yet_due"


# Known at means committed by: each builder call below commits on its own (autocommit), so
# the moments taken between them separate what was known.
@pytest.mark.django_db(transaction=True)
def test_known_at_ignores_judgements_recorded_after_that_moment():
    obligation = builders.obligation()
    before_any = moment_at()
    builders.assessment(obligation=obligation, status="complied", valid_from=D(2021, 9, 1))
    in_between = moment_at()
    builders.assessment(obligation=obligation, status="not_complied", valid_from=D(2021, 9, 1))

    assert status_on(obligation, on=D(2021, 9, 1), known_at=in_between) == "complied"
    assert status_on(obligation, on=D(2021, 9, 1)) == "not_complied"
    assert status_on(obligation, known_at=before_any) is None


@pytest.mark.django_db(transaction=True)
def test_known_at_keeps_a_judgement_whose_correction_was_recorded_after_that_moment():
    obligation = builders.obligation()
    first = builders.assessment(obligation=obligation, status="complied", valid_from=D(2021, 9, 1))
    before_correction = moment_at()
    builders.assessment(
        obligation=obligation,
        status="partially_complied",
        valid_from=D(2021, 8, 31),
        supersedes=first,
    )

    assert status_on(obligation, on=D(2021, 9, 5), known_at=before_correction) == "complied"
    assert status_on(obligation, on=D(2021, 9, 5)) == "partially_complied"


def test_the_status_known_at_a_moment_is_one_query_for_any_number_of_obligations():
    for _ in range(20):
        builders.assessment(valid_from=D(2021, 9, 6))
    moment = moment_at()

    with CaptureQueriesContext(connection) as captured:
        rows = list(obligations_with_status(on=D(2021, 9, 10), known_at=moment))

    assert len(captured.captured_queries) == 1
    assert {row.current_status for row in rows} == {"in_progress"}
