"""A list page costs the same number of queries at 10 rows as at 100."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.resources import RESOURCES


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_list_query_count_does_not_grow_with_page_size(api_as, resource):
    client = api_as("admin")
    for _ in range(100):
        resource.make()
    url = f"/api/v1/{resource.route}/"
    client.get(url)  # warm up: the token's last-used time is written once a minute

    small = queries_for(client, url + "?page_size=10")
    large = queries_for(client, url + "?page_size=100")

    assert small == large
