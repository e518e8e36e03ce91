"""REST API of the strategy app (mounted at /api/v1/ by zora/api.py).

Reading: the public reads adopted strategies of public organisations; members read their own
organisation's strategies in any status; everyone else gets 404. Writing needs the editor role
(403 for a member with a lower role)."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from zora.core.api import AUTH, PUBLIC_AUTH, ApiError, ErrorOut, api_user
from zora.organisations.permissions import can, role_of
from zora.organisations.tenancy import organisation_for_user_or_404
from zora.strategy import exports, selectors, services
from zora.strategy.models import (
    Action,
    ActionStatus,
    FundingSource,
    Kpi,
    Objective,
    Strategy,
    StrategyStatus,
)

router = Router(tags=["strategy"])


class StrategyOut(Schema):
    id: int
    title: str
    title_bg: str
    title_en: str
    organisation: str
    status: str
    progress: float
    starts_on: date
    ends_on: date
    region_code: str
    current_step: str

    @staticmethod
    def resolve_organisation(obj: Strategy) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_progress(obj: Strategy) -> float:
        return round(obj.progress, 2)


class StrategyIn(Schema):
    title_bg: str = ""
    title_en: str = ""
    starts_on: date
    ends_on: date
    region_code: str = ""
    with_defaults: bool = True


class StrategyPatch(Schema):
    title_bg: str | None = None
    title_en: str | None = None
    summary_bg: str | None = None
    summary_en: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    region_code: str | None = None
    status: str | None = None
    current_step: str | None = None


class FundingOut(Schema):
    source: str
    amount: Decimal


class MilestoneOut(Schema):
    id: int
    action: int
    title: str
    title_bg: str
    title_en: str
    due_on: date
    done_on: date | None

    @staticmethod
    def resolve_action(obj: Any) -> int:
        return obj["action"] if isinstance(obj, dict) else obj.action_id


class ActionOut(Schema):
    id: int
    external_id: str
    objective: int
    parent: int | None
    title: str
    title_bg: str
    title_en: str
    owner: str
    partners: str
    starts_on: date | None
    ends_on: date | None
    status: str | None
    progress: float
    weight: float
    rag: str
    budget: Decimal | None
    currency: str
    funding: list[FundingOut]
    depends_on: list[int]
    proposals: list[int]
    milestones: list[MilestoneOut]

    @staticmethod
    def resolve_objective(obj: Action) -> int:
        return obj.objective_id

    @staticmethod
    def resolve_parent(obj: Action) -> int | None:
        return obj.parent_id

    @staticmethod
    def resolve_status(obj: Action) -> str | None:
        return obj.status.code if obj.status else None

    @staticmethod
    def resolve_funding(obj: Action) -> list[dict[str, Any]]:
        return [{"source": f.source.code, "amount": f.amount} for f in obj.funding.all()]

    @staticmethod
    def resolve_depends_on(obj: Action) -> list[int]:
        return [a.pk for a in obj.depends_on.all()]

    @staticmethod
    def resolve_proposals(obj: Action) -> list[int]:
        return [link.proposal_id for link in obj.proposal_links.all()]

    @staticmethod
    def resolve_milestones(obj: Action) -> list[dict[str, Any]]:
        return [
            {
                "id": m.pk,
                "action": m.action_id,
                "title": m.title,
                "title_bg": m.title_bg,
                "title_en": m.title_en,
                "due_on": m.due_on,
                "done_on": m.done_on,
            }
            for m in obj.milestones.all()
        ]

    @staticmethod
    def resolve_rag(obj: Action) -> str:
        return getattr(obj, "rag", "")


class ActionIn(Schema):
    objective: int | None = None
    parent: int | None = None
    external_id: str | None = None
    title_bg: str | None = None
    title_en: str | None = None
    description_bg: str | None = None
    description_en: str | None = None
    owner_organisation_name: str | None = None
    owner_person: str | None = None
    partners: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    status: str | None = None
    progress: float | None = None
    weight: float | None = None
    budget: Decimal | None = None
    currency: str | None = None
    funding: dict[str, Decimal] | None = None


class MilestoneIn(Schema):
    title_bg: str = ""
    title_en: str = ""
    due_on: date
    done_on: date | None = None


class MeasurementOut(Schema):
    measured_on: date
    value: float
    source: str
    note: str


class KpiOut(Schema):
    id: int
    name: str
    name_bg: str
    name_en: str
    unit: str
    direction: str
    objective: int | None
    action: int | None
    baseline_value: float | None
    baseline_on: date | None
    target_value: float | None
    target_on: date | None
    indicator: str | None
    region_code: str
    status: str
    measurements: list[MeasurementOut]


class MeasurementIn(Schema):
    value: float
    measured_on: date
    source: str = ""
    note: str = ""


class EvidenceOut(Schema):
    kind: str
    target: str
    label: str
    value: float | None
    unit: str
    detail: str
    observed: str
    url: str


class SwotItemOut(Schema):
    id: int
    quadrant: str
    text: str
    text_bg: str
    text_en: str
    weight: int
    state: str
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_evidence(obj: Any) -> list[Any]:
        return list(obj.evidence.all())


def _readable(user: Any, strategy_id: int) -> Strategy:
    strategy = Strategy.objects.select_related("organisation").filter(pk=strategy_id).first()
    if strategy is None:
        raise Http404
    if can(user, "organisation.view", strategy.organisation):
        return strategy
    if strategy.status == StrategyStatus.ADOPTED and strategy.organisation.is_public:
        return strategy
    raise Http404


def _writable(user: Any, strategy_id: int) -> Strategy:
    strategy = Strategy.objects.select_related("organisation").filter(pk=strategy_id).first()
    if strategy is None:
        raise Http404
    if can(user, "organisation.edit_content", strategy.organisation):
        return strategy
    if role_of(user, strategy.organisation) is not None:
        raise PermissionDenied
    raise Http404


def _invalid(error: ValidationError) -> ApiError:
    return ApiError(422, "invalid", "; ".join(error.messages))


@router.get(
    "/organisations/{slug}/strategies",
    response={200: list[StrategyOut], 404: ErrorOut},
    auth=PUBLIC_AUTH,
)
@paginate(PageNumberPagination, page_size=settings.ZORA_API_PAGE_SIZE)
def strategies(request: HttpRequest, slug: str, status: str = "") -> Any:
    """The organisation's strategies: all of them for members, the adopted ones for others."""
    user = api_user(request)
    organisation = organisation_for_user_or_404(user, slug, "organisation.view_profile")
    if can(user, "organisation.view", organisation):
        qs = selectors.strategy_list(organisation=organisation)
    else:
        qs = selectors.strategy_list_public(organisation=organisation)
    return qs.filter(status=status) if status else qs


