"""JSON for the API with two limits Python's parser does not have.

Nesting is capped (a body nested a thousand levels deep raised RecursionError, a 500) and
NUL characters are refused in every string and key (PostgreSQL cannot store them in text,
nor in the audit context's JSON), naming where they were found.
"""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32
NUL = "\x00"


def _path(parts: tuple[str, ...]) -> str:
    return ".".join(parts) or "non_field_errors"


def check_json(data: Any, *, max_depth: int = MAX_DEPTH) -> None:
    """Walk the parsed document without recursion, refusing deep nesting and NULs."""
    pending: list[tuple[Any, tuple[str, ...], int]] = [(data, (), 0)]
    while pending:
        value, path, depth = pending.pop()
        if isinstance(value, str):
            if NUL in value:
                raise ValidationError({_path(path): ["must not contain NUL characters."]})
            continue
        if not isinstance(value, dict | list):
            continue
        if depth >= max_depth:
            raise ParseError(f"JSON nested deeper than {max_depth} levels.")
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            name = str(key)
            if NUL in name:
                raise ValidationError({_path(path): ["keys must not contain NUL characters."]})
            pending.append((item, (*path, name), depth + 1))


class GuardedJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(f"JSON nested deeper than {MAX_DEPTH} levels.") from None
        check_json(data)
        return data
