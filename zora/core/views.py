"""Home page and the health check."""

import logging

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from zora.organisations.selectors import organisation_list_visible_to

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    public = organisation_list_visible_to(user=None).order_by("kind", "slug")[:12]
    return render(request, "core/home.html", {"public_organisations": public})


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("health check: database unreachable")
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _job_for(request: HttpRequest, job_id: int):  # type: ignore[no-untyped-def]
    from django.http import Http404

    from zora.core.models import Job
    from zora.organisations.permissions import can

    job = Job.objects.select_related("organisation").filter(pk=job_id).first()
    if job is None or not request.user.is_authenticated:
        raise Http404
    if job.user_id != request.user.pk and not (
        job.organisation is not None and can(request.user, "organisation.view", job.organisation)
    ):
        raise Http404
    return job


def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    """A job's progress: the whole page, or (for htmx polling) just the progress block."""
    job = _job_for(request, job_id)
    template = "core/job.html#job-status" if getattr(request, "htmx", False) else "core/job.html"
    return render(request, template, {"job": job})


def job_retry(request: HttpRequest, job_id: int) -> HttpResponse:
    from django.shortcuts import redirect
    from django.views.decorators.http import require_POST

    @require_POST
    def _retry(request: HttpRequest) -> HttpResponse:
        from zora.core.jobs import job_retry as retry

        job = _job_for(request, job_id)
        if job.status == job.Status.FAILED:
            retry(job)
        return redirect("job_detail", job_id=job.pk)

    return _retry(request)
