"""``{% start_page %}``: the signed-in user's start page panels (tracker.start_page), shown
above the admin index's list of models."""

from typing import Any

from django import template

from tracker.start_page import start_page as panels_for

register = template.Library()


@register.inclusion_tag("tracker/start_page.html", takes_context=True)
def start_page(context: dict[str, Any]) -> dict[str, Any]:
    return {"panels": panels_for(context["request"].user)}
