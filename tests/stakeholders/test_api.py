"""The API: findings with counts by type (documented in OpenAPI), stakeholders, interviews and
events."""

import pytest

from tests.stakeholders.conftest import make_event


@pytest.mark.django_db
def test_findings_by_code_with_counts_by_type(world, login, bearer, coded):
    client, headers = login(world.dave), bearer(world.dave)
    everything = client.get("/api/v1/organisations/alpha/findings", headers=headers).json()
    assert everything["count"] == 3
    assert everything["by_type"] == {"public_administration": 2, "education": 1}
    by_id = client.get(
        f"/api/v1/organisations/alpha/findings?code={coded['skills'].pk}", headers=headers
    ).json()
    by_name = client.get(
        "/api/v1/organisations/alpha/findings?code=Недостиг на умения", headers=headers
    ).json()
    assert by_id == by_name
    assert by_id["count"] == 1 and by_id["by_type"] == {"education": 1}
    item = by_id["items"][0]
    assert item["excerpt"] == "Учителите нямат обучение по ИКТ"
    assert item["quadrant"] == "weakness" and item["date"] == "2025-04-05"
    assert item["stakeholder"]["type"] == "education"
    missing = client.get("/api/v1/organisations/alpha/findings?code=nothing", headers=headers)
    assert missing.status_code == 404
    codes = client.get("/api/v1/organisations/alpha/codes", headers=headers).json()
    assert [c["count"] for c in codes] == [2, 1]


@pytest.mark.django_db
def test_the_findings_endpoint_is_documented(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/organisations/{slug}/findings"]["get"]
    assert "counts" in operation["summary"]
    assert {p["name"] for p in operation["parameters"]} >= {"slug", "code", "page"}
    assert "/api/v1/organisations/{slug}/stakeholders" in schema["paths"]
    assert "/api/v1/organisations/{slug}/interviews/{interview_id}" in schema["paths"]


@pytest.mark.django_db
def test_editors_create_stakeholders_and_analysts_read_interviews(world, login, bearer, coded):
    payload = {"name": "Нова фирма", "type": "business", "email": "new@example.org", "tags": ["x"]}
    url = "/api/v1/organisations/alpha/stakeholders"
    assert (
        login(world.dave)
        .post(url, payload, content_type="application/json", headers=bearer(world.dave))
        .status_code
        == 403
    )
    created = login(world.bob).post(
        url, payload, content_type="application/json", headers=bearer(world.bob)
    )
    assert created.status_code == 201 and created.json()["tags"] == ["x"]
    invalid = login(world.bob).post(
        url,
        {**payload, "type": "alien"},
        content_type="application/json",
        headers=bearer(world.bob),
    )
    assert invalid.status_code == 422
    interview = coded["interviews"][0]
    detail = (
        login(world.carol)
        .get(f"/api/v1/organisations/alpha/interviews/{interview.pk}", headers=bearer(world.carol))
        .json()
    )
    assert len(detail["notes"]) == 2 and len(detail["findings"]) == 2
    assert (
        login(world.dave)
        .get("/api/v1/organisations/alpha/interviews", headers=bearer(world.dave))
        .status_code
        == 403
    )


@pytest.mark.django_db
def test_events_and_registration_through_the_api(world, login, bearer):
    event = make_event(world.alpha, capacity=1, strategy_step="vision")
    headers = bearer(world.dave)
    client = login(world.dave)
    items = client.get(
        "/api/v1/organisations/alpha/events?strategy_step=vision", headers=headers
    ).json()["items"]
    assert [i["id"] for i in items] == [event.pk] and items[0]["strategy_step"] == "vision"
    assert client.post(f"/api/v1/events/{event.pk}/register", headers=headers).status_code == 201
    full = login(world.eve).post(f"/api/v1/events/{event.pk}/register", headers=bearer(world.eve))
    assert full.status_code == 409 and full.json()["code"] == "refused"
    assert (
        client.get(f"/api/v1/events/{event.pk}/registrations", headers=headers).status_code == 403
    )
    regs = (
        login(world.carol)
        .get(f"/api/v1/events/{event.pk}/registrations", headers=bearer(world.carol))
        .json()
    )
    assert regs["count"] == 1 and regs["items"][0]["email"] == "dave@example.org"
