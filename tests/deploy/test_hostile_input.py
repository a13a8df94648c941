"""Hostile input is a 4xx that says what is wrong, on API routes, report pages and CSV alike."""

import json

import pytest

from tests import builders

REPORT_PARAMETERS = [
    ("incident-summary", "area"),
    ("compliance-matrix", "agreement"),
    ("party-scorecard", "party"),
    ("audit", "user"),
]


@pytest.fixture
def reader(api_as):
    return api_as("viewer")


@pytest.fixture
def browser_user(client_as, viewer):
    return client_as(viewer)


@pytest.mark.django_db
@pytest.mark.parametrize(("report", "parameter"), REPORT_PARAMETERS)
def test_a_nul_in_a_report_parameter_is_a_400_naming_it_in_json(reader, report, parameter):
    response = reader.get(f"/api/v1/reports/{report}/", {parameter: "x\x00y"})

    assert response.status_code == 400
    assert parameter in response.json()["error"]["fields"]


@pytest.mark.django_db
@pytest.mark.parametrize(("report", "parameter"), REPORT_PARAMETERS)
@pytest.mark.parametrize("suffix", ["/", ".csv"])
def test_a_nul_in_a_report_parameter_is_a_400_naming_it_on_the_page_and_csv(
    browser_user, report, parameter, suffix
):
    response = browser_user.get(f"/reports/{report}{suffix}", {parameter: "x\x00y"})

    assert response.status_code == 400
    assert parameter in response.content.decode()


@pytest.mark.django_db
def test_a_nul_in_a_list_filter_is_a_400_naming_it(reader):
    response = reader.get("/api/v1/obligations/", {"q": "road\x00"})

    assert response.status_code == 400
    assert "q" in response.json()["error"]["fields"]


@pytest.mark.django_db
def test_a_nul_in_the_reason_of_a_write_is_a_400_naming_it(api_as):
    obligation = builders.obligation()

    response = api_as("lead").patch(
        f"/api/v1/obligations/{obligation.pk}/",
        {"action_en": "Open the road", "reason": "typo\x00"},
        format="json",
    )

    assert response.status_code == 400
    assert "reason" in response.json()["error"]["fields"]


@pytest.mark.django_db
def test_a_nul_in_the_reason_header_is_a_400_naming_the_header(api_as):
    obligation = builders.obligation()

    response = api_as("lead").patch(
        f"/api/v1/obligations/{obligation.pk}/",
        {"action_en": "Open the road"},
        format="json",
        HTTP_X_CHANGE_REASON="typo\x00",
    )

    assert response.status_code == 400
    assert "X-Change-Reason" in response.json()["error"]["fields"]


@pytest.mark.django_db
def test_a_nul_deep_inside_a_json_body_is_a_400_naming_where(api_as):
    incident = {
        "key": "i-nul",
        "occurred_on": "2021-09-03",
        "date_precision": "day",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "location": "Daraa",
        "actors": [{"name_as_reported": "gunmen\x00", "side": 1}],
    }

    response = api_as("analyst").post("/api/v1/incidents/", incident, format="json")

    assert response.status_code == 400
    assert "actors.0.name_as_reported" in response.json()["error"]["fields"]


@pytest.mark.django_db
def test_a_nul_in_a_form_field_outside_the_api_is_a_400(client):
    response = client.post(
        "/admin/login/",
        "username=x%00&password=y",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 400
    assert b"username" in response.content


@pytest.mark.django_db
def test_a_body_over_the_limit_is_a_413_in_the_error_shape(api_as, settings):
    body = json.dumps({"rationale": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})

    response = api_as("analyst").generic(
        "POST", "/api/v1/assessments/", body, content_type="application/json"
    )

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


@pytest.mark.django_db
def test_a_body_over_the_limit_outside_the_api_is_a_413(client, settings):
    response = client.generic(
        "POST",
        "/admin/login/",
        "username=" + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 413


@pytest.mark.django_db
@pytest.mark.parametrize("depth", [40, 1100, 100_000])
def test_json_nested_too_deep_is_a_400(api_as, depth):
    body = "[" * depth + "]" * depth

    response = api_as("analyst").generic(
        "POST", "/api/v1/assessments/", body, content_type="application/json"
    )

    assert response.status_code == 400
    assert "nested" in response.json()["error"]["message"]


@pytest.mark.django_db
def test_a_date_that_would_overflow_is_a_400_naming_the_parameter(reader):
    response = reader.get("/api/v1/reports/deadlines/", {"valid_on": "9999-12-20"})

    assert response.status_code == 400
    assert "valid_on" in response.json()["error"]["fields"]


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["/", ".csv"])
def test_a_date_that_would_overflow_is_a_400_on_the_report_page_and_csv(browser_user, suffix):
    response = browser_user.get(f"/reports/deadlines{suffix}", {"valid_on": "9999-12-20"})

    assert response.status_code == 400
    assert "valid_on" in response.content.decode()


@pytest.mark.django_db
def test_a_far_future_valid_on_for_obligations_is_a_400_naming_it(reader):
    response = reader.get("/api/v1/obligations/", {"valid_on": "9999-12-31"})

    assert response.status_code == 400
    assert "valid_on" in response.json()["error"]["fields"]


INCIDENT = {
    "key": "i-dated",
    "date_precision": "day",
    "event_type": "Battles",
    "sub_event_type": "Armed clash",
    "location": "Daraa",
    "description_en": "Clashes reported.",
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("occurred_on", "says"),
    [
        ("1899-12-31", "before 1900-01-01"),
        ("2999-01-01", "after today"),
        ("9999-12-31", "after 2999-12-31"),
    ],
)
def test_an_incident_dated_outside_the_sane_window_is_refused_with_a_reason(
    api_as, occurred_on, says
):
    response = api_as("analyst").post(
        "/api/v1/incidents/", INCIDENT | {"occurred_on": occurred_on}, format="json"
    )

    assert response.status_code == 400
    assert says in response.json()["error"]["fields"]["occurred_on"][0], response.content


@pytest.mark.django_db
@pytest.mark.parametrize("valid_from", ["1850-01-01", "2999-01-01"])
def test_a_judgement_dated_outside_the_sane_window_is_refused(api_as, valid_from):
    response = api_as("analyst").post(
        "/api/v1/assessments/",
        {
            "obligation": builders.obligation().pk,
            "status": "complied",
            "level": 3,
            "valid_from": valid_from,
            "valid_from_precision": "day",
            "rationale": "Two sources report the road open.",
        },
        format="json",
    )

    assert response.status_code == 400
    assert "valid_from" in response.json()["error"]["fields"]


@pytest.mark.django_db
def test_a_deadline_in_the_future_is_still_accepted(api_as):
    obligation = builders.obligation()

    response = api_as("lead").patch(
        f"/api/v1/obligations/{obligation.pk}/",
        {"due_on": "2031-01-01", "due_precision": "day"},
        format="json",
    )

    assert response.status_code == 200, response.content
