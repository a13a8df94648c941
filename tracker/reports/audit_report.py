"""Audit report: who changed what over a period, through which channel, why, and how.

The audit trail is a record of transaction time only (when the tracker learnt or changed
something), so this report takes ``known_at`` and a recording period but no ``valid_on``: a
change to the record has no date in the world.
"""

import datetime
import json
from collections import Counter
from typing import Any

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import CharField, Count, Func, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from rest_framework import serializers

from history.context import CHANNELS
from history.readers import AuditFilters, AuditTrail, HistoryEntry, audited_models
from tracker.reports.base import Chart, Report, Table
from tracker.reports.params import (
    KnownAtField,
    ReportParams,
    date_field,
    text_field,
    whole_number,
)
from tracker.reports.registry import register
from tracker.roles import AUDIT_PERMISSION

NOBODY = "system"
NO_CHANNEL = "none"


class AuditReportParams(ReportParams):
    from_ = date_field(
        label=_("Recorded from (date, UTC)"),
        help_text="Changes recorded on or after this day (UTC).",
    )
    to = date_field(
        label=_("Recorded to (date, UTC)"),
        help_text="Changes recorded on or before this day (UTC); not before from.",
    )
    user = text_field(label=_("User"), help_text="Changes made by this username.")
    model = text_field(
        label=_("Model (e.g. obligation)"),
        help_text='Changes to this audited model, by label ("agreements.Obligation") or name '
        '("obligation").',
    )
    channel = serializers.ChoiceField(
        choices=CHANNELS,
        required=False,
        label=_("Channel"),
        help_text="Changes made through this channel.",
    )
    limit = whole_number(
        default=200,
        low=1,
        high=5000,
        label=_("Changes listed (most recent first)"),
        help_text="How many changes the list shows, most recent first; the title says how many "
        "more there are.",
    )
    offset = whole_number(
        default=0,
        low=0,
        high=100_000_000,
        label=_("Changes skipped (most recent first)"),
        help_text="List the changes after this many, most recent first: offset=200 with "
        "limit=200 is the second page.",
    )
    known_at = KnownAtField()

    def validate_model(self, value: str) -> str:
        """The label ("agreements.Clause") of an audited model named by its label or name."""
        wanted = value.lower()
        for model in audited_models():
            if wanted in {model._meta.label_lower, model._meta.model_name}:
                return model._meta.label
        raise serializers.ValidationError(f"'{wanted}' is not a model with an audit trail.")


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)


class NullPropagatingConcat(Func):
    """SQL ``a || b``: NULL when either side is (Django's Concat turns NULL into '')."""

    template = "(%(expressions)s)"
    arg_joiner = " || "
    output_field = CharField()


def summary_counts(trail: AuditTrail) -> list[tuple[str, str, str, str, int]]:
    """(user, model, channel, action, events) over the whole selection.

    One query: a grouped count per history table, glued with UNION ALL. The rows number the
    combinations that occur, however many events there are.
    """
    condition = trail.filters.condition()
    branches = [
        event_model.objects.filter(condition)
        .annotate(
            # As HistoryEntry.who names it: the user, else the command, else "system".
            who=Coalesce(
                KeyTextTransform("username", "pgh_context"),
                NullPropagatingConcat(
                    Value("manage.py "), KeyTextTransform("command", "pgh_context")
                ),
                Value(NOBODY),
                output_field=CharField(),
            ),
            via=Coalesce(
                KeyTextTransform("channel", "pgh_context"),
                Value(NO_CHANNEL),
                output_field=CharField(),
            ),
            table=Value(event_model.pgh_tracked_model._meta.label, output_field=CharField()),
        )
        .values("who", "table", "via", "pgh_label")
        .annotate(events=Count("pgh_id"))
        .values_list("who", "table", "via", "pgh_label", "events")
        .order_by()
        for event_model in trail.tables
    ]
    if not branches:
        return []
    rows = branches[0].union(*branches[1:], all=True)
    return sorted(rows, key=lambda row: row[:4])


def _shown(value: Any) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)


