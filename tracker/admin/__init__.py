"""Admin pages of the tracker: sources, incidents, claims and compliance judgements.

Importing the modules registers their pages; ``obligations`` re-registers the agreements
app's Obligation and Clause pages with compliance added. Last, every audited page of both
apps gets its history from the audit trail and asks a reason for deletes (``history``).
"""

from django.contrib import admin

from tracker.admin import assessments, history, incidents, obligations, sources, tokens

__all__ = ["assessments", "history", "incidents", "obligations", "sources", "tokens"]

history.add_audit_pages(admin.site)
