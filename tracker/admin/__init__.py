"""Admin pages of the tracker: incidents, claims and compliance judgements.

Importing the modules registers their pages; ``obligations`` re-registers the agreements
app's Obligation and Clause pages with compliance added. Last, every audited page of both
apps gets its history from the audit trail and asks a reason for deletes (``history``).
"""

from django.contrib import admin

from tracker.admin import assessments, history, incidents, obligations, tokens

__all__ = ["assessments", "history", "incidents", "obligations", "tokens"]

history.add_audit_pages(admin.site)
