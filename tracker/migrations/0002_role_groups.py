"""Create the viewer, analyst, lead and admin groups from tracker.roles."""

from django.db import migrations

from tracker.roles import sync_role_groups


def create_role_groups(apps, schema_editor) -> None:
    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0001_initial"),
        ("agreements", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        # Going backwards leaves the groups in place: they may hold users by then.
        migrations.RunPython(create_role_groups, migrations.RunPython.noop),
    ]
