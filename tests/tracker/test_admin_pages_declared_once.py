"""Each admin page is the class that declares it: nothing is re-registered or wrapped at import
time, and the tracker adds compliance to agreements' pages through the one hook."""

from django.contrib import admin

from agreements.admin.agreements import AgreementAdmin
from agreements.admin.clauses import ClauseAdmin
from agreements.admin.hooks import extensions_of
from agreements.admin.obligations import ObligationAdmin
from agreements.models import Agreement, Clause, Obligation
from tests import builders
from tests.admin_helpers import admin_url
from tracker.admin.assessments import ComplianceAssessmentAdmin
from tracker.admin.obligations import ComplianceOnClauses, ComplianceOnObligations
from tracker.models import ComplianceAssessment


def test_the_served_pages_are_the_declared_classes():
    served = {model: type(page) for model, page in admin.site._registry.items()}

    assert served[Obligation] is ObligationAdmin
    assert served[Clause] is ClauseAdmin
    assert served[Agreement] is AgreementAdmin
    assert served[ComplianceAssessment] is ComplianceAssessmentAdmin
    assert not [page for page in served.values() if page.__name__.startswith("Audited")]


def test_the_tracker_extends_the_obligation_and_clause_pages_once():
    obligation_page = admin.site._registry[Obligation]
    clause_page = admin.site._registry[Clause]

    assert [type(e) for e in extensions_of(obligation_page)] == [ComplianceOnObligations]
    assert [type(e) for e in extensions_of(clause_page)] == [ComplianceOnClauses]
    assert extensions_of(admin.site._registry[Agreement]) == []


def test_the_obligation_list_shows_the_current_status_added_by_the_tracker(lead, client_as):
    assessment = builders.assessment(status="partially_complied")

    page = client_as(lead).get(admin_url(Obligation, "changelist"))

    assert page.status_code == 200
    assert "current status" in page.content.decode().lower()
    assert "Partially complied" in page.content.decode()
    assert assessment.obligation.key in page.content.decode()
