"""Each app migrates on its own, standing only on the apps beneath it.

The same direction in code is checked by import-linter (`make test`, pyproject.toml)."""

from django.db.migrations.loader import MigrationLoader

# What each app's migrations may depend on, besides Django's own apps.
MAY_DEPEND_ON = {
    "history": {"history"},
    "agreements": {"agreements", "history"},
    "tracker": {"tracker", "agreements", "history"},
}
DJANGO_APPS = {"auth", "contenttypes", "admin", "sessions"}


def test_each_app_migrates_without_the_apps_above_it():
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    for (app, name), node in graph.nodes.items():
        if app not in MAY_DEPEND_ON:
            continue
        for parent_app, parent_name in node.dependencies:
            assert parent_app in MAY_DEPEND_ON[app] | DJANGO_APPS | {"__setting__"}, (
                f"{app}.{name} depends on {parent_app}.{parent_name}"
            )
