"""Pickers tell records apart: an incident reads "date · place · event type", an obligation
"agreement · clause · action", and a long action is shortened between words, never inside one."""

import pytest
from django.urls import reverse

from tests import builders

pytestmark = pytest.mark.django_db

LONG_ACTION = (
    "Withdraw heavy weapons and armoured vehicles from the old town of Daraa al-Balad to the "
    "positions agreed under the supervision of the mediators"
)


def _autocomplete(client, model_name: str, field_name: str, term: str) -> list[str]:
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "tracker", "model_name": model_name, "field_name": field_name, "term": term},
    )
    return [result["text"] for result in response.json()["results"]]


def test_the_incident_picker_shows_date_place_and_event_type(analyst, client_as):
    builders.incident(location="Tafas", event_type="Protests", sub_event_type="")

    texts = _autocomplete(client_as(analyst), "breachclaim", "incident", "Tafas")

    assert texts == ["2021-09-03 · Tafas · Protests"]


def test_the_obligation_picker_names_agreement_and_clause_and_cuts_between_words(
    analyst, client_as
):
    agreement = builders.agreement(code="daraa-2021-09-06")
    clause = builders.clause(agreement=agreement, label="Art. 3")
    builders.obligation(clause=clause, action_en=LONG_ACTION)

    (text,) = _autocomplete(client_as(analyst), "breachclaim", "obligation", "armoured")

    assert text.startswith("daraa-2021-09-06 · Art. 3 · Withdraw heavy weapons")
    assert text.endswith("…")
    shortened = text.split(" · ")[2].removesuffix("…")
    assert LONG_ACTION.startswith(shortened)
    assert LONG_ACTION[len(shortened)] == " "
