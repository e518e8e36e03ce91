"""REST API of the reports app (mounted at /api/v1/ by zora/api.py): request a report (a job
makes the file), poll its status and progress, download it, list the organisation's reports."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from zora.core.api import AUTH, PUBLIC_AUTH, ApiError, ErrorOut, api_user
from zora.core.jobs import job_retry
from zora.organisations.permissions import can
from zora.organisations.tenancy import organisation_for_user_or_404
from zora.reports import selectors, services
from zora.reports.kinds import KINDS
from zora.reports.models import CONTENT_TYPES, Kind, Report

router = Router(tags=["reports"])


class ReportIn(Schema):
    kind: str
    language: str = "bg"
    format: str = "pdf"
    campaign: int | None = None
    subject: int | None = None
    region: str | None = None
    peers: str | None = None
    strategy: int | None = None
    period_from: str | None = None
    period_to: str | None = None


class ReportOut(Schema):
    id: int
    organisation: str
    kind: str
    title: str
    params: dict[str, Any]
    language: str
    format: str
    status: str
    progress: int
    message: str
    error: str
    job: int | None
    requested_by: str | None
    created_at: str
    finished_at: str | None
    size: int
    pages: int | None
    is_public: bool
    download_url: str | None

    @staticmethod
    def resolve_organisation(obj: Report) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_status(obj: Report) -> str:
        return obj.status

    @staticmethod
    def resolve_progress(obj: Report) -> int:
        return obj.job.progress if obj.job else 0

    @staticmethod
    def resolve_message(obj: Report) -> str:
        return obj.job.message if obj.job else ""

    @staticmethod
    def resolve_error(obj: Report) -> str:
        return obj.job.error if obj.job else ""

    @staticmethod
    def resolve_job(obj: Report) -> int | None:
        return obj.job_id

    @staticmethod
    def resolve_requested_by(obj: Report) -> str | None:
        return obj.requested_by.email if obj.requested_by else None

    @staticmethod
    def resolve_created_at(obj: Report) -> str:
        return obj.created_at.isoformat()

    @staticmethod
    def resolve_finished_at(obj: Report) -> str | None:
        return obj.job.finished_at.isoformat() if obj.job and obj.job.finished_at else None

    @staticmethod
    def resolve_download_url(obj: Report) -> str | None:
        return f"/api/v1/reports/{obj.pk}/file" if obj.is_ready else None


class SectionOut(Schema):
    key: str
    title: str


class KindOut(Schema):
    code: str
    label: str
    params: list[str]
    sections: list[SectionOut]


def _report(report_id: int, user: Any, action: str = "organisation.view") -> Report:
    report = (
        Report.objects.select_related("organisation", "job", "requested_by")
        .filter(pk=report_id)
        .first()
    )
    if report is None or not can(user, "organisation.view", report.organisation):
        raise Http404
    if not can(user, action, report.organisation):
        raise ApiError(403, "permission_denied", _("Your role does not allow this."))
    return report


@router.get("/report-kinds", response=list[KindOut], auth=AUTH)
def kinds(request: HttpRequest) -> Any:
    """The kinds of report, the parameters each takes and their sections in default order."""
    return [
        {
            "code": code,
            "label": str(Kind(code).label),
            "params": list(spec.params),
            "sections": [{"key": s.key, "title": str(s.title)} for s in spec.sections],
        }
        for code, spec in KINDS.items()
    ]


@router.get(
    "/organisations/{slug}/reports",
    response={200: list[ReportOut], 401: ErrorOut, 404: ErrorOut},
    auth=AUTH,
)
@paginate(PageNumberPagination, page_size=settings.ZORA_API_PAGE_SIZE)
def report_list(request: HttpRequest, slug: str, kind: str = "") -> Any:
    organisation = organisation_for_user_or_404(api_user(request), slug, "organisation.view")
    return selectors.report_list(organisation, kind=kind if kind in KINDS else "")


@router.post(
    "/organisations/{slug}/reports",
    response={202: ReportOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=AUTH,
    summary="Request a report; a background job makes the file (poll GET /reports/{id})",
)
def report_request(request: HttpRequest, slug: str, payload: ReportIn) -> Any:
    user = api_user(request)
    organisation = organisation_for_user_or_404(user, slug, "organisation.analyse")
    params = payload.dict(exclude={"kind", "language", "format"}, exclude_none=True)
    try:
        report = services.report_request(
            organisation=organisation,
            user=user,
            kind=payload.kind,
            params=params,
            language=payload.language,
            format=payload.format,
        )
    except ValidationError as error:
        raise ApiError(422, "invalid", "; ".join(error.messages)) from error
    report = _report(report.pk, user)
    return Status(202, report)


@router.get(
    "/reports/{report_id}",
    response={200: ReportOut, 401: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    summary="A report's status and progress (0–100), its error, and its download URL when done",
)
def report_status(request: HttpRequest, report_id: int) -> Any:
    return _report(report_id, api_user(request))


@router.get(
    "/reports/{report_id}/file",
    response={200: None, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=PUBLIC_AUTH,
    summary="Download the file (members; anyone for a published report)",
)
def report_file(request: HttpRequest, report_id: int) -> Any:
    user = api_user(request)
    report = Report.objects.select_related("organisation", "job").filter(pk=report_id).first()
    if report is None or not (
        can(user, "organisation.view", report.organisation)
        or (report.is_public and can(user, "organisation.view_profile", report.organisation))
    ):
        raise Http404
    if not report.is_ready:
        raise ApiError(
            409,
            "not_ready",
            _("The report is not ready: its status is %(status)s.") % {"status": report.status},
        )
    return FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=report.file_name,
        content_type=CONTENT_TYPES[report.format],
    )


@router.post(
    "/reports/{report_id}/retry",
    response={202: ReportOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=AUTH,
    summary="Generate a failed report again",
)
def report_retry(request: HttpRequest, report_id: int) -> Any:
    user = api_user(request)
    report = _report(report_id, user, "organisation.analyse")
    if report.job is None or report.status != "failed":
        raise ApiError(409, "not_failed", _("Only a failed report can be tried again."))
    job_retry(report.job)
    return Status(202, _report(report_id, user))
