"""Strategy document: the whole strategy of an organisation as it would be adopted — current
state (assessment and benchmark), the stakeholder process, SWOT with evidence, vision,
priorities and objectives, action plan, roadmap, KPIs, governance and monitoring, annexes.
Everything is read through the other apps' selectors."""

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zora.organisations.models import Organisation
from zora.reports.builders import Built, Progress
from zora.reports.figures import figure
from zora.reports.forms import RequestForm
from zora.strategy import charts as strategy_charts
from zora.strategy import selectors
from zora.strategy.models import Quadrant, Strategy

KPI_CHARTS = 12  # KPI charts drawn (every KPI is in the table)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def strategy_for(organisation: Organisation, params: dict[str, Any]) -> Strategy:
    strategy = Strategy.objects.filter(
        organisation=organisation, pk=_int(params.get("strategy")) or 0
    ).first()
    if strategy is None:
        raise ValidationError({"strategy": _("No such strategy in your organisation.")})
    return strategy


def check(organisation: Organisation, params: dict[str, Any]) -> dict[str, Any]:
    strategy_id = _int(params.get("strategy"))
    if strategy_id is None:
        latest = selectors.strategy_list(organisation=organisation).first()
        if latest is None:
            raise ValidationError({"strategy": _("The organisation has no strategy yet.")})
        strategy_id = latest.pk
    return {"strategy": strategy_for(organisation, {"strategy": strategy_id}).pk}


def title(organisation: Organisation, params: dict[str, Any]) -> str:
    return strategy_for(organisation, params).title


def describe(organisation: Organisation, params: dict[str, Any]) -> dict[str, str]:
    strategy = Strategy.objects.filter(
        organisation=organisation, pk=_int(params.get("strategy")) or 0
    ).first()
    return {"strategy": f"{strategy.title} ({strategy.period})"} if strategy else {}


class StrategyRequestForm(RequestForm):
    strategy = forms.TypedChoiceField(label=gettext_lazy("Strategy"), coerce=int)

    def __init__(self, organisation: Organisation, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["strategy"].choices = [  # type: ignore[attr-defined]
            (s.pk, f"{s.title} ({s.period})")
            for s in selectors.strategy_list(organisation=organisation)
        ]


def request_form(organisation: Organisation, data: Any, initial: dict[str, Any]) -> RequestForm:
    return StrategyRequestForm(organisation, data, initial=initial)


# --- Pieces shared with the progress report ---------------------------------------------------


def money(value: Any) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("1"))


def kpi_rows(views: list[selectors.KpiView]) -> list[dict[str, Any]]:
    labels = {
        "on_track": _("on track"),
        "at_risk": _("at risk"),
        "off_track": _("off track"),
        "no_data": _("no data"),
    }
    rows = []
    for view in views:
        kpi = view.kpi
        rows.append(
            {
                "name": kpi.name,
                "unit": kpi.unit,
                "baseline": kpi.baseline_value,
                "baseline_on": kpi.baseline_on,
                "target": kpi.target_value,
                "target_on": kpi.target_on,
                "latest": view.latest[1] if view.latest else None,
                "latest_on": view.latest[0] if view.latest else None,
                "status": view.status,
                "status_label": labels.get(view.status, view.status),
                "source": kpi.indicator.name if kpi.indicator else "",
            }
        )
    return rows


def kpi_figures(views: list[selectors.KpiView], today: date, limit: int) -> list[Any]:
    return [
        figure(
            strategy_charts.kpi_svg(view, today=today),
            _("%(kpi)s: measurements, baseline, target and the path between them.")
            % {"kpi": view.kpi.name},
        )
        for view in views[:limit]
    ]


def action_rows(actions: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "code": a.external_id,
            "title": a.title,
            "sub": bool(a.parent_id),
            "owner": a.owner,
            "starts_on": a.starts_on,
            "ends_on": a.ends_on,
            "budget": money(a.budget) if a.budget is not None else None,
            "currency": a.currency,
            "funding": [(f.source.name, money(f.amount)) for f in a.funding.all()],
            "status": a.status.name if a.status else "",
            "progress": a.progress,
            "rag": getattr(a, "rag", ""),
            "priority": f"{a.objective.priority.code} {a.objective.priority.title}".strip(),
        }
        for a in actions
    ]


