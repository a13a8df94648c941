from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackerConfig(AppConfig):
    """What happened and what analysts judge: sources, incidents, claims, assessments."""

    name = "tracker"
    verbose_name = _("Tracker")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the reports, like admin.py registers admin pages.
        from tracker.reports import catalogue  # noqa: F401
