"""Admin pages for what was promised: parties, agreements, clauses, obligations and sources.

Importing the modules registers their pages. Nothing here imports the tracker app: pages that
need tracker data (compliance status, sources' names in search) are added by tracker.admin.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from agreements.admin import agreements, clauses, obligations, parties, sources

__all__ = ["agreements", "clauses", "obligations", "parties", "sources"]

admin.site.site_header = _("Agreement-clause tracker")
admin.site.site_title = _("Agreement-clause tracker")
admin.site.index_title = _("Agreements, incidents and judgements")
