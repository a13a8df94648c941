"""The admin index is the start page: what awaits my review, deadlines, the latest incidents
and my recent changes, each a short list linking to the full one, at a constant query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements.models import Source
from tests import builders
from tests.admin_helpers import admin_url
from tracker.models import ComplianceAssessment, Incident

pytestmark = pytest.mark.django_db

INDEX = "/admin/"


def _panel(html: str, key: str) -> str:
    """One panel's HTML (a panel holds no nested <div>)."""
    start = html.index(f'id="start-{key}"')
    return html[start : html.index("</div>", start)]


def _obligation_due(days_from_today: int):
    due = timezone.localdate() + datetime.timedelta(days=days_from_today)
    return builders.obligation(due_on=due, due_precision="day")


def test_a_lead_sees_what_awaits_their_review_but_not_their_own(lead, analyst, client_as):
    theirs = builders.assessment(author=analyst)
    own = builders.assessment(author=lead)

    html = client_as(lead).get(INDEX).content.decode()

    assert admin_url(ComplianceAssessment, "change", theirs.pk) in html
    assert admin_url(ComplianceAssessment, "change", own.pk) not in html
    assert "?queue=mine" in html


def test_an_analyst_has_no_review_list(analyst, client_as):
    builders.assessment()

    html = client_as(analyst).get(INDEX).content.decode()

    assert 'id="start-overdue"' in html
    assert 'id="start-review"' not in html


def test_each_list_shows_ten_and_says_how_many_more(lead, analyst, client_as):
    for _ in range(13):
        builders.assessment(author=analyst)

    html = client_as(lead).get(INDEX).content.decode()

    review = _panel(html, "review")
    assert review.count("<li>") == 10
    assert "(13)" in review
    assert "3 more" in review


def test_overdue_and_due_soon_obligations_follow_the_deadlines_report(lead, client_as):
    late = _obligation_due(-3)
    soon = _obligation_due(10)
    later = _obligation_due(60)
    met = _obligation_due(-5)
    builders.assessment(
        obligation=met,
        status="complied",
        valid_from=timezone.localdate() - datetime.timedelta(days=6),
    )

    html = client_as(lead).get(INDEX).content.decode()
    overdue, due_soon = _panel(html, "overdue"), _panel(html, "due-soon")

    assert admin_url(late.__class__, "change", late.pk) in overdue
    assert admin_url(soon.__class__, "change", soon.pk) in due_soon
    assert admin_url(later.__class__, "change", later.pk) not in html
    assert admin_url(met.__class__, "change", met.pk) not in html
    assert "/reports/deadlines/?days=30" in html


def test_the_latest_incidents_link_to_their_pages(analyst, client_as):
    old = builders.incident(occurred_on=datetime.date(2019, 1, 1))
    new = [builders.incident(occurred_on=datetime.date(2021, 9, day)) for day in range(1, 12)]

    html = client_as(analyst).get(INDEX).content.decode()
    incidents = _panel(html, "incidents")

    assert admin_url(Incident, "change", new[-1].pk) in incidents
    assert admin_url(Incident, "change", old.pk) not in incidents
    assert incidents.count("<li>") == 10


def test_my_recent_changes_come_from_the_audit_trail(lead, analyst, client_as):
    source = builders.source()
    judgement = builders.assessment(author=analyst)
    # The analyst's change, through the admin, is theirs ...
    client_as(analyst).post(
        admin_url(Source, "delete", source.pk), {"reason": "A duplicate.", "post": "yes"}
    )
    # ... and the lead's review is the lead's.
    client = client_as(lead)
    client.post(
        admin_url(ComplianceAssessment, "changelist"),
        {
            "action": "approve_selected",
            "_selected_action": [judgement.pk],
            "note": "Fine.",
            "confirm": "yes",
        },
    )

    changes = _panel(client.get(INDEX).content.decode(), "changes")

    assert changes.count("<li>") == 1
    assert admin_url(ComplianceAssessment, "change", judgement.pk) in changes
    assert f"/reports/audit/?user={lead.username}" in changes
    analysts = _panel(client_as(analyst).get(INDEX).content.decode(), "changes")
    assert admin_url(Source, "history", source.pk) in analysts
    # The audit report is for leads: an analyst's list has no link to it.
    assert "/reports/audit/" not in analysts


def _index_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(INDEX).status_code == 200
    return len(captured.captured_queries)


def test_the_start_page_costs_as_many_queries_for_many_rows_as_for_few(lead, analyst, client_as):
    client = client_as(lead)

    def add(n: int) -> None:
        for _ in range(n):
            builders.assessment(author=analyst)
            builders.incident()
            _obligation_due(-2)
            _obligation_due(5)

    add(2)
    client.get(INDEX)  # settles per-process caches (content types, permissions)
    few = _index_queries(client)
    add(20)
    many = _index_queries(client)

    assert many == few
