"""Models of what was promised. Import them from here: ``from agreements.models import Clause``."""

from agreements.models.agreements import Agreement, AgreementLink, AgreementParty
from agreements.models.clauses import Clause, ClauseAccount, Topic
from agreements.models.obligations import Obligation, ObligationDependency
from agreements.models.parties import Party, PartyAlias
from agreements.models.sources import Capture, Source

__all__ = [
    "Agreement",
    "AgreementLink",
    "AgreementParty",
    "Capture",
    "Clause",
    "ClauseAccount",
    "Obligation",
    "ObligationDependency",
    "Party",
    "PartyAlias",
    "Source",
    "Topic",
]
