"""``as_of`` answers with what the tracker had recorded at a moment, whatever changed since.

History rows are stamped with their transaction's start time, so these tests commit each step
(transactional database) and read moments from the database's own clock between steps.
"""

import datetime

import pytest
from django.db import connection

from tests import builders

pytestmark = pytest.mark.django_db(transaction=True)


def database_now() -> str:
    """The present moment by the clock that stamps history rows, as an as_of value."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        moment: datetime.datetime = cursor.fetchone()[0]
    return moment.isoformat()


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_an_agreement_read_as_of_before_an_edit_shows_the_title_it_had_then(api_as):
    lead = api_as("lead")
    agreement = builders.agreement(title_en="Daraa al-Balad agreement")
    before = database_now()

    edited = lead.patch(
        f"/api/v1/agreements/{agreement.pk}/", {"title_en": "Daraa al-Balad agreement, 31 Aug"}
    )
    then = lead.get(f"/api/v1/agreements/{agreement.pk}/", {"as_of": before})
    listed_then = lead.get("/api/v1/agreements/", {"as_of": before})
    now = lead.get(f"/api/v1/agreements/{agreement.pk}/")

    assert edited.status_code == 200
    assert then.status_code == 200
    assert then.json()["title_en"] == "Daraa al-Balad agreement"
    assert "ETag" in then
    assert [row["title_en"] for row in results(listed_then)] == ["Daraa al-Balad agreement"]
    assert now.json()["title_en"] == "Daraa al-Balad agreement, 31 Aug"


def test_a_clause_created_after_the_moment_is_absent_as_of_that_moment(api_as):
    lead = api_as("lead")
    agreement = builders.agreement()
    builders.clause(agreement=agreement, key="ceasefire")
    before = database_now()

    created = lead.post(
        "/api/v1/clauses/",
        {
            "agreement": agreement.pk,
            "key": "checkpoints",
            "topic": builders.topic().pk,
            "summary_en": "Checkpoints around the city.",
        },
    )
    clause_id = created.json()["id"]
    listed_then = lead.get("/api/v1/clauses/", {"as_of": before})
    detail_then = lead.get(f"/api/v1/clauses/{clause_id}/", {"as_of": before})
    detail_later = lead.get(f"/api/v1/clauses/{clause_id}/", {"as_of": database_now()})

    assert created.status_code == 201
    assert [row["key"] for row in results(listed_then)] == ["ceasefire"]
    assert detail_then.status_code == 404
    assert detail_later.status_code == 200
    assert detail_later.json()["agreement"] == {"id": agreement.pk, "code": agreement.code}


def test_a_deleted_obligation_is_present_as_of_before_the_delete(api_as):
    admin = api_as("admin")
    obligation = builders.obligation(action_en="Hand over light weapons")
    before = database_now()

    deleted = admin.delete(
        f"/api/v1/obligations/{obligation.pk}/", HTTP_X_CHANGE_REASON="Entered twice"
    )
    after = database_now()
    detail_then = admin.get(f"/api/v1/obligations/{obligation.pk}/", {"as_of": before})
    listed_then = admin.get("/api/v1/obligations/", {"as_of": before})
    detail_after = admin.get(f"/api/v1/obligations/{obligation.pk}/", {"as_of": after})

    assert deleted.status_code == 204
    assert detail_then.status_code == 200
    assert detail_then.json()["action_en"] == "Hand over light weapons"
    assert detail_then.json()["agreement"] == obligation.clause.agreement.code
    assert [row["id"] for row in results(listed_then)] == [obligation.pk]
    assert detail_after.status_code == 404
    assert results(admin.get("/api/v1/obligations/", {"as_of": after})) == []


def test_an_obligation_as_of_a_moment_shows_the_obligor_and_prerequisites_it_had_then(api_as):
    lead = api_as("lead")
    clause = builders.clause()
    handover = builders.obligation(clause=clause, key="hand-over-weapons")
    checkpoints = builders.obligation(clause=clause, key="deploy-checkpoints")
    withdrawal = builders.obligation(clause=clause, key="withdraw")
    first_obligor = withdrawal.obligor
    lead.patch(f"/api/v1/obligations/{withdrawal.pk}/", {"depends_on": [handover.pk]})
    before = database_now()

    changed = lead.patch(
        f"/api/v1/obligations/{withdrawal.pk}/",
        {"obligor": builders.party().pk, "depends_on": [handover.pk, checkpoints.pk]},
    )
    then = lead.get(f"/api/v1/obligations/{withdrawal.pk}/", {"as_of": before}).json()
    now = lead.get(f"/api/v1/obligations/{withdrawal.pk}/").json()

    assert changed.status_code == 200
    assert then["obligor"] == {
        "id": first_obligor.pk,
        "key": first_obligor.key,
        "name_en": first_obligor.name_en,
    }
    assert then["depends_on"] == [handover.pk]
    assert sorted(now["depends_on"]) == sorted([handover.pk, checkpoints.pk])


def test_an_agreement_as_of_a_moment_lists_the_party_roles_it_had_then(api_as):
    lead = api_as("lead")
    agreement = builders.agreement()
    government = builders.party(name_en="Government of Syria")
    lead.post(
        "/api/v1/agreement-parties/",
        {"agreement": agreement.pk, "party": government.pk, "role": "signatory"},
    )
    before = database_now()

    lead.post(
        "/api/v1/agreement-parties/",
        {"agreement": agreement.pk, "party": builders.party().pk, "role": "mediator"},
    )
    then = lead.get(f"/api/v1/agreements/{agreement.pk}/", {"as_of": before}).json()

    assert [(role["party"]["key"], role["role"]) for role in then["party_roles"]] == [
        (government.key, "signatory")
    ]


def test_filters_and_search_apply_to_the_values_recorded_then(api_as):
    lead = api_as("lead")
    agreement = builders.agreement(title_en="Daraa al-Balad agreement", status="in_force")
    mediator = builders.party()
    before = database_now()

    lead.patch(
        f"/api/v1/agreements/{agreement.pk}/",
        {"title_en": "Collapsed deal", "status": "collapsed", "ended_on": "2021-09-07"},
    )
    lead.post(
        "/api/v1/agreement-parties/",
        {"agreement": agreement.pk, "party": mediator.pk, "role": "mediator"},
    )

    def ids(**params: str) -> list[int]:
        return [row["id"] for row in results(lead.get("/api/v1/agreements/", params))]

    assert ids(as_of=before, status="in_force") == [agreement.pk]
    assert ids(as_of=before, status="collapsed") == []
    assert ids(as_of=before, q="Balad") == [agreement.pk]
    assert ids(as_of=before, q="Collapsed") == []
    assert ids(as_of=before, party=mediator.key) == []
    assert ids(as_of=database_now(), party=mediator.key) == [agreement.pk]
