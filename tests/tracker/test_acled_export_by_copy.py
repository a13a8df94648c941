"""The ACLED CSV export is written by PostgreSQL's COPY: byte for byte what Python's csv
module writes from acled_rows() (the GeoJSON export's path), awkward values included."""

import csv
import datetime
from decimal import Decimal

import pytest

from tests import builders
from tests.tracker.acled_helpers import acled_parties, fixture_text
from tracker.exports.acled import _NULL_MARK, _Line, acled_rows, csv_chunks
from tracker.imports.acled import ACLED_COLUMNS, import_text
from tracker.models import Incident, IncidentActor, IncidentSource

pytestmark = pytest.mark.django_db


def python_csv(queryset) -> str:
    """The export as csv.writer writes acled_rows(): what the export wrote before COPY."""
    writer = csv.writer(_Line(), lineterminator="\n")
    lines = [writer.writerow(ACLED_COLUMNS)]
    lines += [writer.writerow([row[n] for n in ACLED_COLUMNS]) for row in acled_rows(queryset)]
    return "".join(lines)


@pytest.fixture
def awkward():
    """Incidents whose texts need quoting, or that COPY and Python's csv would quote
    differently, with actors on both sides, associates, and a publisher linked twice."""
    parties = acled_parties()
    import_text(fixture_text())
    first, second = list(parties.values())[:2]
    tricky = builders.incident(
        description_en='Shelling, "heavy"\nsecond line\r\nthird',
        location="Tafas\rnorth",
        latitude=Decimal("32.500000"),
        longitude=Decimal("36.000000"),
        fatalities=0,
    )
    IncidentActor.objects.create(incident=tricky, party=first, side=1)
    IncidentActor.objects.create(incident=tricky, name_as_reported="Local, armed", side=1)
    IncidentActor.objects.create(incident=tricky, party=second, side=1, is_associate=True)
    IncidentActor.objects.create(incident=tricky, name_as_reported="Residents", side=2)
    press, agency = builders.source(publisher="SANA"), builders.source(publisher="Enab Baladi")
    for source in (press, agency, builders.source(publisher="SANA")):
        IncidentSource.objects.create(incident=tricky, source=source)
    builders.incident(description_en=_NULL_MARK, location=_NULL_MARK, acled_timestamp=1)
    builders.incident(description_en="Early", occurred_on=datetime.date(1999, 1, 1))
    builders.incident(description_en="Arabic: قصف", date_precision="approximate")


def test_the_csv_is_the_same_bytes_as_pythons_csv_of_the_same_rows(awkward):
    incidents = Incident.objects.order_by("-occurred_on", "-id")

    exported = "".join(csv_chunks(incidents))

    assert exported == python_csv(incidents)
    assert len(exported.splitlines()) > Incident.objects.count()  # quoted newlines kept


def test_the_csv_keeps_the_querysets_filter_and_order(awkward):
    incidents = Incident.objects.filter(admin1="Daraa").order_by("occurred_on", "key")

    exported = "".join(csv_chunks(incidents))

    assert exported == python_csv(incidents)
    assert (
        1 < len(list(csv.reader(exported.splitlines(keepends=True)))) - 1 < Incident.objects.count()
    )
