"""Before anything reaches the database, full_clean() explains a broken rule next to the field
an analyst has to fix, in words they understand (the admin and the API show these)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from agreements.models import Agreement, ClauseAccount, Obligation
from tests import builders
from tracker.models import BreachClaim, ComplianceAssessment, Incident

pytestmark = pytest.mark.django_db

D = datetime.date


def errors_of(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def test_a_collapsed_agreement_without_an_end_date_is_explained_on_the_end_date():
    agreement = Agreement(
        code="daraa-2018", title_en="Daraa 2018", stage="ceasefire", status="collapsed"
    )

    assert errors_of(agreement) == {
        "ended_on": ["A collapsed, superseded or expired agreement needs its end date."]
    }


def test_an_agreement_taking_effect_before_signature_is_explained_on_the_effective_date():
    agreement = Agreement(
        code="daraa-2021",
        title_en="Daraa 2021",
        stage="ceasefire",
        signed_on=D(2021, 9, 6),
        signed_precision="day",
        effective_on=D(2021, 9, 1),
    )

    assert errors_of(agreement) == {
        "effective_on": ["An agreement cannot take effect before it is signed."]
    }


def test_a_month_only_deadline_on_another_day_is_explained_on_the_deadline():
    obligation = Obligation(
        clause=builders.clause(),
        key="withdraw",
        obligor=builders.party(),
        action_en="Withdraw heavy weapons",
        due_on=D(2021, 9, 15),
        due_precision="month",
    )

    assert errors_of(obligation) == {
        "due_on": ["A month-only “due on” must be the 1st of the month."]
    }


def test_a_deadline_without_its_precision_is_explained_on_the_precision():
    obligation = Obligation(
        clause=builders.clause(),
        key="withdraw",
        obligor=builders.party(),
        action_en="Withdraw heavy weapons",
        due_on=D(2021, 9, 15),
    )

    assert errors_of(obligation) == {
        "due_precision": ["“due on” and its precision must be given together."]
    }


def test_a_second_working_account_is_explained():
    clause = builders.clause()
    builders.clause_account(clause=clause, is_working_text=True)
    second = ClauseAccount(
        clause=clause,
        source=builders.source(),
        form="quote",
        text_en="Ten checkpoints.",
        is_working_text=True,
    )

    assert errors_of(second) == {NON_FIELD_ERRORS: ["Another account is already the working text."]}


def test_a_sub_event_of_another_event_type_is_explained_on_the_sub_event():
    incident = Incident(
        key="protest-1",
        occurred_on=D(2021, 9, 3),
        date_precision="day",
        event_type="Protests",
        sub_event_type="Air/drone strike",
        location="Tafas",
        description_en="A crowd gathered.",
    )

    assert errors_of(incident) == {
        "sub_event_type": ["This sub-event type belongs to another event type."]
    }


def test_a_rationale_of_only_spaces_is_explained_on_the_rationale():
    assessment = ComplianceAssessment(
        obligation=builders.obligation(),
        status="complied",
        valid_from=D(2021, 9, 6),
        valid_from_precision="day",
        rationale="   ",
    )

    assert errors_of(assessment) == {"rationale": ["“rationale” cannot be empty."]}


def test_claiming_an_incident_twice_against_one_obligation_is_explained():
    claim = builders.breach_claim()
    again = BreachClaim(
        incident=claim.incident, obligation=claim.obligation, rationale="Another reading."
    )

    assert errors_of(again) == {
        NON_FIELD_ERRORS: ["This incident is already claimed against this obligation."]
    }


def test_a_sound_obligation_passes_validation():
    obligation = Obligation(
        clause=builders.clause(),
        key="withdraw",
        obligor=builders.party(),
        action_en="Withdraw heavy weapons",
        due_on=D(2021, 9, 1),
        due_precision="month",
    )

    obligation.full_clean()


def test_a_latitude_without_a_longitude_is_explained_on_the_latitude():
    incident = Incident(
        key="shelling-1",
        occurred_on=D(2021, 9, 3),
        date_precision="day",
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        location="Daraa al-Balad",
        latitude=Decimal("32.62"),
        description_en="Shelling reported in the old city.",
    )

    assert errors_of(incident) == {
        "latitude": ["Give both latitude (-90..90) and longitude (-180..180), or neither."]
    }


def test_a_judgement_holding_from_a_future_date_is_explained_on_the_date():
    assessment = ComplianceAssessment(
        obligation=builders.obligation(),
        status="complied",
        valid_from=timezone.localdate() + datetime.timedelta(days=1),
        valid_from_precision="day",
        rationale="Announced for tomorrow.",
    )

    assert errors_of(assessment) == {
        "valid_from": ["A judgement cannot hold from a date that has not come yet."]
    }


def test_a_correction_of_another_obligations_judgement_is_explained_on_supersedes():
    elsewhere = builders.assessment()
    correction = ComplianceAssessment(
        obligation=builders.obligation(),
        status="complied",
        valid_from=D(2021, 9, 6),
        valid_from_precision="day",
        rationale="Corrected.",
        supersedes=elsewhere,
    )

    assert errors_of(correction) == {
        "supersedes": ["A correction must concern the same obligation."]
    }


def test_a_rejection_without_a_note_is_explained_on_the_note():
    assessment = builders.assessment()
    assessment.review_state = "rejected"
    assessment.reviewed_at = timezone.now()

    assert errors_of(assessment) == {"review_note": ["Say why the judgement is rejected."]}
