"""The obligation page answers first what an analyst comes for: which agreement, what status,
and the form to record a judgement; then the fields to edit. Its messages say what happened."""

import re

import pytest
from django.urls import reverse

from tests import builders
from tests.admin_helpers import field_named, submitted_form

pytestmark = pytest.mark.django_db


def _page(client, obligation) -> str:
    url = reverse("admin:agreements_obligation_change", args=[obligation.pk])
    return client.get(url).content.decode()


def test_the_obligation_page_names_its_agreement_with_a_link(lead, client_as):
    agreement = builders.agreement(title_en="Daraa settlement of September 2021")
    obligation = builders.obligation(clause=builders.clause(agreement=agreement))

    page = _page(client_as(lead), obligation)

    link = reverse("admin:agreements_agreement_change", args=[agreement.pk])
    assert f'<a href="{link}" dir="auto">Daraa settlement of September 2021</a>' in page


def test_status_and_judgement_form_come_before_the_fields_to_edit(lead, client_as):
    page = _page(client_as(lead), builders.obligation())

    status = page.index("Not assessed yet")
    judgement_form = re.search(r'name="[\w-]+-0-status"', page).start()
    first_editable = page.index('name="obligor"')
    assert status < judgement_form < first_editable


def test_recording_a_judgement_says_judgement_recorded(lead, client_as):
    obligation = builders.obligation()
    client = client_as(lead)
    url = reverse("admin:agreements_obligation_change", args=[obligation.pk])
    data = submitted_form(client.get(url))
    typed = {
        "status": "complied",
        "level": "3",
        "valid_from": "2021-09",
        "rationale": "Withdrawal confirmed by two monitors.",
    }
    for suffix, value in typed.items():
        data[field_named(data, f"-0-{suffix}")] = [value]

    response = client.post(url, data, follow=True)

    shown = [str(message) for message in response.context["messages"]]
    assert shown == ["Judgement recorded."]
    judgement = obligation.assessments.get()
    assert (str(judgement.valid_from), judgement.valid_from_precision) == ("2021-09-01", "month")
