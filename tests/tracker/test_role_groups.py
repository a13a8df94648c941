"""The viewer, analyst, lead and admin groups, created by a migration, grant what each role
needs and nothing more."""

import pghistory.models
import pytest
from django.apps import apps
from django.contrib.auth.models import Permission

pytestmark = pytest.mark.django_db

DOMAIN_APPS = ("agreements", "tracker")


def is_audit_machinery(model) -> bool:
    """History tables and their chain are read-only records of the trail, not domain data;
    who may read them is the audit trail's own rule, outside these role tests."""
    return issubclass(model, pghistory.models.Event) or model.__module__.endswith(".audit")


def domain_models() -> list[str]:
    """'app.model' for every model of the two domain apps."""
    return [
        f"{app}.{model._meta.model_name}"
        for app in DOMAIN_APPS
        for model in apps.get_app_config(app).get_models()
        if not is_audit_machinery(model)
    ]


def perm(label: str, action: str) -> str:
    app, model = label.split(".")
    return f"{app}.{action}_{model}"


def all_perms(user) -> set[str]:
    return user.get_all_permissions()


def domain_and_auth_perms() -> set[str]:
    domain = set(domain_models())
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.filter(
            content_type__app_label__in=(*DOMAIN_APPS, "auth")
        ).select_related("content_type")
        if p.content_type.app_label == "auth"
        or f"{p.content_type.app_label}.{p.content_type.model}" in domain
    }


@pytest.fixture
def users(viewer, analyst, lead, role_admin) -> dict:
    return {"viewer": viewer, "analyst": analyst, "lead": lead, "admin": role_admin}


def test_a_viewer_may_view_every_domain_record_and_change_nothing(viewer):
    granted = all_perms(viewer)
    expected = {perm(label, "view") for label in domain_models() if label != "tracker.apitoken"}

    assert expected <= granted
    assert {codename for codename in granted if ".view_" not in codename} == set()
    assert {codename.split(".")[0] for codename in granted} == set(DOMAIN_APPS)


def test_only_the_admin_sees_other_peoples_api_tokens(users):
    can_view = {role for role, user in users.items() if user.has_perm("tracker.view_apitoken")}

    assert can_view == {"admin"}


@pytest.mark.parametrize(
    "codename",
    [
        "tracker.add_incident",
        "tracker.change_incident",
        "tracker.add_incidentactor",
        "tracker.add_incidentsource",
        "agreements.add_source",
        "agreements.add_capture",
        "tracker.add_breachclaim",
        "tracker.change_breachclaim",
        "tracker.add_complianceassessment",
        "agreements.view_agreement",
        "agreements.view_obligation",
    ],
)
def test_an_analyst_records_what_happened_and_judgements(analyst, codename):
    assert analyst.has_perm(codename)


@pytest.mark.parametrize(
    "codename",
    [
        "agreements.add_agreement",
        "agreements.change_agreement",
        "agreements.change_clause",
        "agreements.change_obligation",
        "agreements.add_obligation",
        "tracker.change_complianceassessment",
        "tracker.delete_complianceassessment",
        "tracker.review_complianceassessment",
        "auth.change_user",
    ],
)
def test_an_analyst_cannot_edit_agreements_or_rewrite_judgements(analyst, codename):
    assert not analyst.has_perm(codename)


@pytest.mark.parametrize(
    "codename",
    [
        "agreements.add_agreement",
        "agreements.change_agreement",
        "agreements.add_clause",
        "agreements.change_clause",
        "agreements.change_obligation",
        "agreements.add_obligationdependency",
        "agreements.change_clauseaccount",
        "tracker.review_complianceassessment",
        "tracker.add_complianceassessment",
        "tracker.add_incident",
    ],
)
def test_a_lead_edits_agreements_and_reviews_judgements(lead, codename):
    assert lead.has_perm(codename)


def test_a_lead_cannot_manage_users(lead):
    assert not lead.has_perm("auth.change_user")
    assert not lead.has_perm("auth.change_group")


@pytest.mark.parametrize(
    "codename", ["agreements.delete_clause", "tracker.delete_complianceassessment"]
)
def test_only_the_admin_group_may_delete_clauses_or_judgements(users, codename):
    allowed = {role for role, user in users.items() if user.has_perm(codename)}

    assert allowed == {"admin"}


def test_the_admin_group_has_every_domain_and_user_permission(role_admin):
    expected = domain_and_auth_perms()

    assert expected <= all_perms(role_admin)
    assert "auth.add_user" in expected
    assert "tracker.review_complianceassessment" in expected


def test_each_role_includes_everything_the_role_below_may_do(users):
    viewer, analyst, lead, admin = (
        all_perms(users[r]) for r in ("viewer", "analyst", "lead", "admin")
    )

    assert viewer < analyst < lead < admin
