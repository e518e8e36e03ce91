"""A small region registry and catalogue for indicator tests (the full registry takes seconds)."""

from pathlib import Path

import pytest

from zora.indicators.models import Indicator, Region
from zora.indicators.services import dims_key

DATA = Path(__file__).resolve().parent.parent / "data"

REGIONS = [
    # code, level, name, parent, population
    ("EU27_2020", -1, "European Union - 27 countries (from 2020)", None, None),
    ("BG", 0, "Bulgaria", None, None),
    ("BG3", 1, "Severna i Yugoiztochna Bulgaria", "BG", None),
    ("BG34", 2, "Yugoiztochen", "BG3", None),
    ("BG344", 3, "Stara Zagora", "BG34", 300000),
    ("BG33", 2, "Severoiztochen", "BG3", None),
    ("BG4", 1, "Yugozapadna i Yuzhna tsentralna Bulgaria", "BG", None),
    ("BG41", 2, "Yugozapaden", "BG4", None),
    ("BG411", 3, "Sofia (stolitsa)", "BG41", 1300000),
    ("BG42", 2, "Yuzhen tsentralen", "BG4", None),
    ("EL", 0, "Elláda", None, None),
    ("EL5", 1, "Voreia Elláda", "EL", None),
    ("EL52", 2, "Kentriki Makedonia", "EL5", None),
    ("EL522", 3, "Thessaloniki", "EL52", 280000),
    ("RO", 0, "România", None, None),
    ("RO2", 1, "Macroregiunea Doi", "RO", None),
    ("RO22", 2, "Sud-Est", "RO2", None),
    ("SZR31", 4, "Stara Zagora", "BG344", 159662),
]


@pytest.fixture
def regions(db):
    made = {}
    for code, level, name, parent, population in REGIONS:
        made[code] = Region.objects.create(
            code=code,
            level=level,
            name=name,
            country="" if level < 0 else code[:2],
            parent=made.get(parent),
            population=population,
        )
    return made


def make_indicator(
    code="internet", dataset="TEST_DS", direction="higher", finest_level=2, target=None, **filter
):
    filter = filter or {"unit": "PC_HH"}
    return Indicator.objects.create(
        code=code,
        name_bg="Интернет",
        name_en="Internet",
        unit_en="% of households",
        unit_bg="% от домакинствата",
        direction=direction,
        theme="internet_use",
        dataset=dataset,
        filter=filter,
        dims_key=dims_key(filter.items()),
        finest_level=finest_level,
        target_value=target[0] if target else None,
        target_year=target[1] if target else None,
    )
