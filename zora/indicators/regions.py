"""The region registry, loaded from the shipped data files (see data/README.md):

- every NUTS 2021 code (levels 0–3) with its Latin name (nuts2021_codes_names.csv) and, from
  Eurostat's NUTS2021.xlsx, the national-script name (Cyrillic for Bulgaria);
- Bulgaria's 265 municipalities (bg_municipalities.csv), each under its NUTS-3 region, with its
  population summed from the NSI settlement estimates (bg_settlements_population2013.csv);
- the country groups Eurostat publishes (EU27_2020 …), so EU values can be compared.
"""

import csv
from collections import defaultdict
from pathlib import Path

from django.db import transaction
from openpyxl import load_workbook

from zora.indicators.models import Region

DATA = Path(__file__).resolve().parent / "data" / "regions"

# Bulgaria's 28 oblasts: NSI municipality-code prefix → NUTS 3 code.
OBLAST_NUTS3 = {
    "VID": "BG311",
    "MON": "BG312",
    "VRC": "BG313",
    "PVN": "BG314",
    "LOV": "BG315",
    "VTR": "BG321",
    "GAB": "BG322",
    "RSE": "BG323",
    "RAZ": "BG324",
    "SLS": "BG325",
    "VAR": "BG331",
    "DOB": "BG332",
    "SHU": "BG333",
    "TGV": "BG334",
    "BGS": "BG341",
    "SLV": "BG342",
    "JAM": "BG343",
    "SZR": "BG344",
    "SOF": "BG411",
    "SFO": "BG412",
    "BLG": "BG413",
    "PER": "BG414",
    "KNL": "BG415",
    "PDV": "BG421",
    "HKV": "BG422",
    "PAZ": "BG423",
    "SML": "BG424",
    "KRZ": "BG425",
}

AGGREGATES = {
    "EU27_2020": (
        "European Union - 27 countries (from 2020)",
        "Европейски съюз — 27 държави (от 2020 г.)",
    ),
    "EU28": (
        "European Union - 28 countries (2013-2020)",
        "Европейски съюз — 28 държави (2013–2020 г.)",
    ),
    "EU27_2007": (
        "European Union - 27 countries (2007-2013)",
        "Европейски съюз — 27 държави (2007–2013 г.)",
    ),
    "EA20": ("Euro area - 20 countries (from 2023)", "Еврозона — 20 държави (от 2023 г.)"),
    "EA19": ("Euro area - 19 countries (2015-2022)", "Еврозона — 19 държави (2015–2022 г.)"),
    "EU": ("European Union", "Европейски съюз"),
}
EU_AGGREGATE = "EU27_2020"
# The EU value of a dataset: the first of these it publishes (the eGovernment Benchmark says "EU").
EU_CODES = ("EU27_2020", "EU")
EU27 = [
    "AT",
    "BE",
    "BG",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "EL",
    "ES",
    "FI",
    "FR",
    "HR",
    "HU",
    "IE",
    "IT",
    "LT",
    "LU",
    "LV",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
]


def _national_names() -> dict[str, str]:
    workbook = load_workbook(DATA / "NUTS2021.xlsx", read_only=True, data_only=True)
    sheet = workbook["NUTS & SR 2021"]
    names: dict[str, str] = {}
    for row in sheet.iter_rows(min_row=2, values_only=True):
        code = row[0]
        if not code:
            continue
        name = next((str(v).strip() for v in row[1:5] if v), "")
        names[str(code).strip()] = name
    workbook.close()
    return names


