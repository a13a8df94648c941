"""Reading one seed record with typed field access and errors that say where the problem is."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError


class SeedError(Exception):
    """A problem in a seed file, located by file, record and field."""

    def __init__(self, file: str, record: str | None, field: str | None, message: str) -> None:
        self.file, self.record, self.field, self.message = file, record, field, message
        where = file
        if record:
            where += f", {record}"
        if field:
            where += f", field '{field}'"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Field:
    """What a record may hold under one name."""

    kind: type
    required: bool = False


TYPE_NAMES = {
    str: "text",
    int: "a whole number",
    bool: "true or false",
    float: "a number",
    datetime.date: "a date like 2021-09-06",
    list: "a list",
}


class Record:
    """One table from a seed file (``[[clause]]`` and the like), with its location."""

    def __init__(self, data: Any, file: str, label: str) -> None:
        self.file, self.label = file, label
        # Where the record sits ("incident #3"), kept when the label later names its key.
        self.origin = label
        if not isinstance(data, dict):
            raise SeedError(file, label, None, "expected a table of fields")
        self.data: dict[str, Any] = data

    def error(self, field: str | None, message: str) -> SeedError:
        return SeedError(self.file, self.label, field, message)

    def take(self, fields: dict[str, Field], *, nested: tuple[str, ...] = ()) -> dict[str, Any]:
        """The record's plain fields, type-checked; unknown names are refused as likely typos."""
        unknown = sorted(set(self.data) - set(fields) - set(nested))
        if unknown:
            allowed = ", ".join(sorted({*fields, *nested}))
            raise self.error(unknown[0], f"unknown field; allowed fields are: {allowed}")
        values: dict[str, Any] = {}
        for name, spec in fields.items():
            if name not in self.data:
                if spec.required:
                    raise self.error(name, "this field is required")
                continue
            values[name] = self._checked(name, self.data[name], spec.kind)
        return values

    def get(self, name: str, kind: type = str, *, required: bool = False) -> Any:
        if name not in self.data:
            if required:
                raise self.error(name, "this field is required")
            return None
        return self._checked(name, self.data[name], kind)

    def children(self, name: str, label: str) -> Iterator[Record]:
        """Nested tables such as ``[[clause.account]]``, each labelled for error messages."""
        items = self.data.get(name, [])
        if not isinstance(items, list):
            raise self.error(name, "expected a list of tables")
        prefix = f"{self.label}, " if self.label else ""
        for index, item in enumerate(items, start=1):
            yield Record(item, self.file, f"{prefix}{label} #{index}")

    def _checked(self, name: str, value: Any, kind: type) -> Any:
        ok = isinstance(value, kind)
        if kind is int or kind is float:
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            ok = ok and (kind is float or isinstance(value, int))
        if kind is datetime.date:
            ok = isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)
        if not ok:
            raise self.error(name, f"expected {TYPE_NAMES[kind]}, got {value!r}")
        if kind is list and not all(isinstance(item, str) for item in value):
            raise self.error(name, "expected a list of keys (text)")
        return value

    def validation_error(self, error: ValidationError, fields: dict[str, str]) -> SeedError:
        """Turn a model's ValidationError into a SeedError naming the seed field.

        ``fields`` maps model field names to the seed names where they differ.
        """
        if hasattr(error, "error_dict"):
            field, messages = next(iter(error.message_dict.items()))
            seed_field = None if field == "__all__" else fields.get(field, field)
            return self.error(seed_field, " ".join(messages))
        return self.error(None, " ".join(error.messages))
