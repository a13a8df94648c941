"""Load the seed files into the database, all or nothing, without duplicating on a rerun.

Every seeded row has a natural key (a party's key, an agreement's code, a clause's key within
its agreement...), so a rerun finds the row it made before: same rows, same ids. Two records
with the same key are refused, naming both. By default a rerun only adds the rows that are
missing and leaves a stored row that differs from its file as it is (someone may have
corrected it since), counting and listing it; ``reset=True`` makes such rows match the files.
Assessments are append-only, so a seed assessment that is already stored is left alone and an
edited one is recorded as a new judgement.
"""

from __future__ import annotations

import datetime
import tomllib
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from agreements.models import (
    Agreement,
    AgreementLink,
    AgreementParty,
    Clause,
    ClauseAccount,
    Obligation,
    ObligationDependency,
    Party,
    PartyAlias,
    Source,
    Topic,
)
from tracker.models import (
    BreachClaim,
    ComplianceAssessment,
    Incident,
    IncidentActor,
    IncidentSource,
)
from tracker.seeding.records import Field, Record, SeedError
from tracker.services import assessment_record

TEXT, REQUIRED_TEXT = Field(str), Field(str, required=True)
DATE, REQUIRED_DATE = Field(datetime.date), Field(datetime.date, required=True)
INT, NUMBER, FLAG = Field(int), Field(float), Field(bool)

TOPIC_FIELDS = {
    "code": REQUIRED_TEXT,
    "name_en": REQUIRED_TEXT,
    "name_ar": TEXT,
    "description": TEXT,
}
PARTY_FIELDS = {
    "key": REQUIRED_TEXT,
    "name_en": REQUIRED_TEXT,
    "name_ar": TEXT,
    "kind": REQUIRED_TEXT,
    "description": TEXT,
}
ALIAS_FIELDS = {"alias": REQUIRED_TEXT, "language": TEXT, "note": TEXT}
SOURCE_FIELDS = {
    "key": REQUIRED_TEXT,
    "publisher": REQUIRED_TEXT,
    "title": REQUIRED_TEXT,
    "url": TEXT,
    "language": TEXT,
    "published_on": DATE,
    "published_precision": TEXT,
    "accessed_on": DATE,
    "reliability": TEXT,
    "notes": TEXT,
}
AGREEMENT_FIELDS = {
    "code": REQUIRED_TEXT,
    "title_en": REQUIRED_TEXT,
    "title_ar": TEXT,
    "signed_on": DATE,
    "signed_precision": TEXT,
    "effective_on": DATE,
    "ended_on": DATE,
    "status": TEXT,
    "stage": REQUIRED_TEXT,
    "place_en": TEXT,
    "place_ar": TEXT,
    "summary_en": TEXT,
    "summary_ar": TEXT,
    "text_reference": TEXT,
    "is_published": FLAG,
}
CLAUSE_FIELDS = {
    "key": REQUIRED_TEXT,
    "label": TEXT,
    "position": INT,
    "summary_en": REQUIRED_TEXT,
    "summary_ar": TEXT,
}
ACCOUNT_FIELDS = {"form": REQUIRED_TEXT, "text_en": TEXT, "text_ar": TEXT, "note": TEXT}
OBLIGATION_FIELDS = {
    "key": REQUIRED_TEXT,
    "modality": TEXT,
    "action_en": REQUIRED_TEXT,
    "action_ar": TEXT,
    "due_on": DATE,
    "due_precision": TEXT,
    "due_days_after_signature": INT,
    "note": TEXT,
}
INCIDENT_FIELDS = {
    "key": REQUIRED_TEXT,
    "acled_event_id": TEXT,
    "occurred_on": REQUIRED_DATE,
    "date_precision": TEXT,
    "ended_on": DATE,
    "event_type": REQUIRED_TEXT,
    "sub_event_type": TEXT,
    "country": TEXT,
    "admin1": TEXT,
    "admin2": TEXT,
    "admin3": TEXT,
    "location": REQUIRED_TEXT,
    "latitude": NUMBER,
    "longitude": NUMBER,
    "geo_precision": INT,
    "fatalities": INT,
    "description_en": REQUIRED_TEXT,
    "description_ar": TEXT,
    "verification": TEXT,
}
ACTOR_FIELDS = {"name_as_reported": TEXT, "side": INT}
INCIDENT_SOURCE_FIELDS = {"credibility": INT, "excerpt": TEXT}
CLAIM_FIELDS = {"state": TEXT, "rationale": REQUIRED_TEXT}
ASSESSMENT_FIELDS = {
    "status": REQUIRED_TEXT,
    "level": INT,
    "valid_from": REQUIRED_DATE,
    "valid_from_precision": TEXT,
    "rationale": REQUIRED_TEXT,
}


