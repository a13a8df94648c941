from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackerConfig(AppConfig):
    """What happened and what analysts judge: incidents, claims, assessments, reports."""

    name = "tracker"
    verbose_name = _("Tracker")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from history.readers import Children, register_children

        # Registers the reports, like admin.py registers admin pages.
        from tracker.reports import catalogue  # noqa: F401
        from tracker.signals import connect

        connect()

        # An obligation's history shows its judgements and breach claims too; an incident's
        # its actors', sources' and claims'.
        register_children(
            "agreements.Obligation",
            Children("tracker.ComplianceAssessment", "obligation_id"),
            Children("tracker.BreachClaim", "obligation_id"),
        )
        register_children(
            "tracker.Incident",
            Children("tracker.IncidentActor", "incident_id"),
            Children("tracker.IncidentSource", "incident_id"),
            Children("tracker.BreachClaim", "incident_id"),
        )
