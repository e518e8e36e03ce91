"""Editors edit, viewers view, the public sees only adopted strategies of public organisations,
other tenants get 404 — on pages and in the API."""

from datetime import date

import pytest

from tests.strategy.conftest import make_strategy
from zora.strategy import services
from zora.strategy.models import Action, Strategy


@pytest.mark.django_db
def test_editor_creates_and_edits_viewer_only_views(world, login):
    editor, viewer = login(world.bob), login(world.dave)
    data = {
        "title_en": "Plan",
        "starts_on": "2025-01-01",
        "ends_on": "2030-12-31",
        "with_defaults": "on",
    }
    assert viewer.post("/en/o/alpha/plan/", data).status_code == 403
    response = editor.post("/en/o/alpha/plan/", data)
    assert response.status_code == 302
    strategy = Strategy.objects.get(title_en="Plan")
    assert strategy.priorities.count() == 5  # the default priority areas
    assert viewer.get(f"/en/o/alpha/plan/{strategy.pk}/").status_code == 200
    assert viewer.get(f"/en/o/alpha/plan/{strategy.pk}/edit/").status_code == 403
    assert viewer.get(f"/en/o/alpha/plan/{strategy.pk}/actions/new/").status_code == 403
    objective = services.objective_save(
        strategy=strategy, priority=strategy.priorities.first(), title_en="O"
    )
    form = {
        "what": "save",
        "objective": objective.pk,
        "title_en": "Act",
        "weight": "1",
        "currency": "EUR",
    }
    assert viewer.post(f"/en/o/alpha/plan/{strategy.pk}/actions/new/", form).status_code == 403
    assert editor.post(f"/en/o/alpha/plan/{strategy.pk}/actions/new/", form).status_code == 302
    assert Action.objects.filter(strategy=strategy, title_en="Act").exists()


@pytest.mark.django_db
def test_other_tenants_and_anonymous_get_404_or_login(world, login, client):
    strategy = make_strategy(world.alpha)
    outsider = login(world.charlie)
    for path in ("", "swot/", "roadmap/", "history/", "vision/", "kpis/"):
        assert outsider.get(f"/en/o/alpha/plan/{strategy.pk}/{path}").status_code == 404
    assert client.get(f"/en/o/alpha/plan/{strategy.pk}/").status_code == 302  # log in first


@pytest.mark.django_db
def test_public_page_only_for_adopted_strategies_of_public_organisations(world, login, client):
    draft = make_strategy(world.gamma)
    assert client.get(f"/en/strategies/{draft.pk}/").status_code == 404
    services.strategy_update(strategy=draft, status="adopted")
    assert client.get(f"/en/strategies/{draft.pk}/").status_code == 200
    assert draft.title_en in client.get("/en/strategies/").content.decode()
    private = make_strategy(world.alpha)
    services.strategy_update(strategy=private, status="adopted")
    assert client.get(f"/en/strategies/{private.pk}/").status_code == 404  # alpha is private
    assert login(world.charlie).get(f"/en/strategies/{private.pk}/").status_code == 404
    assert login(world.dave).get(f"/en/strategies/{private.pk}/").status_code == 200  # preview


@pytest.mark.django_db
def test_api_list_is_paginated_and_filtered_by_visibility(world, client, bearer):
    adopted = make_strategy(world.gamma, title_en="Adopted one")
    services.strategy_update(strategy=adopted, status="adopted")
    make_strategy(world.gamma, title_en="Draft one")
    body = client.get("/api/v1/organisations/gamma/strategies").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert {"id", "title", "status", "progress"} <= set(item)
    assert (item["title"], item["status"]) == ("Adopted one", "adopted")
    assert client.get("/api/v1/organisations/alpha/strategies").status_code == 404
    make_strategy(world.alpha)
    member = client.get("/api/v1/organisations/alpha/strategies", headers=bearer(world.dave)).json()
    assert member["count"] == 1
    other = client.get("/api/v1/organisations/alpha/strategies", headers=bearer(world.charlie))
    assert other.status_code == 404


