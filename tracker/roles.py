"""The four roles as permission groups.

A migration creates the groups from this table, and re-running ``sync_role_groups`` (from a
later migration, when models are added) brings them up to date. The table is the single
place that says who may do what.
"""

from django.apps.registry import Apps

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
EDIT = (VIEW, ADD, CHANGE, DELETE)

# What an analyst records day to day: incidents, their sources and claims, and judgements.
ANALYST_MODELS = {
    "agreements": {
        "source": EDIT,
        "capture": EDIT,
    },
    "tracker": {
        "incident": EDIT,
        "incidentactor": EDIT,
        "incidentsource": EDIT,
        "breachclaim": EDIT,
        # Judgements are appended, never changed or deleted (the database enforces it).
        "complianceassessment": (VIEW, ADD),
    },
}

# What a lead adds: the agreements themselves, and review of judgements.
LEAD_MODELS = {
    "agreements": {
        "party": EDIT,
        "partyalias": EDIT,
        "agreement": EDIT,
        "agreementparty": EDIT,
        "agreementlink": EDIT,
        "topic": EDIT,
        "clause": (VIEW, ADD, CHANGE),
        "clauseaccount": EDIT,
        "obligation": EDIT,
        "obligationdependency": EDIT,
    },
    "tracker": {
        "complianceassessment": (VIEW, ADD, CHANGE, "review"),
    },
}

DOMAIN_APPS = ("agreements", "tracker")
# The role groups sync_role_groups makes; a user in none of them (and not a superuser) has no
# role, and every door refuses them (403).
ROLE_NAMES = ("viewer", "analyst", "lead", "admin")
# Reading every user's changes (the audit trail, the audit report) is part of reviewing work:
# leads and admins hold this.
AUDIT_PERMISSION = "tracker.review_complianceassessment"
# Approving or rejecting judgements (leads and admins).
REVIEW_PERMISSION = "tracker.review_complianceassessment"
# Credentials, not domain data: only the admin role sees other people's API tokens.
PRIVATE_MODELS = {"apitoken"}


def has_role(user: object) -> bool:
    """Whether a signed-in user holds one of the roles (superusers count as admins)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_superuser", False):
        return True
    return user.groups.filter(name__in=ROLE_NAMES).exists()  # type: ignore[attr-defined]


def _codenames(models: dict[str, dict[str, tuple[str, ...]]]) -> set[tuple[str, str]]:
    return {
        (app, f"{action}_{model}")
        for app, by_model in models.items()
        for model, actions in by_model.items()
        for action in actions
    }


def sync_role_groups(apps: Apps) -> None:
    """Create or update the viewer, analyst, lead and admin groups."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    domain = {
        (p.content_type.app_label, p.codename): p
        for p in Permission.objects.filter(content_type__app_label__in=DOMAIN_APPS).select_related(
            "content_type"
        )
    }
    viewer = {
        key
        for key in domain
        if key[1].startswith("view_") and key[1].removeprefix("view_") not in PRIVATE_MODELS
    }
    analyst = viewer | _codenames(ANALYST_MODELS)
    lead = analyst | _codenames(LEAD_MODELS)
    user_admin = Permission.objects.filter(content_type__app_label="auth")
    roles = {
        "viewer": [domain[key] for key in sorted(viewer)],
        "analyst": [domain[key] for key in sorted(analyst)],
        "lead": [domain[key] for key in sorted(lead)],
        "admin": [*domain.values(), *user_admin],
    }
    for name, permissions in roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)
