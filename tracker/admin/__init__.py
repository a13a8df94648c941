"""Admin pages of the tracker: incidents, claims and compliance judgements.

Importing the modules registers their pages; ``obligations`` re-registers the agreements
app's Obligation and Clause pages with compliance added. Last, every audited page of both
apps gets its history from the audit trail and asks a reason for deletes (``history``).
"""

from django.contrib import admin

from tracker.admin import assessments, history, imports, incidents, obligations, tokens

__all__ = ["assessments", "history", "imports", "incidents", "obligations", "tokens"]

# The incident page gains the ACLED import page and export action (tracker/admin/imports.py).
imports.add_acled_pages(admin.site)
history.add_audit_pages(admin.site)
