"""Who may list, request, download and publish reports, on pages and in the API. Any member
downloads; analysts and above request; editors and above publish; another tenant gets 404."""

import pytest

from zora.reports.models import Report
from zora.reports.services import report_request, report_set_public


@pytest.fixture
def report(world, campaign, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return report_request(
        organisation=world.alpha,
        user=world.carol,
        kind="assessment",
        params={"campaign": campaign.pk},
        language="en",
        format="html",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["owner", "editor", "analyst", "viewer"])
def test_members_download_the_file(world, login, report, role):
    response = login(world.by_role(role)).get(f"/en/o/alpha/report/{report.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "attachment" in response["Content-Disposition"]
    assert b"Alpha T0" in b"".join(response.streaming_content)


@pytest.mark.django_db
@pytest.mark.parametrize("outsider", ["charlie", "eve"])
def test_another_tenant_gets_404_everywhere(world, login, bearer, client, report, outsider):
    user = getattr(world, outsider)
    browser = login(user)
    for url in [
        f"/en/o/alpha/report/{report.pk}/download/",
        f"/en/o/alpha/report/{report.pk}/",
        "/en/o/alpha/report/",
        f"/en/reports/alpha/{report.pk}/download/",
    ]:
        assert browser.get(url).status_code == 404, url
    # Another organisation's slug in the address does not reach alpha's report either.
    if outsider == "charlie":
        assert browser.get(f"/en/o/beta/report/{report.pk}/download/").status_code == 404
    headers = bearer(user)
    for url in [f"/api/v1/reports/{report.pk}", f"/api/v1/reports/{report.pk}/file"]:
        response = client.get(url, headers=headers)
        assert response.status_code == 404 and response.json()["code"] == "not_found", url


@pytest.mark.django_db
def test_roles_on_pages(world, login, campaign, report):
    data = {"language": "en", "format": "html", "campaign": campaign.pk, "action": "generate"}
    assert login(world.dave).get("/en/o/alpha/report/new/assessment/").status_code == 403
    assert login(world.dave).post("/en/o/alpha/report/new/assessment/", data).status_code == 403
    response = login(world.carol).post("/en/o/alpha/report/new/assessment/", data)
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    assert Report.objects.count() == 2
    assert (
        login(world.carol)
        .post(f"/en/o/alpha/report/{report.pk}/publish/", {"public": "1"})
        .status_code
        == 403
    )
    assert (
        login(world.bob)
        .post(f"/en/o/alpha/report/{report.pk}/publish/", {"public": "1"})
        .status_code
        == 302
    )
    report.refresh_from_db()
    assert report.is_public
    assert login(world.dave).post(f"/en/o/alpha/report/{report.pk}/delete/").status_code == 403


@pytest.mark.django_db
def test_anonymous_visitors_log_in_or_see_only_published_reports(world, client, report):
    response = client.get(f"/en/o/alpha/report/{report.pk}/download/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    # alpha is private: its public reports page does not exist for strangers.
    report_set_public(report=report, is_public=True)
    assert client.get("/en/reports/alpha/").status_code == 404
    world.alpha.is_public = True
    world.alpha.save(update_fields=["is_public"])
    page = client.get("/en/reports/alpha/")
    assert page.status_code == 200 and "Assessment report: Alpha T0" in page.content.decode()
    assert client.get(f"/en/reports/alpha/{report.pk}/download/").status_code == 200
    assert client.get(f"/api/v1/reports/{report.pk}/file").status_code == 200
    report_set_public(report=report, is_public=False)
    assert client.get(f"/en/reports/alpha/{report.pk}/download/").status_code == 404
    assert client.get(f"/api/v1/reports/{report.pk}/file").status_code == 404


@pytest.mark.django_db
def test_api_request_poll_download_list(world, client, bearer, campaign, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    headers = bearer(world.carol)
    response = client.post(
        "/api/v1/organisations/alpha/reports",
        {"kind": "assessment", "campaign": campaign.pk, "language": "bg", "format": "docx"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["kind"] == "assessment" and body["params"] == {"campaign": campaign.pk}
    status = client.get(f"/api/v1/reports/{body['id']}", headers=headers).json()
    assert status["status"] == "done" and status["progress"] == 100 and status["error"] == ""
    assert status["download_url"] == f"/api/v1/reports/{body['id']}/file"
    file = client.get(status["download_url"], headers=headers)
    assert file.status_code == 200
    assert file["Content-Type"].startswith("application/vnd.openxmlformats")
    listing = client.get("/api/v1/organisations/alpha/reports", headers=headers).json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == body["id"]
    kinds = client.get("/api/v1/report-kinds", headers=headers).json()
    assert {k["code"] for k in kinds} >= {"assessment", "benchmark"}


@pytest.mark.django_db
def test_api_errors(world, client, bearer, campaign):
    viewer = bearer(world.dave)
    payload = {"kind": "assessment", "campaign": campaign.pk}
    url = "/api/v1/organisations/alpha/reports"
    assert client.post(url, payload, content_type="application/json").status_code == 401
    denied = client.post(url, payload, content_type="application/json", headers=viewer)
    assert denied.status_code == 403 and denied.json()["code"] == "permission_denied"
    bad = client.post(
        url,
        {"kind": "assessment", "campaign": 999999},
        content_type="application/json",
        headers=bearer(world.alice),
    )
    assert bad.status_code == 422 and bad.json()["code"] == "invalid"
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_api_retry_of_a_failed_report(world, client, bearer, campaign, settings, tmp_path):
    from zora.assessments.models import Response
    from zora.core.jobs import run_job_now

    settings.MEDIA_ROOT = tmp_path
    report = report_request(
        organisation=world.alpha,
        user=world.alice,
        kind="assessment",
        params={"campaign": campaign.pk},
        language="en",
        format="html",
        enqueue=False,
    )
    Response.objects.filter(campaign=campaign).update(status="draft")
    run_job_now(report.job)
    headers = bearer(world.alice)
    failed = client.get(f"/api/v1/reports/{report.pk}", headers=headers).json()
    assert failed["status"] == "failed" and failed["error"]
    assert client.get(f"/api/v1/reports/{report.pk}/file", headers=headers).status_code == 409
    Response.objects.filter(campaign=campaign).update(status="submitted")
    retried = client.post(f"/api/v1/reports/{report.pk}/retry", headers=headers)
    assert retried.status_code == 202 and retried.json()["status"] == "done"
    again = client.post(f"/api/v1/reports/{report.pk}/retry", headers=headers)
    assert again.status_code == 409
