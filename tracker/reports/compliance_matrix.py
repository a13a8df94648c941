"""Compliance matrix: every obligation of one agreement with its status, and roll-ups."""

from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from agreements.models import Agreement, Obligation
from agreements.selectors import clauses_as_of, obligations_as_of
from history.as_of import related_as_of
from tracker.choices import ComplianceStatus
from tracker.reports.base import Chart, Report, Table
from tracker.reports.params import KnownAtField, ReportParams, record_field, valid_on_field
from tracker.reports.registry import register
from tracker.selectors import obligations_with_status

# The shares the roll-ups report; anything else (in progress, unknown, no judgement yet)
# counts in the total only.
SHARED_STATUSES = [
    ComplianceStatus.COMPLIED,
    ComplianceStatus.PARTIALLY_COMPLIED,
    ComplianceStatus.NOT_COMPLIED,
    ComplianceStatus.DISPUTED,
    ComplianceStatus.NOT_YET_DUE,
]
NOT_ASSESSED = "not assessed"
# Names the matrix shows, read as they were at known_at: annotation -> path from an obligation.
NAMED = {
    "clause_label": "clause__label",
    "clause_key": "clause__key",
    "clause_position": "clause__position",
    "obligor_name": "obligor__name_en",
    "topic_code": "clause__topic__code",
}


def in_order(value: Any) -> tuple[bool, Any]:
    """Sort key of a group: by value in code point order, none last (as SQL's ORDER BY
    under the C collation, but the same whatever the database's collation)."""
    return (value is None, value)


def status_counts(rows: list[dict[str, Any]], group_by: str) -> list[dict[str, Any]]:
    """Obligations per group, how many hold each status, and their mean level, counted from
    the matrix's rows: each obligation's standing judgement is worked out once, by the query
    that lists them, not again for every roll-up."""
    groups: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row[group_by]].append(row)
    counted = []
    for name in sorted(groups, key=in_order):
        members = groups[name]
        statuses = Counter(row["current_status"] for row in members)
        levels = [row["current_level"] for row in members if row["current_level"] is not None]
        counted.append(
            {
                group_by: name,
                "total": len(members),
                "assessed": sum(row["current_status"] is not None for row in members),
                **{status.value: statuses[status.value] for status in SHARED_STATUSES},
                # As SQL's AVG: exact, then rounded once.
                "mean_level": Decimal(sum(levels)) / len(levels) if levels else None,
            }
        )
    return counted


def share(part: int, total: int) -> float:
    return round(100 * part / total, 1) if total else 0.0


def rollup_rows(groups: list[dict[str, Any]], group_by: str) -> list[list[Any]]:
    rows = []
    for group in groups:
        total = group["total"]
        mean = group["mean_level"]
        # Nothing judged yet: no share at all (None), which a 0.0 would misread as a judgement.
        assessed = group["assessed"] > 0
        rows.append(
            [
                group[group_by],
                total,
                *(
                    share(group[status.value], total) if assessed else None
                    for status in SHARED_STATUSES
                ),
                None if mean is None else round(float(mean), 2),
            ]
        )
    return rows


class ComplianceMatrixParams(ReportParams):
    agreement = record_field(
        Agreement,
        "code",
        required=True,
        label=_("Agreement code"),
        help_text="The agreement's code.",
    )
    valid_on = valid_on_field()
    known_at = KnownAtField()


@register
class ComplianceMatrix(Report):
    name = "compliance-matrix"
    title = _("Compliance matrix")
    question = _(
        "For one agreement: which party owes what under each clause, how far has each "
        "obligation been met, and how do topics and parties compare?"
    )
    params_serializer = ComplianceMatrixParams
    example = {"agreement": "daraa-2021-09-06", "valid_on": "2021-09-10"}

    def compute(self, parameters: dict[str, Any]) -> tuple[list[Table], list[Chart]]:
        agreement, known_at = parameters["agreement"], parameters["known_at"]
        # The obligations as the tracker recorded them then, with the judgement that held on
        # valid_on according to what was known at known_at.
        obligations = obligations_with_status(
            obligations_as_of(known_at).filter(
                clause_id__in=clauses_as_of(known_at).filter(agreement_id=agreement.pk).values("id")
            ),
            on=parameters["valid_on"],
            known_at=known_at,
        ).annotate(
            **{name: related_as_of(Obligation, known_at, path) for name, path in NAMED.items()}
        )
        # One query; the tables below are all counted from its rows.
        rows = list(
            obligations.order_by("clause_position", "clause_key", "key").values(
                "clause_label",
                "clause_key",
                "key",
                "obligor_name",
                "topic_code",
                "due_on",
                "current_status",
                "current_level",
                "current_valid_from",
            )
        )
        matrix = [
            [
                row["clause_label"] or row["clause_key"],
                row["key"],
                row["obligor_name"],
                row["due_on"],
                row["current_status"] or NOT_ASSESSED,
                row["current_level"],
                row["current_valid_from"],
            ]
            for row in rows
        ]
        per_status = Counter(row["current_status"] for row in rows)
        by_status = [
            [status or NOT_ASSESSED, per_status[status]]
            for status in sorted(per_status, key=in_order)
        ]
        share_columns = [f"% {status.label.lower()}" for status in SHARED_STATUSES]
        rollup_columns = [
            gettext_noop("obligations"),
            *share_columns,
            gettext_noop("mean PAM level"),
        ]
        tables = [
            Table(
                "matrix",
                gettext_noop("Obligations"),
                [
                    gettext_noop("clause"),
                    gettext_noop("obligation"),
                    gettext_noop("obligor"),
                    gettext_noop("due"),
                    gettext_noop("status"),
                    gettext_noop("PAM level"),
                    gettext_noop("valid from"),
                ],
                matrix,
            ),
            Table(
                "by_status",
                gettext_noop("Obligations by status"),
                [gettext_noop("status"), gettext_noop("obligations")],
                by_status,
            ),
            Table(
                "by_topic",
                gettext_noop("By topic"),
                [gettext_noop("topic"), *rollup_columns],
                rollup_rows(status_counts(rows, "topic_code"), "topic_code"),
            ),
            Table(
                "by_party",
                gettext_noop("By obligor"),
                [gettext_noop("obligor"), *rollup_columns],
                rollup_rows(status_counts(rows, "obligor_name"), "obligor_name"),
            ),
        ]
        return tables, [Chart(gettext_noop("Obligations by status"), "by_status", 0, 1)]
