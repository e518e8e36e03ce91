"""REST API of the stakeholders app (mounted at /api/v1/ by zora/api.py).

Members (organisation.view) read the registry without contacts, the codebook, the findings and
the events; contacts of stakeholders with consent, interviews and registrations are for analysts
and above; editors create stakeholders and erase them. Another tenant gets 404.
"""

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from zora.core.api import AUTH, PUBLIC_AUTH, ApiError, ErrorOut, api_user
from zora.organisations.permissions import can
from zora.organisations.tenancy import organisation_for_user_or_404
from zora.stakeholders import selectors, services
from zora.stakeholders.models import (
    Code,
    Event,
    Finding,
    Interview,
    Registration,
    Stakeholder,
    StakeholderKind,
    StakeholderType,
)

router = Router(tags=["stakeholders"])


class ContactsOut(Schema):
    email: str
    phone: str
    address: str
    website: str


class StakeholderOut(Schema):
    id: int
    external_id: str
    kind: str
    name: str
    type: str
    sector: str
    organisation: str
    position: str
    consent_on: date | None
    consent_purpose: str
    tags: list[str]
    contacts: ContactsOut | None = None


class StakeholderIn(Schema):
    name: str
    type: StakeholderType
    kind: StakeholderKind = StakeholderKind.PERSON
    external_id: str = ""
    sector: str = ""
    organisation: str = ""
    position: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    website: str = ""
    consent_on: date | None = None
    consent_purpose: str = ""
    notes: str = ""
    tags: list[str] = []


class StakeholderRef(Schema):
    id: int
    name: str | None
    type: str
    erased: bool


class FindingOut(Schema):
    id: int
    excerpt: str
    code_id: int
    code: str
    quadrant: str
    interview_id: int
    date: date
    stakeholder: StakeholderRef


class FindingsOut(Schema):
    count: int
    page: int
    pages: int
    by_type: dict[str, int]
    items: list[FindingOut]


class CodeOut(Schema):
    code_id: int
    code: str
    count: int
    by_type: dict[str, int]
    quadrant: str


class NoteOut(Schema):
    question: str | None
    text: str


class InterviewOut(Schema):
    id: int
    held_on: date
    stakeholder: StakeholderRef
    guide: str | None
    interviewer: str | None
    summary: str
    findings_count: int


class InterviewDetailOut(InterviewOut):
    notes: list[NoteOut]
    findings: list[FindingOut]


class EventOut(Schema):
    id: int
    kind: str
    title: str
    title_bg: str
    title_en: str
    starts_at: datetime
    ends_at: datetime | None
    place: str
    online_url: str
    capacity: int | None
    registered: int
    is_public: bool
    strategy_step: str
    campaign_id: int | None
    url: str


class RegistrationOut(Schema):
    id: int
    name: str
    email: str
    organisation: str
    status: str
    attended: bool
    created_at: datetime


def _ref(stakeholder: Stakeholder) -> dict[str, Any]:
    return {
        "id": stakeholder.pk,
        "name": None if stakeholder.is_erased else stakeholder.name,
        "type": stakeholder.type,
        "erased": stakeholder.is_erased,
    }


def _stakeholder_out(stakeholder: Stakeholder, contacts: bool) -> dict[str, Any]:
    out = {
        "id": stakeholder.pk,
        "external_id": stakeholder.external_id,
        "kind": stakeholder.kind,
        "name": stakeholder.name,
        "type": stakeholder.type,
        "sector": stakeholder.sector,
        "organisation": stakeholder.affiliation,
        "position": stakeholder.position,
        "consent_on": stakeholder.consent_on,
        "consent_purpose": stakeholder.consent_purpose,
        "tags": [t.name for t in stakeholder.tags.all()],
        "contacts": None,
    }
    if contacts and stakeholder.has_consent:
        out["contacts"] = {
            "email": stakeholder.email,
            "phone": stakeholder.phone,
            "address": stakeholder.address,
            "website": stakeholder.website,
        }
    return out


def _finding_out(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.pk,
        "excerpt": finding.excerpt,
        "code_id": finding.code_id,
        "code": finding.code.name,
        "quadrant": finding.quadrant,
        "interview_id": finding.interview_id,
        "date": finding.interview.held_on,
        "stakeholder": _ref(finding.interview.stakeholder),
    }


def _invalid(error: ValidationError) -> ApiError:
    return ApiError(422, "invalid", "; ".join(error.messages))


# --- Stakeholders ---------------------------------------------------------------------------


