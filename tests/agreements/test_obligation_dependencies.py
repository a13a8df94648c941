"""Obligations are sequenced only within one agreement, and never in a circle."""

import pytest
from django.core.exceptions import ValidationError

from agreements.models import Obligation, ObligationDependency
from tests import builders

pytestmark = pytest.mark.django_db


def depend(obligation: Obligation, prerequisite: Obligation) -> ObligationDependency:
    """Validate and store "``obligation`` only after ``prerequisite``", as the admin does."""
    link = ObligationDependency(obligation=obligation, prerequisite=prerequisite)
    link.full_clean()
    link.save()
    return link


def prerequisite_error(obligation: Obligation, prerequisite: Obligation) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        depend(obligation, prerequisite)
    return caught.value.message_dict["prerequisite"]


@pytest.fixture
def chain() -> list[Obligation]:
    """Three obligations of one agreement, spread over two clauses."""
    first = builders.obligation(key="hand-over-weapons")
    second = builders.obligation(key="withdraw-forces", clause=first.clause)
    other_clause = builders.clause(agreement=first.clause.agreement)
    third = builders.obligation(key="reopen-crossings", clause=other_clause)
    return [first, second, third]


def test_a_chain_of_obligations_in_one_agreement_is_accepted(chain):
    first, second, third = chain

    depend(second, first)
    depend(third, second)

    assert list(second.depends_on.all()) == [first]
    assert list(third.depends_on.all()) == [second]
    assert list(first.dependents.all()) == [second]


def test_two_obligations_may_share_a_prerequisite(chain):
    first, second, third = chain

    depend(second, first)
    depend(third, first)

    assert set(first.dependents.all()) == {second, third}


def test_an_obligation_of_another_agreement_is_refused_as_prerequisite(chain):
    elsewhere = builders.obligation()

    assert prerequisite_error(chain[0], elsewhere) == [
        "A prerequisite must belong to the same agreement."
    ]
    assert not ObligationDependency.objects.exists()


def test_an_obligation_cannot_be_its_own_prerequisite(chain):
    errors = prerequisite_error(chain[0], chain[0])

    assert "An obligation cannot depend on itself." in errors


def test_a_direct_cycle_is_refused(chain):
    first, second, _ = chain
    depend(second, first)

    errors = prerequisite_error(first, second)

    assert errors == [
        "'withdraw-forces' already depends, directly or through others, on "
        "'hand-over-weapons': this would make a cycle."
    ]
    assert list(first.depends_on.all()) == []


def test_an_indirect_cycle_is_refused(chain):
    first, second, third = chain
    depend(second, first)
    depend(third, second)

    errors = prerequisite_error(first, third)

    assert errors == [
        "'reopen-crossings' already depends, directly or through others, on "
        "'hand-over-weapons': this would make a cycle."
    ]
    assert ObligationDependency.objects.count() == 2


def test_the_same_dependency_is_refused_the_second_time(chain):
    first, second, _ = chain
    depend(second, first)

    with pytest.raises(ValidationError):
        depend(second, first)

    assert ObligationDependency.objects.count() == 1
