"""Past and dated lists cost the same number of queries at 10 rows as at 100."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements.models import AgreementParty, ObligationDependency
from tests import builders

pytestmark = pytest.mark.django_db


def queries_for(client, url: str, params: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return len(captured.captured_queries)


@pytest.fixture
def hundred_obligations() -> None:
    """Obligations with everything an as-of page reads: clause, agreement and its roles,
    obligor, beneficiary, a prerequisite and judgements."""
    agreement = builders.agreement()
    previous = None
    for n in range(100):
        clause = builders.clause(agreement=agreement, parent=None)
        obligation = builders.obligation(clause=clause, beneficiary=builders.party())
        AgreementParty.objects.create(
            agreement=builders.agreement(), party=obligation.obligor, role="signatory"
        )
        builders.assessment(obligation=obligation, valid_from=datetime.date(2021, 9, n % 28 + 1))
        if previous is not None:
            ObligationDependency.objects.create(obligation=obligation, prerequisite=previous)
        previous = obligation


@pytest.mark.parametrize(
    ("route", "with_valid_on"),
    [("obligations", True), ("obligations", False), ("clauses", False), ("agreements", False)],
)
def test_a_past_list_costs_the_same_queries_at_any_page_size(
    api_as, hundred_obligations, route, with_valid_on
):
    client = api_as("admin")
    params = {"as_of": timezone.now().isoformat()}
    if with_valid_on:
        params["valid_on"] = "2021-09-15"
    url = f"/api/v1/{route}/"
    client.get(url)  # warm up: the token's last-used time is written once a minute

    small = queries_for(client, url, params | {"page_size": "10"})
    large = queries_for(client, url, params | {"page_size": "100"})

    assert small == large


def test_a_dated_obligation_list_costs_the_same_queries_at_any_page_size(
    api_as, hundred_obligations
):
    client = api_as("admin")
    client.get("/api/v1/obligations/")

    small = queries_for(
        client, "/api/v1/obligations/", {"valid_on": "2021-09-15", "page_size": "10"}
    )
    large = queries_for(
        client, "/api/v1/obligations/", {"valid_on": "2021-09-15", "page_size": "100"}
    )

    assert small == large
