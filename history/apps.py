from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HistoryConfig(AppConfig):
    """The audit trail beneath both domain apps: who changed what, when, through which
    channel and why; the hash chain over it; and reads of the past ("as known at")."""

    name = "history"
    verbose_name = _("History")
    default_auto_field = "django.db.models.BigAutoField"
