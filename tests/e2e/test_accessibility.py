"""axe-core finds no WCAG 2.1 A/AA violation on our own pages, in English and in Arabic.

Each test walks a group of pages with the seed data (real agreements, clauses, obligations,
judgements and incidents, so the inline tables and pickers are full) and fails with the list
of every violation on every page, not just the first. Swagger UI (/api/docs/) is not ours and
is left out.
"""

from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.text import capfirst
from playwright.sync_api import Browser, Page, expect

from agreements.models import Agreement, AgreementParty, Clause, Obligation
from tests.conftest import PASSWORD, make_role_user
from tests.e2e.axe import assert_no_violations, assert_no_violations_on
from tests.e2e.conftest import log_in
from tracker.models import ComplianceAssessment, Incident
from tracker.reports.registry import REPORTS

LANGUAGES = ["en", "ar"]


@pytest.fixture(params=LANGUAGES)
def axe_page(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    """A page in the reader's language whose CSP lets the test inject axe (and nothing else
    changes: the pages' own scripts and styles load as for a user)."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale=request.param, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def admin_urls(base: str) -> list[str]:
    agreement = Agreement.objects.get(code="daraa-2021-09-06")
    clause = Clause.objects.filter(agreement=agreement).order_by("pk").first()
    obligation = Obligation.objects.filter(clause__agreement=agreement).order_by("pk").first()
    judgement = ComplianceAssessment.objects.order_by("pk").first()
    incident = Incident.objects.order_by("pk").first()
    admin = f"{base}/admin"
    return [
        f"{admin}/",
        f"{admin}/agreements/agreement/add/",
        f"{admin}/agreements/agreement/{agreement.pk}/change/",
        f"{admin}/agreements/clause/add/",
        f"{admin}/agreements/clause/{clause.pk}/change/",
        f"{admin}/agreements/obligation/add/",
        f"{admin}/agreements/obligation/{obligation.pk}/change/",
        f"{admin}/agreements/obligation/{obligation.pk}/history/",
        f"{admin}/tracker/complianceassessment/add/",
        f"{admin}/tracker/complianceassessment/{judgement.pk}/change/",
        f"{admin}/tracker/incident/add/",
        f"{admin}/tracker/incident/{incident.pk}/change/",
    ]


@pytest.mark.django_db(transaction=True)
def test_the_login_page_has_no_accessibility_violation(live_server, axe_page: Page):
    assert_no_violations_on(axe_page, [f"{live_server.url}/admin/login/"])


@pytest.mark.django_db(transaction=True)
def test_the_admin_index_forms_and_history_have_no_accessibility_violation(
    live_server, axe_page: Page
):
    call_command("load_seeds", verbosity=0)
    lead = make_role_user("lead")
    log_in(axe_page, live_server.url, lead.username, PASSWORD)
    assert_no_violations_on(axe_page, admin_urls(live_server.url))


@pytest.mark.django_db(transaction=True)
def test_every_report_page_has_no_accessibility_violation(live_server, axe_page: Page):
    call_command("load_seeds", verbosity=0)
    lead = make_role_user("lead")
    log_in(axe_page, live_server.url, lead.username, PASSWORD)
    urls = [f"{live_server.url}/reports/"] + [
        f"{live_server.url}/reports/{name}/?{urlencode(report.example)}"
        for name, report in sorted(REPORTS.items())
    ]
    assert_no_violations_on(axe_page, urls)


@pytest.mark.django_db(transaction=True)
def test_a_row_added_to_a_tabular_inline_is_named_too(live_server, axe_page: Page):
    # Rows added in the browser are drawn by the admin's script, not by the server.
    lead = make_role_user("lead")
    log_in(axe_page, live_server.url, lead.username, PASSWORD)
    axe_page.goto(f"{live_server.url}/admin/agreements/agreement/add/")
    axe_page.click("#party_roles-group .add-row a")
    new_row = axe_page.locator("#party_roles-0")
    # A screen reader announces the party picker and the role list by their column's name.
    with translation.override(axe_page.evaluate("navigator.language")):
        for name in ("party", "role"):
            label = str(capfirst(AgreementParty._meta.get_field(name).verbose_name))
            expect(new_row.get_by_role("combobox", name=label)).to_be_visible()
    assert_no_violations(axe_page)
