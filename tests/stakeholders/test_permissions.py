"""Permissions: members see the registry, only analysts and above see contact data, another
tenant gets 404 on pages and API, anonymous visitors see nothing private."""

import pytest

from tests.stakeholders.conftest import make_event

EMAIL = "ivanka.zografova@example.bg"


@pytest.mark.django_db
def test_viewers_see_the_registry_without_contact_data(world, login, bearer, registry):
    viewer = login(world.dave)
    s = registry["ivanka"]
    for url in (
        "/en/o/alpha/engage/stakeholders/",
        f"/en/o/alpha/engage/stakeholders/{s.pk}/",
        "/en/o/alpha/engage/stakeholders/export.csv",
    ):
        response = viewer.get(url)
        assert response.status_code == 200
        body = response.content.decode("utf-8", "replace")
        assert "Иванка" in body and EMAIL not in body and "600 001" not in body
    api = viewer.get("/api/v1/organisations/alpha/stakeholders", headers=bearer(world.dave)).json()
    assert api["count"] == 3 and {i["contacts"] for i in api["items"]} == {None}
    analyst = login(world.carol)
    assert EMAIL in analyst.get(f"/en/o/alpha/engage/stakeholders/{s.pk}/").content.decode()
    items = analyst.get(
        "/api/v1/organisations/alpha/stakeholders", headers=bearer(world.carol)
    ).json()["items"]
    assert next(i for i in items if i["id"] == s.pk)["contacts"]["email"] == EMAIL
    # Search by e-mail only for those who may see it.
    assert (
        "Иванка" not in viewer.get("/en/o/alpha/engage/stakeholders/?q=zografova@").content.decode()
    )
    assert "Иванка" in analyst.get("/en/o/alpha/engage/stakeholders/?q=zografova@").content.decode()


@pytest.mark.django_db
def test_viewers_cannot_read_interviews_or_change_anything(world, login, registry, coded):
    viewer = login(world.dave)
    interview = coded["interviews"][0]
    assert viewer.get(f"/en/o/alpha/engage/interviews/{interview.pk}/").status_code == 403
    assert viewer.get("/en/o/alpha/engage/interviews/").status_code == 403
    assert viewer.get("/en/o/alpha/engage/stakeholders/new/").status_code == 403
    assert (
        viewer.post(f"/en/o/alpha/engage/stakeholders/{registry['ivanka'].pk}/erase/").status_code
        == 403
    )
    assert viewer.get("/en/o/alpha/engage/events/new/").status_code == 403


@pytest.mark.django_db
def test_another_tenant_gets_404_everywhere(world, login, bearer, registry, coded):
    event = make_event(world.alpha, is_public=False)
    s, interview, code = registry["ivanka"], coded["interviews"][0], coded["broadband"]
    pages = [
        "/en/o/alpha/engage/stakeholders/",
        f"/en/o/alpha/engage/stakeholders/{s.pk}/",
        "/en/o/alpha/engage/stakeholders/export.xlsx",
        "/en/o/alpha/engage/interviews/",
        f"/en/o/alpha/engage/interviews/{interview.pk}/",
        "/en/o/alpha/engage/findings/",
        f"/en/o/alpha/engage/findings/code/{code.pk}/",
        "/en/o/alpha/engage/codebook/",
        "/en/o/alpha/engage/guides/",
        "/en/o/alpha/engage/events/",
        f"/en/o/alpha/engage/events/{event.pk}/",
        f"/en/events/{event.pk}/",
    ]
    for client in (login(world.charlie), login(world.eve)):
        for url in pages:
            assert client.get(url).status_code == 404, url
    # Beta's own URLs cannot reach alpha's objects either.
    beta = login(world.charlie)
    assert beta.get(f"/en/o/beta/engage/stakeholders/{s.pk}/").status_code == 404
    assert beta.get(f"/en/o/beta/engage/interviews/{interview.pk}/").status_code == 404
    headers = bearer(world.charlie)
    for url in (
        "/api/v1/organisations/alpha/stakeholders",
        f"/api/v1/organisations/alpha/stakeholders/{s.pk}",
        "/api/v1/organisations/alpha/findings",
        "/api/v1/organisations/alpha/codes",
        "/api/v1/organisations/alpha/interviews",
        f"/api/v1/events/{event.pk}/registrations",
    ):
        response = beta.get(url, headers=headers)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"
    assert (
        beta.get(f"/api/v1/organisations/beta/stakeholders/{s.pk}", headers=headers).status_code
        == 404
    )


@pytest.mark.django_db
def test_anonymous_visitors_see_only_public_events(world, client, registry):
    public = make_event(world.alpha)
    assert client.get("/en/o/alpha/engage/stakeholders/").status_code == 404
    assert client.get("/api/v1/organisations/alpha/stakeholders").status_code == 401
    assert client.get(f"/en/events/{public.pk}/").status_code == 200
    gamma_event = make_event(world.gamma)
    make_event(world.gamma, is_public=False)
    items = client.get("/api/v1/organisations/gamma/events").json()["items"]
    assert [i["id"] for i in items] == [gamma_event.pk]
