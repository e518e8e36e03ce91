"""A report is a job: requested, generated with progress, stored; a failure keeps its error and
can be retried."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from pypdf import PdfReader

from tests.assessments.answers import maximal
from tests.reports.conftest import submit
from zora.assessments.models import Response
from zora.assessments.selectors import framework_tree
from zora.core.jobs import run_job_now
from zora.core.models import Job
from zora.reports.models import Report
from zora.reports.services import report_request


@pytest.mark.django_db
def test_a_request_makes_a_job_that_stores_the_file(world, campaign, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = report_request(
        organisation=world.alpha,
        user=world.carol,
        kind="assessment",
        params={"campaign": campaign.pk},
        language="en",
        format="pdf",
    )
    report.refresh_from_db()
    assert report.job.kind == "reports.generate" and report.job.status == Job.Status.DONE
    assert report.job.progress == 100
    assert (
        report.job.result_url == f"/en/o/alpha/report/{report.pk}/"
        or report.job.result_url.endswith(f"/o/alpha/report/{report.pk}/")
    )
    assert report.requested_by == world.carol and report.params == {"campaign": campaign.pk}
    assert report.title == "Assessment report: Alpha T0"
    with report.file.open("rb") as handle:
        pdf = PdfReader(handle)
        assert len(pdf.pages) == report.pages >= 5
    assert report.file.name.startswith("reports/") and "alpha" not in report.file.name


@pytest.mark.django_db
def test_unknown_or_foreign_parameters_are_refused(world, campaign, frameworks):
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            report_request(
                organisation=world.beta,
                user=world.charlie,
                kind="assessment",
                params={"campaign": campaign.pk},
                language="en",
                format="pdf",
            )
        assert "No such campaign in your organisation." in error.value.messages
        with pytest.raises(ValidationError) as error:
            report_request(
                organisation=world.alpha,
                user=world.alice,
                kind="poetry",
                params={},
                language="fr",
                format="odt",
            )
        assert set(error.value.message_dict) == {"kind", "language", "format"}
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_a_failing_job_records_its_error_and_can_be_retried(
    world, campaign, login, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    report = report_request(
        organisation=world.alpha,
        user=world.alice,
        kind="assessment",
        params={"campaign": campaign.pk},
        language="en",
        format="docx",
        enqueue=False,
    )
    # The responses disappear before the worker gets to the job.
    saved = list(Response.objects.filter(campaign=campaign).values_list("pk", flat=True))
    Response.objects.filter(pk__in=saved).update(status="draft")
    with translation.override("en"):
        job = run_job_now(report.job)
    assert job.status == Job.Status.FAILED
    assert job.error == "The campaign has no submitted response yet."
    report.refresh_from_db()
    assert not report.file and report.status == "failed"

    client = login(world.alice)
    page = client.get("/en/o/alpha/report/").content.decode()
    assert "The campaign has no submitted response yet." in page
    assert f'action="/en/jobs/{job.pk}/retry/"' in page

    Response.objects.filter(pk__in=saved).update(status="submitted")
    response = client.post(f"/en/jobs/{job.pk}/retry/")
    assert response.status_code == 302
    job.refresh_from_db()
    report.refresh_from_db()
    assert job.status == Job.Status.DONE and job.error == ""
    assert report.is_ready and report.size > 0


@pytest.mark.django_db
def test_a_new_response_shows_in_a_regenerated_report(world, campaign, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    subject = campaign.subjects.order_by("organisation__name_en").first()
    first = report_request(
        organisation=world.alpha,
        user=world.alice,
        kind="assessment",
        params={"campaign": campaign.pk},
        language="en",
        format="html",
    )
    submit(campaign, subject, maximal(framework_tree(campaign.framework)))
    second = report_request(
        organisation=world.alpha,
        user=world.alice,
        kind="assessment",
        params={"campaign": campaign.pk},
        language="en",
        format="html",
    )
    with first.file.open("rb") as a, second.file.open("rb") as b:
        before, after = a.read().decode(), b.read().decode()
    assert "2 responses were submitted" in before and "3 responses were submitted" in after
