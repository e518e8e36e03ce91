import pytest
from django.core.management import call_command
from django.test import Client

from zora.accounts.models import User
from zora.organisations.models import Membership, Organisation


@pytest.mark.django_db
def test_demo_is_idempotent_and_logs_in(capsys):
    call_command("demo")
    counts = (Organisation.objects.count(), User.objects.count(), Membership.objects.count())
    call_command("demo")
    assert (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    ) == counts
    out = capsys.readouterr().out
    assert "owner@stara-zagora.demo" in out and "zora-demo" in out
    slugs = set(Organisation.objects.values_list("slug", flat=True))
    assert {
        "stara-zagora",
        "sofia",
        "sofia-investment-agency",
        "thessaloniki",
        "zagore",
        "thracian-university",
    } <= slugs
    assert Organisation.objects.filter(kind="company").count() == 5
    for role in ["owner", "editor", "analyst", "viewer"]:
        assert Membership.objects.get(user__email=f"{role}@zagore.demo").role == role
    client = Client()
    response = client.post(
        "/bg/accounts/login/", {"login": "owner@stara-zagora.demo", "password": "zora-demo"}
    )
    assert response.status_code == 302
    assert client.get("/bg/o/stara-zagora/dashboard/").status_code == 200
    sz = Organisation.objects.get(slug="stara-zagora")
    assert sz.region_code == "BG344" and sz.name_bg and sz.name_en and sz.description_bg
