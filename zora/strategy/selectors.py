"""Reads for strategies (pages, API, and the reports app's strategy document and progress
report). Every function takes the organisation first and returns plain data or model
instances with what they need prefetched; none computes the progress roll-up (it is stored on
each node by `services.strategy_recompute`).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zora.strategy import rules
from zora.strategy.models import (
    Action,
    ActionFunding,
    ActionProposal,
    ActionStatus,
    FundingSource,
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


def strategy_list(*, organisation: Any) -> QuerySet[Strategy]:
    """The organisation's strategies, newest period first."""
    return Strategy.objects.filter(organisation=organisation).select_related("organisation")


def strategy_list_public(*, organisation: Any = None) -> QuerySet[Strategy]:
    """Adopted strategies of public organisations (optionally of one organisation)."""
    qs = Strategy.objects.filter(
        status=StrategyStatus.ADOPTED, organisation__is_public=True
    ).select_related("organisation")
    return qs.filter(organisation=organisation) if organisation is not None else qs


def statuses(*, organisation: Any, strategy: Strategy) -> list[ActionStatus]:
    return list(ActionStatus.objects.filter(strategy=strategy))


def funding_sources(*, organisation: Any) -> list[FundingSource]:
    return list(FundingSource.objects.filter(organisation=organisation))


def vision_current(*, organisation: Any, strategy: Strategy) -> VisionStatement | None:
    return VisionStatement.objects.filter(strategy=strategy).first()


def vision_versions(*, organisation: Any, strategy: Strategy) -> QuerySet[VisionStatement]:
    return VisionStatement.objects.filter(strategy=strategy).select_related("created_by")


# --- Actions ----------------------------------------------------------------------------------


def _action_queryset(strategy: Strategy) -> QuerySet[Action]:
    return (
        Action.objects.filter(strategy=strategy)
        .select_related("status", "owner_organisation", "objective__priority", "parent")
        .prefetch_related(
            Prefetch("funding", queryset=ActionFunding.objects.select_related("source")),
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_on", "id")),
            Prefetch(
                "proposal_links",
                queryset=ActionProposal.objects.select_related("proposal__consultation"),
            ),
            Prefetch(
                "depends_on",
                queryset=Action.objects.only("id", "external_id", "title_bg", "title_en"),
            ),
        )
    )


def _annotate_action(action: Action, today: date) -> Action:
    status = action.status
    action.rag = rules.action_rag(  # type: ignore[attr-defined]
        starts_on=action.starts_on,
        ends_on=action.ends_on,
        progress=action.progress,
        milestones=[(m.due_on, m.done_on) for m in action.milestones.all()],
        today=today,
        done=bool(status and status.is_done),
        cancelled=bool(status and status.is_cancelled),
    )
    action.funding_total = sum(  # type: ignore[attr-defined]
        (f.amount for f in action.funding.all()), Decimal(0)
    )
    return action


def action_list(
    *,
    organisation: Any,
    strategy: Strategy,
    priority: int | None = None,
    status: str = "",
    start: date | None = None,
    end: date | None = None,
    today: date | None = None,
) -> list[Action]:
    """Actions in tree order (priority, objective, position) with owner, dates, status, budget,
    funding (`action.funding.all()`, each with `.source`), milestones, linked proposals,
    dependencies, and computed `rag` and `funding_total`. Filters: a priority id, a status
    code, and a period (actions overlapping [start, end])."""
    qs = _action_queryset(strategy)
    if priority:
        qs = qs.filter(objective__priority_id=priority)
    if status:
        qs = qs.filter(status__code=status)
    if start:
        qs = qs.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
    if end:
        qs = qs.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=end))
    qs = qs.order_by(
        "objective__priority__position",
        "objective__priority_id",
        "objective__position",
        "objective_id",
        "position",
        "id",
    )
    today = today or timezone.localdate()
    return [_annotate_action(a, today) for a in qs]


# --- The tree ---------------------------------------------------------------------------------


