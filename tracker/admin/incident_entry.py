"""What helps an analyst enter an incident: sub-event choices that follow the event type, and
a warning when the incident looks like one already recorded."""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from tracker.choices import ACLED_EVENT_TYPES
from tracker.models import Incident
from tracker.selectors import LOOK_ALIKES_SHOWN, incident_look_alikes

EVENT_TYPE_OF = {sub: event for event, subs in ACLED_EVENT_TYPES.items() for sub in subs}


class SubEventSelect(forms.Select):
    """Each option says which event type it belongs to; tracker/sub_event_choices.js hides the
    others once an event type is chosen. Without JavaScript every option stays, and the model
    still refuses a pair that does not belong together."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        if option["value"]:
            option["attrs"]["data-event-type"] = EVENT_TYPE_OF.get(option["value"], "")
        return option

    class Media:
        js = ("tracker/sub_event_choices.js",)


def warn_of_look_alikes(request: HttpRequest, incident: Incident) -> None:
    """Saved, not blocked (two reports of one shelling may still be two shellings), but the
    analyst sees the earlier entries and a way to delete this one if it is the same event."""
    earlier = list(incident_look_alikes(incident)[:LOOK_ALIKES_SHOWN])
    if not earlier:
        return
    links = format_html_join(
        ", ",
        '<a href="{}">{}</a>',
        ((reverse("admin:tracker_incident_change", args=[other.pk]), other) for other in earlier),
    )
    messages.warning(
        request,
        format_html(
            _(
                "This incident looks like an incident already recorded (same date, place and "
                "event type, a shared actor): {earlier}. If it is the same event, add what this "
                'entry adds to that one and <a href="{delete}">delete this entry</a>.'
            ),
            earlier=links,
            delete=reverse("admin:tracker_incident_delete", args=[incident.pk]),
        ),
    )
