"""Admin pages of the tracker: incidents, claims and compliance judgements.

Importing the modules registers their pages. ``obligations`` adds compliance to the agreements
app's Obligation and Clause pages through agreements.admin.hooks (they are not re-registered).
Every audited page has its History from the audit trail and asks a reason for deletes because
its class inherits history.admin.AuditedAdminMixin (through agreements' BaseAdmin).
"""

from tracker.admin import assessments, imports, incidents, obligations, tokens

__all__ = ["assessments", "imports", "incidents", "obligations", "tokens"]
