"""Upload a CSV through the column-mapping step, watch the job page, then open the region page."""

import pytest

from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.indicators.conftest import REGIONS
from zora.indicators.models import Indicator, Observation, Region
from zora.indicators.services import dims_key

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_mapped_upload_progress_and_region_page(page, tmp_path):
    made = {}
    for code, level, name, parent, population in REGIONS:
        made[code] = Region.objects.create(
            code=code,
            level=level,
            name=name,
            country=code[:2] if level >= 0 else "",
            parent=made.get(parent),
            population=population,
        )
    Indicator.objects.create(
        code="survey_share",
        name_bg="Дял по проучване",
        name_en="Survey share",
        unit_en="%",
        unit_bg="%",
        theme="digital_skills",
        dataset="CITY_SURVEY",
        filter={},
        dims_key=dims_key([]),
        finest_level=3,
    )
    org = OrganisationFactory(slug="sz", name_en="Stara Zagora", region_code="BG344")
    user = UserFactory(email="editor@sz.example")
    MembershipFactory(organisation=org, user=user, role="editor")
    csv_file = tmp_path / "survey.csv"
    csv_file.write_text(
        "Region;Year;Share\nBG344;2024;61,5\nBG411;2024;70\nEL522;2024;55\n", encoding="utf-8"
    )

    page.goto("/en/accounts/login/")
    page.get_by_label("Email").fill("editor@sz.example")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/en/")

    page.goto("/en/o/sz/benchmark/imports/")
    page.locator("#id_file").set_input_files(str(csv_file))
    page.get_by_label("Format").select_option("mapped")
    page.get_by_label("Dataset code").fill("CITY_SURVEY")
    page.get_by_role("button", name="Import").click()
    page.wait_for_url("**/imports/map/**")
    assert "BG411" in page.locator("table").first.inner_text()
    page.get_by_label("Column with the region code").select_option("Region")
    page.get_by_label("Column with the period (year)").select_option("Year")
    page.get_by_label("Column with the value").select_option("Share")
    page.get_by_role("button", name="Import").click()

    page.wait_for_url("**/jobs/**")
    progress = page.locator("progress")
    assert progress.get_attribute("max") == "100"
    page.get_by_text("Done").first.wait_for()
    assert progress.get_attribute("value") == "100"
    assert "3 rows read" in page.locator("#job-status").inner_text()
    page.get_by_role("link", name="See the result").click()
    page.wait_for_url("**/imports/*/")
    assert Observation.objects.filter(dataset="CITY_SURVEY").count() == 3

    page.goto("/en/regions/BG344/?peers=country")
    row = page.get_by_role("row", name="Survey share")
    assert "61.5" in row.inner_text()
    page.get_by_role("link", name="Survey share").click()
    page.wait_for_url("**/indicators/survey_share/**")
    assert page.locator("svg[role=img]").count() == 2
