"""Public read (API_PUBLIC_READ=1) matches the README: anonymous users see statuses from
approved judgements only, and exactly the fields listed there."""

import datetime

import pytest
from django.contrib.auth.models import User

from tests import builders
from tests.conftest import make_role_user
from tracker.choices import ReviewState
from tracker.services import assessment_review

# The README's "Public read" table, field for field.
PUBLIC_FIELDS = {
    "agreements": {
        "id", "code", "title_en", "title_ar", "signed_on", "signed_precision", "effective_on",
        "ended_on", "status", "stage", "place_en", "place_ar", "summary_en", "summary_ar",
        "text_reference", "is_published", "party_roles",
    },
    "agreements.party_roles": {"id", "agreement", "party", "role"},
    "clauses": {
        "id", "agreement", "key", "label", "position", "parent", "topic", "summary_en",
        "summary_ar", "retired_on", "retired_reason",
    },
    "obligations": {
        "id", "agreement", "clause", "key", "obligor", "beneficiary", "modality", "action_en",
        "action_ar", "due_on", "due_precision", "due_days_after_signature", "due_date",
        "depends_on", "current_status", "current_level", "current_valid_from",
    },
}  # fmt: skip


@pytest.fixture
def published(db):
    agreement = builders.agreement(is_published=True)
    party = builders.party()
    agreement.party_roles.create(party=party, role="signatory", note="Signed in Daraa.")
    return builders.obligation(clause=builders.clause(agreement=agreement))


def judge(obligation, status: str, state: str, day: int):
    made = builders.assessment(
        obligation=obligation, status=status, valid_from=datetime.date(2021, 9, day)
    )
    if state != ReviewState.PENDING:
        assessment_review(
            assessment=made, reviewer=reviewer(), state=state, note="Checked against sources."
        )
    return made


def reviewer() -> User:
    return User.objects.filter(username="lead-user").first() or make_role_user("lead")


@pytest.mark.django_db
def test_anonymous_users_see_the_status_of_the_latest_approved_judgement_only(
    api_as, settings, published
):
    settings.API_PUBLIC_READ = True
    judge(published, "complied", ReviewState.APPROVED, 6)
    judge(published, "not_complied", ReviewState.PENDING, 7)
    judge(published, "disputed", ReviewState.REJECTED, 8)

    public = api_as("anonymous").get(f"/api/v1/obligations/{published.pk}/").json()
    listed = api_as("anonymous").get("/api/v1/obligations/").json()["results"]
    signed_in = api_as("viewer").get(f"/api/v1/obligations/{published.pk}/").json()

    assert public["current_status"] == "complied"
    assert [row["current_status"] for row in listed] == ["complied"]
    assert signed_in["current_status"] == "not_complied"


@pytest.mark.django_db
def test_a_pending_correction_does_not_hide_the_approved_judgement_from_the_public(
    api_as, settings, published
):
    settings.API_PUBLIC_READ = True
    approved = judge(published, "complied", ReviewState.APPROVED, 6)
    builders.assessment(
        obligation=published, status="not_complied", supersedes=approved,
        valid_from=datetime.date(2021, 9, 6),
    )  # fmt: skip

    public = api_as("anonymous").get(f"/api/v1/obligations/{published.pk}/").json()
    filtered = api_as("anonymous").get("/api/v1/obligations/", {"status": "complied"}).json()

    assert public["current_status"] == "complied"
    assert [row["id"] for row in filtered["results"]] == [published.pk]


@pytest.mark.django_db
def test_an_obligation_with_no_approved_judgement_shows_no_status_to_the_public(
    api_as, settings, published
):
    settings.API_PUBLIC_READ = True
    judge(published, "complied", ReviewState.PENDING, 6)

    public = api_as("anonymous").get(f"/api/v1/obligations/{published.pk}/").json()

    assert public["current_status"] is None
    assert public["current_level"] is None


@pytest.mark.django_db
def test_anonymous_users_read_exactly_the_fields_the_readme_lists(api_as, settings, published):
    settings.API_PUBLIC_READ = True
    judge(published, "complied", ReviewState.APPROVED, 6)
    client = api_as("anonymous")

    shown = {}
    for route in ("agreements", "clauses", "obligations"):
        listed = client.get(f"/api/v1/{route}/").json()["results"]
        detail = client.get(f"/api/v1/{route}/{listed[0]['id']}/").json()
        assert set(listed[0]) == set(detail)
        shown[route] = set(detail)
        if route == "agreements":
            assert detail["party_roles"], "the example agreement has a party role"
            shown["agreements.party_roles"] = set(detail["party_roles"][0])

    assert shown == PUBLIC_FIELDS


@pytest.mark.django_db
def test_the_readme_lists_the_same_public_fields():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("### Public read", 1)[1].split("\n#", 1)[0]
    for resource, fields in PUBLIC_FIELDS.items():
        line = next(row for row in section.splitlines() if row.startswith(f"| `{resource}`"))
        listed = {field.strip(" `") for field in line.split("|")[2].split(",")}
        assert listed == fields, resource


@pytest.mark.django_db
def test_related_records_reach_the_public_in_their_brief_form(api_as, settings, published):
    settings.API_PUBLIC_READ = True

    shown = api_as("anonymous").get(f"/api/v1/obligations/{published.pk}/").json()
    clause = api_as("anonymous").get(f"/api/v1/clauses/{published.clause_id}/").json()

    assert set(shown["clause"]) == {"id", "key"}
    assert set(shown["obligor"]) == {"id", "key", "name_en"}
    assert set(clause["agreement"]) == {"id", "code"}
    assert clause["topic"] is None or set(clause["topic"]) == {"id", "code", "name_en"}
    for closed in ("tokens", "audit", "reports/deadlines", f"obligations/{published.pk}/history"):
        assert api_as("anonymous").get(f"/api/v1/{closed}/").status_code == 401, closed
