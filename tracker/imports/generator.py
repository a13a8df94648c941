"""Realistic ACLED-format CSV files for tests and the import benchmark (invented events).

Syrian governorates, districts and sub-districts with coordinates near them; actors named
the ways sources name them (parties' names and aliases in English and Arabic, spelled with
and without hamza, and names no party carries); one to three ';'-joined sources; English and
Arabic notes; all three time precisions, both date forms, and some rows without coordinates.
Written row by row: memory does not grow with the file.
"""

from __future__ import annotations

import csv
import datetime
import random
from collections.abc import Iterator
from typing import IO

from tracker.choices import ACLED_EVENT_TYPES
from tracker.imports.acled import ACLED_COLUMNS

# governorate -> [(district, sub-district, latitude, longitude)]
PLACES: dict[str, list[tuple[str, str, float, float]]] = {
    "Daraa": [
        ("Daraa", "Daraa", 32.6189, 36.1021),
        ("Daraa", "Busra Esh-Sham", 32.5167, 36.4833),
        ("Izra'", "Sheikh Miskine", 32.8296, 36.1601),
        ("As-Sanamayn", "Jasim", 32.9921, 36.0606),
    ],
    "Quneitra": [("Quneitra", "Khan Arnaba", 33.1803, 35.8890)],
    "As-Sweida": [("As-Sweida", "As-Sweida", 32.7090, 36.5660)],
    "Rural Damascus": [("Duma", "Duma", 33.5711, 36.4029), ("Qatana", "Qatana", 33.4367, 36.0781)],
    "Damascus": [("Damascus", "Damascus", 33.5138, 36.2765)],
    "Homs": [("Tadmor", "Tadmor", 34.5597, 38.2736), ("Ar-Rastan", "Ar-Rastan", 34.9267, 36.7325)],
    "Hama": [("As-Suqaylabiyah", "Qalaat al Madiq", 35.4065, 36.3897)],
    "Idleb": [("Ariha", "Ariha", 35.8132, 36.6108), ("Idleb", "Saraqab", 35.8620, 36.8006)],
    "Aleppo": [("Al Bab", "Al Bab", 36.3705, 37.5157), ("Afrin", "Afrin", 36.5117, 36.8691)],
    "Ar-Raqqa": [("Ar-Raqqa", "Ar-Raqqa", 35.9528, 39.0079)],
    "Deir-ez-Zor": [
        ("Al Mayadin", "Thiban", 35.0086, 40.4656),
        ("Abu Kamal", "Hajin", 34.6967, 40.8383),
    ],
    "Al-Hasakeh": [("Quamishli", "Quamishli", 37.0522, 41.2280)],
    "Lattakia": [("Lattakia", "Lattakia", 35.5317, 35.7901)],
    "Tartous": [("Tartous", "Tartous", 34.8890, 35.8866)],
}

# (name as sources write it, ACLED inter code). The first ones match seeded parties by name or
# alias (some in Arabic, some without the hamza); the rest match no party.
ACTORS = [
    ("Government of Syria forces", "1"),
    ("regime forces", "1"),
    ("Fourth Division", "1"),
    ("الفرقة الرابعة", "1"),
    ("الامن العسكري", "1"),
    ("Russia", "8"),
    ("Russian military police", "8"),
    ("Iranian militias", "3"),
    ("جماعات مسلحة مدعومة من ايران", "3"),
    ("Eighth Brigade", "3"),
    ("Central Committees", "6"),
    ("Military Forces of Syria (2000-)", "1"),
    ("Unidentified Armed Group (Syria)", "3"),
    ("HTS: Hayat Tahrir al-Sham", "2"),
    ("SDF: Syrian Democratic Forces", "2"),
    ("Islamic State (Syria)", "2"),
    ("Military Forces of Turkey (2016-)", "8"),
    ("Protesters (Syria)", "6"),
    ("Rioters (Syria)", "5"),
    ("Civilians (Syria)", "7"),
]
SOURCES = [
    "SOHR",
    "Syria Direct",
    "Enab Baladi",
    "North Press Agency",
    "Step News Agency",
    "Horan Free League",
    "تجمع أحرار حوران",
    "SANA",
    "Deir Ezzor 24",
]
NOTES_EN = [
    "On {date}, {actor} {verb} in {place} ({district}). {fatalities} reported killed.",
    "Around {date}, sources reported that {actor} {verb} near {place}; casualties unknown.",
]
NOTES_AR = [
    "في {date}، أفادت مصادر محلية بأن {actor} {verb_ar} في {place}.",
    "قُتل {fatalities} أشخاص إثر {verb_ar} في {place} بريف {district}.",
]
VERBS = {
    "Battles": ("clashed with gunmen", "اشتباكات مسلحة"),
    "Explosions/Remote violence": ("shelled positions", "قصف مدفعي"),
    "Violence against civilians": ("attacked civilians", "هجوم على مدنيين"),
    "Protests": ("held a demonstration", "مظاهرة سلمية"),
    "Riots": ("rioted", "أعمال شغب"),
    "Strategic developments": ("made arrests", "حملة اعتقالات"),
}
DISORDER = {"Protests": "Demonstrations", "Riots": "Demonstrations"}
SCALES = ["National", "Subnational", "Local partner-Other", "New media", "Other-National"]
START = datetime.date(2021, 1, 1)


