"""The judgements list as a lead's review queue: what awaits review, and review in bulk.

Every approval and rejection goes through tracker.services (assessments_review, which calls
assessment_review for each judgement), so the four-eyes rule, the note and the audit trail's
reason are the single review's.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tracker.choices import ReviewState
from tracker.models import ComplianceAssessment
from tracker.roles import REVIEW_PERMISSION
from tracker.selectors import awaiting_review
from tracker.services import assessments_review

# The admin action that reviews with each state (the confirmation page posts it back).
ACTIONS = {ReviewState.APPROVED: "approve_selected", ReviewState.REJECTED: "reject_selected"}
# Each action's name in the menu, and its confirmation page's title and button.
TITLES = {
    ReviewState.APPROVED: _("Approve selected judgements"),
    ReviewState.REJECTED: _("Reject selected judgements with a note"),
}
# Judgements named on the confirmation page; the rest are counted.
SHOWN = 50


class ReviewQueueFilter(admin.SimpleListFilter):
    """Judgements awaiting review, and, for a lead, those awaiting their own review."""

    title = _("review queue")
    parameter_name = "queue"
    AWAITING, MINE = "awaiting", "mine"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        choices = [(self.AWAITING, _("Awaiting review"))]
        if request.user.has_perm(REVIEW_PERMISSION):
            choices.append((self.MINE, _("Awaiting my review")))
        return choices

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[ComplianceAssessment]
    ) -> QuerySet[ComplianceAssessment]:
        if self.value() == self.AWAITING:
            return queryset.filter(pk__in=awaiting_review().values("pk"))
        if self.value() == self.MINE:
            return queryset.filter(pk__in=awaiting_review(request.user).values("pk"))
        return queryset


class ReviewNoteForm(forms.Form):
    """The one note a bulk review gives every judgement it reviews."""

    note = forms.CharField(
        label=_("Review note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60, "dir": "auto"}),
        help_text=_("Kept with each judgement and, in the audit trail, as the reason."),
    )

    def __init__(self, *args: Any, state: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.state = state
        if state == ReviewState.REJECTED:
            self.fields["note"].required = True
            self.fields["note"].error_messages["required"] = _(
                "Say why the judgements are rejected; nothing was rejected."
            )


def _report(request: HttpRequest, state: str, done: Any) -> None:
    """One message for what was reviewed, one for each reason some were skipped."""
    count = len(done.reviewed)
    if state == ReviewState.APPROVED:
        text = ngettext("%(count)d judgement approved.", "%(count)d judgements approved.", count)
    else:
        text = ngettext("%(count)d judgement rejected.", "%(count)d judgements rejected.", count)
    messages.success(request, text % {"count": count})
    if done.own:
        count = len(done.own)
        messages.warning(
            request,
            ngettext(
                "%(count)d judgement skipped: you recorded it, and another lead must review it "
                "(four eyes).",
                "%(count)d judgements skipped: you recorded them, and another lead must review "
                "them (four eyes).",
                count,
            )
            % {"count": count},
        )
    if done.already_reviewed:
        count = len(done.already_reviewed)
        messages.warning(
            request,
            ngettext(
                "%(count)d judgement skipped: it was already reviewed; a review is changed on "
                "the judgement's own page.",
                "%(count)d judgements skipped: they were already reviewed; a review is changed "
                "on the judgement's own page.",
                count,
            )
            % {"count": count},
        )


def review_selected(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet[ComplianceAssessment],
    state: str,
) -> HttpResponse | None:
    """Ask for the note on a confirmation page, then review the selected judgements."""
    confirmed = "confirm" in request.POST
    form = ReviewNoteForm(request.POST if confirmed else None, state=state)
    if confirmed and form.is_valid():
        done = assessments_review(
            assessments=queryset,
            reviewer=request.user,
            state=state,
            note=form.cleaned_data["note"],
        )
        _report(request, state, done)
        return None  # back to the list, which shows the messages
    select_across = request.POST.get("select_across", "0")
    # "Select all" may pick thousands: the page names the first ones and counts the rest.
    total = queryset.count()
    shown = list(queryset.select_related("obligation__clause__agreement", "author")[:SHOWN])
    reviewable = awaiting_review(request.user).filter(pk__in=queryset.values("pk")).count()
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": TITLES[state],
        "subtitle": None,
        "opts": modeladmin.opts,
        "form": form,
        "state": state,
        "action": ACTIONS[state],
        "shown": shown,
        "total": total,
        "more": total - len(shown),
        "skipped": total - reviewable,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "select_across": select_across,
        # With "select all", the list's filters (kept in the page's address) choose the rows.
        "ids": [] if select_across == "1" else list(queryset.values_list("pk", flat=True)),
        "media": modeladmin.media,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(
        request, "admin/tracker/complianceassessment/review_selected.html", context
    )


@admin.action(permissions=["review"], description=TITLES[ReviewState.APPROVED])
def approve_selected(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
) -> HttpResponse | None:
    return review_selected(modeladmin, request, queryset, ReviewState.APPROVED)


@admin.action(permissions=["review"], description=TITLES[ReviewState.REJECTED])
def reject_selected(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
) -> HttpResponse | None:
    return review_selected(modeladmin, request, queryset, ReviewState.REJECTED)
