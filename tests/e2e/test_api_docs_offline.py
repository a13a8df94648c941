"""The interactive API docs draw themselves from this server alone (no CDN, no internet)."""

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD, make_role_user
from tests.e2e.conftest import log_in


@pytest.mark.django_db(transaction=True)
def test_the_api_docs_render_every_resource_without_leaving_this_server(live_server, page: Page):
    base = live_server.url
    elsewhere: list[str] = []
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith((base, "data:")) else elsewhere.append(request.url)
        ),
    )
    log_in(page, base, make_role_user("viewer").username, PASSWORD)

    page.goto(f"{base}/api/docs/")

    # Swagger UI has fetched the schema and drawn one block per operation.
    expect(page.locator(".opblock").first).to_be_visible()
    shown = page.locator(".opblock-summary-path").all_inner_texts()
    assert any(path.startswith("/api/v1/obligations/") for path in shown)
    assert any(path.startswith("/api/v1/reports/") for path in shown)
    assert elsewhere == []
