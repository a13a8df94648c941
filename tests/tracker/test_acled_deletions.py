"""ACLED's deletion lists remove withdrawn events, or flag them where claims cite them."""

import io

import pytest
from django.core.management import CommandError, call_command

from tests import builders
from tests.tracker.acled_helpers import acled_parties, fixture_text
from tracker.imports.acled import import_text
from tracker.models import Incident

pytestmark = pytest.mark.django_db


@pytest.fixture
def deletions(tmp_path):
    acled_parties()
    import_text(fixture_text())
    path = tmp_path / "deleted.csv"
    path.write_text(
        "event_id_cnty,deleted_timestamp\nSYR90001,1633000000\nSYR90004,1633000000\n"
        "SYR99999,1633000000\n",
        encoding="utf-8",
    )
    return path


def test_withdrawn_events_are_deleted_with_the_reason_and_cited_ones_only_flagged(deletions):
    cited = Incident.objects.get(acled_event_id="SYR90001")
    builders.breach_claim(incident=cited)
    plain = Incident.objects.get(acled_event_id="SYR90004")
    out = io.StringIO()

    call_command(
        "import_incidents",
        "--deletions",
        str(deletions),
        "--reason",
        "ACLED deletions list",
        stdout=out,
    )

    assert "1 removed, 1 flagged (cited by claims or judgements), 1 not in the tracker" in (
        out.getvalue()
    )
    assert not Incident.objects.filter(pk=plain.pk).exists()
    cited.refresh_from_db()
    assert cited.acled_withdrawn_at is not None
    deleted = Incident.pgh_event_model.objects.get(pgh_obj_id=plain.pk, pgh_label="delete")
    assert deleted.pgh_context["reason"] == "ACLED deletions list"
    assert Incident.objects.count() == 45


def test_deletions_need_a_reason(deletions):
    with pytest.raises(CommandError, match="needs a reason"):
        call_command("import_incidents", "--deletions", str(deletions), stdout=io.StringIO())
    assert Incident.objects.count() == 46


def test_a_dry_run_of_deletions_changes_nothing(deletions):
    out = io.StringIO()

    call_command(
        "import_incidents",
        "--deletions",
        str(deletions),
        "--dry-run",
        "--reason",
        "check",
        stdout=out,
    )

    assert "Dry run, nothing written. Deletions: 2 removed" in out.getvalue()
    assert Incident.objects.count() == 46