@dataclass
class Node:
    """One node of the tree: kind is "priority", "objective" or "action"."""

    kind: str
    id: int
    code: str
    title: str
    weight: float
    progress: float
    status: str = ""  # the status's name (actions)
    status_code: str = ""
    rag: str = ""
    obj: Any = None
    children: list["Node"] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "code": self.code,
            "title": self.title,
            "weight": self.weight,
            "progress": round(self.progress, 2),
            "status": self.status_code,
            "status_name": self.status,
            "rag": self.rag,
            "children": [c.as_dict() for c in self.children],
        }


def strategy_tree(
    *,
    organisation: Any,
    strategy: Strategy,
    priority: int | None = None,
    status: str = "",
    today: date | None = None,
) -> list[Node]:
    """Priorities → objectives → actions (→ sub-actions), in order, in a constant number of
    queries. With filters (a priority id, an action status code) only matching branches stay.
    Each action node's `obj` is the Action from `action_list` (funding, milestones, proposals
    prefetched)."""
    priorities = list(Priority.objects.filter(strategy=strategy))
    objectives = list(Objective.objects.filter(strategy=strategy))
    actions = action_list(organisation=organisation, strategy=strategy, today=today)
    kids: dict[int | None, list[Action]] = defaultdict(list)
    for a in actions:
        kids[a.parent_id].append(a)

    def action_node(a: Action) -> Node:
        node = Node(
            "action",
            a.pk,
            a.external_id,
            a.title,
            a.weight,
            a.progress,
            a.status.name if a.status else "",
            a.status.code if a.status else "",
            a.rag,  # type: ignore[attr-defined]
            a,
        )
        node.children = [action_node(k) for k in kids.get(a.pk, [])]
        return node

    def matches(node: Node) -> bool:
        return (not status or node.status_code == status) or any(matches(c) for c in node.children)

    by_objective: dict[int, list[Node]] = defaultdict(list)
    for a in kids.get(None, []):
        node = action_node(a)
        if matches(node):
            by_objective[a.objective_id].append(node)
    by_priority: dict[int, list[Node]] = defaultdict(list)
    for o in objectives:
        children = by_objective.get(o.pk, [])
        if status and not children:
            continue
        by_priority[o.priority_id].append(
            Node("objective", o.pk, o.code, o.title, o.weight, o.progress, obj=o, children=children)
        )
    out = []
    for p in priorities:
        if priority and p.pk != priority:
            continue
        children = by_priority.get(p.pk, [])
        if status and not children:
            continue
        out.append(
            Node("priority", p.pk, p.code, p.title, p.weight, p.progress, obj=p, children=children)
        )
    return out


def walk(nodes: list[Node]) -> list[Node]:
    """The nodes depth-first (a flat list, e.g. for tables)."""
    out: list[Node] = []
    for n in nodes:
        out.append(n)
        out.extend(walk(n.children))
    return out


# --- Milestones -------------------------------------------------------------------------------


def milestone_list(
    *,
    organisation: Any,
    strategy: Strategy,
    start: date | None = None,
    end: date | None = None,
    priority: int | None = None,
) -> QuerySet[Milestone]:
    """Milestones by due date, each with its action (and objective, priority)."""
    qs = Milestone.objects.filter(strategy=strategy).select_related(
        "action__objective__priority", "action__status"
    )
    if start:
        qs = qs.filter(due_on__gte=start)
    if end:
        qs = qs.filter(due_on__lte=end)
    if priority:
        qs = qs.filter(action__objective__priority_id=priority)
    return qs.order_by("due_on", "id")


def milestones_by_month(
    *, organisation: Any, strategy: Strategy, **filters: Any
) -> list[tuple[date, list[Milestone]]]:
    """The calendar: (first day of the month, its milestones) for months with milestones."""
    months: dict[date, list[Milestone]] = {}
    for m in milestone_list(organisation=organisation, strategy=strategy, **filters):
        months.setdefault(m.due_on.replace(day=1), []).append(m)
    return list(months.items())


# --- KPIs -------------------------------------------------------------------------------------


@dataclass
class KpiView:
    kpi: Kpi
    measurements: list[tuple[date, float, str, str]]  # (date, value, source, note), by date
    judgement: rules.KpiJudgement

    @property
    def status(self) -> str:
        return self.judgement.status

    @property
    def latest(self) -> tuple[date, float] | None:
        return self.judgement.latest

    @property
    def points(self) -> list[tuple[date, float]]:
        return [(d, v) for d, v, _s, _n in self.measurements]