def budget_rows(organisation: Organisation, strategy: Strategy) -> dict[str, Any]:
    from zora.core.charts import Bar, bars

    rows = selectors.budget_by_funding_source(organisation=organisation, strategy=strategy)
    sources = [r for r in rows if not r["code"].startswith("_")]
    total = next((r["amount"] for r in rows if r["code"] == "_total"), Decimal(0))
    unfunded = next((r["amount"] for r in rows if r["code"] == "_unfunded"), Decimal(0))
    chart = None
    if sources:
        chart = figure(
            bars(
                [Bar(r["name"], float(r["amount"]), r["is_eu"]) for r in sources]
                + ([Bar(_("Not yet funded"), float(unfunded))] if unfunded else []),
                title=_("Budget by funding source"),
                unit="EUR",
            ),
            _("Budget of the actions by funding source (EU funds highlighted), in EUR."),
        )
    return {
        "sources": [
            {
                "name": r["name"],
                "is_eu": r["is_eu"],
                "amount": money(r["amount"]),
                "share": float(r["amount"]) * 100 / float(total) if total else None,
            }
            for r in sources
        ],
        "total": money(total),
        "unfunded": money(unfunded),
        "eu": money(sum((r["amount"] for r in sources if r["is_eu"]), Decimal(0))),
        "chart": chart,
    }


# --- Sections of the strategy document ---------------------------------------------------------


def _current_state(organisation: Organisation, strategy: Strategy) -> dict[str, Any] | None:
    """The latest assessment of the organisation itself and the benchmark of its territory."""
    from zora.assessments import selectors as assessments
    from zora.assessments.models import Campaign
    from zora.core.charts import Box, box_plot
    from zora.core.i18n import current_language
    from zora.indicators import selectors as indicators

    language = current_language()
    out: dict[str, Any] = {}
    campaign = (
        Campaign.objects.filter(organisation=organisation, subjects__organisation=organisation)
        .select_related("framework")
        .order_by("-created_at")
        .first()
    )
    if campaign is not None:
        stats = assessments.campaign_statistics(campaign=campaign)
        if stats.n:
            tree = assessments.framework_tree(campaign.framework)
            level = tree.level_for(stats.overall.median)
            out["assessment"] = {
                "campaign": campaign,
                "framework": tree.title.get(language),
                "n": stats.n,
                "median": stats.overall.median,
                "level": level.title.get(language) if level else "—",
                "rows": [(d.title.get(language), s) for d, s in stats.dimensions],
                "chart": figure(
                    box_plot(
                        [
                            Box(
                                d.title.get(language),
                                s.n,
                                s.minimum,
                                s.q1,
                                s.median,
                                s.q3,
                                s.maximum,
                            )
                            for d, s in stats.dimensions
                        ],
                        title=_("Digital maturity by dimension"),
                    ),
                    _("Spread of the answers per dimension (0–100); the line is the median."),
                ),
            }
    code = strategy.region_code or organisation.region_code
    region = indicators.region_get(code) if code else None
    if region is not None:
        groups = indicators.peer_groups_for(organisation=organisation, region=region)
        peers = indicators.choose_peers(groups, None)
        rows = [
            c
            for c in indicators.scorecard(region=region, peer_codes=peers.codes)
            if c.value is not None
        ]
        ranked = sorted(
            (c for c in rows if c.percentile is not None),
            key=lambda c: c.percentile or 0,
            reverse=True,
        )
        out["benchmark"] = {
            "region": f"{region.code} {region.display_name}",
            "peers": peers.name,
            "n": len(rows),
            "strengths": ranked[:5],
            "weaknesses": list(reversed(ranked[-5:])) if len(ranked) > 5 else [],
            "targets": [c for c in rows if c.indicator.target_value is not None],
        }
    return out or None


