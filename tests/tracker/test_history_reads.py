"""History that reads: related records by name, choices by their label, and the reason
wherever the person gave one, on the admin's History page and in the API's history."""

import datetime

import pytest
from django.contrib.auth.models import User

from agreements.models import Obligation
from history.readers import history_of
from tests import builders
from tests.admin_helpers import admin_url
from tests.api.conftest import token_client
from tests.tracker.test_history_admin import change_rows
from tracker.services import assessment_record, assessment_review

RATIONALE = "Two sources saw the checkpoints still manned on 12 September."


@pytest.fixture
def judged(lead: User, analyst: User) -> Obligation:
    """An obligation owed by a party with an Arabic name, judged by the analyst and the
    judgement rejected by the lead with a note."""
    obligor = builders.party(name_en="Central Committee", name_ar="اللجنة المركزية")
    obligation = builders.obligation(
        obligor=obligor, action_en="Remove the checkpoints", action_ar="إزالة الحواجز"
    )
    judgement = assessment_record(
        obligation=obligation,
        status="partially_complied",
        level=1,
        valid_from=datetime.date(2021, 9, 12),
        rationale=RATIONALE,
        author=analyst,
    )
    assessment_review(assessment=judgement, reviewer=lead, state="rejected", note="Too early.")
    return obligation


def _named(obligation: Obligation, action: str) -> str:
    """An obligation as pickers and history name it: agreement · clause · action, the action
    in the reader's language."""
    clause = obligation.clause
    return f"{clause.agreement.code} · {clause.label or clause.key} · {action}"


def _judgement_rows(page: str) -> dict[str, str]:
    """Field -> its newest value after, from the changes tables of the History page."""
    rows: dict[str, str] = {}
    for field, _before, after in change_rows(page):
        rows.setdefault(field, after)
    return rows


def test_a_judgements_creation_names_its_obligation_and_author_and_labels_its_status(
    judged: Obligation, lead: User, client_as
):
    page = client_as(lead).get(admin_url(Obligation, "history", judged.pk)).content.decode()

    rows = _judgement_rows(page)
    assert rows["Obligation"] == _named(judged, "Remove the checkpoints")
    assert rows["Author"] == "analyst-user"
    assert rows["Status"] == "Partially complied"
    assert rows["Review state"] == "Rejected by a lead"
    assert "partially_complied" not in page
    assert f">{judged.pk}<" not in page.split('class="changes"', 1)[1]


def test_the_history_page_shows_the_rationale_and_the_review_note_as_reasons(
    judged: Obligation, lead: User, client_as
):
    page = client_as(lead).get(admin_url(Obligation, "history", judged.pk)).content.decode()

    reasons = [cell.split("</td>")[0] for cell in page.split('<td dir="auto" class="reason">')[1:]]
    assert RATIONALE in reasons  # the judgement's creation
    assert "Too early." in reasons  # its review


def test_the_history_in_arabic_names_records_and_labels_choices_in_arabic(
    judged: Obligation, lead: User, client_as
):
    page = (
        client_as(lead)
        .get(admin_url(Obligation, "history", judged.pk), HTTP_ACCEPT_LANGUAGE="ar")
        .content.decode()
    )

    rows = _judgement_rows(page)
    assert rows["الالتزام"] == _named(judged, "إزالة الحواجز")
    assert rows["الحالة"] == "امتثال جزئي"


def test_the_api_history_gives_readable_changes_beside_the_stored_values(
    judged: Obligation, lead: User
):
    response = token_client(lead).get(f"/api/v1/obligations/{judged.pk}/history/")

    assert response.status_code == 200
    created = next(
        entry
        for entry in response.json()["results"]
        if entry["action"] == "insert" and entry["model"] == "tracker.ComplianceAssessment"
    )
    assert created["reason"] == RATIONALE
    assert created["changes"]["status"]["after"] == "partially_complied"  # stable for scripts
    readable = created["readable_changes"]["status"]
    assert readable == {"label": "Status", "before": None, "after": "Partially complied"}
    assert created["readable_changes"]["obligation"]["after"] == (
        _named(judged, "Remove the checkpoints")
    )


def test_history_reads_related_names_in_one_query_per_related_model(
    judged: Obligation, django_assert_max_num_queries
):
    for _ in range(5):
        builders.assessment(obligation=judged)

    # The obligation's events, its three children tables, one query per related model named
    # in the changes (obligation, party, clause, user) and their own related rows.
    with django_assert_max_num_queries(12):
        entries = history_of(Obligation, judged.pk)
        rows = [row for entry in entries for row in entry.change_rows]

    assert ("Obligation", None, _named(judged, "Remove the checkpoints")) in rows
