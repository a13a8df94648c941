"""The incident list reads plain rows, not serialized instances (tracker/api/incident_rows.py):
each listed incident must still read exactly as its own page does, and the page costs three
queries for its rows whatever their number."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.builders import incident, party, source
from tracker.models import IncidentActor, IncidentSource

pytestmark = pytest.mark.django_db


def test_every_listed_incident_reads_as_its_detail_does(api_as):
    army = party(key="rows-army", name_en="Fourth Division")
    report = source(key="rows-report", publisher="Local monitor")
    full = incident(
        key="rows-full",
        occurred_on=datetime.date(2021, 7, 29),
        ended_on=datetime.date(2021, 9, 6),
        date_precision="day",
        latitude=Decimal("32.618000"),
        longitude=Decimal("36.101000"),
        geo_precision=1,
        fatalities=3,
        description_ar="حصار درعا البلد",
        acled_timestamp=1630000000,
        acled_withdrawn_at=timezone.now().replace(microsecond=0),
        tags="siege; shelling",
    )
    IncidentActor.objects.create(incident=full, party=army, side=1)
    IncidentActor.objects.create(incident=full, name_as_reported="local gunmen", side=2)
    IncidentActor.objects.create(incident=full, party=army, side=2, is_associate=True)
    IncidentSource.objects.create(incident=full, source=report, credibility=3, excerpt="Seen.")
    incident(key="rows-bare")
    client = api_as("viewer")

    listed = client.get("/api/v1/incidents/?page_size=10").json()["results"]

    assert [row["key"] for row in listed] == ["rows-bare", "rows-full"]
    for row in listed:
        detail = client.get(f"/api/v1/incidents/{row['id']}/").json()
        assert row == detail
    full_row = listed[1]
    assert full_row["latitude"] == "32.618000"
    assert [actor["party"] for actor in full_row["actors"]] == [
        {"id": army.pk, "key": "rows-army", "name_en": "Fourth Division"},
        None,
        {"id": army.pk, "key": "rows-army", "name_en": "Fourth Division"},
    ]
    assert full_row["sources"] == [
        {
            "source": {"id": report.pk, "key": "rows-report", "publisher": "Local monitor"},
            "credibility": 3,
            "excerpt": "Seen.",
        }
    ]


def test_a_page_is_three_queries_for_its_rows_however_many(api_as):
    for n in range(30):
        made = incident(key=f"rows-{n}")
        IncidentActor.objects.create(incident=made, party=party(), side=1)
        IncidentSource.objects.create(incident=made, source=source(), credibility=2)
    client = api_as("viewer")
    client.get("/api/v1/")  # the token's last-used time is written once a minute

    def row_queries(size: int) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            body = client.get(f"/api/v1/incidents/?page_size={size}").json()
        assert len(body["results"]) == size
        return [
            q["sql"]
            for q in captured.captured_queries
            if 'FROM "tracker_incident' in q["sql"]  # incidents, actors and source links
        ]

    assert len(row_queries(3)) == len(row_queries(30)) == 3
