"""Small fixtures for report tests: a campaign of alpha with two assessed companies, and a few
regions with one indicator for a benchmark. The full demo data is loaded once, in
test_rendering.py."""

import pytest
from django.core.management import call_command

from tests.assessments.answers import maximal, minimal
from tests.indicators.conftest import REGIONS, make_indicator
from zora.assessments import services as assessment_services
from zora.assessments.models import Framework
from zora.assessments.selectors import framework_tree
from zora.indicators.models import Region
from zora.indicators.services import observation_put


@pytest.fixture
def frameworks(db):
    call_command("load_frameworks", stdout=open("/dev/null", "w"))  # noqa: SIM115


def submit(campaign, subject, answers):
    started = assessment_services.response_start(campaign=campaign, subject=subject)
    assessment_services.response_save(
        response=started.response, answers={"organisation_name": "Test", **answers}
    )
    assert assessment_services.response_submit(response=started.response) == []
    started.response.refresh_from_db()
    return started.response


@pytest.fixture
def campaign(world, frameworks):
    """Alpha's T0 campaign: Client One answered everything at the lowest level, Client Two at
    the highest."""
    sme = Framework.objects.get(code="edih-dma-sme")
    campaign = assessment_services.campaign_create(
        organisation=world.alpha,
        user=world.alice,
        framework=sme,
        stage="T0",
        name_en="Alpha T0",
        name_bg="Алфа T0",
        new_subject_names=["Client One", "Client Two"],
    )
    tree = framework_tree(sme)
    one, two = campaign.subjects.order_by("organisation__name_en")
    submit(campaign, one, minimal(tree))
    submit(campaign, two, maximal(tree))
    return campaign


@pytest.fixture
def benchmark_data(world):
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
    indicator = make_indicator(target=(90, 2030))
    for code, value in {"BG34": 61.5, "BG33": 70, "BG41": 80, "BG42": 70, "BG": 65}.items():
        observation_put(
            dataset="TEST_DS",
            dims_key="unit=PC_HH",
            region_code=code,
            period="2024",
            value=value,
            flags="p" if code == "BG34" else "",
            dimensions={"freq": "A", "unit": "PC_HH"},
        )
    for year, value in {2020: 40.0, 2022: 50.0}.items():
        observation_put(
            dataset="TEST_DS",
            dims_key="unit=PC_HH",
            region_code="BG34",
            period=str(year),
            value=value,
            dimensions={"freq": "A", "unit": "PC_HH"},
        )
    world.alpha.region_code = "BG344"
    world.alpha.save(update_fields=["region_code"])
    return indicator
