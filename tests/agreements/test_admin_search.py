"""Admin searches find things under the names sources use."""

from agreements.models import Party, PartyAlias
from tests import builders
from tests.admin_helpers import admin_url


def test_a_party_is_found_by_one_of_its_aliases(lead, client_as):
    party = builders.party(name_en="Syrian Arab Army")
    PartyAlias.objects.create(party=party, alias="regime forces", note="opposition media")
    builders.party(name_en="Central Committee")

    listing = client_as(lead).get(admin_url(Party, "changelist"), {"q": "regime"})

    assert list(listing.context["cl"].result_list) == [party]
    assert "regime forces" in listing.content.decode()


def test_an_obligation_is_found_by_an_alias_of_its_obligor(lead, client_as):
    obligation = builders.obligation(action_en="Hand over light weapons")
    PartyAlias.objects.create(party=obligation.obligor, alias="the Eighth Brigade")
    builders.obligation()

    listing = client_as(lead).get(
        admin_url(type(obligation), "changelist"), {"q": "eighth brigade"}
    )

    assert list(listing.context["cl"].result_list) == [obligation]
