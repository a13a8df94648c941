"""The admin's "History" button shows the audit trail: who, when, through which channel, why,
and each field before and after, including changes to the record's children."""

import html
import re

from django.contrib import admin

from agreements.models import Clause, Obligation, Party
from history.admin import AuditedAdminMixin
from history.readers import is_audited
from tests import builders
from tests.admin_helpers import admin_url, domain_models, submitted_form


def change_rows(page: str) -> list[tuple[str, str, str]]:
    """(field, before, after) for every row of every changes table on the history page."""
    rows = re.findall(
        r'<th scope="row">([^<]*)</th>\s*<td dir="auto">([^<]*)</td>\s*<td dir="auto">([^<]*)</td>',
        page,
    )
    return [tuple(html.unescape(cell).strip() for cell in row) for row in rows]


def test_every_audited_admin_page_of_both_apps_reads_its_history_from_the_trail():
    audited = [model for model in domain_models() if is_audited(model)]

    assert {model._meta.app_label for model in audited} == {"agreements", "tracker"}
    for model in audited:
        assert isinstance(admin.site._registry[model], AuditedAdminMixin), model


def test_the_history_page_shows_an_edit_before_and_after_with_the_editor_and_channel(
    lead, client_as
):
    party = builders.party(name_en="Central Committee of Daraa")
    client = client_as(lead)
    url = admin_url(Party, "change", party.pk)
    data = submitted_form(client.get(url))
    data.update(name_en=["Daraa Central Committee"])
    assert client.post(url, data).status_code == 302

    response = client.get(admin_url(Party, "history", party.pk))

    assert response.status_code == 200
    page = response.content.decode()
    assert ("Name (English)", "Central Committee of Daraa", "Daraa Central Committee") in (
        change_rows(page)
    )
    newest = page.split('class="audit-event')[1]
    assert "lead-user" in newest
    assert "<td>admin</td>" in newest
    assert "Changed" in newest


def test_a_clause_history_page_shows_a_change_to_one_of_its_obligations(lead, client_as):
    obligation = builders.obligation(action_en="Withdraw heavy weapons")
    client = client_as(lead)
    url = admin_url(Obligation, "change", obligation.pk)
    data = submitted_form(client.get(url))
    data.update(action_en=["Withdraw heavy weapons from the old town"])
    assert client.post(url, data).status_code == 302

    page = client.get(admin_url(Clause, "history", obligation.clause_id)).content.decode()

    assert (
        "Action (English)",
        "Withdraw heavy weapons",
        "Withdraw heavy weapons from the old town",
    ) in change_rows(page)
    assert f"(#{obligation.pk})" in page  # labelled with the obligation it belongs to


def test_the_history_page_in_arabic_is_right_to_left(lead, client_as):
    party = builders.party(name_en="Central Committee", name_ar="اللجنة المركزية")

    response = client_as(lead).get(admin_url(Party, "history", party.pk), HTTP_ACCEPT_LANGUAGE="ar")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'dir="rtl"' in page
    assert "اللجنة المركزية" in page


def test_deleting_without_a_reason_is_refused_and_keeps_the_row(analyst, client_as):
    source = builders.source()
    client = client_as(analyst)
    url = admin_url(type(source), "delete", source.pk)
    assert 'name="reason"' in client.get(url).content.decode()

    response = client.post(url, {"post": "yes", "reason": "  "})

    assert response.status_code == 200
    assert "Say why this is deleted; nothing was deleted." in response.content.decode()
    assert type(source).objects.filter(pk=source.pk).exists()


def test_deleting_with_a_reason_deletes_and_the_delete_event_carries_the_reason(analyst, client_as):
    source = builders.source()
    client = client_as(analyst)

    response = client.post(
        admin_url(type(source), "delete", source.pk),
        {"post": "yes", "reason": "Duplicate of the North Press report"},
    )

    assert response.status_code == 302
    assert not type(source).objects.filter(pk=source.pk).exists()
    event = type(source).pgh_event_model.objects.get(pgh_obj_id=source.pk, pgh_label="delete")
    assert event.pgh_context["reason"] == "Duplicate of the North Press report"
    assert (event.pgh_context["username"], event.pgh_context["channel"]) == (
        "analyst-user",
        "admin",
    )


def test_deleting_selected_rows_without_a_reason_is_refused_and_keeps_them(analyst, client_as):
    sources = [builders.source(), builders.source()]
    model = type(sources[0])
    selected = {"action": "delete_selected", "_selected_action": [s.pk for s in sources]}
    client = client_as(analyst)
    asked = client.post(admin_url(model, "changelist"), selected)
    assert 'name="reason"' in asked.content.decode()

    response = client.post(admin_url(model, "changelist"), {**selected, "post": "yes"})

    assert response.status_code == 200
    assert "Say why this is deleted; nothing was deleted." in response.content.decode()
    assert model.objects.filter(pk__in=[s.pk for s in sources]).count() == 2


def test_deleting_selected_rows_with_a_reason_records_it_on_every_delete(analyst, client_as):
    sources = [builders.source(), builders.source()]
    model = type(sources[0])

    response = client_as(analyst).post(
        admin_url(model, "changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [s.pk for s in sources],
            "post": "yes",
            "reason": "Test rows loaded by mistake",
        },
    )

    assert response.status_code == 302
    assert not model.objects.filter(pk__in=[s.pk for s in sources]).exists()
    events = model.pgh_event_model.objects.filter(pgh_label="delete")
    assert {event.pgh_context["reason"] for event in events} == {"Test rows loaded by mistake"}
    assert events.count() == 2


def test_a_deleted_rows_history_page_still_says_who_deleted_it_and_why(role_admin, client_as):
    source = builders.source(title="Misfiled report")
    client = client_as(role_admin)
    client.post(
        admin_url(type(source), "delete", source.pk),
        {"post": "yes", "reason": "Misfiled"},
    )

    response = client.get(admin_url(type(source), "history", source.pk))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Deleted" in page
    assert "Misfiled</td>" in page
    assert ("Title", "Misfiled report", "—") in change_rows(page)
