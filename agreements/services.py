"""Writes of the agreements app that touch more than one row. Admin, API and commands call these."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from agreements.dependencies import dependency_problem
from agreements.models import Obligation, ObligationDependency


@transaction.atomic
def obligation_set_prerequisites(
    *, obligation: Obligation, prerequisites: Iterable[Obligation]
) -> None:
    """Make ``prerequisites`` exactly the obligations that must be met before ``obligation``.

    Each new link is checked against the links already stored (including the ones added just
    before it), so a set that would close a cycle is refused as a whole.
    """
    wanted = {prerequisite.pk: prerequisite for prerequisite in prerequisites}
    obligation.prerequisite_links.exclude(prerequisite_id__in=wanted).delete()
    existing = set(obligation.prerequisite_links.values_list("prerequisite_id", flat=True))
    for pk, prerequisite in wanted.items():
        if pk in existing:
            continue
        problem = dependency_problem(obligation, prerequisite)
        if problem:
            raise ValidationError({"depends_on": f"{prerequisite.key}: {problem}"})
        ObligationDependency.objects.create(obligation=obligation, prerequisite=prerequisite)
