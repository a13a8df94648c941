"""One rule for an obligation's standing judgement, and every place that shows a status uses it:
on a generated set of judgements (corrections, rejections, several dates), the API list and its
filter, the admin list, the compliance matrix, the party scorecard and the deadlines' blocked
prerequisites all agree with the selector, and the selector with a count made by hand."""

import datetime
import random
from collections import Counter

import pytest
from django.contrib import admin
from django.test import RequestFactory

from agreements.models import Obligation, ObligationDependency
from tests import builders
from tests.api.conftest import token_client
from tests.conftest import make_role_user
from tracker.choices import ComplianceStatus, ReviewState
from tracker.models import ComplianceAssessment
from tracker.selectors import standing_judgements

pytestmark = pytest.mark.django_db

VALID_ON = datetime.date(2021, 9, 10)
STATUSES = [status.value for status in ComplianceStatus]


@pytest.fixture
def generated() -> dict:
    """An agreement with 40 obligations of two obligors and 0-5 judgements each, some
    corrected, some rejected, some valid only after VALID_ON; a few prerequisites."""
    rng = random.Random(20210906)
    agreement = builders.agreement(signed_on=datetime.date(2021, 9, 6))
    obligors = [builders.party(), builders.party()]
    clauses = [builders.clause(agreement=agreement) for _ in range(4)]
    obligations = [
        builders.obligation(clause=rng.choice(clauses), obligor=rng.choice(obligors))
        for _ in range(40)
    ]
    lead = make_role_user("lead")
    for obligation in obligations:
        made: list[ComplianceAssessment] = []
        for _ in range(rng.randint(0, 5)):
            open_to_correction = [j for j in made if not hasattr(j, "superseded_by")]
            corrects = None
            if open_to_correction and rng.random() < 0.3:
                corrects = rng.choice(open_to_correction)
            judgement = builders.assessment(
                obligation=obligation,
                status=rng.choice(STATUSES),
                level=rng.randint(0, 3),
                valid_from=datetime.date(2021, 9, 1) + datetime.timedelta(days=rng.randint(0, 14)),
                supersedes=corrects,
            )
            if rng.random() < 0.2:
                judgement.review_state = ReviewState.REJECTED
                judgement.reviewed_by = lead
                judgement.reviewed_at = judgement.recorded_at
                judgement.review_note = "Not supported by the sources."
                judgement.save()
            made.append(judgement)
            if corrects is not None:
                made[made.index(corrects)] = ComplianceAssessment.objects.get(pk=corrects.pk)
    for obligation, prerequisite in zip(obligations[:6], obligations[6:12], strict=True):
        ObligationDependency.objects.create(obligation=obligation, prerequisite=prerequisite)
    return {"agreement": agreement, "obligations": obligations, "obligors": obligors}


def by_hand(obligation: Obligation) -> str | None:
    """The rule, worked out in Python from the judgements themselves."""
    judgements = list(obligation.assessments.all())
    rejected = {j.pk for j in judgements if j.review_state == ReviewState.REJECTED}
    corrected = {j.supersedes_id for j in judgements if j.supersedes_id and j.pk not in rejected}
    standing = [
        j
        for j in judgements
        if j.pk not in rejected and j.pk not in corrected and j.valid_from <= VALID_ON
    ]
    standing.sort(key=lambda j: (j.valid_from, j.recorded_at, j.pk), reverse=True)
    return standing[0].status if standing else None


def test_every_consumer_shows_the_status_the_selector_gives(generated):
    agreement, obligations = generated["agreement"], generated["obligations"]
    selected = {
        row["obligation_id"]: row["status"]
        for row in standing_judgements(valid_on=VALID_ON).values("obligation_id", "status")
    }
    expected = {o.pk: selected.get(o.pk) for o in obligations}
    assert expected == {o.pk: by_hand(o) for o in obligations}
    assert len(set(expected.values())) >= 4  # the data exercises the rule

    api = token_client(make_role_user("viewer"))
    listed = api.get(
        "/api/v1/obligations/",
        {"agreement": agreement.code, "valid_on": VALID_ON, "page_size": 500},
    ).json()["results"]
    assert {row["id"]: row["current_status"] for row in listed} == expected

    for status in STATUSES:
        filtered = api.get(
            "/api/v1/obligations/",
            {"agreement": agreement.code, "valid_on": VALID_ON, "status": status, "page_size": 500},
        ).json()["results"]
        assert {row["id"] for row in filtered} == {k for k, v in expected.items() if v == status}

    matrix = api.get(
        "/api/v1/reports/compliance-matrix/", {"agreement": agreement.code, "valid_on": VALID_ON}
    ).json()["tables"][0]["rows"]
    keys = {o.key: o.pk for o in obligations}
    assert {keys[row[1]]: row[4] for row in matrix} == {
        pk: status or "not assessed" for pk, status in expected.items()
    }

    for obligor in generated["obligors"]:
        scorecard = api.get(
            "/api/v1/reports/party-scorecard/", {"party": obligor.key, "valid_on": VALID_ON}
        ).json()["tables"][0]["rows"]
        counted = Counter(
            expected[o.pk] or "not assessed" for o in obligations if o.obligor_id == obligor.pk
        )
        assert {row[1]: row[2] for row in scorecard if row[0] == agreement.code} == counted

    deadlines = api.get(
        "/api/v1/reports/deadlines/", {"agreement": agreement.code, "valid_on": VALID_ON}
    ).json()
    blocked_table = next(table for table in deadlines["tables"] if table["key"] == "blocked")
    blocked = {row[2] for row in blocked_table["rows"]}
    should_block = {
        link.obligation.key
        for link in ObligationDependency.objects.select_related("obligation", "prerequisite")
        if expected[link.prerequisite_id] != "complied"
        and expected[link.obligation_id] != "complied"
    }
    assert blocked == should_block

    model_admin = admin.site._registry[Obligation]
    request = RequestFactory().get("/admin/agreements/obligation/")
    request.user = make_role_user("admin")
    shown = model_admin.get_queryset(request).filter(clause__agreement=agreement)
    # The admin list shows the status as judged today.
    today = dict(standing_judgements().values_list("obligation_id", "status"))
    assert {o.pk: o.current_status for o in shown} == {pk: today.get(pk) for pk in expected}
