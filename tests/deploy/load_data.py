"""Rows and API tokens for a test that drives a deployed server: run as
`python -m tests.deploy.load_data` with the server's environment; prints them as JSON."""

import json

import django


def main() -> None:
    django.setup()
    from tests import builders
    from tests.conftest import PASSWORD, make_role_user
    from tracker.models import ApiToken

    agreement = builders.agreement(code="load-agreement")
    obligor = builders.party()
    clause = builders.clause(agreement=agreement)
    obligations = [builders.obligation(clause=clause, obligor=obligor).pk for _ in range(3)]
    tokens = {}
    for role in ("viewer", "analyst", "lead"):
        _, tokens[role] = ApiToken.issue(user=make_role_user(role), name="load")
    print(
        json.dumps(
            {
                "agreement": agreement.code,
                "party": obligor.pk,
                "obligations": obligations,
                "tokens": tokens,
                "viewer": {"username": "viewer-user", "password": PASSWORD},
            }
        )
    )


if __name__ == "__main__":
    main()
