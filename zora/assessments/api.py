from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from zora.assessments import exports, selectors, services
from zora.assessments.engine import encode, result_dict, score_matrix
from zora.assessments.framework import Framework as Tree
from zora.assessments.framework import Node, Question
from zora.assessments.models import Campaign, Response
from zora.assessments.selectors import (
    framework_compiled,
    framework_get,
    framework_list,
    framework_tree,
)
from zora.core.api import AUTH, ApiError, ErrorOut, api_user
from zora.organisations.models import Organisation
from zora.organisations.permissions import can, role_of
from zora.organisations.tenancy import organisation_for_user_or_404

router = Router(tags=["assessments"])


class FrameworkSummary(Schema):
    code: str
    version: int
    subject: str
    title: dict[str, str]


class ScoreIn(Schema):
    framework: str
    version: int | None = None
    answers: dict[str, Any]


class ScoreProblem(Schema):
    question: str
    message: str


class ScoreInvalid(Schema):
    detail: str
    code: str
    errors: list[ScoreProblem]


def _question_dict(q: Question) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": q.code,
        "type": q.type,
        "title": q.title.as_dict(),
        "weight": q.weight,
        "allow_na": q.allow_na,
        "items": [
            {
                "code": i.code,
                "title": i.title.as_dict(),
                "weight": i.weight,
                "exclusive": i.exclusive,
            }
            for i in q.items
        ],
        "columns": [
            {"code": c.code, "title": c.title.as_dict(), "weight": c.weight} for c in q.columns
        ],
        "options": [
            {"code": o.code, "title": o.title.as_dict(), "points": o.points} for o in q.options
        ],
        "scale": None,
    }
    if q.help:
        out["help"] = q.help.as_dict()
    if q.type == "scale_matrix":
        out["scale"] = {
            "min": q.scale_min,
            "max": q.scale_max,
            "labels": [{"value": lb.value, "title": lb.title.as_dict()} for lb in q.scale_labels],
        }
    if q.type == "tristate_matrix":
        out["values"] = q.values
    if q.type == "number":
        out.update(
            {
                "min": q.min,
                "max": q.max,
                "direction": q.direction,
                "unit": q.unit.as_dict() if q.unit else None,
            }
        )
    return out


def _node_dict(node: Node) -> dict[str, Any]:
    return {
        "code": node.code,
        "title": node.title.as_dict(),
        "weight": node.weight,
        "aggregation": node.aggregation,
        "questions": [_question_dict(q) for q in node.questions()],
        "children": [_node_dict(c) for c in node.children if isinstance(c, Node)],
    }


def framework_dict(tree: Tree) -> dict[str, Any]:
    return {
        "code": tree.code,
        "version": tree.version,
        "subject": tree.subject,
        "title": tree.title.as_dict(),
        "description": tree.description.as_dict() if tree.description else None,
        "source": tree.source.as_dict() if tree.source else None,
        "na_policy": tree.na_policy,
        "aggregation": tree.aggregation,
        "levels": [
            {
                "code": lv.code,
                "max": lv.max,
                "title": lv.title.as_dict(),
                "narrative": lv.narrative.as_dict() if lv.narrative else None,
            }
            for lv in tree.levels
        ],
        "profile": [
            {
                "code": p.code,
                "type": "profile",
                "input": p.input,
                "title": p.title.as_dict(),
                "required": p.required,
                "options": [{"code": o.code, "title": o.title.as_dict()} for o in p.options],
            }
            for p in tree.profile
        ],
        "dimensions": [_node_dict(d) for d in tree.dimensions],
    }


@router.get("/frameworks", response={200: list[FrameworkSummary], 401: ErrorOut}, auth=AUTH)
def frameworks(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "code": f.code,
            "version": f.version,
            "subject": f.subject,
            "title": {"bg": f.title_bg, "en": f.title_en},
        }
        for f in framework_list()
    ]


