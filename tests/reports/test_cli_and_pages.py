"""`zora report`, the pages in both languages, and the list's queries."""

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from zora.reports.models import Report
from zora.reports.services import report_request


@pytest.mark.django_db
def test_the_cli_writes_the_report(world, campaign, tmp_path, settings, capsys):
    settings.MEDIA_ROOT = tmp_path / "media"
    out = tmp_path / "report.docx"
    call_command(
        "report",
        "assessment",
        "--org",
        "alpha",
        "--campaign",
        str(campaign.pk),
        "--lang",
        "en",
        "--format",
        "docx",
        "--out",
        str(out),
    )
    doc = Document(str(out))
    assert doc.paragraphs and any(p.style.name == "Heading 1" for p in doc.paragraphs)
    report = Report.objects.get()
    assert report.requested_by is None and report.status == "done"
    err = capsys.readouterr().err
    assert "100%" in err and str(out) in err
    with pytest.raises(CommandError, match="No such campaign"):
        call_command(
            "report",
            "assessment",
            "--org",
            "alpha",
            "--campaign",
            "999",
            "--lang",
            "en",
            "--format",
            "pdf",
            "--out",
            str(out),
        )


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["bg", "en"])
def test_pages_in_both_languages(world, login, campaign, benchmark_data, language):
    client = login(world.alice)
    report = report_request(
        organisation=world.alpha,
        user=world.alice,
        kind="benchmark",
        params={},
        language=language,
        format="html",
    )
    for url in [
        "/o/alpha/report/",
        "/o/alpha/report/new/assessment/",
        f"/o/alpha/report/new/assessment/?campaign={campaign.pk}",
        "/o/alpha/report/new/benchmark/",
        "/o/alpha/report/new/strategy/",
        "/o/alpha/report/new/progress/",
        "/o/alpha/report/layout/strategy/",
        "/o/alpha/report/layout/assessment/",
        "/o/alpha/report/layout/benchmark/",
        "/o/alpha/report/branding/",
        f"/o/alpha/report/{report.pk}/",
        f"/o/alpha/report/preview/assessment/?campaign={campaign.pk}&language={language}",
        "/o/alpha/report/preview/benchmark/?region=BG344",
    ]:
        response = client.get(f"/{language}{url}")
        assert response.status_code == 200, url
        assert f'<html lang="{language}">' in response.content.decode()
    preview = client.get(
        f"/{language}/o/alpha/report/preview/benchmark/?region=BG344"
    ).content.decode()
    assert "BG344" in preview
    assert "<svg" in preview
    assert "<style" not in preview


@pytest.mark.django_db
def test_choosing_a_campaign_lists_its_organisations_without_javascript(world, login, campaign):
    client = login(world.carol)
    page = client.post(
        "/en/o/alpha/report/new/assessment/",
        {"campaign": campaign.pk, "language": "en", "format": "pdf", "action": "refresh"},
    ).content.decode()
    assert "Client One" in page and "Client Two" in page
    subject = campaign.subjects.order_by("organisation__name_en").first()
    preview = client.post(
        "/en/o/alpha/report/new/assessment/",
        {
            "campaign": campaign.pk,
            "subject": subject.pk,
            "language": "en",
            "format": "pdf",
            "action": "preview",
        },
    )
    assert preview.status_code == 302 and "/preview/assessment/?" in preview["Location"]
    page = client.get(preview["Location"]).content.decode()
    assert "Digital maturity of Client One" in page
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_the_list_paginates_without_more_queries(
    world, login, campaign, django_assert_max_num_queries, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = login(world.alice)
    report_request(
        organisation=world.alpha,
        user=world.alice,
        kind="assessment",
        params={"campaign": campaign.pk},
        language="en",
        format="html",
    )
    client.get("/en/o/alpha/report/")
    with django_assert_max_num_queries(40) as few:
        client.get("/en/o/alpha/report/")
    first = Report.objects.select_related("job").get()
    for _ in range(29):
        job = first.job
        job.pk = None
        job.save()
        first.pk, first.job = None, job
        first.save()
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/en/o/alpha/report/?page=1")
    assert page.content.decode().count("/download/") == 25
    assert "Page 1 of 2" in page.content.decode()
