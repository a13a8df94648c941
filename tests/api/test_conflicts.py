"""A delete that would orphan records is refused with 409, naming what depends on it."""

import pytest

from tests import builders


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("route", "make_dependent", "dependent_type"),
    [
        ("parties", lambda: builders.obligation().obligor, "obligation"),
        ("agreements", lambda: builders.clause().agreement, "clause"),
        ("sources", lambda: builders.clause_account().source, "clauseaccount"),
        ("incidents", lambda: builders.breach_claim().incident, "breachclaim"),
        ("obligations", lambda: builders.assessment().obligation, "complianceassessment"),
        ("topics", lambda: builders.clause().topic, "clause"),
    ],
)
def test_deleting_a_record_others_depend_on_is_a_409_naming_them(
    api_as, route, make_dependent, dependent_type
):
    row = make_dependent()

    response = api_as("admin").delete(
        f"/api/v1/{route}/{row.pk}/", HTTP_X_CHANGE_REASON="Duplicate"
    )

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "protected"
    assert dependent_type in {d["type"] for d in error["dependents"]}
    assert type(row).objects.filter(pk=row.pk).exists()
