"""The Arabic catalogue read as (English, Arabic) pairs, for tests that look for English left
on Arabic pages."""

import ast
from pathlib import Path

from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "ar" / "LC_MESSAGES" / "django.po"


def translations(catalogue: Path = CATALOGUE) -> dict[str, str]:
    """msgid -> msgstr of every singular entry (plural entries and the header left out).

    A .po string is one or more quoted C-style strings on consecutive lines; Python's
    literal syntax reads each quoted piece the same way.
    """
    pairs: dict[str, str] = {}
    key: str | None = None
    current: list[str] = []
    msgid = ""

    def finish() -> None:
        nonlocal msgid
        text = "".join(current)
        if key == "msgid":
            msgid = text
        elif key == "msgstr" and msgid:
            pairs[msgid] = text

    for line in catalogue.read_text(encoding="utf-8").splitlines():
        if line.startswith('"') and key is not None:
            current.append(ast.literal_eval(line))
            continue
        finish()
        key, current = None, []
        for keyword in ("msgid", "msgstr"):
            if line.startswith(f"{keyword} "):
                key, current = keyword, [ast.literal_eval(line[len(keyword) + 1 :])]
        if line.startswith("msgid_plural") or line.startswith("msgstr["):
            msgid = ""  # a plural entry: its forms are not single labels
    finish()
    return pairs
