"""A report reads the live table of each model nothing was committed to after its known_at
(history.moments.read_known) and says exactly what the history tables say about that moment:
asked again after later changes, from history, it gives the same figures and hides the
changes. Each write here commits on its own, as users' writes do."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import Obligation
from history.moments import Moment, moment_at, read_known
from tests import builders
from tracker.reports.registry import REPORTS

pytestmark = pytest.mark.django_db(transaction=True)

# The audit report reads the audit trail itself, whichever way the moment is read.
READ_FROM_LIVE_TABLES = sorted(set(REPORTS) - {"audit"})


def run(name: str, **extra: str) -> tuple[dict, list[str]]:
    """The report's content and the SQL it ran."""
    with CaptureQueriesContext(connection) as queries:
        result = REPORTS[name].run({**REPORTS[name].example, **extra})
    return result.content(), [query["sql"] for query in queries.captured_queries]


def reads_history(statements: list[str]) -> bool:
    """Whether any statement read a column of an event table (each is named "<model>event");
    the check of which tables changed only probes them."""
    return any('event".' in sql for sql in statements)


def test_known_now_reads_live_tables_and_history_says_the_same_after_later_changes():
    call_command("load_seeds", stdout=io.StringIO())
    now = {name: run(name) for name in READ_FROM_LIVE_TABLES}
    for name, (_, statements) in now.items():
        assert not reads_history(statements), name

    obligation = Obligation.objects.filter(clause__agreement__code="daraa-2021-09-06").first()
    builders.assessment(
        obligation=obligation, status="not_complied", valid_from=datetime.date(2021, 9, 7)
    )
    builders.incident(occurred_on=datetime.date(2021, 9, 7), admin1="Daraa", fatalities=9)

    changed = 0
    for name, (content, _) in now.items():
        known_at = content["parameters"]["known_at"]
        again, replayed = run(name, known_at=known_at)
        assert reads_history(replayed), name
        assert again == content, name
        changed += run(name)[0]["tables"] != content["tables"]
    # The changes show when known now, so the equalities above could have failed.
    assert changed >= 2


def test_a_commit_landing_during_a_live_read_sends_the_read_back_to_history():
    moment = moment_at()
    obligation = builders.obligation()
    asked: list[bool] = []

    def read(seen: Moment) -> str:
        live = "tracker.ComplianceAssessment" in seen.unchanged
        asked.append(live)
        if live:
            # Another writer commits while the report reads the live tables.
            builders.assessment(obligation=obligation, status="complied")
        return "live" if live else "history"

    assert read_known(moment_at(), read) == "history"
    assert asked == [True, False]
    # Obligations changed after the first moment, assessments did not.
    unchanged = read_known(moment, lambda seen: seen.unchanged)
    assert "agreements.Obligation" not in unchanged
    assert "tracker.Incident" in unchanged