@router.get(
    "/frameworks/{code}",
    response={200: dict[str, Any], 401: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    summary="A framework's tree in display order (latest version unless ?version=N)",
)
def framework_detail(request: HttpRequest, code: str, version: int | None = None) -> dict[str, Any]:
    row = framework_get(code=code, version=version)
    if row is None:
        raise ApiError(404, "not_found", _("No framework with this code and version."))
    return framework_dict(framework_tree(row))


@router.post(
    "/score",
    response={200: dict[str, Any], 401: ErrorOut, 404: ErrorOut, 422: ScoreInvalid},
    auth=AUTH,
    summary="Score an answer set (stateless)",
)
def score(request: HttpRequest, payload: ScoreIn) -> Any:
    row = framework_get(code=payload.framework, version=payload.version)
    if row is None:
        raise ApiError(404, "not_found", _("No framework with this code and version."))
    compiled = framework_compiled(row)
    vector, problems = encode(compiled, payload.answers)
    if problems:
        return Status(
            422,
            {
                "detail": _(
                    "The answers have %(count)d problem(s); each is listed by question code."
                )
                % {"count": len(problems)},
                "code": "invalid_answers",
                "errors": [p.as_dict() for p in problems],
            },
        )
    return result_dict(score_matrix(compiled, vector))


# --- Campaigns, responses, results ----------------------------------------------------------


class CampaignOut(Schema):
    id: int
    name: str
    name_bg: str
    name_en: str
    framework: str
    version: int
    stage: str
    mode: str
    anonymous: bool
    aggregation: str
    status: str
    starts_on: date | None
    ends_on: date | None
    subjects: list[str]
    open_url: str | None

    @staticmethod
    def resolve_framework(obj: Campaign) -> str:
        return obj.framework.code

    @staticmethod
    def resolve_version(obj: Campaign) -> int:
        return obj.framework.version

    @staticmethod
    def resolve_subjects(obj: Campaign) -> list[str]:
        return [s.organisation.slug for s in obj.subjects.all()]

    @staticmethod
    def resolve_open_url(obj: Campaign) -> str | None:
        from django.urls import reverse

        return (
            settings.SITE_URL + reverse("assessment_open", args=[obj.open_token])
            if obj.open_token
            else None
        )


class CampaignIn(Schema):
    framework: str
    version: int | None = None
    stage: str
    name_bg: str = ""
    name_en: str = ""
    mode: str = "named"
    anonymous: bool = False
    aggregation: str = "mean"
    starts_on: date | None = None
    ends_on: date | None = None
    subjects: list[str] = []
    new_subjects: list[str] = []


class RespondentIn(Schema):
    subject: str
    name: str = ""
    email: str = ""


class RespondentOut(Schema):
    id: int
    subject: str
    url: str


class ResponseIn(Schema):
    subject: str
    answers: dict[str, Any]
    submit: bool = True


class ResponseOut(Schema):
    id: int
    subject: str
    status: str
    revision: int
    is_current: bool
    submitted_at: str | None
    overall: float | None
    level: str
    scores: list[float | None]

    @staticmethod
    def resolve_subject(obj: Response) -> str:
        return obj.subject.organisation.slug

    @staticmethod
    def resolve_submitted_at(obj: Response) -> str | None:
        return obj.submitted_at.isoformat() if obj.submitted_at else None


def _campaign_for(request: HttpRequest, campaign_id: int, action: str) -> Campaign:
    """The campaign if the caller may do `action` on its organisation: 404 for non-members,
    403 for members whose role is too low."""
    user = api_user(request)
    campaign = (
        Campaign.objects.select_related("framework", "organisation").filter(pk=campaign_id).first()
    )
    if campaign is None or role_of(user, campaign.organisation) is None and not user.is_superuser:
        raise Http404
    if not can(user, action, campaign.organisation):
        raise PermissionDenied
    return campaign


def _campaigns(organisation: Organisation):  # type: ignore[no-untyped-def]
    return (
        Campaign.objects.filter(organisation=organisation)
        .select_related("framework")
        .prefetch_related("subjects__organisation")
        .order_by("-created_at")
    )


@router.get(
    "/organisations/{slug}/campaigns",
    response={200: list[CampaignOut], 401: ErrorOut, 404: ErrorOut},
    auth=AUTH,
)
@paginate(PageNumberPagination, page_size=settings.ZORA_API_PAGE_SIZE)
def campaign_list(request: HttpRequest, slug: str) -> Any:
    organisation = organisation_for_user_or_404(api_user(request), slug, "organisation.view")
    return _campaigns(organisation)


@router.post(
    "/organisations/{slug}/campaigns",
    response={201: CampaignOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=AUTH,
)
def campaign_create(request: HttpRequest, slug: str, payload: CampaignIn) -> Any:
    user = api_user(request)
    organisation = organisation_for_user_or_404(user, slug, "organisation.edit_content")
    framework = framework_get(code=payload.framework, version=payload.version)
    if framework is None:
        raise ApiError(422, "invalid", _("No framework with this code and version."))
    if (
        payload.mode not in Campaign.Mode.values
        or payload.aggregation not in Campaign.Aggregation.values
    ):
        raise ApiError(422, "invalid", _("mode must be named or open; aggregation mean or median."))
    if not payload.stage.strip():
        raise ApiError(422, "invalid", _("stage is required (T0, T1, T2 or a wave name)."))
    from zora.organisations.selectors import organisation_list_visible_to

    visible = {
        o.slug: o for o in organisation_list_visible_to(user=user).filter(slug__in=payload.subjects)
    }
    unknown = [s for s in payload.subjects if s not in visible]
    if unknown:
        raise ApiError(
            422, "invalid", _("Unknown organisations: %(slugs)s.") % {"slugs": ", ".join(unknown)}
        )
    try:
        campaign = services.campaign_create(
            organisation=organisation,
            user=user,
            framework=framework,
            stage=payload.stage,
            name_bg=payload.name_bg,
            name_en=payload.name_en,
            starts_on=payload.starts_on,
            ends_on=payload.ends_on,
            mode=payload.mode,
            anonymous=payload.anonymous,
            aggregation=payload.aggregation,
            subjects=[visible[s] for s in payload.subjects],
            new_subject_names=payload.new_subjects,
        )
    except ValidationError as error:
        raise ApiError(422, "invalid", "; ".join(error.messages)) from error
    return Status(201, _campaigns(organisation).get(pk=campaign.pk))


@router.get(
    "/campaigns/{campaign_id}", response={200: CampaignOut, 401: ErrorOut, 404: ErrorOut}, auth=AUTH
)
def campaign_detail(request: HttpRequest, campaign_id: int) -> Any:
    campaign = _campaign_for(request, campaign_id, "organisation.view")
    return _campaigns(campaign.organisation).get(pk=campaign.pk)


def _subject(campaign: Campaign, slug: str) -> Any:
    subject = (
        campaign.subjects.select_related("organisation").filter(organisation__slug=slug).first()
    )
    if subject is None:
        raise ApiError(422, "invalid", _("This organisation is not assessed in this campaign."))
    return subject


@router.post(
    "/campaigns/{campaign_id}/respondents",
    response={201: RespondentOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=AUTH,
)
def respondent_create(request: HttpRequest, campaign_id: int, payload: RespondentIn) -> Any:
    campaign = _campaign_for(request, campaign_id, "organisation.edit_content")
    created = services.respondent_add(
        campaign=campaign,
        subject=_subject(campaign, payload.subject),
        name=payload.name,
        email=payload.email,
    )
    return Status(
        201, {"id": created.respondent.pk, "subject": payload.subject, "url": created.url}
    )


@router.get(
    "/campaigns/{campaign_id}/responses",
    response={200: list[ResponseOut], 401: ErrorOut, 404: ErrorOut},
    auth=AUTH,
)
@paginate(PageNumberPagination, page_size=settings.ZORA_API_PAGE_SIZE)
def response_list(request: HttpRequest, campaign_id: int) -> Any:
    campaign = _campaign_for(request, campaign_id, "organisation.view")
    return (
        Response.objects.filter(campaign=campaign)
        .select_related("subject__organisation")
        .order_by("id")
    )


@router.post(
    "/campaigns/{campaign_id}/responses",
    response={201: ResponseOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ScoreInvalid},
    auth=AUTH,
    summary="Enter a response (e.g. from an interview); submitted and scored unless submit=false",
)
def response_create(request: HttpRequest, campaign_id: int, payload: ResponseIn) -> Any:
    campaign = _campaign_for(request, campaign_id, "organisation.edit_content")
    subject = _subject(campaign, payload.subject)
    compiled = framework_compiled(campaign.framework)
    _vector, problems = encode(compiled, payload.answers, require_all=payload.submit)
    if problems:
        return Status(422, _problems(problems))
    from django.db import transaction

    with transaction.atomic():
        try:
            started = services.response_start(campaign=campaign, subject=subject)
        except ValidationError as error:
            raise ApiError(422, "closed", error.messages[0]) from error
        services.response_save(response=started.response, answers=payload.answers)
        if payload.submit:
            problems = services.response_submit(response=started.response)
            if problems:
                transaction.set_rollback(True)
                return Status(422, _problems(problems))
    return Status(
        201, Response.objects.select_related("subject__organisation").get(pk=started.response.pk)
    )


def _problems(problems: list[Any]) -> dict[str, Any]:
    return {
        "detail": _("The answers have %(count)d problem(s); each is listed by question code.")
        % {"count": len(problems)},
        "code": "invalid_answers",
        "errors": [p.as_dict() for p in problems],
    }


@router.post(
    "/responses/{response_id}/submit",
    response={
        200: ResponseOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ScoreInvalid,
    },
    auth=AUTH,
)
def response_submit(request: HttpRequest, response_id: int) -> Any:
    response = Response.objects.select_related("campaign").filter(pk=response_id).first()
    if response is None:
        raise Http404
    _campaign_for(request, response.campaign_id, "organisation.edit_content")
    if response.status != Response.Status.DRAFT:
        raise ApiError(409, "already_submitted", _("This response was already submitted."))
    problems = services.response_submit(response=response)
    if problems:
        return Status(422, _problems(problems))
    return Response.objects.select_related("subject__organisation").get(pk=response.pk)


@router.get(
    "/campaigns/{campaign_id}/results",
    response={200: dict[str, Any], 401: ErrorOut, 404: ErrorOut},
    auth=AUTH,
)
def campaign_results(request: HttpRequest, campaign_id: int) -> Any:
    campaign = _campaign_for(request, campaign_id, "organisation.view")
    stats = selectors.campaign_statistics(campaign=campaign)

    def spread(s: Any) -> dict[str, Any]:
        return {
            "n": s.n,
            "min": s.minimum,
            "q1": s.q1,
            "median": s.median,
            "q3": s.q3,
            "max": s.maximum,
            "mean": s.mean,
        }

    codes = ["overall"] + [d.code for d, _s in stats.dimensions]
    return {
        "n": stats.n,
        "overall": spread(stats.overall),
        "dimensions": [{"code": d.code, **spread(s)} for d, s in stats.dimensions],
        "cohorts": {
            key: [
                {
                    "group": c.group,
                    "n": c.n,
                    "hidden": c.hidden,
                    "scores": {}
                    if c.hidden
                    else {code: spread(s) for code, s in zip(codes, c.spreads, strict=False)},
                }
                for c in cells
            ]
            for key, cells in stats.cohorts.items()
        },
        "min_cell": selectors.MIN_CELL,
    }


@router.get(
    "/organisations/{slug}/assessed/{subject_slug}/comparison",
    response={200: dict[str, Any], 401: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    summary="T0 → T1 → T2 of one assessed organisation, with deltas",
)
def comparison(request: HttpRequest, slug: str, subject_slug: str) -> Any:
    organisation = organisation_for_user_or_404(api_user(request), slug, "organisation.view")
    subject_org = (
        Organisation.objects.filter(
            slug=subject_slug, assessed_in__campaign__organisation=organisation
        )
        .distinct()
        .first()
    )
    if subject_org is None:
        raise Http404
    stages = selectors.subject_history(organisation=organisation, subject_organisation=subject_org)
    return {
        "organisation": subject_org.slug,
        "stages": [
            {
                "campaign": s.campaign.pk,
                "stage": s.campaign.stage,
                "framework": s.campaign.framework.code,
                "version": s.campaign.framework.version,
                "comparable": s.comparable,
                "overall": s.result.overall,
                "level": s.result.level,
                "dimensions": s.result.dimensions,
                "overall_delta": s.overall_delta,
                "dimension_deltas": s.dimension_deltas,
                "level_changed": s.level_changed,
            }
            for s in stages
        ],
    }


@router.get(
    "/campaigns/{campaign_id}/export",
    response={200: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    summary="Export: format=csv | xlsx | edih",
)
def campaign_export(
    request: HttpRequest, campaign_id: int, format: str = "csv"
) -> HttpResponse | StreamingHttpResponse:
    campaign = _campaign_for(request, campaign_id, "organisation.analyse")
    if format not in exports.KINDS:
        raise ApiError(422, "invalid", _("format must be csv, xlsx or edih."))
    return exports.response(campaign, format)
