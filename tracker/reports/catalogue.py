"""Importing this module registers every report (see tracker.reports.registry)."""

from tracker.reports import (
    audit_report,
    compliance_matrix,
    deadlines,
    incident_summary,
    party_scorecard,
    timeline,
)

__all__ = [
    "audit_report",
    "compliance_matrix",
    "deadlines",
    "incident_summary",
    "party_scorecard",
    "timeline",
]
