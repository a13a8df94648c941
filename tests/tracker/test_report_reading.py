"""Report pages that read: statuses in words and one colour each, "not assessed" apart from
0 %, the matrix as a grid, pickers for the parameters, a timeline axis that fits the
agreement. (The browser checks of the same pages: tests/e2e/test_reports_read.py.)"""

import datetime
import re

import pytest
from django.test import Client

from tests import builders
from tests.tracker.report_checks import role_user, table
from tracker.choices import ComplianceStatus

MATRIX = "/reports/compliance-matrix/"


@pytest.fixture
def lead_browser(db) -> Client:
    client = Client()
    client.force_login(role_user("lead"))
    return client


def test_each_status_and_not_assessed_have_their_own_colour_in_one_stylesheet(client):
    css = client.get("/reports/status-palette.css").content.decode()

    colours = dict(re.findall(r"\.status-([a-z-]+) \{ background: (#[0-9a-f]{3,6})", css))
    expected = {value.replace("_", "-") for value in ComplianceStatus.values} | {"not-assessed"}
    assert set(colours) == expected
    assert len(set(colours.values())) == len(expected), "two statuses share a colour"


@pytest.mark.django_db
def test_an_obligor_never_judged_reads_not_assessed_rather_than_zero_percent(reader, lead_browser):
    never = builders.party(name_en="Never judged party")
    judged = builders.party(name_en="Judged party")
    clause = builders.clause()
    builders.obligation(clause=clause, obligor=never)
    builders.assessment(
        obligation=builders.obligation(clause=clause, obligor=judged),
        status="not_complied",
        valid_from=datetime.date(2021, 9, 7),
    )
    params = {"agreement": clause.agreement.code, "valid_on": "2021-09-10"}

    rows = {row[0]: row for row in table(reader.get(f"/api/v1{MATRIX}", params).json(), "by_party")}
    page = lead_browser.get(MATRIX, params).content.decode()

    assert rows["Never judged party"][2:7] == [None] * 5
    assert rows["Judged party"][2:7] == [0.0, 0.0, 100.0, 0.0, 0.0]
    by_party = page[page.index('data-table="by_party"') :]
    never_row = by_party[by_party.index("<td>Never judged party</td>") :].split("</tr>", 1)[0]
    assert never_row.count("not assessed") == 5 and "0.0" not in never_row


@pytest.mark.django_db
def test_the_matrix_is_also_a_grid_of_clauses_by_obligor_coloured_by_status(
    seeded, reader, lead_browser
):
    params = {"agreement": seeded.code, "valid_on": "2021-09-10"}
    matrix = table(reader.get(f"/api/v1{MATRIX}", params).json(), "matrix")
    page = lead_browser.get(MATRIX, params).content.decode()

    grid = page[page.index('id="matrix-grid"') : page.index("</table>", page.index("matrix-grid"))]
    clauses = {row[0] for row in matrix}
    obligors = {row[2] for row in matrix}
    assert grid.count('<th scope="row"') == len(clauses)
    assert grid.count('<th scope="col"') == len(obligors) + 1
    assert grid.count("data-status=") == len(matrix)
    # A judged obligation with a level shows both.
    judged = next(row for row in matrix if row[5] is not None)
    assert f"{ComplianceStatus(judged[4]).label} · {judged[5]}" in grid


@pytest.mark.django_db
def test_the_form_offers_agreements_and_parties_to_pick_under_the_same_parameter_names(
    seeded, lead_browser
):
    page = lead_browser.get(MATRIX).content.decode()
    assert '<select name="agreement">' in page
    assert f'<option value="{seeded.code}">{seeded.title_en} ({seeded.code})</option>' in page
    assert '<input type="date" name="valid_on"' in page

    scorecard = lead_browser.get(
        "/reports/party-scorecard/?party=syrian-government-forces", HTTP_ACCEPT_LANGUAGE="ar"
    ).content.decode()
    assert (
        '<option value="syrian-government-forces" selected>'
        "القوات الحكومية السورية (syrian-government-forces)</option>"
    ) in scorecard


@pytest.mark.django_db
def test_the_timeline_axis_fits_the_agreement_rather_than_the_years_of_linked_ones(
    seeded, lead_browser
):
    page = lead_browser.get("/reports/timeline/", {"agreement": seeded.code}).content.decode()

    ticks = re.findall(r'class="tick"[^>]* data-date="([0-9-]+)"', page)
    assert len(ticks) >= 3
    # The agreement was signed in September 2021; a linked one of 2018 stays in the table.
    assert min(ticks) >= "2021-09-01", ticks
    assert "2018-07-06" in page
    assert "outside this period are not drawn" in page


@pytest.mark.django_db
def test_the_admin_marks_statuses_with_the_reports_colours(seeded, lead_browser):
    page = lead_browser.get("/admin/agreements/obligation/").content.decode()

    assert 'href="/reports/status-palette.css"' in page
    assert 'class="status-badge status-complied" data-status="complied">Complied<' in page
    assert 'data-status="not assessed">Not assessed yet<' in page
