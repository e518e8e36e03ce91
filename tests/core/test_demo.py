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
    companies = {
        "zagora-agrotech",
        "trakia-metal",
        "beroe-soft",
        "vitosha-logistics",
        "thessaloniki-foods",
    }
    assert (
        set(
            Organisation.objects.filter(kind="company", slug__in=companies).values_list(
                "slug", flat=True
            )
        )
        == companies
    )
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


@pytest.mark.django_db
def test_demo_assessments():
    from zora.assessments.models import Campaign, Response

    call_command("demo")
    call_command("demo")  # idempotent
    t0 = Campaign.objects.get(organisation__slug="zagore", stage="T0")
    t1 = Campaign.objects.get(organisation__slug="zagore", stage="T1")
    assert (
        t0.subjects.count() == 40
        and Response.objects.filter(campaign=t0, status="submitted").count() == 40
    )
    assert (
        t1.subjects.count() == 15
        and Response.objects.filter(campaign=t1, status="submitted").count() == 15
    )
    # Every T1 company improved on its T0 score.
    for response in Response.objects.filter(campaign=t1):
        before = Response.objects.get(
            campaign=t0, subject__organisation=response.subject.organisation
        )
        assert response.overall > before.overall
    city = Campaign.objects.get(organisation__slug="stara-zagora")
    assert city.framework.code == "city-digital-maturity" and city.anonymous
    assert Response.objects.filter(campaign=city, status="submitted").count() == 30


@pytest.mark.django_db
def test_demo_benchmark():
    from zora.indicators.models import ImportBatch, Observation, Region
    from zora.indicators.selectors import compare, indicator_list

    call_command("demo")
    batches = ImportBatch.objects.count()
    call_command("demo")
    assert ImportBatch.objects.count() == batches == 6
    assert Region.objects.get(code="BG344").name_bg == "Стара Загора"
    assert Region.objects.get(code="SZR31").parent.code == "BG344"
    assert Region.objects.filter(level=4).count() == 265
    internet = indicator_list().get(code="hh_internet_access")
    for code, parent in [("BG344", "BG34"), ("BG411", "BG41")]:
        c = compare(
            indicator=internet,
            region=Region.objects.get(code=code),
            peer_codes=["BG34", "BG41", "BG42"],
        )
        assert c.effective_region.code == parent and c.value is not None and c.n >= 2
    # The shipped household surveys have no Greek regions; Thessaloniki compares on the others.
    thessaloniki = Region.objects.get(code="EL522")
    area = compare(
        indicator=indicator_list().get(code="area_total"), region=thessaloniki, peer_codes=["BG344"]
    )
    assert area.effective_region.code == "EL522" and area.value is not None and area.n == 2
    egov = compare(
        indicator=indicator_list().get(code="egov_benchmark_overall"),
        region=thessaloniki,
        peer_codes=["BG", "RO"],
    )
    assert egov.effective_region.code == "EL" and egov.value is not None and egov.eu is not None
    assert Observation.objects.filter(dataset="ISOC_R_IACC_H", region_code="BG34").count() >= 15