def _stored_value(instance: models.Model, name: str) -> Any:
    """What the row holds for ``name``: the id for a relation (never a lookup of the row)."""
    return getattr(instance, instance._meta.get_field(name).attname)


def _stored_value_of(instance: models.Model, name: str, value: Any) -> Any:
    if instance._meta.get_field(name).is_relation and value is not None:
        return value.pk
    return value


class SeedLoader:
    """Reads seeds/ in dependency order and writes it in one transaction."""

    def __init__(
        self,
        directory: Path,
        log: Callable[[str], None] = lambda line: None,
        *,
        reset: bool = False,
    ) -> None:
        self.directory = directory
        self.log = log
        # False: add what is missing, keep stored rows that differ (counted as "differ").
        # True: make stored rows match the files (counted as "updated").
        self.reset = reset
        self.counts: Counter[str] = Counter()
        # Every key loaded so far, with where it came from: a second record with the same key
        # would silently merge into the first (two incidents' actors and sources as one).
        self.seen: dict[tuple[str, tuple[tuple[str, Any], ...]], Record] = {}
        self.topics: dict[str, Topic] = {}
        self.parties: dict[str, Party] = {}
        self.sources: dict[str, Source] = {}
        self.agreements: dict[str, Agreement] = {}
        self.obligations: dict[str, Obligation] = {}
        self.incidents: dict[str, Incident] = {}
        # Links and dependencies may point forward, so they wait until everything exists.
        self.pending_links: list[tuple[Record, Agreement]] = []
        self.pending_dependencies: list[tuple[Record, Obligation, str]] = []

    def load(self) -> Counter[str]:
        """Load every seed file; on any error nothing is written and SeedError is raised."""
        if not self.directory.is_dir():
            raise SeedError(str(self.directory), None, None, "no such seed directory")
        with transaction.atomic():
            self._each("topics.toml", "topic", self._topic)
            self._each("parties.toml", "party", self._party)
            self._each("sources.toml", "source", self._source)
            agreement_files = sorted((self.directory / "agreements").glob("*.toml"))
            for path in agreement_files:
                self._agreement(Record(self._read(path), self._name(path), "agreement"))
            for record, agreement in self.pending_links:
                self._link(record, agreement)
            for record, obligation, reference in self.pending_dependencies:
                self._dependency(record, obligation, reference)
            self._progress("agreements/", f"{len(agreement_files)} agreement files")
            self._each("incidents.toml", "incident", self._incident)
            self._each("assessments.toml", "assessment", self._assessment)
        return self.counts

    # Reading -------------------------------------------------------------------------------

    def _name(self, path: Path) -> str:
        return str(path.relative_to(self.directory.parent))

    def _read(self, path: Path) -> dict[str, Any]:
        try:
            with path.open("rb") as handle:
                return tomllib.load(handle)
        except FileNotFoundError:
            raise SeedError(self._name(path), None, None, "file is missing") from None
        except tomllib.TOMLDecodeError as error:
            raise SeedError(self._name(path), None, None, f"not valid TOML: {error}") from None

    def _each(self, file_name: str, table: str, load_one: Callable[[Record], Any]) -> None:
        path = self.directory / file_name
        data = self._read(path)
        top = Record(data, self._name(path), "")
        top.take({}, nested=(table,))
        before = sum(self.counts.values())
        for record in top.children(table, table):
            load_one(record)
        self._progress(file_name, f"{sum(self.counts.values()) - before} rows")

    def _progress(self, file_name: str, what: str) -> None:
        self.log(f"  {file_name}: {what}")

    # Writing -------------------------------------------------------------------------------

    def _claim(self, record: Record, model: type[models.Model], lookup: dict[str, Any]) -> None:
        """Refuse a second record with the same key as an earlier one, naming both."""
        key = (
            model._meta.label,
            tuple(
                sorted(
                    (name, value.pk if isinstance(value, models.Model) else value)
                    for name, value in lookup.items()
                )
            ),
        )
        first = self.seen.get(key)
        if first is not None:
            raise record.error(
                None,
                f"duplicate key: {model._meta.verbose_name} defined twice, by "
                f"{first.file}, {first.origin} and by {record.file}, {record.origin}; "
                "give one of them another key or merge them",
            )
        self.seen[key] = record

    def _differs(self, record: Record, lookup: dict[str, Any], fields: list[str]) -> None:
        """A stored row that differs from its file: kept as it is, counted and listed."""
        self.counts["differ"] += 1
        named = ", ".join(
            f"{name} '{value}'" for name, value in lookup.items() if isinstance(value, str)
        )
        self.log(
            f"  kept as edited: {record.file}, {record.label}"
            + (f" [{named}]" if named else "")
            + f" differs in {', '.join(fields)}"
        )

    def _save(
        self,
        record: Record,
        model: type[models.Model],
        lookup: dict[str, Any],
        values: dict[str, Any],
        renames: dict[str, str] | None = None,
    ) -> Any:
        """Create the row found by ``lookup`` if it is missing. A stored row that differs from
        the file is left as it is (and listed) unless resetting, when it is updated; untouched
        when nothing differs.

        Optional fields left out of the file are reset to the model's default, so removing a
        line from a seed file removes the value too.
        """
        self._claim(record, model, lookup)
        instance = model.objects.filter(**lookup).first()
        created = instance is None
        if instance is None:
            instance = model(**lookup)
        differing = [
            name
            for name, value in values.items()
            if _stored_value(instance, name) != _stored_value_of(instance, name, value)
        ]
        if not created and not differing:
            self.counts["unchanged"] += 1
            return instance
        if not created and not self.reset:
            self._differs(record, lookup, differing)
            return instance
        for name in differing:
            setattr(instance, name, values[name])
        try:
            instance.full_clean()
        except ValidationError as error:
            raise record.validation_error(error, renames or {}) from None
        instance.save()
        self.counts["created" if created else "updated"] += 1
        return instance

    @staticmethod
    def _with_defaults(
        model: type[models.Model], fields: dict[str, Field], values: dict[str, Any]
    ) -> dict[str, Any]:
        for name in fields:
            if name not in values:
                values[name] = model._meta.get_field(name).get_default()
        return values

    def _plain(
        self,
        record: Record,
        model: type[models.Model],
        fields: dict[str, Field],
        nested: tuple[str, ...] = (),
    ) -> dict[str, Any]:
        return self._with_defaults(model, fields, record.take(fields, nested=nested))

    def _ref(
        self,
        record: Record,
        field: str,
        known: dict[str, Any],
        what: str,
        *,
        required: bool = False,
    ) -> Any:
        key = record.get(field, required=required)
        if key is None:
            return None
        if key not in known:
            raise record.error(field, f"unknown {what} '{key}'")
        return known[key]

    # One function per kind of record -------------------------------------------------------

    def _topic(self, record: Record) -> None:
        values = self._plain(record, Topic, TOPIC_FIELDS, nested=("parent",))
        values["parent"] = self._ref(record, "parent", self.topics, "topic (define it earlier)")
        code = values.pop("code")
        record.label = f"topic '{code}'"
        self.topics[code] = self._save(record, Topic, {"code": code}, values)

    def _party(self, record: Record) -> None:
        values = self._plain(record, Party, PARTY_FIELDS, nested=("parent", "aliases"))
        values["parent"] = self._ref(record, "parent", self.parties, "party (define it earlier)")
        key = values.pop("key")
        record.label = f"party '{key}'"
        party = self._save(record, Party, {"key": key}, values)
        self.parties[key] = party
        for alias_record in record.children("aliases", "alias"):
            alias = self._plain(alias_record, PartyAlias, ALIAS_FIELDS)
            name = alias.pop("alias")
            self._save(alias_record, PartyAlias, {"party": party, "alias": name}, alias)

    def _source(self, record: Record) -> None:
        values = self._plain(record, Source, SOURCE_FIELDS)
        key = values.pop("key")
        record.label = f"source '{key}'"
        self.sources[key] = self._save(record, Source, {"key": key}, values)

    def _agreement(self, record: Record) -> None:
        values = self._plain(
            record, Agreement, AGREEMENT_FIELDS, nested=("party", "link", "clause")
        )
        code = values.pop("code")
        record.label = f"agreement '{code}'"
        agreement = self._save(record, Agreement, {"code": code}, values)
        self.agreements[code] = agreement
        for role_record in record.children("party", "party"):
            role = self._plain(
                role_record,
                AgreementParty,
                {"role": REQUIRED_TEXT, "note": TEXT},
                nested=("party",),
            )
            party = self._ref(role_record, "party", self.parties, "party", required=True)
            lookup = {"agreement": agreement, "party": party, "role": role.pop("role")}
            self._save(role_record, AgreementParty, lookup, role)
        for link_record in record.children("link", "link"):
            self.pending_links.append((link_record, agreement))
        clauses: dict[str, Clause] = {}
        for clause_record in record.children("clause", "clause"):
            clause = self._clause(clause_record, agreement, clauses)
            clauses[clause.key] = clause

    def _link(self, record: Record, agreement: Agreement) -> None:
        values = self._plain(
            record, AgreementLink, {"kind": REQUIRED_TEXT, "note": TEXT}, nested=("to",)
        )
        target = self._ref(record, "to", self.agreements, "agreement", required=True)
        lookup = {"from_agreement": agreement, "kind": values.pop("kind"), "to_agreement": target}
        self._save(record, AgreementLink, lookup, values)

    def _clause(self, record: Record, agreement: Agreement, earlier: dict[str, Clause]) -> Clause:
        values = self._plain(
            record, Clause, CLAUSE_FIELDS, nested=("topic", "parent", "account", "obligation")
        )
        values["topic"] = self._ref(record, "topic", self.topics, "topic", required=True)
        values["parent"] = self._ref(record, "parent", earlier, "clause (define it earlier)")
        key = values.pop("key")
        record.label = f"clause '{key}'"
        clause = self._save(record, Clause, {"agreement": agreement, "key": key}, values)
        for account_record in record.children("account", "account"):
            account = self._plain(
                account_record, ClauseAccount, ACCOUNT_FIELDS, nested=("source", "working")
            )
            account["is_working_text"] = bool(account_record.get("working", bool))
            source = self._ref(account_record, "source", self.sources, "source", required=True)
            self._save(
                account_record,
                ClauseAccount,
                {"clause": clause, "source": source},
                account,
                {"is_working_text": "working"},
            )
        for obligation_record in record.children("obligation", "obligation"):
            self._obligation(obligation_record, agreement, clause)
        return clause

    def _obligation(self, record: Record, agreement: Agreement, clause: Clause) -> None:
        values = self._plain(
            record, Obligation, OBLIGATION_FIELDS, nested=("obligor", "beneficiary", "depends_on")
        )
        values["obligor"] = self._ref(record, "obligor", self.parties, "party", required=True)
        values["beneficiary"] = self._ref(record, "beneficiary", self.parties, "party")
        key = values.pop("key")
        obligation = self._save(record, Obligation, {"clause": clause, "key": key}, values)
        self.obligations[f"{agreement.code}/{clause.key}/{key}"] = obligation
        for reference in record.get("depends_on", list) or []:
            self.pending_dependencies.append((record, obligation, f"{agreement.code}/{reference}"))

    def _dependency(self, record: Record, obligation: Obligation, reference: str) -> None:
        prerequisite = self.obligations.get(reference)
        if prerequisite is None:
            short = reference.split("/", 1)[1]
            raise record.error(
                "depends_on",
                f"unknown obligation '{short}' in this agreement "
                "(write it as clause-key/obligation-key)",
            )
        lookup = {"obligation": obligation, "prerequisite": prerequisite}
        self._save(record, ObligationDependency, lookup, {}, {"prerequisite": "depends_on"})

    def _incident(self, record: Record) -> None:
        values = self._plain(record, Incident, INCIDENT_FIELDS, nested=("actor", "source", "claim"))
        for coordinate in ("latitude", "longitude"):
            if values[coordinate] is not None:
                # Through str, so 32.61 is stored as 32.61 and not as its binary neighbour.
                values[coordinate] = Decimal(str(values[coordinate]))
        key = values.pop("key")
        record.label = f"incident '{key}'"
        incident = self._save(record, Incident, {"key": key}, values)
        self.incidents[key] = incident
        for actor_record in record.children("actor", "actor"):
            actor = self._plain(
                actor_record, IncidentActor, ACTOR_FIELDS, nested=("party", "associate")
            )
            party = self._ref(actor_record, "party", self.parties, "party")
            lookup = {
                "incident": incident,
                "party": party,
                "name_as_reported": actor.pop("name_as_reported"),
                "side": actor.pop("side"),
                "is_associate": bool(actor_record.get("associate", bool)),
            }
            self._save(actor_record, IncidentActor, lookup, actor)
        for source_record in record.children("source", "source"):
            report = self._plain(
                source_record, IncidentSource, INCIDENT_SOURCE_FIELDS, nested=("source",)
            )
            source = self._ref(source_record, "source", self.sources, "source", required=True)
            self._save(
                source_record, IncidentSource, {"incident": incident, "source": source}, report
            )
        for claim_record in record.children("claim", "claim"):
            claim = self._plain(
                claim_record, BreachClaim, CLAIM_FIELDS, nested=("obligation", "claimant")
            )
            obligation = self._ref(
                claim_record,
                "obligation",
                self.obligations,
                "obligation (agreement-code/clause-key/obligation-key)",
                required=True,
            )
            claim["claimant"] = self._ref(claim_record, "claimant", self.parties, "party")
            self._save(
                claim_record, BreachClaim, {"incident": incident, "obligation": obligation}, claim
            )

    def _assessment(self, record: Record) -> None:
        values = self._plain(
            record,
            ComplianceAssessment,
            ASSESSMENT_FIELDS,
            nested=("obligation", "sources", "incidents"),
        )
        obligation = self._ref(
            record,
            "obligation",
            self.obligations,
            "obligation (agreement-code/clause-key/obligation-key)",
            required=True,
        )
        sources = [
            self._listed(record, "sources", key, self.sources, "source")
            for key in record.get("sources", list) or []
        ]
        incidents = [
            self._listed(record, "incidents", key, self.incidents, "incident")
            for key in record.get("incidents", list) or []
        ]
        values["rationale"] = values["rationale"].strip()
        self._claim(record, ComplianceAssessment, {"obligation": obligation, **values})
        if ComplianceAssessment.objects.filter(
            obligation=obligation, author=None, **values
        ).exists():
            self.counts["unchanged"] += 1
            return
        try:
            assessment_record(
                obligation=obligation,
                author=None,
                evidence_sources=sources,
                evidence_incidents=incidents,
                **values,
            )
        except ValidationError as error:
            raise record.validation_error(error, {}) from None
        self.counts["created"] += 1

    @staticmethod
    def _listed(record: Record, field: str, key: str, known: dict[str, Any], what: str) -> Any:
        if key not in known:
            raise record.error(field, f"unknown {what} '{key}'")
        return known[key]
