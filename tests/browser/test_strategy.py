"""An editor creates an action with a milestone and a KPI, sees it on the Gantt view, and the
public sees it on the accountability page in both languages."""

import re
from datetime import date

import pytest

from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory
from zora.strategy import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_action_with_milestone_and_kpi_on_gantt_and_public_page(page):
    org = OrganisationFactory(
        slug="sz", name_bg="Община Стара Загора", name_en="Stara Zagora", is_public=True
    )
    editor = UserFactory(email="editor@sz.example")
    MembershipFactory(organisation=org, user=editor, role="editor")
    strategy = services.strategy_create(
        organisation=org,
        title_bg="Стратегия за дигитализация",
        title_en="Digitalisation strategy",
        starts_on=date(2024, 1, 1),
        ends_on=date(2030, 12, 31),
        with_defaults=False,
    )
    priority = services.priority_save(
        strategy=strategy, code="P1", title_bg="Бизнес", title_en="Business"
    )
    services.objective_save(
        strategy=strategy,
        priority=priority,
        code="O1",
        title_bg="Цифрови МСП",
        title_en="Digital SMEs",
    )
    services.strategy_update(strategy=strategy, status="adopted")

    page.goto("/en/accounts/login/")
    page.get_by_label("Email").fill("editor@sz.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/en/")

    page.goto(f"/en/o/sz/plan/{strategy.pk}/actions/new/")
    page.get_by_label("objective").select_option(label="Digital SMEs")
    page.get_by_label("title (Bulgarian)").fill("Ваучери за цифровизация")
    page.get_by_label("title (English)").fill("Digitalisation vouchers")
    page.locator("#id_starts_on").fill("2025-01-01")
    page.locator("#id_ends_on").fill("2027-06-30")
    page.locator("#id_budget").fill("250000")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/actions/\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Digitalisation vouchers", (
        page.locator(".errorlist").all_inner_texts()
    )

    milestones = page.locator("#milestones")
    milestones.get_by_label("title (Bulgarian)").fill("Първа покана")
    milestones.get_by_label("title (English)").fill("First call")
    milestones.get_by_label("due on").fill("2025-09-30")
    page.get_by_role("button", name="Add the milestone").click()
    assert "First call" in page.locator("#milestones table").inner_text()

    page.get_by_role("link", name="Add a KPI").click()
    page.get_by_label("name (Bulgarian)").fill("МСП с ваучер")
    page.get_by_label("name (English)").fill("SMEs with a voucher")
    page.get_by_label("baseline value").fill("0")
    page.get_by_label("baseline date").fill("2025-01-01")
    page.get_by_label("target value").fill("200")
    page.get_by_label("target date").fill("2027-06-30")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/kpis/*/")
    page.locator("#id_v-value").fill("80")
    page.locator("#id_v-measured_on").fill("2026-01-31")
    page.get_by_role("button", name="Add the measurement").click()
    assert page.locator("figure svg.kpi-chart").count() == 1

    page.goto(f"/en/o/sz/plan/{strategy.pk}/roadmap/")
    gantt = page.locator("svg.gantt")
    assert "Digitalisation vouchers" in gantt.inner_html()
    assert gantt.locator("polygon.milestone").count() == 1
    assert "First call" in page.locator("#calendar").inner_text()

    page.context.clear_cookies()
    for lang, action, kpi, milestone in [
        ("bg", "Ваучери за цифровизация", "МСП с ваучер", "Първа покана"),
        ("en", "Digitalisation vouchers", "SMEs with a voucher", "First call"),
    ]:
        page.goto(f"/{lang}/strategies/{strategy.pk}/")
        assert page.locator("html").get_attribute("lang") == lang
        assert action in page.locator("#plan").inner_text()
        assert kpi in page.locator("#kpis").inner_text()
        assert milestone in page.locator("#roadmap").inner_text()
        assert page.locator("#kpis svg.kpi-chart").count() == 1
