"""The clause page: competing accounts side by side, a permanent key, and no deleting."""

import re

import pytest

from agreements.models import Clause
from tests import builders
from tests.admin_helpers import admin_url, submitted_form


@pytest.fixture
def disputed_clause(db) -> Clause:
    clause = builders.clause(key="checkpoints", summary_en="Checkpoints to be set up")
    builders.clause_account(
        clause=clause,
        source=builders.source(publisher="North Press Agency", reliability="B"),
        form="paraphrase",
        text_en="Nine checkpoints will be set up in Daraa al-Balad.",
        is_working_text=True,
    )
    builders.clause_account(
        clause=clause,
        source=builders.source(publisher="Enab Baladi", reliability="C"),
        form="quote",
        text_en="",
        text_ar="إنشاء أربع نقاط عسكرية في درعا البلد",
        note="Four checkpoints, not nine.",
    )
    return clause


def _comparison(html: str) -> str:
    match = re.search(r'<table class="accounts-side-by-side".*?</table>', html, re.DOTALL)
    assert match, "the page has no side-by-side comparison of accounts"
    return match.group(0)


def test_the_clause_page_shows_both_competing_accounts_in_columns_side_by_side(
    disputed_clause, viewer, client_as
):
    page = client_as(viewer).get(admin_url(Clause, "change", disputed_clause.pk))
    table = _comparison(page.content.decode())

    assert table.count('<th scope="col">') == 2
    assert "North Press Agency" in table
    assert "B: usually reliable" in table
    assert "Nine checkpoints will be set up in Daraa al-Balad." in table
    assert "Enab Baladi" in table
    assert '<td dir="rtl" lang="ar">إنشاء أربع نقاط عسكرية في درعا البلد</td>' in table
    assert "Four checkpoints, not nine." in table
    assert table.count("Working text") == 1


def test_the_working_text_comes_first(disputed_clause, viewer, client_as):
    table = _comparison(
        client_as(viewer).get(admin_url(Clause, "change", disputed_clause.pk)).content.decode()
    )

    assert table.index("North Press Agency") < table.index("Enab Baladi")


def test_a_lead_edits_the_accounts_on_the_same_page(disputed_clause, lead, client_as):
    data = submitted_form(client_as(lead).get(admin_url(Clause, "change", disputed_clause.pk)))

    assert data["accounts-0-text_en"] == ["Nine checkpoints will be set up in Daraa al-Balad."]
    assert data["accounts-1-text_ar"] == ["إنشاء أربع نقاط عسكرية في درعا البلد"]


def test_the_key_and_agreement_cannot_be_changed_once_the_clause_exists(
    disputed_clause, lead, client_as
):
    client = client_as(lead)
    url = admin_url(Clause, "change", disputed_clause.pk)
    data = submitted_form(client.get(url))
    other_agreement = builders.agreement()
    data.update(key=["roadblocks"], agreement=[str(other_agreement.pk)], label=["Art. 3"])

    response = client.post(url, data)

    assert response.status_code == 302
    disputed_clause.refresh_from_db()
    assert disputed_clause.label == "Art. 3"
    assert disputed_clause.key == "checkpoints"
    assert disputed_clause.agreement != other_agreement


def test_a_clause_is_retired_instead_of_deleted(disputed_clause, role_admin, client_as):
    client = client_as(role_admin)
    url = admin_url(Clause, "change", disputed_clause.pk)
    data = submitted_form(client.get(url))
    data.update(retired_on=["2022-01-01"], retired_reason=["Replaced by the 2022 roadmap."])

    delete_page = client.get(admin_url(Clause, "delete", disputed_clause.pk))
    response = client.post(url, data)

    assert delete_page.status_code == 403
    assert response.status_code == 302
    disputed_clause.refresh_from_db()
    assert str(disputed_clause.retired_on) == "2022-01-01"
