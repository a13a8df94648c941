"""The audit report: who changed what, through which channel, why and how, over a period."""

import datetime
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from history.chain import event_models
from history.context import audit_context
from tests import builders
from tests.api.conftest import token_client
from tests.conftest import make_role_user
from tests.tracker.report_checks import (
    assert_refused_everywhere,
    database_now,
    queries_and_data,
    table,
)

URL = "/api/v1/reports/audit/"


def expected_summary() -> Counter:
    """(user, model, channel, action) -> events, read event by event without the report's SQL."""
    counts: Counter = Counter()
    for event_model in event_models():
        for event in event_model.objects.all():
            context = event.pgh_context or {}
            who = context.get("username") or (
                f"manage.py {context['command']}" if context.get("command") else "system"
            )
            label = event_model.pgh_tracked_model._meta.label
            counts[(who, label, context.get("channel") or "none", event.pgh_label)] += 1
    return counts


@pytest.fixture
def reader(db):
    return token_client(make_role_user("lead"))  # the audit report is for leads and admins


@pytest.mark.django_db
def test_the_counts_by_user_model_and_channel_match_the_trail_read_event_by_event(reader):
    call_command("load_seeds", stdout=io.StringIO())
    analyst = make_role_user("analyst")
    source = builders.source(title="Horan Free League")
    token_client(analyst).patch(
        f"/api/v1/sources/{source.pk}/", {"title": "Horan Free League (site)"}, format="json"
    )
    with audit_context(channel="shell", user=analyst, reason="Typo"):
        builders.source(title="From the shell")

    data = reader.get(URL).json()

    summary = {tuple(row[:4]): row[4] for row in table(data, "summary")}
    assert summary == dict(expected_summary())
    assert summary[("analyst-user", "agreements.Source", "api", "update")] == 1
    assert summary[("analyst-user", "agreements.Source", "shell", "insert")] == 1
    per_user: Counter = Counter()
    for (who, *_rest), events in expected_summary().items():
        per_user[who] += events
    assert dict(map(tuple, table(data, "by_user"))) == dict(per_user)


@pytest.mark.django_db
def test_each_change_is_listed_with_its_reason_and_its_before_and_after(reader):
    analyst = make_role_user("analyst")
    source = builders.source(title="Old title")

    token_client(analyst).patch(
        f"/api/v1/sources/{source.pk}/",
        {"title": "New title"},
        format="json",
        HTTP_X_CHANGE_REASON="The outlet renamed its site",
    )
    rows = table(reader.get(URL, {"model": "source", "user": "analyst-user"}).json(), "changes")

    assert len(rows) == 1
    _seq, _at, who, channel, model, object_id, _name, action, reason, diff = rows[0]
    assert (who, channel, model, object_id, action) == (
        "analyst-user",
        "api",
        "agreements.Source",
        source.pk,
        "update",
    )
    assert reason == "The outlet renamed its site"
    assert diff == 'title: "Old title" -> "New title"'


@pytest.mark.django_db
def test_a_listing_cut_by_the_limit_says_how_many_changes_there_are(reader):
    for n in range(5):
        builders.source(title=f"Source {n}")

    data = reader.get(URL, {"model": "source", "limit": "2"}).json()

    changes = next(t for t in data["tables"] if t["key"] == "changes")
    assert len(changes["rows"]) == 2
    assert "2 most recent of 5" in changes["title"]

    rest = reader.get(URL, {"model": "source", "limit": "2", "offset": "2"}).json()
    page = next(t for t in rest["tables"] if t["key"] == "changes")
    assert "Changes 3-4 (most recent first): 2 of 5 changes" in page["title"]
    assert [row[0] for row in page["rows"]] < [row[0] for row in changes["rows"]]
    everything = reader.get(URL, {"model": "source"}).json()
    every_row = table(everything, "changes")
    last = table(
        reader.get(URL, {"model": "source", "limit": "2", "offset": "4"}).json(), "changes"
    )
    assert changes["rows"] + page["rows"] + last == every_row


# History rows are stamped with their transaction's start, so each write commits on its own.
@pytest.mark.django_db(transaction=True)
def test_known_at_leaves_out_what_was_changed_afterwards(reader):
    builders.source(title="Known then")
    then = database_now()
    builders.source(title="Added later")

    then_rows = table(reader.get(URL, {"model": "source", "known_at": then}).json(), "changes")
    now_rows = table(reader.get(URL, {"model": "source"}).json(), "changes")

    assert len(then_rows) == 1
    assert "Known then" in then_rows[0][6]
    assert len(now_rows) == 2


@pytest.mark.django_db
def test_the_period_keeps_only_changes_recorded_in_it(reader):
    builders.source()
    today = timezone.now().astimezone(datetime.UTC).date()

    yesterday = str(today - datetime.timedelta(days=1))
    before = reader.get(URL, {"model": "source", "from": yesterday, "to": yesterday}).json()
    during = reader.get(URL, {"model": "source", "from": str(today), "to": str(today)}).json()

    assert table(before, "changes") == []
    assert len(table(during, "changes")) == 1


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_trail(reader):
    params = {"model": "source", "limit": "5"}
    for _ in range(5):
        builders.source()
    reader.get(URL, params)
    small, _ = queries_and_data(reader, URL, params)
    for _ in range(50):
        builders.source()
    large, data = queries_and_data(reader, URL, params)

    assert sum(row[4] for row in table(data, "summary")) == 55
    assert large == small


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"model": "no-such-model"}, "model"),
        ({"channel": "fax"}, "channel"),
        ({"from": "2021-09-06", "to": "2021-09-01"}, "to"),
        ({"from": "6 Sept"}, "from"),
        ({"limit": "0"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"known_at": "2999-01-01T00:00:00Z"}, "known_at"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(params, named):
    assert_refused_everywhere("audit", params, named)