def _period_date(period: str) -> date | None:
    """An observation's period as a date: the end of the year, month or quarter."""
    try:
        year = int(period[:4])
    except ValueError:
        return None
    rest = period[4:].lstrip("-")
    if rest.upper().startswith("Q") and rest[1:].isdigit():
        month = int(rest[1:]) * 3
    elif rest.upper().startswith("M") and rest[1:].isdigit():
        month = int(rest[1:])
    elif rest.isdigit():
        month = int(rest)
    else:
        month = 12
    month = min(12, max(1, month))
    import calendar

    return date(year, month, calendar.monthrange(year, month)[1])


def kpi_list(
    *, organisation: Any, strategy: Strategy, today: date | None = None, kpis: Any = None
) -> list[KpiView]:
    """KPIs with their measurements and status (rule in `rules.kpi_status`). A KPI bound to an
    indicator and a region also counts that indicator's observations as measurements, read
    now (so newly imported observations update it). Queries: 2 + one per bound indicator."""
    from zora.indicators import selectors as indicators

    today = today or timezone.localdate()
    qs = kpis if kpis is not None else Kpi.objects.filter(strategy=strategy)
    items = list(
        qs.select_related("objective", "action", "indicator").prefetch_related(
            Prefetch("measurements", queryset=Measurement.objects.order_by("measured_on", "id"))
        )
    )
    out = []
    for kpi in items:
        rows = [(m.measured_on, m.value, m.source, m.note) for m in kpi.measurements.all()]
        if kpi.indicator is not None and kpi.region_code:
            source = kpi.indicator.publisher or kpi.indicator.code
            for period, value in indicators.peer_series(
                indicator=kpi.indicator, codes=[kpi.region_code]
            ).get(kpi.region_code, []):
                day = _period_date(period)
                if day is not None:
                    rows.append((day, value, source, period))
        rows.sort(key=lambda r: r[0])
        baseline = (
            (kpi.baseline_on, kpi.baseline_value)
            if kpi.baseline_on and kpi.baseline_value is not None
            else None
        )
        target = (
            (kpi.target_on, kpi.target_value)
            if kpi.target_on and kpi.target_value is not None
            else None
        )
        judgement = rules.kpi_status(
            measurements=[(d, v) for d, v, _s, _n in rows],
            baseline=baseline,
            target=target,
            direction=kpi.direction,
            today=today,
        )
        out.append(KpiView(kpi, rows, judgement))
    return out


# --- SWOT -------------------------------------------------------------------------------------


def swot_board(
    *, organisation: Any, strategy: Strategy, state: str = SwotItem.State.ACCEPTED
) -> dict[str, list[SwotItem]]:
    """{quadrant: [items in order]} for the four quadrants, evidence prefetched
    (`item.evidence.all()`). `state` "proposed" gives the proposals waiting for a decision."""
    board: dict[str, list[SwotItem]] = {q: [] for q in Quadrant.values}
    for item in (
        SwotItem.objects.filter(strategy=strategy, state=state)
        .prefetch_related("evidence")
        .order_by("position", "id")
    ):
        board[item.quadrant].append(item)
    return board


# --- Budget and monitoring --------------------------------------------------------------------


def budget_by_funding_source(*, organisation: Any, strategy: Strategy) -> list[dict[str, Any]]:
    """[{"code", "name", "is_eu", "amount": Decimal}] by source (largest first), plus the
    total budget and the unfunded part as {"code": "_total"} / {"code": "_unfunded"}."""
    rows = (
        ActionFunding.objects.filter(action__strategy=strategy)
        .values("source_id")
        .annotate(amount=Sum("amount"))
    )
    sources = {s.pk: s for s in FundingSource.objects.filter(organisation=organisation)}
    out = [
        {
            "code": sources[r["source_id"]].code,
            "name": sources[r["source_id"]].name,
            "is_eu": sources[r["source_id"]].is_eu,
            "amount": r["amount"] or Decimal(0),
        }
        for r in rows
        if r["source_id"] in sources
    ]
    out.sort(key=lambda r: -Decimal(r["amount"]))
    total = Action.objects.filter(strategy=strategy, parent__isnull=True).aggregate(
        t=Sum("budget")
    )["t"] or Decimal(0)
    funded = sum((Decimal(r["amount"]) for r in out), Decimal(0))
    out.append({"code": "_total", "name": "", "is_eu": False, "amount": total})
    out.append(
        {"code": "_unfunded", "name": "", "is_eu": False, "amount": max(Decimal(0), total - funded)}
    )
    return out


