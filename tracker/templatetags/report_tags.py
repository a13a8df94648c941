"""Small template helpers for report pages."""

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """``query|get_item:name``: a query-string value by a name held in a variable."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)
