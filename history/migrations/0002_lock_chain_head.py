from django.db import migrations

from history.models import sql_file


class Migration(migrations.Migration):
    dependencies = [("history", "0001_initial")]

    operations = [
        migrations.RunSQL(
            sql_file("lock_chain_head.sql"),
            "DROP FUNCTION IF EXISTS history_lock_chain_head();",
        ),
    ]