def diff_text(entry: HistoryEntry) -> str:
    """The changes of one event as one line: ``field: before -> after; ...``."""
    return "; ".join(
        f"{name}: {_shown(before)} -> {_shown(after)}"
        for name, (before, after) in entry.changes.items()
    )


def tally(rows: list[tuple[str, str, str, str, int]], column: int) -> list[list[Any]]:
    """Events per value of one column of the summary, most first, then by name."""
    counts: Counter = Counter()
    for row in rows:
        counts[row[column]] += row[4]
    return [[name, total] for name, total in sorted(counts.items(), key=lambda i: (-i[1], i[0]))]


def changes_title(shown: int, offset: int, total: int) -> str:
    """Say how many are left out: a listing that stops short must say so."""
    if shown == total:
        return f"All {total} changes"
    if offset == 0:
        return f"The {shown} most recent of {total} changes (raise 'limit' to see more)"
    return (
        f"Changes {offset + 1}-{offset + shown} (most recent first): {shown} of {total} "
        "changes (set 'offset' or raise 'limit' to see the others)"
    )


@register
class AuditReport(Report):
    name = "audit"
    title = _("Audit report")
    question = _(
        "Who changed what in the tracker over a period, through which channel, why, and what "
        "did each change do?"
    )
    params_serializer = AuditReportParams
    example = {"model": "complianceassessment"}
    permissions = (AUDIT_PERMISSION,)

    def compute(self, parameters: dict[str, Any]) -> tuple[list[Table], list[Chart]]:
        # Events committed by known_at, and recorded before the day after the period's end.
        before = None
        if parameters["to"] is not None:
            before = _day_start(parameters["to"] + datetime.timedelta(days=1))
        model = apps.get_model(parameters["model"]) if parameters["model"] else None
        trail = AuditTrail(
            AuditFilters(
                user=parameters["user"],
                models=(model,) if model else (),
                channel=parameters["channel"],
                after=_day_start(parameters["from"]) if parameters["from"] else None,
                before=before,
                known_at=parameters["known_at"],
            )
        )
        summary = summary_counts(trail)
        total = sum(row[4] for row in summary)
        offset = parameters["offset"]
        listed = trail[offset : offset + parameters["limit"]]
        changes = [
            [
                entry.seq,
                entry.at.astimezone(datetime.UTC).isoformat(),
                entry.who,
                entry.channel or NO_CHANNEL,
                entry.model_label,
                entry.object_id,
                entry.object_str,
                entry.action,
                entry.reason,
                diff_text(entry),
            ]
            for entry in listed
        ]
        tables = [
            Table(
                "summary",
                gettext_noop("Changes by user, model, channel and action"),
                [
                    gettext_noop("user"),
                    gettext_noop("model"),
                    gettext_noop("channel"),
                    gettext_noop("action"),
                    gettext_noop("changes"),
                ],
                [list(row) for row in summary],
            ),
            Table(
                "by_user",
                gettext_noop("Changes by user"),
                [gettext_noop("user"), gettext_noop("changes")],
                tally(summary, 0),
            ),
            Table(
                "by_model",
                gettext_noop("Changes by model"),
                [gettext_noop("model"), gettext_noop("changes")],
                tally(summary, 1),
            ),
            Table(
                "by_channel",
                gettext_noop("Changes by channel"),
                [gettext_noop("channel"), gettext_noop("changes")],
                tally(summary, 2),
            ),
            Table(
                "changes",
                # Say how many are left out: a listing that stops short must say so.
                changes_title(len(changes), offset, total),
                [
                    gettext_noop("seq"),
                    gettext_noop("recorded at (UTC)"),
                    gettext_noop("user"),
                    gettext_noop("channel"),
                    gettext_noop("model"),
                    gettext_noop("object id"),
                    gettext_noop("object"),
                    gettext_noop("action"),
                    gettext_noop("reason"),
                    gettext_noop("changes (before -> after)"),
                ],
                changes,
            ),
        ]
        return tables, [Chart(gettext_noop("Changes by user"), "by_user", 0, 1)]
