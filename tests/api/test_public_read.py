"""Anonymous access: closed by default; a setting opens published agreements only."""

import pytest

from tests import builders


@pytest.fixture
def published_and_draft(db):
    published = builders.agreement(is_published=True)
    draft = builders.agreement(is_published=False)
    return (
        builders.obligation(clause=builders.clause(agreement=published)),
        builders.obligation(clause=builders.clause(agreement=draft)),
    )


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.django_db
def test_with_public_read_on_anonymous_users_see_published_agreements_only(
    api_as, settings, published_and_draft
):
    settings.API_PUBLIC_READ = True
    published, draft = published_and_draft
    client = api_as("anonymous")

    assert ids(client.get("/api/v1/obligations/")) == {published.pk}
    assert ids(client.get("/api/v1/clauses/")) == {published.clause_id}
    assert ids(client.get("/api/v1/agreements/")) == {published.clause.agreement_id}
    assert client.get(f"/api/v1/obligations/{draft.pk}/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "route", ["incidents", "sources", "assessments", "breach-claims", "parties"]
)
def test_incidents_sources_and_judgements_are_never_public(api_as, settings, route):
    settings.API_PUBLIC_READ = True

    assert api_as("anonymous").get(f"/api/v1/{route}/").status_code == 401


@pytest.mark.django_db
def test_public_read_never_allows_anonymous_writes(api_as, settings, published_and_draft):
    settings.API_PUBLIC_READ = True
    published, _ = published_and_draft

    response = api_as("anonymous").patch(
        f"/api/v1/obligations/{published.pk}/", {"note": "x"}, format="json"
    )

    assert response.status_code == 401


@pytest.mark.django_db
def test_without_the_setting_anonymous_users_get_401_everywhere(api_as, published_and_draft):
    assert api_as("anonymous").get("/api/v1/agreements/").status_code == 401
