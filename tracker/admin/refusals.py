"""Showing a service's refusal as form errors on the admin page that asked for the write.

Admin pages save through tracker.services, whose rules raise ValidationError. By the time a
ModelAdmin saves, Django has already decided the forms were valid, so an error raised then
would be a server error. Instead the page's save raises ServiceRefused; the change view's
transaction rolls everything back, and the same POST is validated once more with the refusal
attached to the form that caused it, which re-renders the page with the errors in place.
"""

from typing import Any, ClassVar

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse

_REQUEST_ATTRIBUTE = "_tracker_service_refusals"

Refusals = dict[str | None, ValidationError]


class ServiceRefused(Exception):
    """A service refused the write asked for by the form with this prefix."""

    def __init__(self, prefix: str | None, error: ValidationError) -> None:
        super().__init__(error)
        self.prefix = prefix
        self.error = error


def refusals_for(request: HttpRequest) -> Refusals:
    """What the services said about this request's forms on its first pass, if anything."""
    return getattr(request, _REQUEST_ATTRIBUTE, {})


class RefusableForm(forms.ModelForm):
    """A form that adds the refusal recorded for its prefix to its own errors."""

    refusals: ClassVar[Refusals] = {}

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        refusal = self.refusals.get(self.prefix)
        if refusal is not None:
            for field, errors in refusal.update_error_dict({}).items():
                # A rule about a field this form does not show still belongs on the page.
                known = field if field in self.fields and field != NON_FIELD_ERRORS else None
                self.add_error(known, errors)
        return cleaned_data


class ServiceRefusalsMixin:
    """For ModelAdmins whose saves call services that may raise ServiceRefused."""

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        form = super().get_form(request, obj, change=change, **kwargs)  # type: ignore[misc]
        if issubclass(form, RefusableForm):
            form.refusals = refusals_for(request)
        return form

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        view = super().changeform_view  # type: ignore[misc]
        try:
            return view(request, object_id, form_url, extra_context)
        except ServiceRefused as refused:
            # Nothing of the first pass was kept: its transaction ended with the exception.
            setattr(request, _REQUEST_ATTRIBUTE, {refused.prefix: refused.error})
            return view(request, object_id, form_url, extra_context)