def _stakeholders(organisation: Organisation) -> dict[str, Any] | None:
    from zora.participation import selectors as participation
    from zora.stakeholders import selectors as stakeholders
    from zora.stakeholders.models import StakeholderType

    types = dict(StakeholderType.choices)
    by_type = [
        (str(types.get(row["type"], row["type"])), row["n"])
        for row in stakeholders.stakeholder_list(organisation=organisation)
        .order_by()
        .values("type")
        .annotate(n=Count("id"))
        .order_by("-n")
    ]
    interviews = stakeholders.interview_list(organisation=organisation)
    events = list(stakeholders.event_list(organisation=organisation)[:30])
    codes = [c for c in stakeholders.code_frequencies(organisation=organisation) if c["count"]][:12]
    consultations = []
    for consultation in participation.consultation_list(organisation=organisation).annotate(
        n_proposals=Count("proposals", distinct=True)
    ):
        figures = consultation.proposals.aggregate(
            supports=Sum("supports_count"), comments=Count("comments")
        )
        consultations.append(
            {
                "title": consultation.title,
                "proposals": consultation.n_proposals,
                "supports": figures["supports"] or 0,
                "comments": figures["comments"] or 0,
                "topics": list(consultation.topics.all()[:12]),
            }
        )
    if not (by_type or events or consultations or interviews.exists()):
        return None
    return {
        "by_type": by_type,
        "stakeholders": sum(n for _t, n in by_type),
        "interviews": interviews.count(),
        "codes": codes,
        "events": events,
        "consultations": consultations,
    }


def build(organisation: Organisation, params: dict[str, Any], progress: Progress) -> Built:
    strategy = strategy_for(organisation, params)
    today = timezone.localdate()
    progress(0.05, _("Current state"))
    current = _current_state(organisation, strategy)
    progress(0.25, _("Stakeholder process"))
    process = _stakeholders(organisation)
    progress(0.35, _("SWOT"))
    board = selectors.swot_board(organisation=organisation, strategy=strategy)
    quadrant_labels = dict(Quadrant.choices)
    swot = [
        {"code": q, "title": str(quadrant_labels[q]), "items": board.get(q, [])}
        for q in Quadrant.values
    ]
    vision = selectors.vision_current(organisation=organisation, strategy=strategy)
    progress(0.45, _("Action plan"))
    tree = selectors.strategy_tree(organisation=organisation, strategy=strategy, today=today)
    actions = [n.obj for n in selectors.walk(tree) if n.kind == "action"]
    milestones = list(selectors.milestone_list(organisation=organisation, strategy=strategy))
    plan: dict[str, list[dict[str, Any]]] = {}
    for row in action_rows(actions):
        plan.setdefault(row["priority"], []).append(row)
    budget = budget_rows(organisation, strategy)
    progress(0.6, _("Roadmap"))
    gantt = figure(
        strategy_charts.strategy_gantt(
            strategy=strategy, actions=actions, milestones=milestones, today=today
        ),
        _("Roadmap: each action from its start to its end, with its milestones."),
    )
    progress(0.7, _("KPIs"))
    views = selectors.kpi_list(organisation=organisation, strategy=strategy, today=today)
    steps = selectors.phase_tracker(organisation=organisation, strategy=strategy)
    proposals = selectors.proposals_linked(organisation=organisation, strategy=strategy)
    rag = {
        c: sum(1 for a in actions if getattr(a, "rag", "") == c) for c in ("green", "amber", "red")
    }
    return Built(
        title=strategy.title,
        subtitle=_("Strategy %(period)s") % {"period": strategy.period},
        facts=[
            (_("Period"), strategy.period),
            (_("Status"), strategy.get_status_display()),
            *(
                [(_("Adopted on"), strategy.adopted_on.strftime("%d.%m.%Y"))]
                if strategy.adopted_on
                else []
            ),
        ],
        sections={
            "summary": {
                "strategy": strategy,
                "priorities": len(tree),
                "objectives": sum(len(p.children) for p in tree),
                "actions": len(actions),
                "kpis": len(views),
                "budget": budget["total"],
                "eu": budget["eu"],
                "vision": vision,
                "tree": tree,
                "rag": rag,
            },
            "current_state": current,
            "stakeholders": process,
            "swot": {"quadrants": swot} if any(q["items"] for q in swot) else None,
            "vision": {"vision": vision} if vision else None,
            "priorities": {"tree": tree} if tree else None,
            "action_plan": {"groups": list(plan.items()), "budget": budget} if plan else None,
            "roadmap": {"chart": gantt, "milestones": len(milestones)} if actions else None,
            "kpis": {"rows": kpi_rows(views), "charts": kpi_figures(views, today, KPI_CHARTS)}
            if views
            else None,
            "governance": {"steps": steps, "strategy": strategy, "kpis": len(views)},
            "annexes": {"milestones": milestones, "proposals": proposals, "budget": budget},
        },
    )
