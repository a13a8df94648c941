"""Models of what happened and what analysts judge. Import them from here."""

from tracker.models.assessments import ComplianceAssessment
from tracker.models.claims import BreachClaim
from tracker.models.incidents import Incident, IncidentActor, IncidentSource
from tracker.models.tokens import ApiToken

__all__ = [
    "ApiToken",
    "BreachClaim",
    "ComplianceAssessment",
    "Incident",
    "IncidentActor",
    "IncidentSource",
]
