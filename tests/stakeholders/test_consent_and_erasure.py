"""Consent and erasure: no contact data without consent; an erased stakeholder's personal data
is gone from every table of the database, the pages, the API, the exports and the search, while
their coded findings stay, anonymised."""

import pytest
from django.apps import apps
from django.db import models

from tests.stakeholders.conftest import make_event
from zora.stakeholders import selectors, services
from zora.stakeholders.models import Finding, Registration, Stakeholder

NAME = "Иванка Зографова-Тест"
EMAIL = "ivanka.zografova@example.bg"
PHONE = "+359 42 600 001"


def _rows_mentioning(text: str) -> list[str]:
    """Every row of every table (history tables included) with `text` in a text column."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField, models.JSONField))
        ]
        if not fields:
            continue
        query = models.Q()
        for name in fields:
            query |= models.Q(**{f"{name}__icontains": text})
        if model._default_manager.filter(query).exists():
            found.append(model._meta.db_table)
    return found


@pytest.mark.django_db
def test_without_consent_no_contact_data_is_shown(world, login, bearer, registry):
    telco = registry["telco"]
    page = login(world.alice).get(f"/en/o/alpha/engage/stakeholders/{telco.pk}/").content.decode()
    assert "office@telecom-alfa.example" not in page and "111 222" not in page
    listing = login(world.alice).get("/en/o/alpha/engage/stakeholders/").content.decode()
    assert "office@telecom-alfa.example" not in listing
    assert EMAIL in listing  # Ivanka consented
    api = login(world.alice).get(
        f"/api/v1/organisations/alpha/stakeholders/{telco.pk}", headers=bearer(world.alice)
    )
    assert api.json()["contacts"] is None
    export = login(world.alice).get("/en/o/alpha/engage/stakeholders/export.csv").content.decode()
    assert "office@telecom-alfa.example" not in export and EMAIL in export


@pytest.mark.django_db
def test_erasure_leaves_no_trace_in_the_database(world, login, registry, coded):
    ivanka = registry["ivanka"]
    event = make_event(world.alpha)
    services.registration_create(event=event, name=NAME, email=EMAIL, consent=True)
    assert _rows_mentioning(NAME)  # the check finds the data before erasure
    response = login(world.bob).post(f"/en/o/alpha/engage/stakeholders/{ivanka.pk}/erase/")
    assert response.status_code == 302
    for text in (NAME, EMAIL, PHONE, "Зографова"):
        assert _rows_mentioning(text) == [], text
    ivanka.refresh_from_db()
    assert ivanka.name == f"Erased stakeholder #{ivanka.pk}" and ivanka.is_erased
    assert ivanka.consent_on is None and not ivanka.tags.exists() and ivanka.notes == ""
    assert ivanka.type == "public_administration"  # kept for the counts by type
    registration = Registration.objects.get(event=event)
    assert registration.email == "" and registration.name.startswith("Erased participant #")


@pytest.mark.django_db
def test_erased_findings_remain_anonymised(world, login, bearer, registry, coded):
    ivanka = registry["ivanka"]
    services.stakeholder_erase(stakeholder=ivanka)
    findings = Finding.objects.filter(interview__stakeholder=ivanka)
    assert findings.count() == 2
    rows = {r["code_id"]: r for r in selectors.code_frequencies(organisation=world.alpha)}
    assert rows[coded["broadband"].pk]["count"] == 2
    assert rows[coded["broadband"].pk]["by_type"] == {"public_administration": 2}
    evidence = [
        e for e in selectors.evidence_for(organisation=world.alpha) if e["kind"] == "finding"
    ]
    assert len(evidence) == 3 and not any(NAME in str(e) for e in evidence)
    api = (
        login(world.carol)
        .get("/api/v1/organisations/alpha/findings?code=Broadband", headers=bearer(world.carol))
        .json()
    )
    assert api["count"] == 2 and api["by_type"] == {"public_administration": 2}
    assert {i["stakeholder"]["name"] for i in api["items"]} == {None}
    assert all(i["stakeholder"]["erased"] for i in api["items"])
    page = login(world.carol).get(f"/en/o/alpha/engage/findings/code/{coded['broadband'].pk}/")
    assert "добра оптика в града" in page.content.decode()
    assert f"Erased stakeholder #{ivanka.pk}" in page.content.decode()


@pytest.mark.django_db
def test_an_erased_stakeholder_is_not_found_anywhere(world, login, bearer, registry):
    ivanka = registry["ivanka"]
    services.stakeholder_erase(stakeholder=ivanka)
    client = login(world.alice)
    assert client.get(f"/en/o/alpha/engage/stakeholders/{ivanka.pk}/").status_code == 404
    for url in ("/en/o/alpha/engage/stakeholders/", "/en/o/alpha/engage/stakeholders/?q=Erased"):
        assert f"/stakeholders/{ivanka.pk}/" not in client.get(url).content.decode()
    for fmt in ("csv", "xlsx"):
        export = client.get(f"/en/o/alpha/engage/stakeholders/export.{fmt}").content
        assert f"zora-{ivanka.pk}".encode() not in export
    headers = bearer(world.alice)
    items = client.get("/api/v1/organisations/alpha/stakeholders", headers=headers).json()["items"]
    assert ivanka.pk not in [i["id"] for i in items]
    detail = client.get(f"/api/v1/organisations/alpha/stakeholders/{ivanka.pk}", headers=headers)
    assert detail.status_code == 404
    assert not selectors.stakeholder_list(organisation=world.alpha, q="Зографова").exists()


@pytest.mark.django_db
def test_erasure_through_the_api_needs_an_editor(world, login, bearer, registry):
    ivanka = registry["ivanka"]
    url = f"/api/v1/organisations/alpha/stakeholders/{ivanka.pk}/erase"
    assert login(world.carol).post(url, headers=bearer(world.carol)).status_code == 403
    assert login(world.charlie).post(url, headers=bearer(world.charlie)).status_code == 404
    assert login(world.bob).post(url, headers=bearer(world.bob)).status_code == 204
    assert Stakeholder.objects.get(pk=ivanka.pk).is_erased
