"""The start page: what the signed-in user should look at first.

Four short lists, each read from the place that owns its rule: judgements awaiting the user's
review (tracker.selectors.awaiting_review, the four-eyes rule), obligations overdue or falling
due (tracker.reports.deadlines.open_obligations, the deadlines report's own query), the latest
incidents, and the user's own recent changes (the audit trail). Each list holds at most
``LIMIT`` rows and links to the full, filtered list, so the page costs the same number of
queries whatever the size of the data.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, F
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from agreements.models import Obligation
from history.moments import moment_at
from history.readers import AuditFilters, audit_events
from tracker.models import Incident
from tracker.reports.deadlines import DUE_SOON, OVERDUE, open_obligations
from tracker.roles import AUDIT_PERMISSION, REVIEW_PERMISSION
from tracker.selectors import awaiting_review

LIMIT = 10
# The deadlines report's default look-ahead, so "N more" opens the same list.
DUE_WITHIN_DAYS = 30


@dataclass
class Row:
    text: str
    url: str | None = None
    detail: str = ""


@dataclass
class Panel:
    """One list of the start page. ``total`` is None where counting would cost a scan of a
    large table (incidents, the audit trail); ``more`` then only says whether there are more."""

    key: str
    title: Any
    empty: Any
    rows: list[Row] = field(default_factory=list)
    total: int | None = None
    more: bool = False
    more_url: str | None = None
    more_label: Any = ""

    @property
    def hidden(self) -> int:
        return (self.total or 0) - len(self.rows)


def _admin_url(model: Any, view: str, *args: Any) -> str | None:
    """The admin page of ``model`` (None for a model without one, such as a link table)."""
    try:
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)
    except NoReverseMatch:
        return None


def awaiting_my_review(user: AbstractBaseUser) -> Panel:
    pending = awaiting_review(user)
    oldest_first = pending.select_related(
        "obligation__clause__agreement", "obligation__obligor", "author"
    ).order_by("recorded_at", "id")[:LIMIT]
    changelist = _admin_url(pending.model, "changelist")
    return Panel(
        key="review",
        title=_("Judgements awaiting my review"),
        empty=_("Nothing awaits your review."),
        rows=[
            Row(
                text=f"{a.obligation.clause.agreement.code} · {a}",
                url=_admin_url(a._meta.model, "change", a.pk),
                detail=a.author.get_username() if a.author else "",
            )
            for a in oldest_first
        ],
        total=pending.count(),
        more_url=f"{changelist}?queue=mine",
        more_label=_("Open the review queue"),
    )


def deadline_panels(today: datetime.date) -> list[Panel]:
    """Overdue obligations and those due within DUE_WITHIN_DAYS, as the deadlines report
    lists them today (its query; not a second copy of the rule)."""
    open_now = open_obligations(
        agreement=None,
        on=today,
        horizon=today + datetime.timedelta(days=DUE_WITHIN_DAYS),
        known_at=moment_at(),
    )
    counted = dict(
        open_now.filter(category__in=(OVERDUE, DUE_SOON))
        .order_by()
        .values_list("category")
        .annotate(total=Count("id"))
    )
    report = reverse("report-page", args=["deadlines"])
    more_url = f"{report}?{urlencode({'days': DUE_WITHIN_DAYS, 'valid_on': today.isoformat()})}"
    panels = []
    for category, title, empty in (
        (OVERDUE, _("Overdue obligations"), _("No obligation is overdue.")),
        (
            DUE_SOON,
            _("Obligations due in the next 30 days"),
            _("No obligation falls due in the next 30 days."),
        ),
    ):
        first = (
            open_now.filter(category=category)
            .order_by(F("deadline").asc(nulls_last=True), "agreement_code", "key")
            .values("id", "action_en", "agreement_code", "obligor_name", "deadline")[:LIMIT]
        )
        panels.append(
            Panel(
                key=category.replace(" ", "-"),
                title=title,
                empty=empty,
                rows=[
                    Row(
                        text=f"{row['agreement_code']} · {row['obligor_name']}: "
                        f"{Truncator(row['action_en']).words(12)}",
                        # Snapshots carry the obligation's own id.
                        url=_admin_url(Obligation, "change", row["id"]),
                        detail=str(row["deadline"] or ""),
                    )
                    for row in first
                ],
                total=counted.get(category, 0),
                more_url=more_url,
                more_label=_("Open the deadlines report"),
            )
        )
    return panels


def latest_incidents() -> Panel:
    # The incident list's own order (its index), and no count: at a million incidents the
    # list itself shows an estimate rather than count them.
    newest = list(Incident.objects.order_by("-occurred_on", "-id")[: LIMIT + 1])
    return Panel(
        key="incidents",
        title=_("Latest incidents"),
        empty=_("No incident is recorded yet."),
        rows=[Row(text=str(i), url=_admin_url(Incident, "change", i.pk)) for i in newest[:LIMIT]],
        more=len(newest) > LIMIT,
        more_url=_admin_url(Incident, "changelist"),
        more_label=_("Open the incident list"),
    )


def my_recent_changes(user: AbstractBaseUser) -> Panel:
    # One more than shown says whether there are more, without counting the user's whole
    # trail.
    entries = audit_events(AuditFilters(user=user.get_username()))[: LIMIT + 1]
    rows = []
    for entry in entries[:LIMIT]:
        view = "history" if entry.action == "delete" else "change"
        rows.append(
            Row(
                text=f"{entry.action_label} {entry.model_name}: {entry.object_str}",
                url=_admin_url(entry.model, view, entry.object_id),
                detail=timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M"),
            )
        )
    audit_report = reverse("report-page", args=["audit"])
    return Panel(
        key="changes",
        title=_("My recent changes"),
        empty=_("You have not changed anything yet."),
        rows=rows,
        more=len(entries) > LIMIT,
        # The audit report is open to leads and admins; others see their changes here only.
        more_url=f"{audit_report}?{urlencode({'user': user.get_username()})}"
        if user.has_perm(AUDIT_PERMISSION)
        else None,
        more_label=_("Open the audit report"),
    )


def start_page(user: AbstractBaseUser, today: datetime.date | None = None) -> list[Panel]:
    """The panels ``user`` may see: each needs the permission its list's page needs."""
    today = today or timezone.localdate()
    panels = []
    if user.has_perm(REVIEW_PERMISSION):
        panels.append(awaiting_my_review(user))
    if user.has_perms(("agreements.view_obligation", "tracker.view_complianceassessment")):
        panels += deadline_panels(today)
    if user.has_perm("tracker.view_incident"):
        panels.append(latest_incidents())
    panels.append(my_recent_changes(user))
    return panels
