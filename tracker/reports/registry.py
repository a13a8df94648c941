"""The reports the tracker offers, by URL name."""

from tracker.reports.base import Report

REPORTS: dict[str, Report] = {}


def register(report_class: type[Report]) -> type[Report]:
    """Class decorator: make the report reachable at /reports/<name>/ and its API twin."""
    REPORTS[report_class.name] = report_class()
    return report_class
