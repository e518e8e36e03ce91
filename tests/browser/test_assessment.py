"""Fill an SME assessment from the invitation link to the results page, in Bulgarian."""

import pytest
from django.core.management import call_command

from tests.factories import OrganisationFactory
from zora.assessments import services
from zora.assessments.models import Framework, Response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_respondent_fills_the_sme_assessment_in_bulgarian(page, live_server):
    call_command("load_frameworks", stdout=open("/dev/null", "w"))  # noqa: SIM115
    hub = OrganisationFactory(slug="hub", name_bg="Хъб", kind="digital_innovation_hub")
    company = OrganisationFactory(
        slug="firma", name_bg="Фирма ООД", name_en="Firma Ltd", kind="company"
    )
    campaign = services.campaign_create(
        organisation=hub,
        user=None,
        framework=Framework.objects.get(code="edih-dma-sme"),
        stage="T0",
        name_bg="Оценка T0",
        subjects=[company],
    )
    created = services.respondent_add(
        campaign=campaign, subject=campaign.subjects.get(), name="Мария", send=False
    )
    path = created.url.split("://", 1)[1].split("/", 1)[1]

    page.goto("/" + path)
    assert page.locator("html").get_attribute("lang") == "bg"
    assert page.locator("progress").get_attribute("max") == "7"
    page.get_by_label("Наименование на фирмата").fill("Фирма ООД")
    page.get_by_role("button", name="Запазване и напред").click()

    for number in range(2, 8):
        page.wait_for_url(f"**?page={number - 1}")
        assert page.locator("progress").get_attribute("value") == str(number)
        form = page.locator("form[method=post]")
        for box in form.locator("input[type=checkbox]").all():
            if box.get_attribute("value") != "not_collected_digitally":
                box.check()
        names = sorted({r.get_attribute("name") for r in form.locator("input[type=radio]").all()})
        for name in names:
            form.locator(f"input[type=radio][name='{name}']").last.check()
        label = "Преглед и подаване" if number == 7 else "Запазване и напред"
        page.get_by_role("button", name=label).click()

    page.wait_for_url("**/review/")
    page.get_by_role("button", name="Подаване").click()
    page.wait_for_url("**/result/")
    assert "Цифрова зрялост на Фирма ООД" in page.get_by_role("heading", level=1).inner_text()
    assert "100,0" in page.locator(".big-score").inner_text()
    assert page.locator("svg[role=img]").count() == 1
    response = Response.objects.get()
    assert response.status == "submitted" and response.overall == 100.0
