"""Shared pieces of the ACLED import/export tests: the hand-written fixture and the parties
and sources its actor and source names should match."""

from pathlib import Path

from agreements.models import Party, PartyAlias, Source

FIXTURE = Path(__file__).parent / "data" / "acled_fixture.csv"


def fixture_text() -> str:
    return FIXTURE.read_text(encoding="utf-8")


def acled_parties() -> dict[str, Party]:
    """Parties named in the fixture by their English or Arabic name or an alias."""
    forces = Party.objects.create(
        key="syrian-government-forces",
        name_en="Government of Syria forces",
        name_ar="القوات الحكومية السورية",
        kind="state_force",
    )
    PartyAlias.objects.create(party=forces, alias="regime forces")
    fourth = Party.objects.create(
        key="4th-division", name_en="4th Division", name_ar="الفرقة الرابعة", kind="state_force"
    )
    PartyAlias.objects.create(party=fourth, alias="Fourth Division")
    security = Party.objects.create(
        key="military-security",
        name_en="Military Security",
        name_ar="الأمن العسكري",
        kind="state_force",
    )
    civilians = Party.objects.create(
        key="civilians-of-daraa-al-balad",
        name_en="Civilians of Daraa al-Balad",
        name_ar="المدنيون في درعا البلد",
        kind="civilians",
    )
    russia = Party.objects.create(
        key="russian-federation", name_en="Russian Federation", kind="foreign_state"
    )
    PartyAlias.objects.create(party=russia, alias="Russia")
    police = Party.objects.create(
        key="russian-military-police", name_en="Russian military police", kind="foreign_force"
    )
    militias = Party.objects.create(
        key="iran-backed-militias",
        name_en="Iran-backed armed groups",
        name_ar="جماعات مسلحة مدعومة من إيران",
        kind="militia",
    )
    PartyAlias.objects.create(party=militias, alias="Iranian militias")
    committee = Party.objects.create(
        key="central-negotiating-committee",
        name_en="Central Negotiating Committee of Daraa",
        kind="negotiating_body",
    )
    PartyAlias.objects.create(party=committee, alias="Central Committees")
    Source.objects.create(key="sohr", publisher="SOHR", title="Syrian Observatory for Human Rights")
    return {
        "forces": forces,
        "fourth": fourth,
        "security": security,
        "civilians": civilians,
        "russia": russia,
        "police": police,
        "militias": militias,
        "committee": committee,
    }