def late_and_at_risk_actions(
    *, organisation: Any, strategy: Strategy, today: date | None = None
) -> list[Action]:
    """Actions whose RAG is red or amber (red first), from `action_list`."""
    actions = action_list(organisation=organisation, strategy=strategy, today=today)
    flagged = [a for a in actions if a.rag in ("red", "amber")]  # type: ignore[attr-defined]
    return sorted(flagged, key=lambda a: (a.rag != "red", a.ends_on or date.max))  # type: ignore[attr-defined]


def proposals_linked(*, organisation: Any, strategy: Strategy) -> list[ActionProposal]:
    """Citizen proposals that became actions ("your proposal became this action")."""
    return list(
        ActionProposal.objects.filter(action__strategy=strategy)
        .select_related("proposal__consultation", "action")
        .order_by("action__position", "id")
    )


# --- Phase tracker ----------------------------------------------------------------------------


@dataclass
class Step:
    code: str
    label: str
    done: bool
    note: str
    current: bool
    facts: list[str] = field(default_factory=list)
    events: list[Any] = field(default_factory=list)


def phase_tracker(*, organisation: Any, strategy: Strategy) -> list[Step]:
    """The steps (preparation … monitoring) with what is done in each: the user's notes, facts
    counted from the strategy, and the organisation's events linked to the step."""

    from zora.core.i18n import current_language
    from zora.core.steps import StrategyStep

    language = current_language()
    events: dict[str, list[Any]] = defaultdict(list)
    try:
        from zora.stakeholders import selectors as stakeholders

        if hasattr(stakeholders, "event_list"):
            for event in stakeholders.event_list(organisation=organisation):
                if event.strategy_step:
                    events[event.strategy_step].append(event)
    except ImportError:  # pragma: no cover
        pass
    counts = {
        "swot": SwotItem.objects.filter(strategy=strategy, state=SwotItem.State.ACCEPTED).count(),
        "visions": VisionStatement.objects.filter(strategy=strategy).count(),
        "objectives": Objective.objects.filter(strategy=strategy).count(),
        "actions": Action.objects.filter(strategy=strategy).count(),
        "kpis": Kpi.objects.filter(strategy=strategy).count(),
    }
    facts = {
        StrategyStep.ASSESSMENT: [
            ngettext("%(n)s SWOT item", "%(n)s SWOT items", counts["swot"]) % {"n": counts["swot"]}
        ],
        StrategyStep.VISION: [
            ngettext(
                "%(n)s version of the vision", "%(n)s versions of the vision", counts["visions"]
            )
            % {"n": counts["visions"]}
        ],
        StrategyStep.STRATEGY: [
            ngettext("%(n)s objective", "%(n)s objectives", counts["objectives"])
            % {"n": counts["objectives"]}
        ],
        StrategyStep.ROADMAP: [
            ngettext("%(n)s action", "%(n)s actions", counts["actions"]) % {"n": counts["actions"]}
        ],
        StrategyStep.MONITORING: [
            ngettext("%(n)s KPI", "%(n)s KPIs", counts["kpis"]) % {"n": counts["kpis"]}
        ],
    }
    out = []
    for code, label in StrategyStep.choices:
        saved = (strategy.steps or {}).get(code) or {}
        note = saved.get(f"note_{language}") or saved.get("note_bg") or saved.get("note_en") or ""
        out.append(
            Step(
                code=code,
                label=str(label),
                done=bool(saved.get("done")),
                note=note,
                current=strategy.current_step == code,
                facts=facts.get(code, []),  # type: ignore[call-overload]
                events=sorted(events.get(code, []), key=lambda e: e.starts_at),
            )
        )
    return out