@pytest.mark.django_db
def test_api_tree_and_writes(world, client, bearer, strategy, tree):
    services.action_save(strategy=strategy, action=tree["A1"], progress=40)
    nodes = client.get(f"/api/v1/strategies/{strategy.pk}/tree", headers=bearer(world.dave)).json()
    assert [n["title"] for n in nodes] == ["Business", "Society"]
    first = nodes[0]
    assert set(first) >= {"id", "title", "weight", "progress", "status", "children"}
    assert first["children"][0]["children"][0]["title"] == "Vouchers"
    assert first["children"][0]["children"][0]["progress"] == 40
    assert client.get(f"/api/v1/strategies/{strategy.pk}/tree").status_code == 404
    assert (
        client.get(
            f"/api/v1/strategies/{strategy.pk}/tree", headers=bearer(world.charlie)
        ).status_code
        == 404
    )

    payload = {
        "objective": tree["o21"].pk,
        "title_en": "API action",
        "starts_on": "2025-01-01",
        "ends_on": "2025-12-31",
        "budget": "1000",
        "funding": {"erdf": "600"},
    }
    url = f"/api/v1/strategies/{strategy.pk}/actions"
    assert (
        client.post(
            url, payload, content_type="application/json", headers=bearer(world.dave)
        ).status_code
        == 403
    )
    created = client.post(url, payload, content_type="application/json", headers=bearer(world.bob))
    assert created.status_code == 201, created.content
    action = created.json()
    assert action["funding"] == [{"source": "erdf", "amount": "600.00"}]
    patched = client.patch(
        f"/api/v1/actions/{action['id']}",
        {"progress": 60},
        content_type="application/json",
        headers=bearer(world.bob),
    )
    assert patched.json()["progress"] == 60
    stone = client.post(
        f"/api/v1/actions/{action['id']}/milestones",
        {"title_en": "Half way", "due_on": "2025-06-30"},
        content_type="application/json",
        headers=bearer(world.bob),
    )
    assert stone.status_code == 201
    listed = client.get(
        f"/api/v1/strategies/{strategy.pk}/milestones", headers=bearer(world.dave)
    ).json()
    assert listed["items"][0]["title"] == "Half way"
    kpi = services.kpi_save(
        strategy=strategy,
        objective=tree["o21"],
        name_en="Clubs",
        baseline_value=0,
        baseline_on=date(2025, 1, 1),
        target_value=10,
        target_on=date(2027, 1, 1),
    )
    measured = client.post(
        f"/api/v1/kpis/{kpi.pk}/measurements",
        {"value": 5, "measured_on": "2026-01-01"},
        content_type="application/json",
        headers=bearer(world.bob),
    )
    assert measured.status_code == 201
    assert measured.json()["status"] == "on_track"
    kpis = client.get(f"/api/v1/strategies/{strategy.pk}/kpis", headers=bearer(world.dave)).json()
    assert kpis["items"][0]["measurements"][0]["value"] == 5
    swot = client.get(f"/api/v1/strategies/{strategy.pk}/swot", headers=bearer(world.dave)).json()
    assert set(swot) == {"strength", "weakness", "opportunity", "threat"}


@pytest.mark.django_db
def test_api_reads_are_constant_in_queries(
    world, client, bearer, strategy, tree, django_assert_max_num_queries
):
    headers = bearer(world.dave)
    for n in range(20):
        services.action_save(strategy=strategy, objective=tree["o11"], title_en=f"Extra {n}")
    with django_assert_max_num_queries(20):
        assert (
            client.get(f"/api/v1/strategies/{strategy.pk}/tree", headers=headers).status_code == 200
        )
    with django_assert_max_num_queries(20):
        assert (
            client.get(f"/api/v1/strategies/{strategy.pk}/actions", headers=headers).status_code
            == 200
        )
