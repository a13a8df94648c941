"""Bad input is a 400 that names the field, never a 500."""

import datetime

import pytest

from tests import builders
from tests.api.resources import RESOURCES


def field_errors(response) -> dict:
    body = response.json()["error"]
    assert body["status"] == 400
    assert body["code"] == "invalid"
    return body["fields"]


@pytest.mark.django_db
@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_a_bad_value_on_create_is_refused_naming_the_field(api_as, resource):
    payload = resource.payload() | resource.bad

    response = api_as("admin").post(f"/api/v1/{resource.route}/", payload, format="json")

    assert response.status_code == 400, response.content
    assert set(resource.bad) <= set(field_errors(response))


@pytest.mark.django_db
@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_a_wrong_type_is_refused_naming_the_field(api_as, resource):
    name = next(iter(resource.payload()))
    payload = resource.payload() | {name: {"not": "a scalar"}}

    response = api_as("admin").post(f"/api/v1/{resource.route}/", payload, format="json")

    assert response.status_code == 400
    assert name in field_errors(response)


@pytest.mark.django_db
def test_an_agreement_ending_before_its_signature_is_refused_on_the_end_date(api_as):
    agreement = builders.agreement(signed_on=datetime.date(2021, 9, 6))

    response = api_as("lead").patch(
        f"/api/v1/agreements/{agreement.pk}/",
        {"status": "collapsed", "ended_on": "2021-09-01"},
        format="json",
    )

    assert response.status_code == 400
    assert "ended_on" in field_errors(response)


@pytest.mark.django_db
def test_a_month_only_date_with_a_day_is_refused(api_as):
    response = api_as("lead").post(
        "/api/v1/agreements/",
        {
            "code": "x-1",
            "title_en": "X",
            "stage": "ceasefire",
            "signed_on": "2021-09-06",
            "signed_precision": "month",
        },
        format="json",
    )

    assert response.status_code == 400
    assert "signed_on" in field_errors(response)


@pytest.mark.django_db
def test_an_unknown_related_id_is_refused_naming_the_field(api_as):
    response = api_as("lead").post(
        "/api/v1/obligations/",
        {"clause": builders.clause().pk, "key": "o", "obligor": 987654, "action_en": "Act"},
        format="json",
    )

    assert response.status_code == 400
    assert "obligor" in field_errors(response)


@pytest.mark.django_db
def test_a_prerequisite_from_another_agreement_is_refused(api_as):
    obligation = builders.obligation()
    elsewhere = builders.obligation()

    response = api_as("lead").patch(
        f"/api/v1/obligations/{obligation.pk}/", {"depends_on": [elsewhere.pk]}, format="json"
    )

    assert response.status_code == 400
    assert "depends_on" in field_errors(response)
    assert not obligation.depends_on.exists()


@pytest.mark.django_db
def test_a_cycle_of_prerequisites_is_refused(api_as):
    first = builders.obligation()
    second = builders.obligation(clause=builders.clause(agreement=first.clause.agreement))
    client = api_as("lead")
    assert (
        client.patch(
            f"/api/v1/obligations/{second.pk}/", {"depends_on": [first.pk]}, format="json"
        ).status_code
        == 200
    )

    response = client.patch(
        f"/api/v1/obligations/{first.pk}/", {"depends_on": [second.pk]}, format="json"
    )

    assert response.status_code == 400
    assert "cycle" in str(field_errors(response)["depends_on"])
    assert not first.depends_on.exists()


@pytest.mark.django_db
def test_an_assessment_without_rationale_is_refused(api_as):
    response = api_as("analyst").post(
        "/api/v1/assessments/",
        {
            "obligation": builders.obligation().pk,
            "status": "complied",
            "valid_from": "2021-09-10",
            "valid_from_precision": "day",
            "rationale": "   ",
        },
        format="json",
    )

    assert response.status_code == 400
    assert "rationale" in field_errors(response)


@pytest.mark.django_db
def test_a_correction_of_another_obligations_assessment_is_refused(api_as):
    other = builders.assessment()

    response = api_as("analyst").post(
        "/api/v1/assessments/",
        {
            "obligation": builders.obligation().pk,
            "status": "complied",
            "valid_from": "2021-09-10",
            "valid_from_precision": "day",
            "rationale": "Corrects the earlier one.",
            "supersedes": other.pk,
        },
        format="json",
    )

    assert response.status_code == 400
    assert "supersedes" in field_errors(response)


@pytest.mark.django_db
def test_malformed_json_is_a_400_in_the_error_shape(api_as):
    response = api_as("lead").generic(
        "POST", "/api/v1/parties/", "{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["status"] == 400
