"""Rules for sequencing obligations, checked before a dependency is stored."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import connection

if TYPE_CHECKING:
    from agreements.models import Obligation

# Every obligation reachable by following prerequisites from the start, in one query.
_PREREQUISITES_SQL = """
WITH RECURSIVE reach(id) AS (
    SELECT prerequisite_id FROM {table} WHERE obligation_id = %s
    UNION
    SELECT d.prerequisite_id FROM {table} d JOIN reach r ON d.obligation_id = r.id
)
SELECT EXISTS (SELECT 1 FROM reach WHERE id = %s)
"""


def dependency_problem(obligation: Obligation, prerequisite: Obligation) -> str | None:
    """Why ``obligation`` may not depend on ``prerequisite``, or None if it may.

    Sequencing only makes sense inside one agreement, and a cycle would mean neither
    obligation could ever fall due.
    """
    if obligation.pk == prerequisite.pk:
        return "An obligation cannot depend on itself."
    if obligation.clause.agreement_id != prerequisite.clause.agreement_id:
        return "A prerequisite must belong to the same agreement."
    through = obligation._meta.get_field("depends_on").remote_field.through
    with connection.cursor() as cursor:
        cursor.execute(
            _PREREQUISITES_SQL.format(table=connection.ops.quote_name(through._meta.db_table)),
            [prerequisite.pk, obligation.pk],
        )
        (creates_cycle,) = cursor.fetchone()
    if creates_cycle:
        return (
            f"'{prerequisite.key}' already depends, directly or through others, on "
            f"'{obligation.key}': this would make a cycle."
        )
    return None
