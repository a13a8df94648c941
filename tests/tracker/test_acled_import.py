"""Importing an ACLED export: preview counts, rejections, matching, upsert, audit context."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import Source
from tests.tracker.acled_helpers import FIXTURE, acled_parties, fixture_text
from tracker.imports.acled import (
    ACLED_COLUMNS,
    ImportRefused,
    Rejection,
    import_text,
    normalize_name,
)
from tracker.models import Incident, IncidentActor, IncidentSource

pytestmark = pytest.mark.django_db

EXPECTED_REJECTIONS = [
    Rejection(48, "event_id_cnty", "'SYR90002' already appears on row 3."),
    Rejection(
        49,
        "event_date",
        "'2021-02-30' is not a date (write 2021-09-03 or 03 September 2021).",
    ),
    Rejection(50, "sub_event_type", "'Air/drone strike' is not a sub-event type of 'Battles'."),
    Rejection(51, "latitude", "95.2 is out of range (-90..90)."),
]


def events_count() -> int:
    return sum(
        model.pgh_event_model.objects.count() for model in (Incident, IncidentActor, IncidentSource)
    )


def test_a_dry_run_previews_exact_counts_rejections_and_unmatched_actors_and_writes_nothing():
    acled_parties()

    report = import_text(fixture_text(), dry_run=True)

    assert (report.new, report.updated, report.unchanged, report.rejected) == (46, 0, 0, 4)
    assert report.rejections == EXPECTED_REJECTIONS
    assert set(report.unmatched_actors) == {
        "Civilians (Syria)",
        "Unidentified Armed Group (Syria)",
        "Military Forces of Syria (2000-)",
        "Military Forces of Russia (2000-)",
        "Protesters (Syria)",
        "Rioters (Syria)",
    }
    assert sorted(report.new_sources) == [
        "Enab Baladi",
        "Horan Free League",
        "North Press Agency",
        "Step News Agency",
        "Syria Direct",
        "تجمع أحرار حوران",
    ]
    assert Incident.objects.count() == 0
    assert Source.objects.count() == 1


def test_an_import_stores_every_column_and_matches_actors_by_name_alias_and_arabic_spelling():
    parties = acled_parties()

    report = import_text(fixture_text())

    assert (report.new, report.rejected) == (46, 4)
    shelling = Incident.objects.get(acled_event_id="SYR90001")
    assert shelling.key == "acled-syr90001"
    assert (shelling.occurred_on, shelling.date_precision) == (datetime.date(2021, 9, 3), "day")
    assert (shelling.latitude, shelling.longitude) == (Decimal("32.6125"), Decimal("36.1036"))
    assert shelling.civilian_targeting == "Civilian targeting"
    assert (shelling.iso, shelling.region, shelling.interaction) == (760, "Middle East", "17")
    assert shelling.acled_timestamp == 1632700000
    # "Regime Forces" is an alias, in another case; kept as written too.
    actors = list(shelling.actor_roles.values_list("party", "name_as_reported", "side"))
    assert actors == [(parties["forces"].pk, "Regime Forces", 1), (None, "Civilians (Syria)", 2)]
    assert sorted(shelling.sources.values_list("publisher", flat=True)) == [
        "Enab Baladi",
        "SOHR",
        "Syria Direct",
    ]
    week = Incident.objects.get(acled_event_id="SYR90002")
    assert (week.occurred_on, week.date_precision) == (datetime.date(2021, 9, 5), "week")
    assert set(week.actor_roles.values_list("party", "is_associate")) == {
        (parties["fourth"].pk, False),
        (parties["militias"].pk, True),
        (None, False),
    }
    month = Incident.objects.get(acled_event_id="SYR90003")
    assert (month.occurred_on, month.date_precision) == (datetime.date(2021, 8, 1), "month")
    assert month.description_en.startswith("اعتقلت قوات الأمن العسكري")
    # "الامن" without the hamza matches "الأمن العسكري"
    assert set(month.actor_roles.values_list("party", flat=True)) == {
        parties["security"].pk,
        parties["civilians"].pk,
    }
    nowhere = Incident.objects.get(acled_event_id="SYR90004")
    assert (nowhere.latitude, nowhere.longitude, nowhere.fatalities) == (None, None, None)


def test_importing_the_same_file_again_changes_nothing_and_writes_no_history():
    acled_parties()
    import_text(fixture_text())
    before = events_count()

    report = import_text(fixture_text())

    assert (report.new, report.updated, report.unchanged, report.rejected) == (0, 0, 46, 4)
    assert events_count() == before


def test_a_changed_row_updates_its_incident_in_place_and_keeps_the_source_grading():
    acled_parties()
    import_text(fixture_text())
    incident = Incident.objects.get(acled_event_id="SYR90001")
    link = incident.source_links.get(source__publisher="SOHR")
    link.credibility = 2
    link.save()
    changed = fixture_text().replace("Two civilians were wounded.", "Three civilians were wounded.")

    report = import_text(changed)

    assert (report.new, report.updated, report.unchanged) == (0, 1, 45)
    incident.refresh_from_db()
    assert incident.description_en.endswith("Three civilians were wounded.")
    assert incident.source_links.get(source__publisher="SOHR").credibility == 2
    assert incident.actor_roles.count() == 2


def test_a_header_without_required_columns_is_refused_with_their_names():
    header = ",".join(c for c in ACLED_COLUMNS if c not in ("event_date", "latitude"))

    with pytest.raises(ImportRefused, match="required columns: event_date, latitude"):
        import_text(header + "\n")


def test_the_command_reports_counts_and_the_audit_context_carries_channel_and_reason():
    acled_parties()
    out = io.StringIO()

    call_command(
        "import_incidents",
        str(FIXTURE),
        "--format",
        "acled",
        "--reason",
        "ACLED Syria 2021",
        "--no-progress",
        stdout=out,
    )

    text = out.getvalue()
    assert "50 rows: 46 new, 0 updated, 0 unchanged, 4 rejected" in text
    assert "rejected row 50, sub_event_type: 'Air/drone strike' is not a sub-event type" in text
    incident = Incident.objects.get(acled_event_id="SYR90001")
    for model, pk in ((Incident, incident.pk),):
        event = model.pgh_event_model.objects.get(pgh_obj_id=pk)
        assert event.pgh_context["channel"] == "command"
        assert event.pgh_context["reason"] == "ACLED Syria 2021"
    actor_event = IncidentActor.pgh_event_model.objects.filter(incident_id=incident.pk).first()
    assert actor_event.pgh_context["reason"] == "ACLED Syria 2021"


def test_the_command_dry_run_writes_nothing():
    acled_parties()
    out = io.StringIO()

    call_command("import_incidents", str(FIXTURE), "--dry-run", "--no-progress", stdout=out)

    assert "Dry run, nothing written. 50 rows: 46 new" in out.getvalue()
    assert Incident.objects.count() == 0


def test_the_command_refuses_a_bad_header_naming_the_columns(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("event_id_cnty,notes\nSYR1,x\n", encoding="utf-8")

    with pytest.raises(CommandError, match="event_date, time_precision, event_type"):
        call_command("import_incidents", str(bad), "--no-progress", stdout=io.StringIO())


@pytest.mark.parametrize("dry_run", [True, False])
def test_the_number_of_queries_per_batch_does_not_grow_with_the_batch_count(dry_run):
    acled_parties()
    lines = fixture_text().splitlines(keepends=True)
    header, body = lines[0], lines[1:47]
    import_text(header + "".join(body[5:15]))  # creates the sources these rows name

    def queries(rows: list[str]) -> int:
        with CaptureQueriesContext(connection) as captured:
            report = import_text(header + "".join(rows), batch_size=5, dry_run=dry_run)
        assert report.new == len(rows)
        return len(captured)

    one, two, three = queries(body[15:20]), queries(body[20:30]), queries(body[30:45])
    assert two - one == three - two
    assert two - one <= (4 if dry_run else 16)


def test_names_match_across_case_diacritics_and_hamza():
    assert normalize_name("Izra'") == "izra'"
    assert normalize_name("  ÉNAB   Baladi ") == normalize_name("enab baladi")
    assert normalize_name("الأمن العسكري") == normalize_name("الامن العسكري")
    assert normalize_name("إيران") == normalize_name("ايران")
    assert normalize_name("مدرسة") == normalize_name("مدرسه")


def test_each_written_batch_sets_pgtrigger_ignore_so_its_check_opens_no_subtransactions():
    # pgtrigger's _pgtrigger_should_ignore reads the setting inside an EXCEPTION block, which
    # rolls back a subtransaction for every row and trigger while the setting is unset.
    acled_parties()
    with CaptureQueriesContext(connection) as captured:
        report = import_text(fixture_text(), batch_size=20)
    settings = [q["sql"] for q in captured if "SET LOCAL pgtrigger.ignore" in q["sql"]]
    assert len(settings) == report.batches == 3
