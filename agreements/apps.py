from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    """What was promised: parties, agreements, clauses and obligations; and the sources."""

    name = "agreements"
    verbose_name = _("Agreements")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from history.readers import Children, register_children

        # An agreement's history shows its clauses', roles' and links' changes; a clause's
        # shows its obligations', accounts' and its obligations' dependencies'.
        register_children(
            "agreements.Agreement",
            Children("agreements.Clause", "agreement_id"),
            Children("agreements.AgreementParty", "agreement_id"),
            Children("agreements.AgreementLink", "from_agreement_id"),
        )
        register_children(
            "agreements.Clause",
            Children("agreements.Obligation", "clause_id"),
            Children("agreements.ClauseAccount", "clause_id"),
            Children(
                "agreements.ObligationDependency",
                "obligation_id",
                via=Children("agreements.Obligation", "clause_id"),
            ),
        )
        register_children(
            "agreements.Obligation", Children("agreements.ObligationDependency", "obligation_id")
        )
