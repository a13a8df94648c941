"""Small template helpers for report pages."""

import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """``query|get_item:name``: a query-string value by a name held in a variable."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


@register.filter
def cell(value: Any) -> str:
    """A table cell as the CSV and JSON give it: dates in ISO form, a dash for nothing.

    Django's own date formatting follows the language; a report must read the same in every
    rendering so that a reader can check the page against the download.
    """
    if value is None:
        return "—"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


@register.filter
def urlencode_params(params: dict[str, str]) -> str:
    """A report's example parameters as a query string."""
    return urlencode(params)
