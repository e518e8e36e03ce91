import pytest

from tests.assessments.answers import maximal, minimal
from zora.assessments.framework import FRAMEWORKS_DIR, parse_framework_file

SME = parse_framework_file(FRAMEWORKS_DIR / "edih-dma-sme-v1.yaml")


def post(client, url, data, headers):
    return client.post(url, data, content_type="application/json", headers=headers)


@pytest.mark.django_db
def test_campaign_lifecycle_through_the_api(frameworks, world, client, bearer):
    editor = bearer(world.bob)
    created = post(
        client,
        "/api/v1/organisations/alpha/campaigns",
        {
            "framework": "edih-dma-sme",
            "stage": "T0",
            "name_en": "API wave",
            "subjects": ["gamma"],
            "new_subjects": ["Api Client"],
        },
        editor,
    )
    assert created.status_code == 201, created.content
    campaign = created.json()
    assert campaign["framework"] == "edih-dma-sme" and campaign["version"] == 1
    assert "gamma" in campaign["subjects"] and len(campaign["subjects"]) == 2
    cid = campaign["id"]

    link = post(
        client, f"/api/v1/campaigns/{cid}/respondents", {"subject": "gamma", "name": "R"}, editor
    )
    assert link.status_code == 201 and "/assess/i/" in link.json()["url"]

    answers = {**maximal(SME), "organisation_name": "Gamma"}
    response = post(
        client,
        f"/api/v1/campaigns/{cid}/responses",
        {"subject": "gamma", "answers": answers},
        editor,
    )
    assert response.status_code == 201
    assert response.json()["overall"] == 100.0 and response.json()["level"] == "advanced"
    other = post(
        client,
        f"/api/v1/campaigns/{cid}/responses",
        {"subject": "gamma", "answers": {**minimal(SME), "organisation_name": "G"}},
        editor,
    )
    assert other.json()["overall"] == 0.0

    bad = post(
        client,
        f"/api/v1/campaigns/{cid}/responses",
        {"subject": "gamma", "answers": {"q1": 5}},
        editor,
    )
    assert bad.status_code == 422 and {e["question"] for e in bad.json()["errors"]} >= {"q1", "q2"}

    draft = post(
        client,
        f"/api/v1/campaigns/{cid}/responses",
        {"subject": "gamma", "answers": {"q2": []}, "submit": False},
        editor,
    )
    assert draft.status_code == 201 and draft.json()["status"] == "draft"
    submit = client.post(f"/api/v1/responses/{draft.json()['id']}/submit", headers=editor)
    assert submit.status_code == 422  # still missing answers

    viewer = bearer(world.dave)
    listed = client.get(f"/api/v1/campaigns/{cid}/responses", headers=viewer).json()
    assert listed["count"] == 3
    results = client.get(f"/api/v1/campaigns/{cid}/results", headers=viewer).json()
    assert results["n"] == 2 and results["overall"]["median"] == 50.0
    assert [d["code"] for d in results["dimensions"]] == [d.code for d in SME.dimensions]
    campaigns = client.get("/api/v1/organisations/alpha/campaigns", headers=viewer).json()
    assert campaigns["count"] == 1

    comparison = client.get(
        "/api/v1/organisations/alpha/assessed/gamma/comparison", headers=viewer
    ).json()
    assert comparison["stages"][0]["stage"] == "T0" and comparison["stages"][0]["overall"] == 50.0

    assert (
        client.get(f"/api/v1/campaigns/{cid}/export?format=csv", headers=viewer).status_code == 403
    )
    export = client.get(f"/api/v1/campaigns/{cid}/export?format=edih", headers=bearer(world.carol))
    assert export.status_code == 200 and b"gamma" in b"".join(export.streaming_content)


@pytest.mark.django_db
def test_campaign_api_permissions(frameworks, world, client, bearer):
    created = post(
        client,
        "/api/v1/organisations/alpha/campaigns",
        {"framework": "edih-dma-sme", "stage": "T0"},
        bearer(world.alice),
    ).json()
    cid = created["id"]
    assert created["subjects"] == ["alpha"]
    viewer = bearer(world.dave)
    assert (
        post(
            client,
            "/api/v1/organisations/alpha/campaigns",
            {"framework": "edih-dma-sme", "stage": "T1"},
            viewer,
        ).status_code
        == 403
    )
    assert (
        post(
            client,
            f"/api/v1/campaigns/{cid}/responses",
            {"subject": "alpha", "answers": {}},
            viewer,
        ).status_code
        == 403
    )
    for outsider in (world.charlie, world.eve):
        headers = bearer(outsider)
        for url in [
            f"/api/v1/campaigns/{cid}",
            f"/api/v1/campaigns/{cid}/responses",
            f"/api/v1/campaigns/{cid}/results",
            f"/api/v1/campaigns/{cid}/export",
            "/api/v1/organisations/alpha/campaigns",
            "/api/v1/organisations/alpha/assessed/alpha/comparison",
        ]:
            assert client.get(url, headers=headers).status_code == 404, url
        assert (
            post(
                client, f"/api/v1/campaigns/{cid}/respondents", {"subject": "alpha"}, headers
            ).status_code
            == 404
        )
    # Private organisations of another tenant cannot be made subjects.
    response = post(
        client,
        "/api/v1/organisations/alpha/campaigns",
        {"framework": "edih-dma-sme", "stage": "T0", "subjects": ["beta"]},
        bearer(world.alice),
    )
    assert response.status_code == 422 and "beta" in response.json()["detail"]
    assert client.get(f"/api/v1/campaigns/{cid}").status_code == 401
