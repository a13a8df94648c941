"""Helpers for admin tests: one representative row per registered model, admin URLs, and
the data a browser would submit from an admin page."""

import datetime
import hashlib
import itertools
from collections.abc import Callable
from html.parser import HTMLParser

from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.db.models import Model
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from agreements.models import AgreementLink, Capture, ObligationDependency, PartyAlias
from tests import builders
from tracker.models import ApiToken
from tracker.roles import PRIVATE_MODELS

_serial = itertools.count(1)

# Models whose pages the domain roles (viewer, analyst, lead) are about; auth's pages are
# for the admin role only.
DOMAIN_APPS = ("agreements", "tracker")


def registered_models() -> list[type[Model]]:
    """Every model with an admin page, so a new page is tested as soon as it is registered."""
    return sorted(admin.site._registry, key=lambda model: model._meta.label)


def domain_models() -> list[type[Model]]:
    """Models of agreements and tracker that hold domain data (API tokens are credentials,
    kept to the admin role, and have tests of their own)."""
    return [
        model
        for model in registered_models()
        if model._meta.app_label in DOMAIN_APPS and model._meta.model_name not in PRIVATE_MODELS
    ]


def label(model: type[Model]) -> str:
    return model._meta.label


def admin_url(model: type[Model], view: str, *args: object) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def permission(model: type[Model], action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def _author() -> User:
    return User.objects.get_or_create(username="row-author")[0]


def _party() -> Model:
    party = builders.party(parent=builders.party())
    PartyAlias.objects.create(party=party, alias=f"alias {next(_serial)}", language="en")
    return party


def _agreement_link() -> Model:
    return AgreementLink.objects.create(
        from_agreement=builders.agreement(), kind="implements", to_agreement=builders.agreement()
    )


def _obligation() -> Model:
    obligation = builders.obligation(beneficiary=builders.party())
    builders.assessment(obligation=obligation, author=_author())
    return obligation


def _obligation_dependency() -> Model:
    prerequisite = builders.obligation()
    later = builders.obligation(clause=builders.clause(agreement=prerequisite.clause.agreement))
    return ObligationDependency.objects.create(obligation=later, prerequisite=prerequisite)


def _capture() -> Model:
    n = next(_serial)
    return Capture.objects.create(
        source=builders.source(),
        sha256=hashlib.sha256(str(n).encode()).hexdigest(),
        captured_at=timezone.now(),
        collector="Archivist",
        location=f"archive/{n}",
    )


def _assessment() -> Model:
    earlier = builders.assessment(author=_author(), valid_from=datetime.date(2021, 9, 1))
    return builders.assessment(obligation=earlier.obligation, author=_author(), supersedes=earlier)


# One valid row per model, with optional relations filled in, so a changelist that forgets
# to join a related table shows up as extra queries.
ROW_MAKERS: dict[str, Callable[[], Model]] = {
    "agreements.Agreement": builders.agreement,
    "agreements.AgreementLink": _agreement_link,
    "agreements.Clause": lambda: builders.clause(parent=builders.clause()),
    "agreements.ClauseAccount": builders.clause_account,
    "agreements.Obligation": _obligation,
    "agreements.ObligationDependency": _obligation_dependency,
    "agreements.Party": _party,
    "agreements.Topic": lambda: builders.topic(parent=builders.topic()),
    "tracker.BreachClaim": lambda: builders.breach_claim(
        claimant=builders.party(), created_by=_author()
    ),
    "agreements.Capture": _capture,
    "tracker.ComplianceAssessment": _assessment,
    "tracker.Incident": builders.incident,
    "agreements.Source": builders.source,
    "tracker.ApiToken": lambda: ApiToken.issue(user=_author(), name="dashboard")[0],
    "auth.Group": lambda: Group.objects.create(name=f"group-{next(_serial)}"),
    "auth.User": lambda: User.objects.create(username=f"user-{next(_serial)}"),
}


def make_row(model: type[Model]) -> Model:
    maker = ROW_MAKERS.get(label(model))
    assert maker is not None, f"Add a row maker for {label(model)} to tests/admin_helpers.py"
    return maker()


class _FormReader(HTMLParser):
    """Reads the change form's fields the way a browser would submit them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.data: dict[str, list[str]] = {}
        self._in_form = False
        self._select: tuple[str, bool] | None = None
        self._select_options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []

    def _add(self, name: str, value: str) -> None:
        # Empty templates for "add another" are never submitted as data Django reads.
        if "__prefix__" not in name:
            self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._in_form = attributes.get("id", "").endswith("_form")
        if not self._in_form or ("name" not in attributes and tag != "option"):
            return
        name = attributes.get("name", "")
        if tag == "input":
            kind = attributes.get("type", "text")
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attributes:
                return
            self._add(name, attributes.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select":
            self._select = (name, "multiple" in attributes)
            self._select_options = []
        elif tag == "option" and self._select is not None:
            self._select_options.append((attributes.get("value", ""), "selected" in attributes))
        elif tag == "textarea":
            self._textarea, self._text = name, []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False
        elif tag == "select" and self._select is not None:
            name, multiple = self._select
            chosen = [value for value, selected in self._select_options if selected]
            if not chosen and not multiple and self._select_options:
                chosen = [self._select_options[0][0]]
            for value in chosen:
                self._add(name, value)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # Browsers drop the newline that follows the opening tag.
            self._add(self._textarea, "".join(self._text).removeprefix("\n"))
            self._textarea = None


def submitted_form(response: HttpResponse) -> dict[str, list[str]]:
    """What saving the admin page in ``response`` unchanged would POST."""
    reader = _FormReader()
    reader.feed(response.content.decode())
    return reader.data


def field_named(data: dict[str, list[str]], suffix: str) -> str:
    """The one field name in ``data`` that ends with ``suffix`` (e.g. an inline's field)."""
    names = [name for name in data if name.endswith(suffix)]
    assert len(names) == 1, f"expected one field ending in {suffix!r}, found {names}"
    return names[0]