@router.get(
    "/organisations/{slug}/stakeholders",
    response={200: list[StakeholderOut], 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    summary="The registry (contacts only for analysts and above, and only with consent)",
)
@paginate(PageNumberPagination, page_size=settings.ZORA_API_PAGE_SIZE)
def stakeholders(
    request: HttpRequest, slug: str, q: str = "", type: str = "", tag: str = ""
) -> Any:
    user = api_user(request)
    organisation = organisation_for_user_or_404(user, slug, "organisation.view")
    contacts = can(user, "organisation.analyse", organisation)
    qs = selectors.stakeholder_list(
        organisation=organisation, q=q.strip(), type=type, tag=tag, contacts=contacts
    )
    return _Mapped(qs, lambda s: _stakeholder_out(s, contacts))


class _Mapped:
    """A queryset the paginator slices, mapped to dicts after slicing."""

    def __init__(self, qs: Any, fn: Any) -> None:
        self.qs, self.fn = qs, fn

    def __len__(self) -> int:
        return self.qs.count()

    def count(self) -> int:
        return self.qs.count()

    def __getitem__(self, item: Any) -> Any:
        rows = self.qs[item]
        return [self.fn(row) for row in rows] if isinstance(item, slice) else self.fn(rows)


@router.get(
    "/organisations/{slug}/stakeholders/{stakeholder_id}",
    response={200: StakeholderOut, 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
)
def stakeholder(request: HttpRequest, slug: str, stakeholder_id: int) -> Any:
    user = api_user(request)
    organisation = organisation_for_user_or_404(user, slug, "organisation.view")
    found = (
        Stakeholder.objects.filter(
            organisation=organisation, pk=stakeholder_id, erased_at__isnull=True
        )
        .prefetch_related("tags")
        .first()
    )
    if found is None:
        raise Http404
    return _stakeholder_out(found, can(user, "organisation.analyse", organisation))


@router.post(
    "/organisations/{slug}/stakeholders",
    response={201: StakeholderOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=AUTH,
)
def stakeholder_create(request: HttpRequest, slug: str, payload: StakeholderIn) -> Any:
    user = api_user(request)
    organisation = organisation_for_user_or_404(user, slug, "organisation.edit_content")
    data = payload.dict()
    tags = data.pop("tags")
    data["affiliation"] = data.pop("organisation")
    data["type"], data["kind"] = str(data["type"].value), str(data["kind"].value)
    try:
        created = services.stakeholder_save(organisation=organisation, fields=data, tags=tags)
    except ValidationError as error:
        raise _invalid(error) from error
    return Status(201, _stakeholder_out(created, True))


@router.post(
    "/organisations/{slug}/stakeholders/{stakeholder_id}/erase",
    response={204: None, 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    summary="Erase a stakeholder's personal data for good (findings stay, anonymised)",
)
def stakeholder_erase(request: HttpRequest, slug: str, stakeholder_id: int) -> Any:
    user = api_user(request)
    organisation = organisation_for_user_or_404(user, slug, "organisation.edit_content")
    found = Stakeholder.objects.filter(
        organisation=organisation, pk=stakeholder_id, erased_at__isnull=True
    ).first()
    if found is None:
        raise Http404
    services.stakeholder_erase(stakeholder=found)
    return Status(204, None)


# --- Findings and codes ---------------------------------------------------------------------


def _code(organisation: Any, value: str) -> Code:
    qs = Code.objects.filter(organisation=organisation)
    code = (
        qs.filter(pk=int(value)).first()
        if value.isdigit()
        else qs.filter(Q(name_bg__iexact=value) | Q(name_en__iexact=value)).first()
    )
    if code is None:
        raise ApiError(404, "not_found", _("No code “%(code)s” in the codebook.") % {"code": value})
    return code


@router.get(
    "/organisations/{slug}/findings",
    response={200: FindingsOut, 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    summary="Coded interview findings with counts by stakeholder type",
    description=(
        "Coded interview excerpts of the organisation, newest interview first, 50 a page "
        "(`?page=N`). `code` filters by a code of the codebook (its id or its name in Bulgarian "
        "or English). `by_type` counts the matching findings by the type of stakeholder who said "
        "them. Findings of erased stakeholders are included with `stakeholder.name` null. "
        "For members of the organisation."
    ),
)
def findings(request: HttpRequest, slug: str, code: str = "", page: int = 1) -> Any:
    user = api_user(request)
    organisation = organisation_for_user_or_404(user, slug, "organisation.view")
    chosen = _code(organisation, code.strip()) if code.strip() else None
    qs = selectors.finding_list(organisation=organisation, code=chosen)
    paginator = Paginator(qs, settings.ZORA_API_PAGE_SIZE)
    current = paginator.get_page(page)
    return {
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
        "by_type": selectors.counts_by_type(organisation=organisation, code=chosen),
        "items": [_finding_out(f) for f in current],
    }


@router.get(
    "/organisations/{slug}/codes",
    response={200: list[CodeOut], 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    summary="The codebook with the number of findings per code, by stakeholder type",
)
def codes(request: HttpRequest, slug: str) -> Any:
    organisation = organisation_for_user_or_404(api_user(request), slug, "organisation.view")
    return selectors.code_frequencies(organisation=organisation)


# --- Interviews -----------------------------------------------------------------------------


def _interview_out(interview: Interview) -> dict[str, Any]:
    return {
        "id": interview.pk,
        "held_on": interview.held_on,
        "stakeholder": _ref(interview.stakeholder),
        "guide": interview.guide.title if interview.guide else None,
        "interviewer": interview.interviewer.display_name if interview.interviewer else None,
        "summary": interview.summary,
        "findings_count": getattr(interview, "findings_count", 0),
    }


@router.get(
    "/organisations/{slug}/interviews",
    response={200: list[InterviewOut], 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    summary="Interviews (analysts and above)",
)
@paginate(PageNumberPagination, page_size=settings.ZORA_API_PAGE_SIZE)
def interviews(request: HttpRequest, slug: str) -> Any:
    organisation = organisation_for_user_or_404(api_user(request), slug, "organisation.analyse")
    return _Mapped(selectors.interview_list(organisation=organisation), _interview_out)


@router.get(
    "/organisations/{slug}/interviews/{interview_id}",
    response={200: InterviewDetailOut, 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
)
def interview(request: HttpRequest, slug: str, interview_id: int) -> Any:
    organisation = organisation_for_user_or_404(api_user(request), slug, "organisation.analyse")
    found = selectors.interview_list(organisation=organisation).filter(pk=interview_id).first()
    if found is None:
        raise Http404
    notes = selectors.interview_notes(interview=found)
    return {
        **_interview_out(found),
        "notes": [
            {"question": n.question.text if n.question else None, "text": n.text} for n in notes
        ],
        "findings": [
            _finding_out(f)
            for f in selectors.finding_list(organisation=organisation).filter(interview=found)
        ],
    }


# --- Events ---------------------------------------------------------------------------------


def _event_out(event: Event) -> dict[str, Any]:
    from django.urls import reverse

    return {
        "id": event.pk,
        "kind": event.kind,
        "title": event.title,
        "title_bg": event.title_bg,
        "title_en": event.title_en,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "place": event.place,
        "online_url": event.online_url,
        "capacity": event.capacity,
        "registered": getattr(event, "registered_count", 0),
        "is_public": event.is_public,
        "strategy_step": event.strategy_step,
        "campaign_id": event.campaign_id,
        "url": reverse("event_public", args=[event.pk]),
    }


class EventFilter(Schema):
    strategy_step: str | None = None


@router.get(
    "/organisations/{slug}/events",
    response={200: list[EventOut], 403: ErrorOut, 404: ErrorOut},
    auth=PUBLIC_AUTH,
    summary="Events (public events for anyone; all events for members)",
)
@paginate(PageNumberPagination, page_size=settings.ZORA_API_PAGE_SIZE)
def events(request: HttpRequest, slug: str, filters: Query[EventFilter]) -> Any:
    user = api_user(request)
    organisation = organisation_for_user_or_404(user, slug, "organisation.view_profile")
    qs = selectors.event_list(organisation=organisation, strategy_step=filters.strategy_step)
    if not can(user, "organisation.view", organisation):
        qs = qs.filter(is_public=True)
    return _Mapped(qs, _event_out)


def _event(user: Any, event_id: int) -> Event:
    found = Event.objects.select_related("organisation").filter(pk=event_id).first()
    if found is None or (
        not found.is_public and not can(user, "organisation.view", found.organisation)
    ):
        raise Http404
    return found


@router.get(
    "/events/{event_id}/registrations",
    response={200: list[RegistrationOut], 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    summary="An event's registrations (analysts and above)",
)
@paginate(PageNumberPagination, page_size=settings.ZORA_API_PAGE_SIZE)
def registrations(request: HttpRequest, event_id: int) -> Any:
    user = api_user(request)
    event = _event(user, event_id)
    organisation_for_user_or_404(user, event.organisation.slug, "organisation.analyse")

    def out(r: Registration) -> dict[str, Any]:
        return {
            "id": r.pk,
            "name": r.display_name,
            "email": r.email,
            "organisation": r.affiliation,
            "status": r.status,
            "attended": r.attended,
            "created_at": r.created_at,
        }

    return _Mapped(selectors.registration_list(event=event), out)


@router.post(
    "/events/{event_id}/register",
    response={201: RegistrationOut, 404: ErrorOut, 409: ErrorOut},
    auth=AUTH,
    summary="Register yourself for an event (full events refuse with 409)",
)
def register(request: HttpRequest, event_id: int) -> Any:
    user = api_user(request)
    event = _event(user, event_id)
    try:
        r = services.registration_create(event=event, user=user)
    except ValidationError as error:
        raise ApiError(409, "refused", "; ".join(error.messages)) from error
    return Status(
        201,
        {
            "id": r.pk,
            "name": r.name,
            "email": r.email,
            "organisation": r.affiliation,
            "status": r.status,
            "attended": r.attended,
            "created_at": r.created_at,
        },
    )
