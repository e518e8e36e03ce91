from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from zora.core.api import AUTH, PUBLIC_AUTH, ApiError, ErrorOut, api_user
from zora.core.ratelimit import allow
from zora.organisations.permissions import can
from zora.organisations.tenancy import organisation_for_user_or_404
from zora.participation import selectors, services
from zora.participation.models import Category, Consultation, Proposal

router = Router(tags=["participation"])


class ConsultationOut(Schema):
    id: int
    title: str
    title_bg: str
    title_en: str
    phase: str
    organisation: str
    support_limit: int
    support_threshold: int

    @staticmethod
    def resolve_organisation(obj: Consultation) -> str:
        return obj.organisation.slug


class ProposalOut(Schema):
    id: int
    title: str
    body: str
    language: str
    category: str | None
    location: str
    state: str | None
    answer: dict[str, str] | None
    supports_count: int
    comments_count: int
    topic: str | None
    created_at: str

    @staticmethod
    def resolve_category(obj: Proposal) -> str | None:
        return obj.category.code if obj.category else None

    @staticmethod
    def resolve_state(obj: Proposal) -> str | None:
        return obj.answer_state.code if obj.answer_state else None

    @staticmethod
    def resolve_answer(obj: Proposal) -> dict[str, str] | None:
        return {"bg": obj.answer_bg, "en": obj.answer_en} if obj.answer_state else None

    @staticmethod
    def resolve_topic(obj: Proposal) -> str | None:
        return obj.topic.name if obj.topic else None

    @staticmethod
    def resolve_created_at(obj: Proposal) -> str:
        return obj.created_at.isoformat()


class ProposalIn(Schema):
    title: str
    body: str
    category: str | None = None
    location: str = ""
    language: str = "bg"


class CommentOut(Schema):
    id: int
    parent: int | None
    body: str
    created_at: str
    agree: int
    disagree: int

    @staticmethod
    def resolve_parent(obj: Any) -> int | None:
        return obj.parent_id

    @staticmethod
    def resolve_created_at(obj: Any) -> str:
        return obj.created_at.isoformat()

    @staticmethod
    def resolve_agree(obj: Any) -> int:
        return obj.agree_count

    @staticmethod
    def resolve_disagree(obj: Any) -> int:
        return obj.disagree_count


class CommentIn(Schema):
    body: str
    parent: int | None = None


def _published(consultation_id: int, user: Any) -> Consultation:
    consultation = (
        Consultation.objects.select_related("organisation").filter(pk=consultation_id).first()
    )
    if consultation is None or (
        not consultation.is_published
        and not can(user, "organisation.view", consultation.organisation)
    ):
        raise Http404
    return consultation


def _proposal(proposal_id: int, full: bool = True) -> Proposal:
    proposal = selectors.proposal_visible(proposal_id=proposal_id, full=full)
    if proposal is None or proposal.hidden_at is not None:
        raise Http404
    return proposal


def _not_allowed(error: Exception) -> ApiError:
    return ApiError(403, "not_allowed", str(error))


@router.get(
    "/organisations/{slug}/consultations",
    response={200: list[ConsultationOut], 404: ErrorOut},
    auth=PUBLIC_AUTH,
)
def consultations(request: HttpRequest, slug: str) -> Any:
    user = api_user(request)
    organisation = organisation_for_user_or_404(user, slug, "organisation.view_profile")
    qs = Consultation.objects.filter(organisation=organisation).select_related("organisation")
    if not can(user, "organisation.view", organisation):
        qs = qs.filter(is_published=True)
    return list(qs)


@router.get(
    "/consultations/{consultation_id}/proposals",
    response={200: list[ProposalOut], 404: ErrorOut},
    auth=PUBLIC_AUTH,
)
@paginate(PageNumberPagination, page_size=settings.ZORA_API_PAGE_SIZE)
def proposals(
    request: HttpRequest,
    consultation_id: int,
    category: str = "",
    state: str = "",
    topic: str = "",
    q: str = "",
    sort: str = "newest",
) -> Any:
    consultation = _published(consultation_id, api_user(request))
    return selectors.proposal_list(
        consultation=consultation,
        category=category,
        state=state,
        topic=topic,
        q=q,
        sort=sort if sort in selectors.SORTS else "newest",
    ).defer("embedding")


