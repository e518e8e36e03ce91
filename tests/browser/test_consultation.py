"""A citizen signs up, submits a proposal (seeing the duplicate hint), supports another and
comments; a moderator answers it; axe-core finds no accessibility violation on the pages."""

import re
from pathlib import Path

import pytest
from django.core import mail

from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from zora.participation.models import AnswerState, Category, Consultation, Phase, Proposal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")


def axe_violations(page) -> list[str]:
    page.evaluate(AXE)  # evaluated through the DevTools protocol: the page's CSP stays strict
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in result]


def test_citizen_and_moderator(browser, live_server):
    org = OrganisationFactory(
        slug="sz", name_bg="Община Стара Загора", name_en="Stara Zagora", is_public=True
    )
    moderator = UserFactory(email="moderator@sz.example")
    MembershipFactory(organisation=org, user=moderator, role="editor")
    consultation = Consultation.objects.create(
        organisation=org,
        title_bg="Идеи за стратегията",
        title_en="Ideas for the strategy",
        phase=Phase.COLLECT,
        permissions={
            "collect": {"create": "verified", "support": "verified", "comment": "account"}
        },
    )
    Category.objects.create(
        consultation=consultation, code="digital", name_bg="Цифровизация", name_en="Digital"
    )
    AnswerState.objects.create(
        consultation=consultation, code="accepted", label_bg="Приета", label_en="Accepted"
    )
    author = UserFactory(email="someone@example.org")
    existing = Proposal.objects.create(
        consultation=consultation,
        author=author,
        title="Безплатен Wi-Fi в парк Аязмото",
        body="Интернет за всички посетители на парка.",
    )
    Proposal.objects.create(
        consultation=consultation,
        author=author,
        title="Повече велоалеи в центъра",
        body="Свързани велоалеи до гарата.",
    )

    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.set_default_timeout(15_000)

    page.goto("/bg/accounts/signup/")
    page.locator("input[name=email]").fill("citizen@example.org")
    page.locator("input[name=password1]").fill("a-long-secret-42")
    page.locator("input[name=password2]").fill("a-long-secret-42")
    page.locator("form button[type=submit]").click()
    link = re.search(r"https?://\S+/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto("/" + link.split("://", 1)[1].split("/", 1)[1])
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/bg/")

    page.goto(f"/bg/consultations/{consultation.pk}/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Изпращане на предложение").click()
    page.get_by_label("Заглавие").fill("Wi-Fi в парка Аязмото за всички")
    hint = page.locator("#similar")
    hint.get_by_role("link", name="Безплатен Wi-Fi в парк Аязмото").wait_for()
    page.get_by_label("Вашето предложение").fill(
        "Безплатен интернет в целия парк, с добро покритие."
    )
    page.get_by_role("button", name="Публикуване на предложението").click()
    page.wait_for_url("**/proposals/**")
    mine = Proposal.objects.get(author__email="citizen@example.org")

    page.goto(f"/bg/proposals/{existing.pk}/")
    page.get_by_role("button", name="Подкрепям предложението").click()
    page.get_by_text("Вие подкрепяте това предложение.").first.wait_for()
    page.get_by_label("Вашият коментар").fill("Напълно подкрепям, паркът има нужда от това.")
    page.get_by_role("button", name="Коментар", exact=True).click()
    page.get_by_text("Напълно подкрепям").wait_for()
    assert axe_violations(page) == []
    existing.refresh_from_db()
    assert existing.supports_count == 1 and existing.comments_count == 1

    mod = browser.new_context(base_url=live_server.url).new_page()
    mod.goto("/bg/accounts/login/")
    mod.locator("input[name=login]").fill("moderator@sz.example")
    mod.locator("input[name=password]").fill("correct horse battery staple")
    mod.locator("form button[type=submit]").click()
    mod.wait_for_url("**/bg/")
    mod.goto(f"/bg/proposals/{mine.pk}/")
    mod.locator("details.card summary").first.click()
    mod.get_by_label("Състояние").select_option(label="Приета")
    mod.get_by_label("Отговор (на български)").fill("Ще бъде изпълнено през 2026 г.")
    mod.get_by_role("button", name="Публикуване на отговора").click()
    mod.locator(".answer-box").wait_for()
    assert "Ще бъде изпълнено" in mod.locator(".answer-box").inner_text()
    mine.refresh_from_db()
    assert mine.answer_state.code == "accepted"

    # The editor closes comments in the collecting phase from the settings page (no JavaScript
    # needed: a table of labelled selects), and the rule takes effect.
    mod.goto(f"/en/o/sz/engage/{consultation.pk}/settings/")
    assert axe_violations(mod) == []
    mod.get_by_label("Comment on proposals — Collecting proposals").select_option("nobody")
    mod.get_by_label("Name (English) (row 2)").fill("Green city")
    mod.get_by_label("Name (Bulgarian) (row 2)").fill("Зелен град")
    mod.get_by_role("button", name="Save the settings").click()
    mod.get_by_text("The consultation's settings were saved.").wait_for()
    consultation.refresh_from_db()
    assert consultation.permissions["collect"]["comment"] == "nobody"
    assert consultation.categories.filter(code="green-city").exists()
    page.goto(f"/bg/proposals/{existing.pk}/")
    assert page.get_by_label("Вашият коментар").count() == 0
    assert errors == []
