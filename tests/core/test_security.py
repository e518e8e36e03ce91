import json
import logging

import pytest


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get("/en/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_no_inline_scripts_in_pages(world, login):
    client = login(world.alice)
    for url in ["/en/", "/bg/o/alpha/dashboard/", "/bg/o/alpha/members/", "/en/accounts/tokens/"]:
        html = client.get(url).content.decode()
        for tag in html.split("<script")[1:]:
            assert "src=" in tag.split(">", 1)[0], f"inline script on {url}"
        assert " style=" not in html, f"inline style on {url}"


@pytest.mark.django_db
def test_forms_carry_csrf_tokens(world, login):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.alice, backend="django.contrib.auth.backends.ModelBackend")
    response = strict.post("/en/o/alpha/members/", {"email": "x@example.org", "role": "viewer"})
    assert response.status_code == 403
    html = login(world.alice).get("/en/o/alpha/members/").content.decode()
    assert html.count('name="csrfmiddlewaretoken"') >= html.count('method="post"')


@pytest.mark.django_db
def test_request_id_is_returned_and_logged(client, caplog):
    caplog.set_level(logging.INFO, logger="zora.request")
    response = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert response["X-Request-ID"] == "abc-123"
    record = next(r for r in caplog.records if r.name == "zora.request")
    assert record.status == 200 and record.path == "/healthz"
    from zora.core.logging import JsonFormatter, RequestIdFilter

    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["path"] == "/healthz" and line["status"] == 200 and "duration_ms" in line
    # A generated id when none (or a malformed one) is sent.
    other = client.get("/healthz", headers={"X-Request-ID": "bad id with spaces"})
    assert other["X-Request-ID"] != "bad id with spaces" and len(other["X-Request-ID"]) == 32