@router.post(
    "/organisations/{slug}/strategies",
    response={201: StrategyOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=AUTH,
)
def strategy_create(request: HttpRequest, slug: str, payload: StrategyIn) -> Any:
    organisation = organisation_for_user_or_404(
        api_user(request), slug, "organisation.edit_content"
    )
    try:
        strategy = services.strategy_create(organisation=organisation, **payload.dict())
    except ValidationError as error:
        raise _invalid(error) from error
    return Status(201, strategy)


@router.get(
    "/strategies/{strategy_id}", response={200: StrategyOut, 404: ErrorOut}, auth=PUBLIC_AUTH
)
def strategy_detail(request: HttpRequest, strategy_id: int) -> Any:
    return _readable(api_user(request), strategy_id)


@router.patch(
    "/strategies/{strategy_id}",
    response={200: StrategyOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=AUTH,
)
def strategy_patch(request: HttpRequest, strategy_id: int, payload: StrategyPatch) -> Any:
    strategy = _writable(api_user(request), strategy_id)
    try:
        return services.strategy_update(
            strategy=strategy, **{k: v for k, v in payload.dict().items() if v is not None}
        )
    except ValidationError as error:
        raise _invalid(error) from error


@router.get(
    "/strategies/{strategy_id}/tree",
    response={200: list[dict[str, Any]], 404: ErrorOut},
    auth=PUBLIC_AUTH,
)
def strategy_tree(request: HttpRequest, strategy_id: int) -> Any:
    """Priorities → objectives → actions (→ sub-actions), each node
    {"id", "kind", "code", "title", "weight", "progress", "status", "status_name", "rag",
    "children"}."""
    strategy = _readable(api_user(request), strategy_id)
    tree = selectors.strategy_tree(organisation=strategy.organisation, strategy=strategy)
    return [node.as_dict() for node in tree]


@router.get(
    "/strategies/{strategy_id}/actions",
    response={200: list[ActionOut], 404: ErrorOut},
    auth=PUBLIC_AUTH,
)
@paginate(PageNumberPagination, page_size=settings.ZORA_API_PAGE_SIZE)
def actions(
    request: HttpRequest,
    strategy_id: int,
    priority: int | None = None,
    status: str = "",
    start: date | None = None,
    end: date | None = None,
) -> Any:
    strategy = _readable(api_user(request), strategy_id)
    return selectors.action_list(
        organisation=strategy.organisation,
        strategy=strategy,
        priority=priority,
        status=status,
        start=start,
        end=end,
    )


def _action_fields(strategy: Strategy, payload: ActionIn) -> dict[str, Any]:
    data = payload.dict(exclude_unset=True)
    data.pop("funding", None)
    if "objective" in data:
        objective = Objective.objects.filter(strategy=strategy, pk=data["objective"] or 0).first()
        if objective is None:
            raise ApiError(422, "invalid", "objective: not an objective of this strategy")
        data["objective"] = objective
    if "parent" in data:
        data["parent"] = Action.objects.filter(strategy=strategy, pk=data["parent"] or 0).first()
    if "status" in data:
        data["status"] = ActionStatus.objects.filter(
            strategy=strategy, code=data["status"] or ""
        ).first()
    return {k: ("" if v is None and k in ("title_bg", "title_en") else v) for k, v in data.items()}


def _funding(strategy: Strategy, payload: ActionIn) -> list[tuple[FundingSource, Decimal]] | None:
    if payload.funding is None:
        return None
    sources = {s.code: s for s in FundingSource.objects.filter(organisation=strategy.organisation)}
    unknown = [c for c in payload.funding if c not in sources]
    if unknown:
        raise ApiError(422, "invalid", f"funding: unknown sources {', '.join(unknown)}")
    return [(sources[c], amount) for c, amount in payload.funding.items()]


def _action_out(strategy: Strategy, action_id: int) -> Action:
    return next(
        a
        for a in selectors.action_list(organisation=strategy.organisation, strategy=strategy)
        if a.pk == action_id
    )


@router.post(
    "/strategies/{strategy_id}/actions",
    response={201: ActionOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=AUTH,
)
def action_create(request: HttpRequest, strategy_id: int, payload: ActionIn) -> Any:
    strategy = _writable(api_user(request), strategy_id)
    services.funding_sources_ensure(organisation=strategy.organisation)
    try:
        action = services.action_save(
            strategy=strategy,
            funding=_funding(strategy, payload),
            **_action_fields(strategy, payload),
        )
    except ValidationError as error:
        raise _invalid(error) from error
    return Status(201, _action_out(strategy, action.pk))


@router.patch(
    "/actions/{action_id}",
    response={200: ActionOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=AUTH,
)
def action_patch(request: HttpRequest, action_id: int, payload: ActionIn) -> Any:
    found = Action.objects.filter(pk=action_id).values_list("strategy_id", flat=True).first()
    if found is None:
        raise Http404
    strategy = _writable(api_user(request), found)
    action = Action.objects.get(pk=action_id)
    try:
        services.action_save(
            strategy=strategy,
            action=action,
            funding=_funding(strategy, payload),
            **_action_fields(strategy, payload),
        )
    except ValidationError as error:
        raise _invalid(error) from error
    return _action_out(strategy, action.pk)


@router.post(
    "/actions/{action_id}/milestones",
    response={201: MilestoneOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=AUTH,
)
def milestone_create(request: HttpRequest, action_id: int, payload: MilestoneIn) -> Any:
    found = Action.objects.filter(pk=action_id).values_list("strategy_id", flat=True).first()
    if found is None:
        raise Http404
    _writable(api_user(request), found)
    try:
        stone = services.milestone_save(action=Action.objects.get(pk=action_id), **payload.dict())
    except ValidationError as error:
        raise _invalid(error) from error
    return Status(
        201,
        {
            "id": stone.pk,
            "action": stone.action_id,
            "title": stone.title,
            "title_bg": stone.title_bg,
            "title_en": stone.title_en,
            "due_on": stone.due_on,
            "done_on": stone.done_on,
        },
    )


@router.get(
    "/strategies/{strategy_id}/milestones",
    response={200: list[MilestoneOut], 404: ErrorOut},
    auth=PUBLIC_AUTH,
)
@paginate(PageNumberPagination, page_size=settings.ZORA_API_PAGE_SIZE)
def milestones(
    request: HttpRequest, strategy_id: int, start: date | None = None, end: date | None = None
) -> Any:
    strategy = _readable(api_user(request), strategy_id)
    return selectors.milestone_list(
        organisation=strategy.organisation, strategy=strategy, start=start, end=end
    )


def _kpi_dict(view: selectors.KpiView) -> dict[str, Any]:
    k = view.kpi
    return {
        "id": k.pk,
        "name": k.name,
        "name_bg": k.name_bg,
        "name_en": k.name_en,
        "unit": k.unit,
        "direction": k.direction,
        "objective": k.objective_id,
        "action": k.action_id,
        "baseline_value": k.baseline_value,
        "baseline_on": k.baseline_on,
        "target_value": k.target_value,
        "target_on": k.target_on,
        "indicator": k.indicator.code if k.indicator else None,
        "region_code": k.region_code,
        "status": view.status,
        "measurements": [
            {"measured_on": d, "value": v, "source": s, "note": n}
            for d, v, s, n in view.measurements
        ],
    }


@router.get(
    "/strategies/{strategy_id}/kpis", response={200: list[KpiOut], 404: ErrorOut}, auth=PUBLIC_AUTH
)
@paginate(PageNumberPagination, page_size=settings.ZORA_API_PAGE_SIZE)
def kpis(request: HttpRequest, strategy_id: int) -> Any:
    """KPIs with their measurements (indicator observations included) and computed status."""
    strategy = _readable(api_user(request), strategy_id)
    return [
        _kpi_dict(v)
        for v in selectors.kpi_list(organisation=strategy.organisation, strategy=strategy)
    ]


@router.post(
    "/kpis/{kpi_id}/measurements",
    response={201: KpiOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=AUTH,
)
def measurement_create(request: HttpRequest, kpi_id: int, payload: MeasurementIn) -> Any:
    found = Kpi.objects.filter(pk=kpi_id).values_list("strategy_id", flat=True).first()
    if found is None:
        raise Http404
    strategy = _writable(api_user(request), found)
    kpi = Kpi.objects.get(pk=kpi_id)
    try:
        services.measurement_add(kpi=kpi, **payload.dict())
    except ValidationError as error:
        raise _invalid(error) from error
    view = selectors.kpi_list(
        organisation=strategy.organisation, strategy=strategy, kpis=Kpi.objects.filter(pk=kpi_id)
    )[0]
    return Status(201, _kpi_dict(view))


@router.get(
    "/strategies/{strategy_id}/swot",
    response={200: dict[str, list[SwotItemOut]], 404: ErrorOut},
    auth=PUBLIC_AUTH,
)
def swot(request: HttpRequest, strategy_id: int, state: str = "accepted") -> Any:
    """{"strength": [...], "weakness": [...], "opportunity": [...], "threat": [...]}; members
    may ask for state=proposed (the drafts waiting for a decision)."""
    user = api_user(request)
    strategy = _readable(user, strategy_id)
    if state != "accepted" and not can(user, "organisation.view", strategy.organisation):
        raise Http404
    return selectors.swot_board(organisation=strategy.organisation, strategy=strategy, state=state)


@router.post(
    "/strategies/{strategy_id}/swot/draft",
    response={200: dict[str, list[SwotItemOut]], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
)
def swot_draft(request: HttpRequest, strategy_id: int) -> Any:
    """Drafts SWOT proposals from the evidence; returns the proposals waiting for a decision."""
    user = api_user(request)
    strategy = _writable(user, strategy_id)
    services.swot_draft(strategy=strategy, user=user)
    return selectors.swot_board(
        organisation=strategy.organisation, strategy=strategy, state="proposed"
    )


@router.get(
    "/strategies/{strategy_id}/export",
    response={200: dict[str, Any], 401: ErrorOut, 404: ErrorOut},
    auth=AUTH,
)
def strategy_export(request: HttpRequest, strategy_id: int) -> Any:
    """The strategy as a JSON template (members only; no personal data)."""
    user = api_user(request)
    strategy = _readable(user, strategy_id)
    if not can(user, "organisation.view", strategy.organisation):
        raise Http404
    return exports.strategy_to_json(strategy=strategy)
