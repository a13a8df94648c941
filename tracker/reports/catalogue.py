"""Importing this module registers every report (see tracker.reports.registry)."""

from tracker.reports import compliance_matrix

__all__ = ["compliance_matrix"]
