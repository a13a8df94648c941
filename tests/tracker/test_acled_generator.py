"""The generated ACLED files the benchmark imports are valid and realistic."""

import csv
import io

import pytest

from tests.tracker.acled_helpers import acled_parties
from tracker.imports.acled import ACLED_COLUMNS, import_text
from tracker.imports.generator import write_acled_file


def generated(count: int) -> str:
    out = io.StringIO()
    write_acled_file(out, count, seed=3)
    return out.getvalue()


def test_a_generated_file_has_acleds_header_and_every_kind_of_row():
    rows = list(csv.DictReader(io.StringIO(generated(400))))

    assert list(rows[0]) == ACLED_COLUMNS
    assert {row["time_precision"] for row in rows} == {"1", "2", "3"}
    assert any(row["latitude"] == "" for row in rows)
    assert any(";" in row["source"] for row in rows)
    assert any("\u0600" <= ch <= "\u06ff" for row in rows for ch in row["notes"])
    assert any(row["event_date"][0].isdigit() and " " in row["event_date"] for row in rows)


@pytest.mark.django_db
def test_a_generated_file_imports_without_rejections_and_again_without_changes():
    acled_parties()
    text = generated(300)

    first = import_text(text, batch_size=100)
    second = import_text(text, batch_size=100)

    assert (first.new, first.rejected) == (300, 0)
    assert first.unmatched_actors  # unknown names are kept as reported
    assert (second.unchanged, second.new, second.updated) == (300, 0, 0)
