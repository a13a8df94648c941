"""Seeds never overwrite people's work: duplicate keys are refused, a plain load only adds what
is missing and reports the rows that differ from the files, and --reset (with a reason) makes
them match."""

import io
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from agreements.models import Agreement, Obligation
from history.context import audit_context
from tracker.models import Incident

SEEDS = Path(settings.BASE_DIR) / "seeds"


def load(path: Path = SEEDS, **options) -> str:
    out = io.StringIO()
    call_command("load_seeds", path=path, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SEEDS, tmp_path / "seeds"))


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not found in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def first_incident_block(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    start = text.index("[[incident]]")
    end = text.index("[[incident]]", start + 1)
    return text[start:end]


@pytest.mark.django_db
def test_two_seed_records_with_the_same_key_are_refused_naming_both(seed_copy: Path):
    incidents = seed_copy / "incidents.toml"
    block = first_incident_block(incidents)
    incidents.write_text(incidents.read_text(encoding="utf-8") + "\n" + block, encoding="utf-8")

    with pytest.raises(CommandError) as raised:
        load(seed_copy)

    message = str(raised.value)
    assert "duplicate" in message
    assert "incidents.toml" in message
    assert message.count("incident #") == 2
    assert "evacuation-daraa-al-balad-2018-07" in message
    assert not Incident.objects.exists()


@pytest.mark.django_db
def test_a_duplicate_across_files_names_both_files(seed_copy: Path):
    agreements = seed_copy / "agreements"
    shutil.copy(agreements / "daraa-2021-09-06.toml", agreements / "zz-copy.toml")

    with pytest.raises(CommandError) as raised:
        load(seed_copy)

    message = str(raised.value)
    assert "duplicate" in message
    assert "daraa-2021-09-06.toml" in message and "zz-copy.toml" in message
    assert "agreement 'daraa-2021-09-06'" in message


@pytest.mark.django_db
def test_a_clause_key_twice_in_one_agreement_file_is_refused(seed_copy: Path):
    path = seed_copy / "agreements" / "daraa-2021-09-06.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index("[[clause]]")
    end = text.index("[[clause]]", start + 1)
    path.write_text(text + "\n" + text[start:end], encoding="utf-8")

    with pytest.raises(CommandError, match=r"duplicate.*daraa-2021-09-06\.toml.*clause"):
        load(seed_copy)


@pytest.mark.django_db
def test_a_rerun_keeps_an_analysts_edit_of_a_seeded_row_and_says_it_differs():
    load()
    obligation = Obligation.objects.filter(due_on__isnull=False).order_by("id").first()
    edited = obligation.due_on.replace(day=1 if obligation.due_on.day != 1 else 2)
    Obligation.objects.filter(pk=obligation.pk).update(due_on=edited)

    output = load()

    assert Obligation.objects.get(pk=obligation.pk).due_on == edited
    assert "1 row differs from the seed files (kept as edited)" in output
    assert "--reset" in output
    assert obligation.key in output


@pytest.mark.django_db
def test_a_rerun_adds_what_is_missing(seed_copy: Path):
    load(seed_copy)
    incidents = seed_copy / "incidents.toml"
    block = first_incident_block(incidents).replace(
        "evacuation-daraa-al-balad-2018-07", "a-new-seeded-incident"
    )
    incidents.write_text(incidents.read_text(encoding="utf-8") + "\n" + block, encoding="utf-8")

    output = load(seed_copy)

    assert Incident.objects.filter(key="a-new-seeded-incident").exists()
    assert "created" in output and "0 rows differ" in output


@pytest.mark.django_db
def test_reset_makes_the_rows_match_the_files_and_is_audited_with_its_reason():
    load()
    agreement = Agreement.objects.get(code="daraa-2021-09-06")
    Agreement.objects.filter(pk=agreement.pk).update(title_en="Edited by an analyst")

    with audit_context(channel="command", reason="Back to the reviewed seeds"):
        output = load(reset=True)

    assert Agreement.objects.get(pk=agreement.pk).title_en == agreement.title_en
    assert "1 updated" in output
    event = (
        Agreement.pgh_event_model.objects.filter(pgh_obj_id=agreement.pk)
        .order_by("-pgh_id")
        .first()
    )
    assert event.pgh_context["reason"] == "Back to the reviewed seeds"


@pytest.mark.django_db
def test_reset_without_a_reason_is_refused_and_changes_nothing():
    load()
    Agreement.objects.filter(code="daraa-2021-09-06").update(title_en="Edited by an analyst")

    with pytest.raises(CommandError, match="--reason"):
        load(reset=True)

    assert Agreement.objects.get(code="daraa-2021-09-06").title_en == "Edited by an analyst"
