"""Names in the reader's language.

Parties, agreements, clauses and obligations carry an English and an Arabic wording. Every
page, list, picker and history shows the one of the page's language, and the other when that
one is missing, so nothing shows blank because a translation has not been entered yet.
"""

from django.utils.translation import get_language


def in_reader_language(english: str, arabic: str) -> str:
    """The Arabic wording on Arabic pages, the English one elsewhere, each falling back on
    the other when it is empty."""
    if (get_language() or "").startswith("ar"):
        return arabic or english
    return english or arabic
