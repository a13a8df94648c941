"""How the application's database connections are set up."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_application_connection_does_not_jit_compile_report_queries():
    # Costly-looking report queries would otherwise spend seconds in LLVM compilation.
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
