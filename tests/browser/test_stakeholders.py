"""An analyst records an interview in Bulgarian, codes two excerpts (the second with htmx,
choosing the code the first one created) and sees them counted on the findings page; axe-core
finds no accessibility violation on the interview and findings pages."""

from pathlib import Path

import pytest

from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from zora.stakeholders import services
from zora.stakeholders.models import Finding, StakeholderType

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")


def axe_violations(page) -> list[str]:
    page.evaluate(AXE)
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in result]


def test_record_an_interview_code_two_excerpts_and_count_them(page):
    org = OrganisationFactory(slug="sz", name_bg="Община Стара Загора", name_en="Stara Zagora")
    analyst = UserFactory(email="analyst@sz.example")
    MembershipFactory(organisation=org, user=analyst, role="analyst")
    stakeholder = services.stakeholder_save(
        organisation=org,
        fields={"name": "Телеком Юг ЕАД", "type": StakeholderType.TELECOM, "kind": "organisation"},
    )
    services.guide_save(
        organisation=org,
        title_bg="Интервю за стратегията",
        title_en="Strategy interview",
        questions_bg="Какво ви пречи?",
        questions_en="What holds you back?",
    )

    page.goto("/bg/accounts/login/")
    page.locator("input[name=login]").fill("analyst@sz.example")
    page.locator("input[name=password]").fill("correct horse battery staple")
    page.locator("form button[type=submit]").last.click()

    page.goto("/bg/o/sz/engage/interviews/new/")
    assert page.locator("html").get_attribute("lang") == "bg"
    page.locator("select[name=stakeholder]").select_option(str(stakeholder.pk))
    page.locator("input[name=held_on]").fill("2025-05-12")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/interviews/*/")
    assert "Телеком Юг ЕАД" in page.locator("h1").inner_text()

    note_text = "В селата няма интернет, а фирмите не намират специалисти по киберсигурност."
    page.locator("#notes-form textarea").first.fill(note_text)
    page.locator("#notes-form button[type=submit]").click()
    page.wait_for_selector(".sh-note")
    assert note_text in page.locator(".sh-note blockquote").inner_text()

    # First excerpt: a new code, without htmx's help needed (the form also works as a plain POST).
    form = page.locator(".sh-code-form").first
    form.locator("textarea").fill("В селата няма интернет")
    form.locator("input[name$=new_code]").fill("Широколентов достъп")
    form.locator("select[name$=quadrant]").select_option("weakness")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".sh-findings li")
    assert "Широколентов достъп" in page.locator(".sh-findings").inner_text()

    # Second excerpt: the existing code, chosen from the codebook.
    form = page.locator(".sh-code-form").first
    form.locator("textarea").fill("фирмите не намират специалисти")
    code_select = form.locator("select[name$=-code]")
    code_select.select_option(label="Широколентов достъп")
    form.locator("button[type=submit]").click()
    page.locator(".sh-findings li").nth(1).wait_for()
    assert Finding.objects.filter(organisation=org).count() == 2
    assert axe_violations(page) == []

    page.goto("/bg/o/sz/engage/findings/")
    row = page.locator("#findings-table tr[data-code='Широколентов достъп']")
    assert row.locator(".sh-count").inner_text() == "2"
    assert axe_violations(page) == []
    row.locator("a").first.click()
    page.wait_for_url("**/findings/code/*/")
    assert "В селата няма интернет" in page.locator("main").inner_text()
    assert "фирмите не намират специалисти" in page.locator("main").inner_text()
