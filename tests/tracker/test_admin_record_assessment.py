"""Recording a judgement from the obligation's page goes through assessment_record."""

import datetime

import pytest
from django.utils import timezone

from tests import builders
from tests.admin_helpers import admin_url, field_named, submitted_form
from tracker.models import ComplianceAssessment

RATIONALE = "Checkpoints at Daraa al-Balad were still manned on 12 September."


@pytest.fixture
def obligation(db):
    obligation = builders.obligation(action_en="Remove the checkpoints")
    builders.assessment(
        obligation=obligation,
        status="not_yet_due",
        level=None,
        valid_from=datetime.date(2021, 9, 6),
        rationale="The deadline had not passed.",
    )
    return obligation


def _page_with_new_judgement(client, obligation, **typed: str) -> dict[str, list[str]]:
    """The obligation page as a browser would post it, with the new-assessment form filled."""
    data = submitted_form(client.get(admin_url(type(obligation), "change", obligation.pk)))
    for suffix, value in typed.items():
        data[field_named(data, f"-0-{suffix}")] = [value]
    return data


def _post(client, obligation, data):
    return client.post(admin_url(type(obligation), "change", obligation.pk), data)


def test_an_empty_rationale_is_a_form_error_and_records_nothing(obligation, lead, client_as):
    client = client_as(lead)
    data = _page_with_new_judgement(
        client, obligation, status="not_complied", valid_from="2021-09-12", rationale="  "
    )

    response = _post(client, obligation, data)

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert obligation.assessments.count() == 1


def test_a_judgement_with_a_rationale_is_recorded_once_authored_by_the_user(
    obligation, lead, client_as
):
    client = client_as(lead)
    data = _page_with_new_judgement(
        client, obligation, status="not_complied", valid_from="2021-09-12", rationale=RATIONALE
    )

    response = _post(client, obligation, data)

    assert response.status_code == 302
    recorded = obligation.assessments.get(rationale=RATIONALE)
    assert recorded.author == lead
    assert recorded.status == "not_complied"
    assert recorded.valid_from == datetime.date(2021, 9, 12)
    assert obligation.assessments.count() == 2


def test_the_history_shows_the_new_judgement_first_and_read_only(obligation, lead, client_as):
    client = client_as(lead)
    url = admin_url(type(obligation), "change", obligation.pk)
    _post(
        client,
        obligation,
        _page_with_new_judgement(
            client, obligation, status="not_complied", valid_from="2021-09-12", rationale=RATIONALE
        ),
    )

    page = client.get(url)
    html = page.content.decode()
    typed_values = [value for values in submitted_form(page).values() for value in values]

    assert RATIONALE in html
    assert html.index(RATIONALE) < html.index("The deadline had not passed.")
    assert RATIONALE not in typed_values  # Shown as text, not in an editable field.
    assert "Not complied" in html


def test_the_obligation_list_shows_the_new_current_status(obligation, lead, client_as):
    client = client_as(lead)
    _post(
        client,
        obligation,
        _page_with_new_judgement(
            client, obligation, status="not_complied", valid_from="2021-09-12", rationale=RATIONALE
        ),
    )

    listing = client.get(
        admin_url(type(obligation), "changelist"), {"current_status": "not_complied"}
    )

    assert list(listing.context["cl"].result_list) == [obligation]
    assert "Not complied" in listing.content.decode()


def test_a_rule_of_the_service_shows_as_a_form_error_and_nothing_on_the_page_is_saved(
    obligation, lead, client_as
):
    client = client_as(lead)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = _page_with_new_judgement(
        client,
        obligation,
        status="complied",
        valid_from=f"{tomorrow:%Y-%m-%d}",
        rationale=RATIONALE,
    )
    data["note"] = ["Edited together with the judgement."]

    response = _post(client, obligation, data)

    assert response.status_code == 200
    assert "A judgement cannot hold from a date that has not come yet." in response.content.decode()
    assert obligation.assessments.count() == 1
    obligation.refresh_from_db()
    assert obligation.note == ""


def test_an_analyst_is_offered_the_assessment_add_page_instead_of_the_inline_form(
    obligation, analyst, client_as
):
    page = client_as(analyst).get(admin_url(type(obligation), "change", obligation.pk))

    assert not any(name.endswith("-0-rationale") for name in submitted_form(page))
    assert f"{admin_url(ComplianceAssessment, 'add')}?obligation={obligation.pk}" in (
        page.content.decode()
    )


def test_an_analyst_records_a_judgement_on_the_assessment_add_page(obligation, analyst, client_as):
    client = client_as(analyst)
    add_url = admin_url(ComplianceAssessment, "add")
    data = submitted_form(client.get(add_url, {"obligation": obligation.pk}))
    data.update(status=["complied"], valid_from=["2021-09-20"], rationale=[RATIONALE])

    response = client.post(add_url, data)

    assert response.status_code == 302
    recorded = ComplianceAssessment.objects.get(rationale=RATIONALE)
    assert (recorded.obligation, recorded.author) == (obligation, analyst)
    assert response.url == admin_url(ComplianceAssessment, "changelist")