def _municipal_population() -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    with open(DATA / "bg_settlements_population2013.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["population"]:
                totals[row["municipality"]] += int(row["population"])
    return totals


@transaction.atomic
def load_regions() -> dict[str, int]:
    """Creates or refreshes every region; returns counts per level."""
    national = _national_names()
    rows: list[tuple[str, str]] = []
    with open(DATA / "nuts2021_codes_names.csv", encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        next(reader)
        # A few names hold the separator unquoted ("Palestine; State of"): rejoin them.
        rows = [
            (row[0].strip(), ", ".join(p.strip() for p in row[1:]))
            for row in reader
            if row and row[0].strip()
        ]

    existing = {r.code: r for r in Region.objects.all()}
    wanted: dict[str, Region] = {}
    for code, name in rows:
        country = code[:2]
        region = existing.get(code) or Region(code=code)
        region.level = len(code) - 2
        region.name = name
        region.country = country
        region.name_bg = national.get(code, "") if country == "BG" else ""
        wanted[code] = region
    for code, (name, name_bg) in AGGREGATES.items():
        region = existing.get(code) or Region(code=code)
        region.level, region.name, region.name_bg, region.country = (
            Region.AGGREGATE_LEVEL,
            name,
            name_bg,
            "",
        )
        wanted[code] = region

    population = _municipal_population()
    with open(DATA / "bg_municipalities.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["code"].strip()
            region = existing.get(code) or Region(code=code)
            region.level = Region.MUNICIPALITY_LEVEL
            region.name_bg = row["name"].strip()
            region.name = _latin(row["name"].strip())
            region.country = "BG"
            region.population = population.get(code)
            region.population_source = (
                "NSI settlement estimates, 31 Dec 2013" if code in population else ""
            )
            wanted[code] = region

    Region.objects.bulk_create([r for r in wanted.values() if r.pk is None], batch_size=1000)
    Region.objects.bulk_update(
        [r for r in wanted.values() if r.pk is not None],
        ["level", "name", "name_bg", "country", "population", "population_source"],
        batch_size=1000,
    )
    ids = dict(Region.objects.values_list("code", "id"))
    parents = []
    for code, region in wanted.items():
        region.pk = ids[code]
        if region.level == Region.MUNICIPALITY_LEVEL:
            parent = OBLAST_NUTS3.get(code[:3])
        elif region.level >= 1:
            parent = code[:-1]
        else:
            parent = None
        region.parent_id = ids.get(parent) if parent else None
        parents.append(region)
    Region.objects.bulk_update(parents, ["parent"], batch_size=1000)
    # NUTS 3 population of Bulgaria: the sum of its municipalities.
    for nuts3 in set(OBLAST_NUTS3.values()):
        total = sum(
            r.population or 0
            for r in wanted.values()
            if r.level == 4 and OBLAST_NUTS3.get(r.code[:3]) == nuts3
        )
        Region.objects.filter(code=nuts3).update(
            population=total or None, population_source="NSI settlement estimates, 31 Dec 2013"
        )
    counts: dict[str, int] = defaultdict(int)
    for region in wanted.values():
        counts[region.level_label] += 1
    return dict(counts)


_TRANSLIT = dict(
    zip(
        "абвгдежзийклмнопрстуфхцчшщъьюяАБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЬЮЯ",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "h",
            "ts",
            "ch",
            "sh",
            "sht",
            "a",
            "y",
            "yu",
            "ya",
            "A",
            "B",
            "V",
            "G",
            "D",
            "E",
            "Zh",
            "Z",
            "I",
            "Y",
            "K",
            "L",
            "M",
            "N",
            "O",
            "P",
            "R",
            "S",
            "T",
            "U",
            "F",
            "H",
            "Ts",
            "Ch",
            "Sh",
            "Sht",
            "A",
            "Y",
            "Yu",
            "Ya",
        ],
        strict=True,
    )
)


def _latin(name: str) -> str:
    """Bulgarian official transliteration (Transliteration Act 2009), enough for names."""
    return "".join(_TRANSLIT.get(ch, ch) for ch in name)


def ancestor_at_level(region: Region, level: int) -> Region | None:
    """The region itself or its ancestor at `level` (NUTS 2 for a NUTS 3 or municipality)."""
    current: Region | None = region
    while current is not None and current.level > level:
        current = current.parent
    return current if current is not None and current.level == level else None
