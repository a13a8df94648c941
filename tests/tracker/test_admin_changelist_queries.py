"""Changelists cost the same number of queries whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.admin_helpers import admin_url, label, make_row, registered_models


def _count_queries(client, url: str, at_least: int) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count >= at_least
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize("model", registered_models(), ids=label)
def test_a_changelist_runs_as_many_queries_for_100_rows_as_for_10(model, role_admin, client_as):
    client = client_as(role_admin)
    url = admin_url(model, "changelist")
    for _ in range(10):
        make_row(model)
    client.get(url)  # Settles per-process caches (content types) before counting.
    ten = _count_queries(client, url, at_least=10)

    for _ in range(90):
        make_row(model)
    hundred = _count_queries(client, url, at_least=100)

    assert len(hundred) == len(ten), "\n".join(hundred)
