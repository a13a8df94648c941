"""Every autocomplete box on every admin page finds rows for the people who fill it in."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from tests.admin_helpers import make_row
from tracker.roles import PRIVATE_MODELS


def _autocomplete_fields() -> list[tuple[str, str, str]]:
    """(app label, model name, field name) of each autocomplete field, inlines included."""
    found = set()
    for model, model_admin in admin.site._registry.items():
        owners = [(model, model_admin.autocomplete_fields)] + [
            (inline.model, inline.autocomplete_fields) for inline in model_admin.inlines
        ]
        for owner, fields in owners:
            found.update((owner._meta.app_label, owner._meta.model_name, name) for name in fields)
    return sorted(found)


@pytest.mark.parametrize(
    ("app_label", "model_name", "field_name"),
    _autocomplete_fields(),
    ids=[".".join(case) for case in _autocomplete_fields()],
)
def test_an_autocomplete_field_offers_existing_rows_to_the_people_who_fill_it_in(
    app_label, model_name, field_name, request, client_as
):
    field = apps.get_model(app_label, model_name)._meta.get_field(field_name)
    row = make_row(field.remote_field.model)
    # API tokens are the admin role's business; every other page is a lead's.
    user = request.getfixturevalue("role_admin" if model_name in PRIVATE_MODELS else "lead")

    response = client_as(user).get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": ""},
    )

    assert response.status_code == 200
    assert str(row.pk) in {result["id"] for result in response.json()["results"]}