# --- History ----------------------------------------------------------------------------------


@dataclass
class Change:
    when: datetime
    who: str
    model: str  # verbose name
    object_id: int
    title: str
    kind: str  # "+" created, "~" changed, "-" deleted
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (field, old, new)


HISTORY_MODELS = (
    Strategy,
    Priority,
    Objective,
    Action,
    Milestone,
    Kpi,
    Measurement,
    SwotItem,
    VisionStatement,
    ActionStatus,
    ActionFunding,
    ActionProposal,
)


def _history_querysets(strategy: Strategy) -> list[QuerySet]:
    qs = []
    for model in HISTORY_MODELS:
        history = model.history  # type: ignore[attr-defined]
        if model is Strategy:
            qs.append(history.filter(id=strategy.pk))
        elif model is Measurement:
            kpi_ids = list(Kpi.history.filter(strategy_id=strategy.pk).values_list("id", flat=True))  # type: ignore[attr-defined]
            qs.append(history.filter(kpi_id__in=set(kpi_ids)))
        elif model in (ActionFunding, ActionProposal):
            action_ids = Action.history.filter(strategy_id=strategy.pk).values_list("id", flat=True)  # type: ignore[attr-defined]
            qs.append(history.filter(action_id__in=set(action_ids)))
        else:
            qs.append(history.filter(strategy_id=strategy.pk))
    return qs


def _title_of(record: Any) -> str:
    from zora.core.i18n import localized

    if hasattr(record, "proposal_id") and hasattr(record, "action_id"):
        return _("Proposal #%(proposal)s linked to action #%(action)s") % {
            "proposal": record.proposal_id,
            "action": record.action_id,
        }

    for name in ("title", "name", "text"):
        value = localized(record, name)
        if value:
            return value[:120]
    return str(getattr(record, "external_id", "") or getattr(record, "value", "") or record.id)


def changes_between(
    *,
    organisation: Any,
    strategy: Strategy,
    start: datetime | date | None = None,
    end: datetime | date | None = None,
    limit: int = 500,
) -> list[Change]:
    """Who changed what and when in the strategy (newest first): every historical record of its
    objects between `start` and `end` (dates include the whole day), each with the fields that
    changed and their old and new values."""
    from datetime import time

    if isinstance(start, date) and not isinstance(start, datetime):
        start = timezone.make_aware(datetime.combine(start, time.min))
    if isinstance(end, date) and not isinstance(end, datetime):
        end = timezone.make_aware(datetime.combine(end, time.max))
    records: list[Any] = []
    for qs in _history_querysets(strategy):
        if start:
            qs = qs.filter(history_date__gte=start)
        if end:
            qs = qs.filter(history_date__lte=end)
        records.extend(qs.select_related("history_user").order_by("-history_date")[:limit])
    records.sort(key=lambda r: r.history_date, reverse=True)
    records = records[:limit]
    changes = []
    for record in records:
        fields: list[tuple[str, str, str]] = []
        if record.history_type == "~":
            previous = record.prev_record
            if previous is not None:
                delta = record.diff_against(previous)
                for change in delta.changes:
                    try:
                        label = str(record.instance_type._meta.get_field(change.field).verbose_name)
                    except Exception:  # noqa: BLE001 - a field no longer on the model
                        label = change.field
                    fields.append((label, _short(change.old), _short(change.new)))
            if not fields and previous is not None:
                continue  # nothing visible changed
        user = record.history_user
        changes.append(
            Change(
                when=record.history_date,
                who=(user.display_name if user is not None else ""),
                model=str(record.instance_type._meta.verbose_name),
                object_id=record.id,
                title=_title_of(record),
                kind=record.history_type,
                fields=fields,
            )
        )
    return changes


def _short(value: Any) -> str:
    if isinstance(value, list):  # a many-to-many field: the linked objects' ids
        ids = sorted(
            next((v for k, v in row.items() if k not in ("action", "from_action", "id")), "")
            for row in value
            if isinstance(row, dict)
        )
        value = ", ".join(f"#{i}" for i in ids) or "—"
    text = "" if value is None else str(value)
    return text if len(text) <= 120 else text[:117] + "…"
