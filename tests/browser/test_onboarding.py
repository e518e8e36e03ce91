"""Open /bg/, switch to English, log in as a demo owner, reach the dashboard, invite a member."""

import pytest
from django.core import mail
from django.core.management import call_command

from zora.organisations.models import Invitation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_owner_logs_in_and_invites_a_member(page):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    page.goto("/bg/")
    assert page.locator("html").get_attribute("lang") == "bg"
    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "Цифрова трансформация от начало до край"
    )

    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/")
    assert page.locator("html").get_attribute("lang") == "en"

    page.get_by_role("navigation", name="Account").get_by_role("link", name="Log in").click()
    page.get_by_label("Email").fill("owner@stara-zagora.demo")
    page.get_by_label("Password").fill("zora-demo")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/en/")

    page.get_by_role("link", name="Stara Zagora Municipality").first.click()
    page.wait_for_url("**/en/o/stara-zagora/dashboard/")
    assert page.get_by_role("heading", level=1).inner_text() == "Stara Zagora Municipality"

    page.get_by_role("link", name="Invite a member").click()
    page.wait_for_url("**/members/#invite")
    page.get_by_label("E-mail address").fill("new.analyst@stara-zagora.bg")
    page.locator("#invite-panel").get_by_label("Role").select_option("analyst")
    page.get_by_role("button", name="Send invitation").click()

    # htmx swaps the panel in place: the confirmation and the pending invitation appear.
    panel = page.locator("#invite-panel")
    panel.get_by_text("Invitation sent to new.analyst@stara-zagora.bg.").wait_for()
    assert "new.analyst@stara-zagora.bg" in panel.locator("ul.plain").inner_text()
    assert Invitation.objects.get(email="new.analyst@stara-zagora.bg").role == "analyst"
    assert mail.outbox and mail.outbox[-1].to == ["new.analyst@stara-zagora.bg"]

    # Bad input is explained in place and nothing is sent.
    page.get_by_label("E-mail address").fill("not an address")
    page.get_by_role("button", name="Send invitation").click()
    panel.locator(".errorlist").wait_for()
    assert Invitation.objects.count() == 1
