"""The worked example of the README ("Two kinds of as of"), on the Daraa seeds.

The obligation: under the 31 August 2021 agreement, government forces refrain from hostilities
against Daraa al-Balad. The seeds judge it "disputed" from 3 September (the collapse). Then:

1. an analyst judges it "complied" from 31 August (no fighting reported before 3 September);
2. another records a correction: "partially complied" from 31 August (STJ dates the siege to
   6 September, so it went on after the agreement);
3. a lead rejects the correction, so the first judgement stands again.

Asked about 1 September (valid_on), the tracker answered, as of the end of each step:
nothing (seeds only), complied, partially complied, complied. About 5 September it answered
"disputed" throughout: the seed judgement from 3 September is later in the world than both.
"""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection

from agreements.models import Obligation
from tests.conftest import make_role_user
from tracker.services import assessment_record, assessment_review

pytestmark = pytest.mark.django_db(transaction=True)

D = datetime.date


def database_now() -> str:
    """The present moment by the clock that stamps history rows, as an as_of value."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        moment: datetime.datetime = cursor.fetchone()[0]
    return moment.isoformat()


def test_the_tracker_answers_what_it_believed_at_each_moment_about_each_date(api_as):
    before_seeds = database_now()
    call_command("load_seeds", verbosity=0)
    ceasefire = Obligation.objects.get(
        clause__agreement__code="daraa-2021-08-31",
        clause__key="ceasefire",
        key="government-forces-cease-fire",
    )
    seeds_only = database_now()
    analyst = make_role_user("analyst")
    first = assessment_record(
        obligation=ceasefire,
        status="complied",
        level=3,
        valid_from=D(2021, 8, 31),
        rationale="No source in the material reports fighting between the agreement of 31 "
        "August and its collapse on 3 September 2021.",
        author=analyst,
    )
    after_first = database_now()
    correction = assessment_record(
        obligation=ceasefire,
        status="partially_complied",
        level=2,
        valid_from=D(2021, 8, 31),
        rationale="STJ dates the siege of Daraa al-Balad from 24 June to 6 September 2021: it "
        "went on after the agreement, though no fighting is reported before 3 September.",
        author=analyst,
        supersedes=first,
    )
    after_correction = database_now()
    assessment_review(
        assessment=correction,
        reviewer=make_role_user("lead"),
        state="rejected",
        note="The siege is judged under the lift-siege obligation; this one is about fire.",
    )
    after_rejection = database_now()
    client = api_as("viewer")

    def status(as_of: str | None, valid_on: str) -> str | None:
        params = {"valid_on": valid_on} | ({"as_of": as_of} if as_of else {})
        response = client.get(f"/api/v1/obligations/{ceasefire.pk}/", params)
        assert response.status_code == 200, response.content
        return response.json()["current_status"]

    assert status(seeds_only, "2021-09-01") is None
    assert status(after_first, "2021-09-01") == "complied"
    assert status(after_correction, "2021-09-01") == "partially_complied"
    assert status(after_rejection, "2021-09-01") == "complied"
    assert status(None, "2021-09-01") == "complied"
    for moment in (seeds_only, after_first, after_correction, after_rejection, None):
        assert status(moment, "2021-09-05") == "disputed"
    before = client.get(f"/api/v1/obligations/{ceasefire.pk}/", {"as_of": before_seeds})
    assert before.status_code == 404


def test_the_worked_example_reads_the_same_through_the_list(api_as):
    call_command("load_seeds", verbosity=0)
    ceasefire = Obligation.objects.get(
        clause__agreement__code="daraa-2021-08-31",
        clause__key="ceasefire",
        key="government-forces-cease-fire",
    )
    seeds_only = database_now()
    assessment_record(
        obligation=ceasefire,
        status="complied",
        valid_from=D(2021, 8, 31),
        rationale="No source in the material reports fighting before 3 September 2021.",
        author=make_role_user("analyst"),
    )
    client = api_as("viewer")

    def listed(**params: str) -> list[tuple[str, str | None]]:
        response = client.get(
            "/api/v1/obligations/",
            {"agreement": "daraa-2021-08-31", "q": "government-forces-cease-fire", **params},
        )
        assert response.status_code == 200, response.content
        return [(row["key"], row["current_status"]) for row in response.json()["results"]]

    assert listed(as_of=seeds_only, valid_on="2021-09-01") == [
        ("government-forces-cease-fire", None)
    ]
    assert listed(valid_on="2021-09-01") == [("government-forces-cease-fire", "complied")]
    assert listed(as_of=seeds_only, status="complied", valid_on="2021-09-01") == []
    assert listed(status="complied", valid_on="2021-09-01") == [
        ("government-forces-cease-fire", "complied")
    ]
