"""`manage.py load_seeds`: idempotent, all-or-nothing, and precise about bad files."""

import io
import re
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command

from history.context import audit_context

SEEDS = Path(settings.BASE_DIR) / "seeds"


def database_state() -> dict[str, list[dict]]:
    """Every row of every domain table, in id order: what a second load must not change."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for app in ("agreements", "tracker")
        for model in apps.get_app_config(app).get_models()
    } | {
        f"{model._meta.label}.{field.name}": list(
            field.remote_field.through.objects.order_by("pk").values()
        )
        for app in ("agreements", "tracker")
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.local_many_to_many
        if field.remote_field.through._meta.auto_created
    }


def load(path: Path = SEEDS, **options) -> str:
    out = io.StringIO()
    call_command("load_seeds", path=path, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    """A private copy of seeds/ that a test may break."""
    return Path(shutil.copytree(SEEDS, tmp_path / "seeds"))


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not found in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.django_db
def test_loading_the_seeds_twice_leaves_the_same_rows_with_the_same_ids():
    first_output = load()
    after_first = database_state()
    second_output = load()

    assert database_state() == after_first
    assert "0 created, 0 updated" in second_output
    assert re.search(r"Seeds loaded: [1-9][0-9]* created", first_output)
    assert sum(len(rows) for rows in after_first.values()) > 100


@pytest.mark.django_db
def test_loading_reports_progress_per_file():
    output = load()

    for name in (
        "topics.toml",
        "parties.toml",
        "sources.toml",
        "agreements/",
        "incidents.toml",
        "assessments.toml",
    ):
        assert name in output


@pytest.mark.django_db
def test_with_reset_an_edited_seed_value_updates_the_existing_row_in_place(seed_copy: Path):
    load(seed_copy)
    from agreements.models import Agreement

    agreement = Agreement.objects.get(code="daraa-2021-09-06")
    replace_in(
        seed_copy / "agreements" / "daraa-2021-09-06.toml",
        f'title_en = "{agreement.title_en}"',
        'title_en = "Renamed in review"',
    )

    kept = load(seed_copy)
    assert Agreement.objects.get(pk=agreement.pk).title_en == agreement.title_en
    assert "1 row differs" in kept

    with audit_context(channel="command", reason="Title corrected in review"):
        output = load(seed_copy, reset=True)

    assert Agreement.objects.get(pk=agreement.pk).title_en == "Renamed in review"
    assert "0 created, 1 updated" in output


BROKEN_FILES = [
    pytest.param(
        "parties.toml",
        'kind = "',
        'kind = "dragon-',
        "parties.toml",
        "field 'kind'",
        id="invalid-choice",
    ),
    pytest.param(
        "sources.toml",
        "[[source]]",
        '[[source]]\nreliabilty = "A"',
        "sources.toml",
        "field 'reliabilty'",
        id="misspelt-field",
    ),
    pytest.param(
        "agreements/daraa-2021-09-06.toml",
        'obligor = "',
        'obligor = "nobody-',
        "daraa-2021-09-06.toml",
        "field 'obligor'",
        id="unknown-party",
    ),
    pytest.param(
        "incidents.toml",
        "fatalities = ",
        'fatalities = "many" # was ',
        "incidents.toml",
        "field 'fatalities'",
        id="wrong-type",
    ),
    pytest.param(
        "topics.toml",
        "[[topic]]",
        "[[topic]\n",
        "topics.toml",
        "not valid TOML",
        id="broken-toml",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("file", "old", "new", "named_file", "named_field"), BROKEN_FILES)
def test_a_broken_seed_file_is_named_precisely_and_nothing_is_written(
    seed_copy: Path, file: str, old: str, new: str, named_file: str, named_field: str
):
    replace_in(seed_copy / file, old, new)
    before = database_state()

    with pytest.raises(CommandError) as raised:
        load(seed_copy)

    message = str(raised.value)
    assert named_file in message
    assert named_field in message
    assert "nothing was changed" in message
    assert database_state() == before


@pytest.mark.django_db
def test_a_failing_reload_rolls_back_the_changes_it_had_already_made(seed_copy: Path):
    load(seed_copy)
    before = database_state()
    # parties.toml is loaded early and would change; incidents.toml fails later.
    replace_in(seed_copy / "parties.toml", 'name_en = "', 'name_en = "Changed ')
    replace_in(seed_copy / "incidents.toml", 'source = "', 'source = "missing-')

    with pytest.raises(CommandError, match=r"incidents\.toml.*field 'source'"):
        load(seed_copy)

    assert database_state() == before


@pytest.mark.django_db
def test_a_missing_seed_folder_is_a_clear_error(tmp_path: Path):
    with pytest.raises(CommandError, match="no such seed directory"):
        load(tmp_path / "nowhere")
