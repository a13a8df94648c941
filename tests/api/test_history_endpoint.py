"""GET /api/v1/<resource>/{id}/history/: a record's changes, for whoever may read the record."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import Clause, Obligation
from tests import builders
from tests.api.resources import RESOURCES

pytestmark = pytest.mark.django_db


def test_an_obligations_history_after_an_api_patch_shows_the_change_who_channel_and_reason(
    api_as,
):
    obligation = builders.obligation(action_en="Open the road")
    client = api_as("lead")
    patched = client.patch(
        f"/api/v1/obligations/{obligation.pk}/",
        {"action_en": "Open the road by noon"},
        HTTP_X_CHANGE_REASON="Deadline per North Press 64449",
    )
    assert patched.status_code == 200

    response = client.get(f"/api/v1/obligations/{obligation.pk}/history/")

    assert response.status_code == 200
    latest = response.json()["results"][0]
    assert latest["action"] == "update"
    assert latest["changes"] == {
        "action_en": {"before": "Open the road", "after": "Open the road by noon"}
    }
    assert (latest["who"], latest["channel"], latest["reason"]) == (
        "lead-user",
        "api",
        "Deadline per North Press 64449",
    )
    assert latest["model"] == "agreements.Obligation"
    assert latest["object_id"] == obligation.pk
    assert latest["request_id"] == patched["X-Request-ID"]


@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_every_resource_offers_its_history_to_a_viewer(api_as, resource):
    row = resource.make()

    response = api_as("viewer").get(f"/api/v1/{resource.route}/{row.pk}/history/")

    assert response.status_code == 200
    assert response.json()["results"][-1]["action"] == "insert"


def test_anonymous_callers_get_401_in_the_error_shape(api_as):
    obligation = builders.obligation()

    response = api_as("anonymous").get(f"/api/v1/obligations/{obligation.pk}/history/")

    assert response.status_code == 401
    assert response.json()["error"]["status"] == 401


def test_a_user_without_the_view_permission_gets_403(api_as, django_user_model):
    from tests.api.conftest import token_client

    obligation = builders.obligation()
    nobody = django_user_model.objects.create_user(username="no-role", password="x")

    response = token_client(nobody).get(f"/api/v1/obligations/{obligation.pk}/history/")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_an_id_that_never_existed_is_404(api_as):
    response = api_as("viewer").get("/api/v1/obligations/987654/history/")

    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404


def test_a_deleted_record_still_has_its_history(api_as):
    source = builders.source(title="Duplicate report")
    client = api_as("analyst")
    client.delete(f"/api/v1/sources/{source.pk}/", HTTP_X_CHANGE_REASON="Duplicate")

    response = client.get(f"/api/v1/sources/{source.pk}/history/")

    assert response.status_code == 200
    deleted = response.json()["results"][0]
    assert (deleted["action"], deleted["reason"], deleted["who"]) == (
        "delete",
        "Duplicate",
        "analyst-user",
    )
    assert deleted["changes"]["title"] == {"before": "Duplicate report", "after": None}


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_history_costs_the_same_queries_with_5_and_with_50_events(api_as):
    client = api_as("viewer")
    urls = []
    for edits in (5, 50):
        clause = builders.clause()
        obligation = builders.obligation(clause=clause, beneficiary=builders.party())
        builders.assessment(obligation=obligation)
        for n in range(edits):
            Obligation.objects.filter(pk=obligation.pk).update(note=f"Note {n}")
            Clause.objects.filter(pk=clause.pk).update(summary_en=f"Summary {n}")
        urls.append(f"/api/v1/clauses/{clause.pk}/history/?page_size=500")
    client.get(urls[0])  # warm up: the token's last-used time is written once a minute

    assert _queries(client, urls[0]) == _queries(client, urls[1])
