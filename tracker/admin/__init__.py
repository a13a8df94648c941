"""Admin pages of the tracker: sources, incidents, claims and compliance judgements.

Importing the modules registers their pages; ``obligations`` re-registers the agreements
app's Obligation and Clause pages with compliance added.
"""

from tracker.admin import assessments, incidents, obligations, sources, tokens

__all__ = ["assessments", "incidents", "obligations", "sources", "tokens"]
