from django.db import migrations

from history.models import sql_file

RESET = """
DO $$
DECLARE
    this_database text := quote_ident(current_database());
BEGIN
    EXECUTE 'ALTER DATABASE ' || this_database || ' RESET jit';
    EXECUTE 'ALTER DATABASE ' || this_database || ' RESET pgtrigger.ignore';
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("history", "0002_lock_chain_head")]

    operations = [migrations.RunSQL(sql_file("database_defaults.sql"), RESET)]
