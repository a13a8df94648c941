"""Every admin page answers each role as its group's permissions say.

Cases come from the admin registry, so a newly registered model is covered without editing
this file (it only needs a row maker in tests/admin_helpers.py).
"""

import pytest
from django.db import models

from tests.admin_helpers import (
    admin_url,
    domain_models,
    label,
    make_row,
    permission,
    registered_models,
)


@pytest.mark.parametrize("role", ["lead", "role_admin"])
@pytest.mark.parametrize("model", registered_models(), ids=label)
def test_list_add_and_change_pages_answer_200_wherever_the_role_may_use_them(
    role, model, request, client_as
):
    user = request.getfixturevalue(role)
    row = make_row(model)
    client = client_as(user)
    may_view = user.has_perm(permission(model, "view"))
    may_add = user.has_perm(permission(model, "add"))

    assert client.get(admin_url(model, "changelist")).status_code == (200 if may_view else 403)
    assert client.get(admin_url(model, "change", row.pk)).status_code == (200 if may_view else 403)
    assert client.get(admin_url(model, "add")).status_code == (200 if may_add else 403)


@pytest.mark.parametrize("model", domain_models(), ids=label)
def test_a_lead_may_view_and_add_every_domain_model(model, lead):
    assert lead.has_perm(permission(model, "view"))
    assert lead.has_perm(permission(model, "add"))


@pytest.mark.parametrize("model", registered_models(), ids=label)
def test_the_admin_role_may_use_every_page(model, role_admin):
    assert role_admin.has_perm(permission(model, "view"))
    assert role_admin.has_perm(permission(model, "add"))


def _typed_over(model: type[models.Model]) -> dict[str, str]:
    """New values for every free-text field, as someone editing the page would send them."""
    return {
        field.name: "Changed by a viewer"
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and field.editable
        and not field.choices
    }


@pytest.mark.parametrize("model", domain_models(), ids=label)
def test_a_viewer_reads_every_list_and_record_without_a_save_button(model, viewer, client_as):
    row = make_row(model)
    client = client_as(viewer)

    listing = client.get(admin_url(model, "changelist"))
    record = client.get(admin_url(model, "change", row.pk))

    assert listing.status_code == 200
    assert record.status_code == 200
    assert b'name="_save"' not in record.content


@pytest.mark.parametrize("model", domain_models(), ids=label)
def test_a_viewer_cannot_open_an_add_page(model, viewer, client_as):
    assert client_as(viewer).get(admin_url(model, "add")).status_code == 403


@pytest.mark.parametrize("model", domain_models(), ids=label)
def test_a_viewer_posting_to_a_change_page_leaves_the_row_as_it_was(model, viewer, client_as):
    row = make_row(model)
    before = model.objects.filter(pk=row.pk).values().get()

    response = client_as(viewer).post(admin_url(model, "change", row.pk), _typed_over(model))

    assert response.status_code == 403
    assert model.objects.filter(pk=row.pk).values().get() == before


@pytest.mark.parametrize("model", domain_models(), ids=label)
def test_a_viewer_posting_to_an_add_page_creates_nothing(model, viewer, client_as):
    make_row(model)
    count = model.objects.count()

    response = client_as(viewer).post(admin_url(model, "add"), _typed_over(model))

    assert response.status_code == 403
    assert model.objects.count() == count
