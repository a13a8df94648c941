"""A report read in Arabic: its words in Arabic on the page, its data the same in every
language (CSV, JSON and content hash)."""

from urllib.parse import urlencode

import pytest
from django.test import Client

from tests.conftest import make_role_user
from tracker.reports.registry import REPORTS

TIMELINE = f"/reports/timeline/?{urlencode(REPORTS['timeline'].example)}"


@pytest.fixture
def reader(daraa_seeds, db) -> Client:
    client = Client()
    client.force_login(make_role_user("lead"))
    return client


def test_the_timeline_page_in_arabic_names_its_title_columns_and_kinds_of_event_in_arabic(
    reader: Client,
):
    page = reader.get(TIMELINE, HTTP_ACCEPT_LANGUAGE="ar").content.decode()

    assert "<h1>الخط الزمني للاتفاقات</h1>" in page
    assert "<th>التاريخ</th>" in page  # the "date" column
    assert ">توقيع اتفاق<" in page  # an event of kind "agreement signed"
    assert ">agreement signed<" not in page


def test_a_report_keeps_its_data_and_hash_in_english_whatever_the_pages_language(
    reader: Client,
):
    english = reader.get(TIMELINE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # The same moment of the trail, so only the language differs.
    known_at = english.split('data-parameter="known_at">known_at=')[1].split("<")[0]
    again = f"{TIMELINE}&{urlencode({'known_at': known_at})}"
    arabic = reader.get(again, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    csv_in_arabic = reader.get(
        again.replace("/timeline/", "/timeline.csv"), HTTP_ACCEPT_LANGUAGE="ar"
    ).content.decode()

    def content_hash(page: str) -> str:
        return page.split('class="content-hash">')[1].split("<")[0]

    assert content_hash(english) == content_hash(arabic)
    assert content_hash(english) in csv_in_arabic
    assert "agreement signed" in csv_in_arabic
    assert "توقيع اتفاق" not in csv_in_arabic
