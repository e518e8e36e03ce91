"""Strategy pages: the organisation's side (/o/<slug>/plan/…) and the public accountability
pages of adopted strategies (/strategies/…). Thin: permissions, forms, services, templates."""

import json
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from zora.core.forms import add_errors
from zora.organisations.permissions import can
from zora.organisations.tenancy import get_for_org_or_404, organisation_for_user_or_404
from zora.strategy import exports, selectors, services
from zora.strategy.charts import kpi_svg, strategy_gantt
from zora.strategy.forms import (
    ActionForm,
    EvidenceForm,
    FundingSourceForm,
    ImportForm,
    KpiForm,
    MeasurementForm,
    MilestoneForm,
    NewStrategyForm,
    NodeForm,
    ObjectiveForm,
    ProposalLinkForm,
    StatusForm,
    StepForm,
    StrategyForm,
    SwotItemForm,
    TemplateImportForm,
    VisionForm,
)
from zora.strategy.models import (
    Action,
    EvidenceLink,
    Kpi,
    Measurement,
    Milestone,
    Objective,
    Priority,
    Quadrant,
    Strategy,
    StrategyStatus,
    SwotItem,
    VisionStatement,
)

PAGE_SIZE = 25


def _org(request: HttpRequest, slug: str, action: str = "organisation.view") -> Any:
    organisation = organisation_for_user_or_404(request.user, slug, action)
    request.organisation = organisation  # type: ignore[attr-defined]
    return organisation


def _strategy(
    request: HttpRequest, slug: str, strategy_id: int, action: str = "organisation.view"
) -> tuple[Any, Strategy]:
    organisation = _org(request, slug, action)
    return organisation, get_for_org_or_404(Strategy, organisation, pk=strategy_id)


def _editing(request: HttpRequest, slug: str, strategy_id: int) -> tuple[Any, Strategy]:
    """GET needs a member; POST an editor."""
    action = "organisation.edit_content" if request.method == "POST" else "organisation.view"
    return _strategy(request, slug, strategy_id, action)


def _context(
    request: HttpRequest, organisation: Any, strategy: Strategy | None, **extra: Any
) -> dict[str, Any]:
    return {
        "organisation": organisation,
        "strategy": strategy,
        "can_edit": can(request.user, "organisation.edit_content", organisation),
        **extra,
    }


