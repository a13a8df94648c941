"""Importing this module registers every report (see tracker.reports.registry)."""

from tracker.reports import audit_report, compliance_matrix, incident_summary, party_scorecard

__all__ = ["audit_report", "compliance_matrix", "incident_summary", "party_scorecard"]