def acled_rows(count: int, *, seed: int = 11, first_id: int = 1) -> Iterator[dict[str, str]]:
    rng = random.Random(seed)
    event_types = list(ACLED_EVENT_TYPES)
    governorates = list(PLACES)
    for number in range(first_id, first_id + count):
        event_type = rng.choice(event_types)
        sub_event_type = rng.choice(ACLED_EVENT_TYPES[event_type])
        governorate = rng.choice(governorates)
        district, sub_district, lat, lon = rng.choice(PLACES[governorate])
        day = START + datetime.timedelta(days=rng.randrange(365))
        precision = rng.choices(["1", "2", "3"], weights=[80, 15, 5])[0]
        date = day.isoformat() if rng.random() < 0.8 else day.strftime("%d %B %Y")
        actor1, inter1 = rng.choice(ACTORS)
        actor2, inter2 = rng.choice(ACTORS) if rng.random() < 0.6 else ("", "")
        assoc = "; ".join(rng.sample([a for a, _ in ACTORS], rng.choice([0, 0, 0, 1, 2])))
        fatalities = rng.choices([0, 1, 2, 3, 5, 10], weights=[60, 15, 10, 7, 5, 3])[0]
        with_coordinates = rng.random() > 0.02
        place = sub_district if rng.random() < 0.7 else f"{sub_district} countryside"
        verb, verb_ar = VERBS[event_type]
        if rng.random() < 0.3:
            notes = rng.choice(NOTES_AR).format(
                date=date,
                actor=actor1,
                verb_ar=verb_ar,
                place=place,
                district=district,
                fatalities=fatalities,
            )
        else:
            notes = rng.choice(NOTES_EN).format(
                date=date,
                actor=actor1,
                verb=verb,
                place=place,
                district=district,
                fatalities=fatalities,
            )
        yield {
            "event_id_cnty": f"SYR{number}",
            "event_date": date,
            "year": str(day.year),
            "time_precision": precision,
            "disorder_type": DISORDER.get(event_type, "Political violence"),
            "event_type": event_type,
            "sub_event_type": sub_event_type,
            "actor1": actor1,
            "assoc_actor_1": assoc,
            "inter1": inter1,
            "actor2": actor2,
            "assoc_actor_2": "",
            "inter2": inter2,
            "interaction": f"{inter1}{inter2 or '0'}",
            "civilian_targeting": "Civilian targeting" if actor2 == "Civilians (Syria)" else "",
            "iso": "760",
            "region": "Middle East",
            "country": "Syria",
            "admin1": governorate,
            "admin2": district,
            "admin3": sub_district,
            "location": place,
            "latitude": f"{lat + rng.uniform(-0.05, 0.05):.4f}" if with_coordinates else "",
            "longitude": f"{lon + rng.uniform(-0.05, 0.05):.4f}" if with_coordinates else "",
            "geo_precision": rng.choice("1112"),
            "source": "; ".join(rng.sample(SOURCES, rng.choice([1, 1, 2, 3]))),
            "source_scale": rng.choice(SCALES),
            "notes": notes,
            "fatalities": str(fatalities),
            "tags": "",
            "timestamp": str(1_640_000_000 + number),
        }


def write_acled_file(out: IO[str], count: int, *, seed: int = 11, first_id: int = 1) -> None:
    """Write ``count`` rows with ACLED's header to a text stream (open it with newline='')."""
    writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in acled_rows(count, seed=seed, first_id=first_id):
        writer.writerow(row)