def _error(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _int(value: Any) -> int | None:
    return int(value) if str(value or "").isdigit() else None


def _date_param(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


# --- Strategies -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def strategy_list(request: HttpRequest, slug: str) -> HttpResponse:
    action = "organisation.edit_content" if request.method == "POST" else "organisation.view"
    organisation = _org(request, slug, action)
    form = NewStrategyForm(
        request.POST or None,
        initial={"region_code": organisation.region_code, "with_defaults": True},
    )
    if request.method == "POST" and form.is_valid():
        try:
            strategy = services.strategy_create(organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The strategy was created."))
            return redirect("strategy_detail", slug=organisation.slug, strategy_id=strategy.pk)
    page = Paginator(selectors.strategy_list(organisation=organisation), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "strategy/strategy_list.html",
        _context(
            request, organisation, None, page=page, form=form, template_form=TemplateImportForm()
        ),
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def strategy_template_import(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _org(request, slug, "organisation.edit_content")
    form = TemplateImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            data = json.loads(form.cleaned_data["file"].read().decode("utf-8"))
            strategy = services.strategy_import_template(organisation=organisation, data=data)
        except (ValueError, UnicodeDecodeError):
            messages.error(request, _("The file is not JSON."))
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, _("The strategy was created from the template."))
            return redirect("strategy_detail", slug=organisation.slug, strategy_id=strategy.pk)
    else:
        messages.error(request, _("Choose a JSON file."))
    return redirect("strategy_list", slug=organisation.slug)


@login_required
@require_http_methods(["GET", "POST"])
def strategy_detail(request: HttpRequest, slug: str, strategy_id: int) -> HttpResponse:
    organisation, strategy = _editing(request, slug, strategy_id)
    priority_form, objective_form = (
        NodeForm(prefix="p"),
        ObjectiveForm(prefix="o", strategy=strategy),
    )
    if request.method == "POST":
        what = request.POST.get("what")
        try:
            if what == "priority":
                priority_form = NodeForm(request.POST, prefix="p")
                if priority_form.is_valid():
                    services.priority_save(strategy=strategy, **priority_form.cleaned_data)
                    messages.success(request, _("The priority was added."))
                    return redirect(request.path)
            elif what == "objective":
                objective_form = ObjectiveForm(request.POST, prefix="o", strategy=strategy)
                if objective_form.is_valid():
                    services.objective_save(strategy=strategy, **objective_form.cleaned_data)
                    messages.success(request, _("The objective was added."))
                    return redirect(request.path)
            elif what == "step":
                step_form = StepForm(request.POST)
                if step_form.is_valid():
                    services.step_update(strategy=strategy, **step_form.cleaned_data)
                    messages.success(request, _("The step was saved."))
                return redirect(request.path + "#steps")
        except ValidationError as error:
            add_errors(priority_form if what == "priority" else objective_form, error)
    tree = selectors.strategy_tree(organisation=organisation, strategy=strategy)
    return render(
        request,
        "strategy/strategy_detail.html",
        _context(
            request,
            organisation,
            strategy,
            tree=tree,
            steps=selectors.phase_tracker(organisation=organisation, strategy=strategy),
            vision=selectors.vision_current(organisation=organisation, strategy=strategy),
            late=selectors.late_and_at_risk_actions(organisation=organisation, strategy=strategy)[
                :10
            ],
            budget=selectors.budget_by_funding_source(organisation=organisation, strategy=strategy),
            priority_form=priority_form,
            objective_form=objective_form,
        ),
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def strategy_edit(request: HttpRequest, slug: str, strategy_id: int) -> HttpResponse:
    organisation, strategy = _strategy(request, slug, strategy_id, "organisation.edit_content")
    form = StrategyForm.for_strategy(strategy, request.POST or None)
    if request.method == "POST":
        if request.POST.get("what") == "delete":
            services.strategy_delete(strategy=strategy)
            messages.success(request, _("The strategy was deleted."))
            return redirect("strategy_list", slug=organisation.slug)
        if form.is_valid():
            try:
                services.strategy_update(strategy=strategy, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The strategy was saved."))
                return redirect("strategy_detail", slug=organisation.slug, strategy_id=strategy.pk)
    return render(
        request,
        "strategy/form.html",
        _context(
            request, organisation, strategy, form=form, title=_("Edit the strategy"), deletable=True
        ),
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def node_edit(
    request: HttpRequest, slug: str, strategy_id: int, kind: str, node_id: int
) -> HttpResponse:
    organisation, strategy = _strategy(request, slug, strategy_id, "organisation.edit_content")
    model: Any = {"priority": Priority, "objective": Objective}.get(kind)
    if model is None:
        raise Http404
    node = get_object_or_404(model, strategy=strategy, pk=node_id)
    initial = {n: getattr(node, n) for n in NodeForm.base_fields}
    if kind == "objective":
        form: NodeForm = ObjectiveForm(
            request.POST or None,
            strategy=strategy,
            initial={**initial, "priority": node.priority_id},
        )  # type: ignore[attr-defined]
    else:
        form = NodeForm(request.POST or None, initial=initial)
    back = reverse("strategy_detail", args=[organisation.slug, strategy.pk])
    if request.method == "POST":
        if request.POST.get("what") == "delete":
            if kind == "priority":
                services.priority_delete(priority=node)  # type: ignore[arg-type]
            else:
                services.objective_delete(objective=node)  # type: ignore[arg-type]
            messages.success(request, _("Deleted."))
            return redirect(back)
        if form.is_valid():
            try:
                if kind == "priority":
                    services.priority_save(strategy=strategy, priority=node, **form.cleaned_data)  # type: ignore[arg-type]
                else:
                    services.objective_save(strategy=strategy, objective=node, **form.cleaned_data)  # type: ignore[arg-type]
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(back)
    title = _("Edit the priority") if kind == "priority" else _("Edit the objective")
    return render(
        request,
        "strategy/form.html",
        _context(request, organisation, strategy, form=form, title=title, deletable=True),
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def statuses(request: HttpRequest, slug: str, strategy_id: int) -> HttpResponse:
    organisation, strategy = _editing(request, slug, strategy_id)
    form = StatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.status_save(strategy=strategy, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The status was saved."))
            return redirect(request.path)
    return render(
        request,
        "strategy/statuses.html",
        _context(
            request,
            organisation,
            strategy,
            form=form,
            statuses=selectors.statuses(organisation=organisation, strategy=strategy),
        ),
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def funding_sources(request: HttpRequest, slug: str) -> HttpResponse:
    action = "organisation.edit_content" if request.method == "POST" else "organisation.view"
    organisation = _org(request, slug, action)
    services.funding_sources_ensure(organisation=organisation)
    form = FundingSourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.funding_source_save(organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The funding source was saved."))
            return redirect(request.path)
    return render(
        request,
        "strategy/funding_sources.html",
        _context(
            request,
            organisation,
            None,
            form=form,
            sources=selectors.funding_sources(organisation=organisation),
        ),
        status=400 if request.method == "POST" else 200,
    )


# --- SWOT -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def swot(request: HttpRequest, slug: str, strategy_id: int) -> HttpResponse:
    organisation, strategy = _editing(request, slug, strategy_id)
    form = SwotItemForm(request.POST if request.POST.get("what") == "create" else None)
    if request.method == "POST":
        what = request.POST.get("what", "")
        item = None
        if request.POST.get("item"):
            item = SwotItem.objects.filter(
                strategy=strategy, pk=_int(request.POST["item"]) or 0
            ).first()
            if item is None:
                raise Http404
        try:
            if what == "create" and form.is_valid():
                services.swot_item_save(strategy=strategy, user=request.user, **form.cleaned_data)
                messages.success(request, _("The item was added."))
                return redirect(request.path)
            if what == "draft":
                created = services.swot_draft(strategy=strategy, user=request.user)
                messages.success(
                    request,
                    ngettext(
                        "%(n)s new proposal from the evidence; accept or discard it below.",
                        "%(n)s new proposals from the evidence; accept or discard them below.",
                        len(created),
                    )
                    % {"n": len(created)},
                )
                return redirect(request.path + "#proposals")
            if item is not None and what == "accept":
                services.swot_item_accept(
                    item=item,
                    quadrant=request.POST.get("quadrant") or None,
                    text_bg=request.POST.get("text_bg"),
                    text_en=request.POST.get("text_en"),
                    weight=request.POST.get("weight"),
                )
                messages.success(request, _("The item is on the board."))
                return redirect(request.path + "#proposals")
            if item is not None and what == "discard":
                services.swot_item_discard(item=item)
                messages.success(request, _("The item was discarded."))
                return redirect(request.path + ("#proposals" if item.state == "proposed" else ""))
            if item is not None and what in ("up", "down"):
                services.swot_move(item=item, direction=what)
                return redirect(request.path + f"#item-{item.pk}")
        except ValidationError as error:
            add_errors(form, error) if what == "create" else _error(request, error)
    board = selectors.swot_board(organisation=organisation, strategy=strategy)
    proposed = selectors.swot_board(
        organisation=organisation, strategy=strategy, state=SwotItem.State.PROPOSED
    )
    return render(
        request,
        "strategy/swot.html",
        _context(
            request,
            organisation,
            strategy,
            form=form,
            quadrants=[(code, label, board[code]) for code, label in Quadrant.choices],
            proposals=[
                (code, label, proposed[code]) for code, label in Quadrant.choices if proposed[code]
            ],
            quadrant_choices=Quadrant.choices,
        ),
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def swot_reorder(request: HttpRequest, slug: str, strategy_id: int) -> HttpResponse:
    """The drag-and-drop endpoint (strategy.js): quadrant and the ids in their new order."""
    organisation, strategy = _strategy(request, slug, strategy_id, "organisation.edit_content")
    ids = [int(i) for i in request.POST.get("ids", "").split(",") if i.strip().isdigit()]
    try:
        services.swot_reorder(strategy=strategy, quadrant=request.POST.get("quadrant", ""), ids=ids)
    except ValidationError as error:
        return JsonResponse({"detail": error.messages[0], "code": "invalid"}, status=400)
    return JsonResponse({"ok": True})


@login_required
@require_http_methods(["GET", "POST"])
def swot_item(request: HttpRequest, slug: str, strategy_id: int, item_id: int) -> HttpResponse:
    organisation, strategy = _editing(request, slug, strategy_id)
    item = get_object_or_404(SwotItem, strategy=strategy, pk=item_id)
    what = request.POST.get("what", "")
    form = SwotItemForm(
        request.POST if request.method == "POST" and what == "save" else None,
        initial={
            "quadrant": item.quadrant,
            "text_bg": item.text_bg,
            "text_en": item.text_en,
            "weight": item.weight,
        },
    )
    evidence_form = EvidenceForm(request.POST if what == "evidence" else None)
    if request.method == "POST":
        try:
            if what == "save" and form.is_valid():
                services.swot_item_save(strategy=strategy, item=item, **form.cleaned_data)
                messages.success(request, _("Saved."))
                return redirect(request.path)
            if what == "evidence" and evidence_form.is_valid():
                services.evidence_add(
                    item=item,
                    **{
                        k: v if v is not None else ""
                        for k, v in evidence_form.cleaned_data.items()
                        if k != "value"
                    },
                    value=evidence_form.cleaned_data["value"],
                )
                messages.success(request, _("The evidence was added."))
                return redirect(request.path)
            if what == "remove_evidence":
                link = EvidenceLink.objects.filter(
                    item=item, pk=_int(request.POST.get("link")) or 0
                ).first()
                if link is not None:
                    services.evidence_remove(link=link)
                return redirect(request.path)
        except ValidationError as error:
            add_errors(evidence_form if what == "evidence" else form, error)
    return render(
        request,
        "strategy/swot_item.html",
        _context(
            request, organisation, strategy, item=item, form=form, evidence_form=evidence_form
        ),
        status=400 if request.method == "POST" else 200,
    )


# --- Vision -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def vision(request: HttpRequest, slug: str, strategy_id: int) -> HttpResponse:
    organisation, strategy = _editing(request, slug, strategy_id)
    current = selectors.vision_current(organisation=organisation, strategy=strategy)
    initial = {}
    if current is not None:
        initial = {
            n: getattr(current, n) for n in ("vision_bg", "vision_en", "ambition_bg", "ambition_en")
        }
    form = VisionForm(request.POST if request.POST.get("what") == "save" else None, initial=initial)
    if request.method == "POST":
        what = request.POST.get("what")
        try:
            if what == "save" and form.is_valid():
                services.vision_save(strategy=strategy, user=request.user, **form.cleaned_data)
                messages.success(request, _("A new version of the vision was saved."))
                return redirect(request.path)
            if what == "open":
                version = VisionStatement.objects.filter(
                    strategy=strategy, pk=_int(request.POST.get("version")) or 0
                ).first()
                if version is None:
                    raise Http404
                proposal_id = services.vision_open_for_comments(vision=version, user=request.user)
                messages.success(request, _("The vision is open for comments."))
                return redirect("proposal_detail", proposal_id=proposal_id)
        except ValidationError as error:
            add_errors(form, error)
        except PermissionDenied as error:
            messages.error(request, str(error))
    return render(
        request,
        "strategy/vision.html",
        _context(
            request,
            organisation,
            strategy,
            form=form,
            versions=selectors.vision_versions(organisation=organisation, strategy=strategy),
        ),
        status=400 if request.method == "POST" and not form.is_valid() else 200,
    )


# --- Actions, milestones, KPIs ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def action_form(
    request: HttpRequest, slug: str, strategy_id: int, action_id: int | None = None
) -> HttpResponse:
    organisation, strategy = _editing(request, slug, strategy_id)
    sources = services.funding_sources_ensure(organisation=organisation)
    action = None
    if action_id is not None:
        action = (
            Action.objects.filter(strategy=strategy, pk=action_id)
            .select_related("objective__priority", "status", "owner_organisation", "parent")
            .prefetch_related("funding__source", "depends_on", "swot_items")
            .first()
        )
        if action is None:
            raise Http404
    elif request.method == "GET" and not can(
        request.user, "organisation.edit_content", organisation
    ):
        raise PermissionDenied
    what = request.POST.get("what", "save")
    initial: dict[str, Any] = (
        ActionForm.initial_for(action) if action else {"currency": "EUR", "weight": 1.0}
    )
    if action is None and request.GET.get("objective"):
        initial["objective"] = _int(request.GET["objective"])
    form = ActionForm(
        request.POST if request.method == "POST" and what == "save" else None,
        strategy=strategy,
        sources=sources,
        action=action,
        initial=initial,
    )
    milestone_form = MilestoneForm(request.POST if what == "milestone" else None, prefix="m")
    link_form = ProposalLinkForm(request.POST if what == "link" else None, prefix="l")
    if request.method == "POST":
        try:
            if what == "save" and form.is_valid():
                saved = services.action_save(
                    strategy=strategy,
                    action=action,
                    funding=form.funding(),
                    depends_on=list(form.cleaned_data["depends_on"]),
                    swot_items=list(form.cleaned_data["swot_items"]),
                    **form.action_fields(),
                )
                messages.success(request, _("The action was saved."))
                return redirect(
                    "strategy_action",
                    slug=organisation.slug,
                    strategy_id=strategy.pk,
                    action_id=saved.pk,
                )
            if action is not None and what == "delete":
                services.action_delete(action=action)
                messages.success(request, _("The action was deleted."))
                return redirect("strategy_detail", slug=organisation.slug, strategy_id=strategy.pk)
            if action is not None and what == "milestone" and milestone_form.is_valid():
                services.milestone_save(action=action, **milestone_form.cleaned_data)
                messages.success(request, _("The milestone was added."))
                return redirect(request.path + "#milestones")
            if action is not None and what in ("milestone_done", "milestone_delete"):
                stone = Milestone.objects.filter(
                    action=action, pk=_int(request.POST.get("milestone")) or 0
                ).first()
                if stone is None:
                    raise Http404
                if what == "milestone_delete":
                    services.milestone_delete(milestone=stone)
                else:
                    services.milestone_save(
                        action=action,
                        milestone=stone,
                        title_bg=stone.title_bg,
                        title_en=stone.title_en,
                        due_on=stone.due_on,
                        done_on=None if stone.done_on else timezone.localdate(),
                    )
                return redirect(request.path + "#milestones")
            if action is not None and what == "link" and link_form.is_valid():
                from zora.participation.models import Proposal

                proposal = (
                    Proposal.objects.select_related("consultation", "author")
                    .filter(
                        pk=link_form.cleaned_data["proposal"],
                        consultation__organisation=organisation,
                    )
                    .first()
                )
                if proposal is None:
                    link_form.add_error(
                        "proposal", _("No proposal of your consultations has this number.")
                    )
                else:
                    services.proposal_link(action=action, proposal=proposal)
                    messages.success(request, _("The proposal was linked; its author was told."))
                    return redirect(request.path + "#proposals")
            if action is not None and what == "unlink":
                services.proposal_unlink(
                    action=action, proposal_id=_int(request.POST.get("proposal")) or 0
                )
                return redirect(request.path + "#proposals")
        except ValidationError as error:
            target = {"milestone": milestone_form, "link": link_form}.get(what, form)
            add_errors(target, error)
    kpis = (
        selectors.kpi_list(
            organisation=organisation, strategy=strategy, kpis=Kpi.objects.filter(action=action)
        )
        if action
        else []
    )
    return render(
        request,
        "strategy/action.html",
        _context(
            request,
            organisation,
            strategy,
            action=action,
            form=form,
            milestone_form=milestone_form,
            link_form=link_form,
            milestones=list(action.milestones.all()) if action else [],
            proposals=list(action.proposal_links.select_related("proposal")) if action else [],
            kpis=kpis,
        ),
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def kpi_form(
    request: HttpRequest, slug: str, strategy_id: int, kpi_id: int | None = None
) -> HttpResponse:
    organisation, strategy = _editing(request, slug, strategy_id)
    kpi = None
    if kpi_id is not None:
        kpi = get_object_or_404(Kpi, strategy=strategy, pk=kpi_id)
    elif request.method == "GET" and not can(
        request.user, "organisation.edit_content", organisation
    ):
        raise PermissionDenied
    what = request.POST.get("what", "save")
    fields = (
        "name_bg",
        "name_en",
        "unit",
        "direction",
        "baseline_value",
        "baseline_on",
        "target_value",
        "target_on",
        "region_code",
    )
    initial: dict[str, Any] = {n: getattr(kpi, n) for n in fields} if kpi else {}
    if kpi:
        initial.update(objective=kpi.objective_id, action=kpi.action_id, indicator=kpi.indicator_id)
    else:
        initial.update(
            objective=_int(request.GET.get("objective")), action=_int(request.GET.get("action"))
        )
    form = KpiForm(
        request.POST if request.method == "POST" and what == "save" else None,
        strategy=strategy,
        initial=initial,
    )
    measurement_form = MeasurementForm(request.POST if what == "measurement" else None, prefix="v")
    if request.method == "POST":
        try:
            if what == "save" and form.is_valid():
                saved = services.kpi_save(strategy=strategy, kpi=kpi, **form.cleaned_data)
                messages.success(request, _("The KPI was saved."))
                return redirect(
                    "strategy_kpi", slug=organisation.slug, strategy_id=strategy.pk, kpi_id=saved.pk
                )
            if kpi is not None and what == "measurement" and measurement_form.is_valid():
                services.measurement_add(kpi=kpi, **measurement_form.cleaned_data)
                messages.success(request, _("The measurement was added."))
                return redirect(request.path)
            if kpi is not None and what == "measurement_delete":
                row = Measurement.objects.filter(
                    kpi=kpi, pk=_int(request.POST.get("measurement")) or 0
                ).first()
                if row is not None:
                    services.measurement_delete(measurement=row)
                return redirect(request.path)
            if kpi is not None and what == "delete":
                services.kpi_delete(kpi=kpi)
                messages.success(request, _("The KPI was deleted."))
                return redirect("strategy_detail", slug=organisation.slug, strategy_id=strategy.pk)
        except ValidationError as error:
            add_errors(measurement_form if what == "measurement" else form, error)
    view = None
    chart = None
    if kpi is not None:
        view = selectors.kpi_list(
            organisation=organisation, strategy=strategy, kpis=Kpi.objects.filter(pk=kpi.pk)
        )[0]
        chart = kpi_svg(view, today=timezone.localdate())
    return render(
        request,
        "strategy/kpi.html",
        _context(
            request,
            organisation,
            strategy,
            kpi=kpi,
            view=view,
            chart=chart,
            form=form,
            measurement_form=measurement_form,
            own_measurements=list(kpi.measurements.all()) if kpi else [],
        ),
        status=400 if request.method == "POST" else 200,
    )


@login_required
def kpis(request: HttpRequest, slug: str, strategy_id: int) -> HttpResponse:
    organisation, strategy = _strategy(request, slug, strategy_id)
    views = selectors.kpi_list(organisation=organisation, strategy=strategy)
    page = Paginator(views, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "strategy/kpis.html", _context(request, organisation, strategy, page=page)
    )


# --- Roadmap ----------------------------------------------------------------------------------


def _filters(request: HttpRequest) -> dict[str, Any]:
    return {
        "priority": _int(request.GET.get("priority")),
        "status": request.GET.get("status", "")[:40],
        "start": _date_param(request.GET.get("start", "")),
        "end": _date_param(request.GET.get("end", "")),
    }


@login_required
def roadmap(request: HttpRequest, slug: str, strategy_id: int) -> HttpResponse:
    organisation, strategy = _strategy(request, slug, strategy_id)
    filters = _filters(request)
    today = timezone.localdate()
    actions = selectors.action_list(
        organisation=organisation, strategy=strategy, today=today, **filters
    )
    action_ids = {a.pk for a in actions}
    stones = [
        m
        for m in selectors.milestone_list(
            organisation=organisation,
            strategy=strategy,
            priority=filters["priority"],
            start=filters["start"],
            end=filters["end"],
        )
        if m.action_id in action_ids
    ]
    months: dict[date, list[Milestone]] = {}
    for m in stones:
        months.setdefault(m.due_on.replace(day=1), []).append(m)
    return render(
        request,
        "strategy/roadmap.html",
        _context(
            request,
            organisation,
            strategy,
            filters=filters,
            priorities=Priority.objects.filter(strategy=strategy),
            statuses=selectors.statuses(organisation=organisation, strategy=strategy),
            gantt=strategy_gantt(
                strategy=strategy,
                actions=actions,
                milestones=stones,
                today=today,
                start=filters["start"],
                end=filters["end"],
            ),
            actions=actions,
            months=list(months.items()),
            today=today,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def actions_import(request: HttpRequest, slug: str, strategy_id: int) -> HttpResponse:
    organisation, strategy = _strategy(request, slug, strategy_id, "organisation.edit_content")
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            counts = services.actions_import(
                strategy=strategy, data=upload.read(), file_name=upload.name
            )
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(
                request,
                _("Imported: %(created)s actions created, %(updated)s updated.") % counts,
            )
            return redirect("strategy_roadmap", slug=organisation.slug, strategy_id=strategy.pk)
    return render(
        request,
        "strategy/import.html",
        _context(request, organisation, strategy, form=form, problems=problems),
        status=400 if request.method == "POST" else 200,
    )


@login_required
def actions_export(request: HttpRequest, slug: str, strategy_id: int, fmt: str) -> HttpResponse:
    organisation, strategy = _strategy(request, slug, strategy_id)
    if fmt == "xlsx":
        response = HttpResponse(
            exports.actions_xlsx(strategy=strategy),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    elif fmt == "csv":
        response = HttpResponse(
            exports.actions_csv(strategy=strategy), content_type="text/csv; charset=utf-8"
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="strategy-{strategy.pk}-actions.{fmt}"'
    return response


@login_required
def strategy_export(request: HttpRequest, slug: str, strategy_id: int) -> HttpResponse:
    organisation, strategy = _strategy(request, slug, strategy_id)
    response = JsonResponse(
        exports.strategy_to_json(strategy=strategy),
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    )
    response["Content-Disposition"] = f'attachment; filename="strategy-{strategy.pk}.json"'
    return response


@login_required
def history(request: HttpRequest, slug: str, strategy_id: int) -> HttpResponse:
    organisation, strategy = _strategy(request, slug, strategy_id)
    start, end = _date_param(request.GET.get("start", "")), _date_param(request.GET.get("end", ""))
    changes = selectors.changes_between(
        organisation=organisation, strategy=strategy, start=start, end=end
    )
    page = Paginator(changes, 50).get_page(request.GET.get("page"))
    query = "&".join(f"{k}={v}" for k, v in (("start", start), ("end", end)) if v)
    return render(
        request,
        "strategy/history.html",
        _context(request, organisation, strategy, page=page, start=start, end=end, query=query),
    )


# --- Public accountability ---------------------------------------------------------------------


def _public_strategy(request: HttpRequest, strategy_id: int) -> Strategy:
    """Adopted strategies of public organisations are public; members also see their own
    organisation's strategies in any status (a preview). Everyone else gets 404."""
    strategy = get_object_or_404(Strategy.objects.select_related("organisation"), pk=strategy_id)
    if can(request.user, "organisation.view", strategy.organisation):
        return strategy
    if strategy.status == StrategyStatus.ADOPTED and strategy.organisation.is_public:
        return strategy
    raise Http404


def public_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.strategy_list_public(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "strategy/public_list.html", {"page": page})


def public_detail(request: HttpRequest, strategy_id: int) -> HttpResponse:
    strategy = _public_strategy(request, strategy_id)
    organisation = strategy.organisation
    filters = _filters(request)
    today = timezone.localdate()
    tree = selectors.strategy_tree(
        organisation=organisation,
        strategy=strategy,
        priority=filters["priority"],
        status=filters["status"],
        today=today,
    )
    actions = [n.obj for n in selectors.walk(tree) if n.kind == "action"]
    action_ids = {a.pk for a in actions}
    kpi_views = [
        v
        for v in selectors.kpi_list(organisation=organisation, strategy=strategy, today=today)
        if (filters["priority"] is None and not filters["status"])
        or (v.kpi.action_id in action_ids)
        or (v.kpi.objective_id and any(a.objective_id == v.kpi.objective_id for a in actions))
    ]
    stones = [
        m
        for m in selectors.milestone_list(organisation=organisation, strategy=strategy)
        if m.action_id in action_ids
    ]
    return render(
        request,
        "strategy/public_detail.html",
        {
            "strategy": strategy,
            "organisation": organisation,
            "tree": tree,
            "flat": selectors.walk(tree),
            "filters": filters,
            "priorities": Priority.objects.filter(strategy=strategy),
            "statuses": selectors.statuses(organisation=organisation, strategy=strategy),
            "kpis": [(v, kpi_svg(v, today=today)) for v in kpi_views],
            "milestones": stones,
            "vision": selectors.vision_current(organisation=organisation, strategy=strategy),
            "swot": selectors.swot_board(organisation=organisation, strategy=strategy),
            "quadrants": Quadrant.choices,
            "proposals": selectors.proposals_linked(organisation=organisation, strategy=strategy),
            "budget": selectors.budget_by_funding_source(
                organisation=organisation, strategy=strategy
            ),
            "gantt": strategy_gantt(
                strategy=strategy, actions=actions, milestones=stones, today=today
            ),
            "today": today,
            "is_preview": strategy.status != StrategyStatus.ADOPTED,
        },
    )
