"""The Arabic catalogue is complete: every entry translated, none fuzzy, none missing.

It uses GNU gettext's own tools (msgattrib, and xgettext through Django's makemessages),
which the project needs anyway to maintain the catalogue.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "ar" / "LC_MESSAGES" / "django.po"
# Where the project's translatable strings live (the tests and seeds show no page).
SOURCES = ("agreements", "config", "history", "tracker", "manage.py")

if not shutil.which("msgattrib"):
    pytest.fail("GNU gettext is not installed (apt-get install gettext)", pytrace=False)


def _msgids(catalogue: Path, *selection: str) -> list[str]:
    """The msgids msgattrib selects (e.g. --untranslated), header left out."""
    output = subprocess.run(
        ["msgattrib", "--no-wrap", "--no-obsolete", *selection, str(catalogue)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    ids = [line[len('msgid "') : -1] for line in output.splitlines() if line.startswith("msgid ")]
    return [msgid for msgid in ids if msgid]


def test_no_entry_of_the_arabic_catalogue_is_left_empty():
    assert _msgids(CATALOGUE, "--untranslated") == []


def test_no_entry_of_the_arabic_catalogue_is_marked_fuzzy():
    # A fuzzy entry is a guess by msgmerge: Django ignores it, so the page shows English.
    assert _msgids(CATALOGUE, "--only-fuzzy") == []


def test_every_string_marked_in_the_code_has_its_arabic_translation(tmp_path: Path):
    # makemessages over a copy of the code, merged into a copy of the catalogue: a string
    # marked in the code but missing from the catalogue arrives untranslated.
    root = Path(settings.BASE_DIR)
    for name in SOURCES:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    copy = tmp_path / CATALOGUE.relative_to(root)
    copy.parent.mkdir(parents=True)
    shutil.copy(CATALOGUE, copy)

    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ar", "--no-obsolete"],
        cwd=tmp_path,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test"},
        capture_output=True,
        check=True,
    )

    assert _msgids(copy, "--untranslated") == []
    assert _msgids(copy, "--only-fuzzy") == []