@router.post(
    "/consultations/{consultation_id}/proposals",
    response={
        201: ProposalOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    auth=AUTH,
)
def proposal_create(request: HttpRequest, consultation_id: int, payload: ProposalIn) -> Any:
    user = api_user(request)
    consultation = _published(consultation_id, user)
    if not allow(request, "proposal", per_user=10, per_ip=30):
        raise ApiError(
            429,
            "throttled",
            _("Too many attempts in a short time. Please wait a while and try again."),
        )
    category = None
    if payload.category:
        category = Category.objects.filter(consultation=consultation, code=payload.category).first()
        if category is None:
            raise ApiError(
                422, "invalid", _("Unknown category %(code)s.") % {"code": payload.category}
            )
    try:
        proposal = services.proposal_create(
            consultation=consultation,
            author=user,
            title=payload.title,
            body=payload.body,
            category=category,
            location=payload.location,
            language=payload.language,
        )
    except services.NotAllowed as error:
        raise _not_allowed(error) from error
    except services.ValidationError as error:
        raise ApiError(422, "invalid", "; ".join(error.messages)) from error
    return Status(201, proposal)


@router.get(
    "/proposals/{proposal_id}", response={200: ProposalOut, 404: ErrorOut}, auth=PUBLIC_AUTH
)
def proposal(request: HttpRequest, proposal_id: int) -> Any:
    return _proposal(proposal_id)


@router.post(
    "/proposals/{proposal_id}/supports",
    response={201: dict[str, int], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=AUTH,
)
def support(request: HttpRequest, proposal_id: int) -> Any:
    """The hot path of a consultation: two SQL statements after the token's (the proposal with
    its consultation's rules, then the support's writes; see services.support_add)."""
    user = api_user(request)
    found = selectors.proposal_for_support(proposal_id=proposal_id, user=user)
    if found is None or found.hidden_at is not None:
        raise Http404
    try:
        services.support_add(proposal=found, user=user, facts={"blocked": found.blocked})  # type: ignore[attr-defined]
    except services.NotAllowed as error:
        raise _not_allowed(error) from error
    except services.AlreadySupported as error:
        raise ApiError(409, "already_supported", str(error)) from error
    return Status(201, {"supports_count": found.supports_count})


@router.delete(
    "/proposals/{proposal_id}/supports",
    response={200: dict[str, int], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
)
def unsupport(request: HttpRequest, proposal_id: int) -> Any:
    user = api_user(request)
    found = selectors.proposal_for_support(proposal_id=proposal_id, user=user)
    if found is None or found.hidden_at is not None:
        raise Http404
    try:
        removed = services.support_remove(
            proposal=found,
            user=user,
            facts={"blocked": found.blocked},  # type: ignore[attr-defined]
        )
    except services.NotAllowed as error:
        raise _not_allowed(error) from error
    if not removed:
        raise ApiError(404, "not_found", _("You do not support this proposal."))
    return {"supports_count": found.supports_count}


@router.get(
    "/proposals/{proposal_id}/comments",
    response={200: list[CommentOut], 404: ErrorOut},
    auth=PUBLIC_AUTH,
)
@paginate(PageNumberPagination, page_size=settings.ZORA_API_PAGE_SIZE)
def comments(request: HttpRequest, proposal_id: int) -> Any:
    found = _proposal(proposal_id)
    return found.comments.filter(hidden_at__isnull=True).order_by("created_at")


@router.post(
    "/proposals/{proposal_id}/comments",
    response={201: CommentOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=AUTH,
)
def comment_create(request: HttpRequest, proposal_id: int, payload: CommentIn) -> Any:
    found = _proposal(proposal_id)
    parent = found.comments.filter(pk=payload.parent).first() if payload.parent else None
    try:
        created = services.comment_create(
            proposal=found, author=api_user(request), body=payload.body, parent=parent
        )
    except services.NotAllowed as error:
        raise _not_allowed(error) from error
    except services.ValidationError as error:
        raise ApiError(422, "invalid", "; ".join(error.messages)) from error
    return Status(201, created)
