import pytest
from openapi_spec_validator import validate


@pytest.mark.django_db
def test_openapi_document_is_valid(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    validate(spec)
    paths = spec["paths"]
    for path in [
        "/api/v1/me",
        "/api/v1/organisations",
        "/api/v1/organisations/{slug}",
        "/api/v1/organisations/{slug}/members",
    ]:
        assert path in paths, path


@pytest.mark.django_db
def test_docs_page_uses_no_cdn(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn." not in html and "unpkg" not in html and "jsdelivr" not in html


@pytest.mark.django_db
def test_lists_are_paginated_with_count_and_items(world, client):
    from tests.factories import OrganisationFactory

    OrganisationFactory.create_batch(60)
    body = client.get("/api/v1/organisations").json()
    assert body["count"] == 61 and len(body["items"]) == 50
    assert len(client.get("/api/v1/organisations?page=2").json()["items"]) == 11


@pytest.mark.django_db
def test_api_errors_follow_accept_language(client):
    assert client.get("/api/v1/organisations/nope").json()["detail"] == "Not found."
    bg = client.get("/api/v1/organisations/nope", headers={"Accept-Language": "bg"}).json()
    assert bg["code"] == "not_found" and bg["detail"] != "Not found."
