"""Writes for strategies. Every change to the tree ends in `strategy_recompute`, the one place
where progress rolls up (actions → objectives → priorities → strategy)."""

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zora.core.notifications import notify
from zora.core.steps import StrategyStep
from zora.strategy import rules
from zora.strategy.models import (
    Action,
    ActionFunding,
    ActionProposal,
    ActionStatus,
    EvidenceKind,
    EvidenceLink,
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

# The funding sources every organisation starts with (editable afterwards).
DEFAULT_FUNDING_SOURCES = [
    ("erdf", "ЕФРР / регионална програма", "ERDF / regional programme", True),
    ("tsi", "Инструмент за техническа подкрепа", "Technical Support Instrument", True),
    ("digital-europe", "Програма „Цифрова Европа“", "Digital Europe", True),
    ("horizon-europe", "„Хоризонт Европа“", "Horizon Europe", True),
    ("national", "Национален бюджет", "National budget", False),
    ("municipal", "Общински бюджет", "Municipal budget", False),
    ("private", "Частно финансиране", "Private funding", False),
]

# Action statuses of a new strategy, with their default progress (None: keep the progress).
DEFAULT_STATUSES = [
    ("planned", "Планирана", "Planned", 0, False, False),
    ("in_progress", "В изпълнение", "In progress", None, False, False),
    ("delayed", "Забавена", "Delayed", None, False, False),
    ("completed", "Изпълнена", "Completed", 100, True, False),
    ("cancelled", "Отменена", "Cancelled", None, False, True),
]

# The priority areas of the Digital Cities Challenge SWOT (seeds/002), editable.
DEFAULT_PRIORITIES = [
    ("P1", "Градска среда", "Urban environment"),
    ("P2", "Общество", "Society"),
    ("P3", "Бизнес", "Business"),
    ("P4", "Предприемачество", "Entrepreneurship"),
    ("P5", "Политики и институции", "Policy and institutions"),
]


def _clean(value: Any, limit: int = 300) -> str:
    return str(value or "").strip()[:limit]


def _require_title(bg: str, en: str, field: str = "title_bg") -> None:
    if not (bg or "").strip() and not (en or "").strip():
        raise ValidationError({field: _("Write a title in Bulgarian or English.")})


# --- Funding sources --------------------------------------------------------------------------


def funding_sources_ensure(*, organisation: Any) -> list[FundingSource]:
    """The organisation's funding sources, seeded with the defaults the first time."""
    existing = list(FundingSource.objects.filter(organisation=organisation))
    if existing:
        return existing
    FundingSource.objects.bulk_create(
        [
            FundingSource(
                organisation=organisation,
                code=code,
                name_bg=bg,
                name_en=en,
                is_eu=eu,
                position=i,
            )
            for i, (code, bg, en, eu) in enumerate(DEFAULT_FUNDING_SOURCES)
        ],
        ignore_conflicts=True,
    )
    return list(FundingSource.objects.filter(organisation=organisation))


@transaction.atomic
def funding_source_save(
    *, organisation: Any, code: str, name_bg: str, name_en: str, is_eu: bool = False
) -> FundingSource:
    from django.utils.text import slugify

    code = slugify(code)[:40]
    if not code:
        raise ValidationError({"code": _("Give the funding source a short code.")})
    _require_title(name_bg, name_en, "name_bg")
    position = (
        FundingSource.objects.filter(organisation=organisation).aggregate(m=Max("position"))["m"]
        or 0
    )
    source, _created = FundingSource.objects.update_or_create(
        organisation=organisation,
        code=code,
        defaults={
            "name_bg": _clean(name_bg, 200),
            "name_en": _clean(name_en, 200),
            "is_eu": is_eu,
        },
        create_defaults={
            "name_bg": _clean(name_bg, 200),
            "name_en": _clean(name_en, 200),
            "is_eu": is_eu,
            "position": position + 1,
        },
    )
    return source


# --- Strategies -------------------------------------------------------------------------------


def _check_period(starts_on: date | None, ends_on: date | None) -> None:
    if starts_on is None or ends_on is None:
        raise ValidationError({"starts_on": _("Give the period of the strategy.")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end must not be before the start.")})


@transaction.atomic
def strategy_create(
    *,
    organisation: Any,
    title_bg: str = "",
    title_en: str = "",
    starts_on: date,
    ends_on: date,
    region_code: str = "",
    summary_bg: str = "",
    summary_en: str = "",
    with_defaults: bool = True,
) -> Strategy:
    """A new draft strategy with the default statuses and (unless `with_defaults` is False)
    the five default priority areas."""
    _require_title(title_bg, title_en)
    _check_period(starts_on, ends_on)
    strategy = Strategy.objects.create(
        organisation=organisation,
        title_bg=_clean(title_bg),
        title_en=_clean(title_en),
        summary_bg=summary_bg.strip(),
        summary_en=summary_en.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        region_code=_clean(region_code or organisation.region_code, 16).upper(),
    )
    ActionStatus.objects.bulk_create(
        [
            ActionStatus(
                strategy=strategy,
                code=code,
                name_bg=bg,
                name_en=en,
                progress=progress,
                is_done=done,
                is_cancelled=cancelled,
                position=i,
            )
            for i, (code, bg, en, progress, done, cancelled) in enumerate(DEFAULT_STATUSES)
        ]
    )
    if with_defaults:
        for i, (code, bg, en) in enumerate(DEFAULT_PRIORITIES):
            Priority.objects.create(
                strategy=strategy, code=code, title_bg=bg, title_en=en, position=i
            )
    funding_sources_ensure(organisation=organisation)
    return strategy


STRATEGY_FIELDS = (
    "title_bg",
    "title_en",
    "summary_bg",
    "summary_en",
    "starts_on",
    "ends_on",
    "region_code",
    "status",
    "current_step",
)


@transaction.atomic
def strategy_update(*, strategy: Strategy, **fields: Any) -> Strategy:
    unknown = set(fields) - set(STRATEGY_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields {unknown}")
    for name, value in fields.items():
        setattr(strategy, name, value)
    _require_title(strategy.title_bg, strategy.title_en)
    _check_period(strategy.starts_on, strategy.ends_on)
    if strategy.status not in StrategyStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if strategy.current_step not in StrategyStep.values:
        raise ValidationError({"current_step": _("Unknown step.")})
    strategy.region_code = (strategy.region_code or "").strip().upper()[:16]
    if strategy.status == StrategyStatus.ADOPTED and strategy.adopted_on is None:
        strategy.adopted_on = timezone.localdate()
    strategy.updated_at = timezone.now()
    strategy.save()
    return strategy


@transaction.atomic
def step_update(
    *, strategy: Strategy, step: str, done: bool, note_bg: str = "", note_en: str = ""
) -> Strategy:
    """Marks a step of the phase tracker done (or not) with a note of what was done in it."""
    if step not in StrategyStep.values:
        raise ValidationError({"step": _("Unknown step.")})
    steps = dict(strategy.steps or {})
    steps[step] = {"done": bool(done), "note_bg": note_bg.strip(), "note_en": note_en.strip()}
    strategy.steps = steps
    strategy.save(update_fields=["steps"])
    return strategy


@transaction.atomic
def strategy_delete(*, strategy: Strategy) -> None:
    strategy.delete()


# --- The roll-up: the one place ---------------------------------------------------------------


def strategy_recompute(strategy: Strategy) -> float:
    """Recomputes the progress of every node of the strategy's tree (sub-actions → actions →
    objectives → priorities → strategy) by the rule in `rules.rollup`, and stores it on each
    node in a few bulk updates. Called after every change to the tree."""
    actions = list(
        Action.objects.filter(strategy=strategy)
        .select_related("status")
        .only("id", "parent_id", "objective_id", "weight", "progress", "status__is_cancelled")
    )
    objectives = list(
        Objective.objects.filter(strategy=strategy).only("id", "priority_id", "weight", "progress")
    )
    priorities = list(Priority.objects.filter(strategy=strategy).only("id", "weight", "progress"))
    children: dict[int, list[Action]] = defaultdict(list)
    top: dict[int, list[Action]] = defaultdict(list)
    for action in actions:
        if action.status is not None and action.status.is_cancelled:
            continue
        if action.parent_id:
            children[action.parent_id].append(action)
        else:
            top[action.objective_id].append(action)
    changed_actions: list[Action] = []

    def action_progress(action: Action, depth: int = 0) -> float:
        kids = children.get(action.pk)
        if kids and depth < 20:
            value = rules.rollup((k.weight, action_progress(k, depth + 1)) for k in kids) or 0.0
            if abs(value - action.progress) > 1e-9:
                action.progress = value
                changed_actions.append(action)
        return action.progress

    for objective in objectives:
        value = rules.rollup((a.weight, action_progress(a)) for a in top.get(objective.pk, []))
        objective.progress = value or 0.0
    by_priority: dict[int, list[Objective]] = defaultdict(list)
    for objective in objectives:
        by_priority[objective.priority_id].append(objective)
    for priority in priorities:
        value = rules.rollup((o.weight, o.progress) for o in by_priority.get(priority.pk, []))
        priority.progress = value or 0.0
    total = rules.rollup((p.weight, p.progress) for p in priorities) or 0.0
    if changed_actions:
        Action.objects.bulk_update(changed_actions, ["progress"])
    Objective.objects.bulk_update(objectives, ["progress"])
    Priority.objects.bulk_update(priorities, ["progress"])
    Strategy.objects.filter(pk=strategy.pk).update(progress=total, updated_at=timezone.now())
    strategy.progress = total
    return total


# --- Priorities and objectives ----------------------------------------------------------------


def _next_position(qs: Any) -> int:
    return (qs.aggregate(m=Max("position"))["m"] or 0) + 1


def _weight(value: Any) -> float:
    try:
        weight = float(value if value not in (None, "") else 1.0)
    except (TypeError, ValueError) as error:
        raise ValidationError({"weight": _("The weight must be a number.")}) from error
    if weight < 0:
        raise ValidationError({"weight": _("The weight must not be negative.")})
    return weight


@transaction.atomic
def priority_save(
    *,
    strategy: Strategy,
    priority: Priority | None = None,
    title_bg: str = "",
    title_en: str = "",
    code: str = "",
    description_bg: str = "",
    description_en: str = "",
    weight: Any = 1.0,
) -> Priority:
    _require_title(title_bg, title_en)
    if priority is None:
        priority = Priority(strategy=strategy, position=_next_position(strategy.priorities.all()))
    priority.title_bg, priority.title_en = _clean(title_bg), _clean(title_en)
    priority.code = _clean(code, 20)
    priority.description_bg, priority.description_en = description_bg, description_en
    priority.weight = _weight(weight)
    priority.save()
    strategy_recompute(strategy)
    return priority


@transaction.atomic
def priority_delete(*, priority: Priority) -> None:
    strategy = priority.strategy
    priority.delete()
    strategy_recompute(strategy)


@transaction.atomic
def objective_save(
    *,
    strategy: Strategy,
    priority: Priority,
    objective: Objective | None = None,
    title_bg: str = "",
    title_en: str = "",
    code: str = "",
    description_bg: str = "",
    description_en: str = "",
    weight: Any = 1.0,
) -> Objective:
    _require_title(title_bg, title_en)
    if priority.strategy_id != strategy.pk:
        raise ValidationError({"priority": _("Choose a priority of this strategy.")})
    if objective is None:
        objective = Objective(strategy=strategy, position=_next_position(strategy.objectives.all()))
    objective.priority = priority
    objective.title_bg, objective.title_en = _clean(title_bg), _clean(title_en)
    objective.code = _clean(code, 20)
    objective.description_bg, objective.description_en = description_bg, description_en
    objective.weight = _weight(weight)
    objective.save()
    strategy_recompute(strategy)
    return objective


@transaction.atomic
def objective_delete(*, objective: Objective) -> None:
    strategy = objective.strategy
    objective.delete()
    strategy_recompute(strategy)


# --- Actions ----------------------------------------------------------------------------------

ACTION_FIELDS = (
    "objective",
    "parent",
    "external_id",
    "title_bg",
    "title_en",
    "description_bg",
    "description_en",
    "owner_organisation",
    "owner_organisation_name",
    "owner_person",
    "partners",
    "starts_on",
    "ends_on",
    "status",
    "progress",
    "weight",
    "budget",
    "currency",
)


def _decimal(value: Any, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(" ", "").replace(",", "."))
    except InvalidOperation as error:
        raise ValidationError({field: _("Write an amount, e.g. 120000.50.")}) from error
    if amount < 0:
        raise ValidationError({field: _("The amount must not be negative.")})
    return amount


def _status_link_url(action: Action) -> str:
    if action.strategy.status == StrategyStatus.ADOPTED:
        return reverse("strategy_public", args=[action.strategy_id]) + f"#action-{action.pk}"
    return ""


def _notify_proposal_authors(action: Action, make: Callable[[Any], tuple[str, str]]) -> int:
    sent = 0
    url = _status_link_url(action)
    for link in action.proposal_links.select_related("proposal__author"):
        author = link.proposal.author
        if author is None:
            continue
        proposal = link.proposal

        def message(proposal: Any = proposal) -> tuple[str, str]:
            return make(proposal)

        notify(
            author,
            message,
            url=url or reverse("proposal_detail", args=[proposal.pk]),
        )
        sent += 1
    return sent


@transaction.atomic
def action_save(
    *,
    strategy: Strategy,
    action: Action | None = None,
    funding: list[tuple[FundingSource, Any]] | None = None,
    depends_on: list[Action] | None = None,
    swot_items: list[SwotItem] | None = None,
    recompute: bool = True,
    **fields: Any,
) -> Action:
    """Creates or changes an action. A status with a default progress sets the progress unless
    one is given; a status change notifies the authors of the linked proposals. `funding`
    replaces the action's funding (source, amount) pairs when given."""
    unknown = set(fields) - set(ACTION_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields {unknown}")
    creating = action is None
    if action is None:
        action = Action(strategy=strategy)
    old_status_id = action.status_id
    progress_given = fields.get("progress") not in (None, "")
    for name, value in fields.items():
        if name == "progress" and not progress_given:
            continue
        setattr(action, name, value)
    _require_title(action.title_bg, action.title_en)
    if action.objective_id is None or action.objective.strategy_id != strategy.pk:
        raise ValidationError({"objective": _("Choose an objective of this strategy.")})
    if action.parent_id is not None:
        parent = action.parent
        assert parent is not None
        if parent.strategy_id != strategy.pk or (action.pk and parent.pk == action.pk):
            raise ValidationError({"parent": _("Choose another action of this strategy.")})
        ancestor: Action | None = parent
        while ancestor is not None:
            if action.pk and ancestor.pk == action.pk:
                raise ValidationError({"parent": _("An action cannot be part of itself.")})
            ancestor = ancestor.parent
        action.objective = parent.objective
    if action.status is not None and action.status.strategy_id != strategy.pk:
        raise ValidationError({"status": _("Choose a status of this strategy.")})
    if action.starts_on and action.ends_on and action.ends_on < action.starts_on:
        raise ValidationError({"ends_on": _("The end must not be before the start.")})
    status_changed = action.status_id != old_status_id
    if (
        action.status is not None
        and action.status.progress is not None
        and not progress_given
        and (status_changed or creating)
    ):
        action.progress = float(action.status.progress)
    try:
        action.progress = float(action.progress or 0)
    except (TypeError, ValueError) as error:
        raise ValidationError({"progress": _("The progress must be a number.")}) from error
    if not 0 <= action.progress <= 100:
        raise ValidationError({"progress": _("The progress is a percentage from 0 to 100.")})
    action.weight = _weight(action.weight)
    action.budget = _decimal(action.budget, "budget")
    action.currency = (action.currency or "EUR").upper()[:3]
    action.external_id = _clean(action.external_id, 60)
    if action.external_id:
        clash = Action.objects.filter(strategy=strategy, external_id=action.external_id)
        if action.pk:
            clash = clash.exclude(pk=action.pk)
        if clash.exists():
            raise ValidationError(
                {"external_id": _("Another action of this strategy has this external ID.")}
            )
    if creating:
        action.position = _next_position(strategy.actions.all())
    action.save()
    if funding is not None:
        ActionFunding.objects.filter(action=action).delete()
        rows = []
        for source, amount in funding:
            if source.organisation_id != strategy.organisation_id:
                raise ValidationError({"funding": _("Choose one of your funding sources.")})
            rows.append(
                ActionFunding(action=action, source=source, amount=_decimal(amount, "funding") or 0)
            )
        ActionFunding.objects.bulk_create(rows)
    if depends_on is not None:
        others = [a for a in depends_on if a.pk != action.pk]
        if any(a.strategy_id != strategy.pk for a in others):
            raise ValidationError({"depends_on": _("Choose actions of this strategy.")})
        action.depends_on.set(others)
    if swot_items is not None:
        if any(i.strategy_id != strategy.pk for i in swot_items):
            raise ValidationError({"swot_items": _("Choose SWOT items of this strategy.")})
        action.swot_items.set(swot_items)
    if recompute:
        strategy_recompute(strategy)
    if status_changed and not creating and action.status is not None:
        status = action.status
        _notify_proposal_authors(
            action,
            lambda proposal: (
                _("“%(action)s”, which your proposal became, is now: %(status)s")
                % {"action": action.title, "status": status.name},
                _("Your proposal “%(proposal)s” is part of the action “%(action)s”.")
                % {"proposal": proposal.title, "action": action.title},
            ),
        )
    return action


@transaction.atomic
def action_delete(*, action: Action) -> None:
    strategy = action.strategy
    action.delete()
    strategy_recompute(strategy)


@transaction.atomic
def proposal_link(*, action: Action, proposal: Any) -> ActionProposal:
    """Links a citizen proposal of the organisation's consultations to the action and tells
    its author ("your proposal became this action")."""
    if proposal.consultation.organisation_id != action.strategy.organisation_id:
        raise ValidationError({"proposal": _("Choose a proposal of your own consultations.")})
    link, created = ActionProposal.objects.get_or_create(action=action, proposal=proposal)
    if created and proposal.author is not None:
        notify(
            proposal.author,
            lambda: (
                _("Your proposal became an action of the strategy: %(action)s")
                % {"action": action.title},
                _(
                    "Your proposal “%(proposal)s” is part of the action “%(action)s” of “%(strategy)s”."
                )
                % {
                    "proposal": proposal.title,
                    "action": action.title,
                    "strategy": action.strategy.title,
                },
            ),
            url=_status_link_url(action) or reverse("proposal_detail", args=[proposal.pk]),
        )
    return link


@transaction.atomic
def proposal_unlink(*, action: Action, proposal_id: int) -> None:
    ActionProposal.objects.filter(action=action, proposal_id=proposal_id).delete()


# --- Milestones -------------------------------------------------------------------------------


@transaction.atomic
def milestone_save(
    *,
    action: Action,
    milestone: Milestone | None = None,
    title_bg: str = "",
    title_en: str = "",
    due_on: date | None = None,
    done_on: date | None = None,
) -> Milestone:
    _require_title(title_bg, title_en)
    if due_on is None:
        raise ValidationError({"due_on": _("Give the date the milestone is due.")})
    if milestone is None:
        milestone = Milestone(action=action, strategy_id=action.strategy_id)
    milestone.title_bg, milestone.title_en = _clean(title_bg), _clean(title_en)
    milestone.due_on, milestone.done_on = due_on, done_on
    milestone.save()
    return milestone


@transaction.atomic
def milestone_delete(*, milestone: Milestone) -> None:
    milestone.delete()


# --- KPIs -------------------------------------------------------------------------------------

KPI_FIELDS = (
    "objective",
    "action",
    "name_bg",
    "name_en",
    "unit",
    "direction",
    "baseline_value",
    "baseline_on",
    "target_value",
    "target_on",
    "indicator",
    "region_code",
)


@transaction.atomic
def kpi_save(*, strategy: Strategy, kpi: Kpi | None = None, **fields: Any) -> Kpi:
    unknown = set(fields) - set(KPI_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields {unknown}")
    if kpi is None:
        kpi = Kpi(strategy=strategy, position=_next_position(strategy.kpis.all()))
    for name, value in fields.items():
        setattr(kpi, name, value)
    _require_title(kpi.name_bg, kpi.name_en, "name_bg")
    if (kpi.objective_id is None) == (kpi.action_id is None):
        raise ValidationError({"objective": _("A KPI belongs to one objective or one action.")})
    owner = kpi.objective if kpi.objective_id else kpi.action
    if owner is None or owner.strategy_id != strategy.pk:
        raise ValidationError({"objective": _("Choose an objective or action of this strategy.")})
    if kpi.baseline_on and kpi.target_on and kpi.target_on <= kpi.baseline_on:
        raise ValidationError({"target_on": _("The target date must come after the baseline.")})
    if kpi.indicator_id and not kpi.region_code:
        kpi.region_code = strategy.region_code
    kpi.region_code = (kpi.region_code or "").upper()
    kpi.save()
    return kpi


@transaction.atomic
def kpi_delete(*, kpi: Kpi) -> None:
    kpi.delete()


@transaction.atomic
def measurement_add(
    *, kpi: Kpi, value: Any, measured_on: date | None, source: str = "", note: str = ""
) -> Measurement:
    try:
        number = float(value)
    except (TypeError, ValueError) as error:
        raise ValidationError({"value": _("The value must be a number.")}) from error
    if measured_on is None:
        raise ValidationError({"measured_on": _("Give the date of the measurement.")})
    return Measurement.objects.create(
        kpi=kpi,
        value=number,
        measured_on=measured_on,
        source=_clean(source),
        note=_clean(note, 500),
    )


@transaction.atomic
def measurement_delete(*, measurement: Measurement) -> None:
    measurement.delete()


# --- SWOT -------------------------------------------------------------------------------------


def _swot_position(strategy: Strategy, quadrant: str) -> int:
    return _next_position(SwotItem.objects.filter(strategy=strategy, quadrant=quadrant))


def _check_quadrant(quadrant: str) -> None:
    if quadrant not in Quadrant.values:
        raise ValidationError({"quadrant": _("Choose a quadrant.")})


def _check_weight(weight: Any) -> int:
    try:
        value = int(weight)
    except (TypeError, ValueError) as error:
        raise ValidationError({"weight": _("The weight is a whole number from 1 to 5.")}) from error
    if not 1 <= value <= 5:
        raise ValidationError({"weight": _("The weight is a whole number from 1 to 5.")})
    return value


@transaction.atomic
def swot_item_save(
    *,
    strategy: Strategy,
    item: SwotItem | None = None,
    quadrant: str,
    text_bg: str = "",
    text_en: str = "",
    weight: Any = 3,
    user: Any = None,
) -> SwotItem:
    """A SWOT item written by a person (accepted at once), or a change to one."""
    _check_quadrant(quadrant)
    if not (text_bg.strip() or text_en.strip()):
        raise ValidationError({"text_bg": _("Write the item in Bulgarian or English.")})
    if item is None:
        item = SwotItem(
            strategy=strategy,
            state=SwotItem.State.ACCEPTED,
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
    if item.quadrant != quadrant or item.pk is None:
        item.position = _swot_position(strategy, quadrant)
    item.quadrant = quadrant
    item.text_bg, item.text_en = text_bg.strip(), text_en.strip()
    item.weight = _check_weight(weight)
    item.save()
    return item


@transaction.atomic
def swot_item_accept(
    *,
    item: SwotItem,
    quadrant: str | None = None,
    text_bg: str | None = None,
    text_en: str | None = None,
    weight: Any = None,
) -> SwotItem:
    """Accepts a proposed item, optionally edited; only then it shows on the board."""
    if item.state != SwotItem.State.PROPOSED:
        raise ValidationError(_("Only proposed items can be accepted."))
    if quadrant:
        _check_quadrant(quadrant)
        item.quadrant = quadrant
    if text_bg is not None and text_bg.strip():
        item.text_bg = text_bg.strip()
    if text_en is not None and text_en.strip():
        item.text_en = text_en.strip()
    if weight not in (None, ""):
        item.weight = _check_weight(weight)
    item.state = SwotItem.State.ACCEPTED
    item.position = _swot_position(item.strategy, item.quadrant)
    item.save()
    return item


@transaction.atomic
def swot_item_discard(*, item: SwotItem) -> SwotItem:
    """Discards a proposal (kept, so re-drafting does not propose it again) or removes an
    accepted item from the board."""
    item.state = SwotItem.State.DISCARDED
    item.save(update_fields=["state"])
    return item


@transaction.atomic
def swot_move(*, item: SwotItem, direction: str) -> SwotItem:
    """Moves an accepted item one place up or down within its quadrant (the no-JS and
    keyboard alternative to dragging)."""
    siblings = list(
        SwotItem.objects.select_for_update()
        .filter(strategy=item.strategy, quadrant=item.quadrant, state=SwotItem.State.ACCEPTED)
        .order_by("position", "id")
    )
    index = next((i for i, s in enumerate(siblings) if s.pk == item.pk), None)
    if index is None:
        return item
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
    _renumber(siblings)
    return item


def _renumber(items: list[SwotItem]) -> None:
    for position, s in enumerate(items, start=1):
        s.position = position
    SwotItem.objects.bulk_update(items, ["position"])


@transaction.atomic
def swot_reorder(*, strategy: Strategy, quadrant: str, ids: list[int]) -> list[SwotItem]:
    """The order of a quadrant after a drag and drop: `ids` first, in that order, then any item
    not named. An item dragged from another quadrant moves to this one."""
    _check_quadrant(quadrant)
    moved = list(
        SwotItem.objects.select_for_update().filter(
            strategy=strategy, pk__in=ids, state=SwotItem.State.ACCEPTED
        )
    )
    by_id = {s.pk: s for s in moved}
    for s in moved:
        if s.quadrant != quadrant:
            s.quadrant = quadrant
            s.save(update_fields=["quadrant"])
    rest = SwotItem.objects.filter(
        strategy=strategy, quadrant=quadrant, state=SwotItem.State.ACCEPTED
    ).exclude(pk__in=ids)
    ordered = [by_id[i] for i in ids if i in by_id] + list(rest.order_by("position", "id"))
    _renumber(ordered)
    return ordered


@transaction.atomic
def evidence_add(
    *,
    item: SwotItem,
    kind: str,
    label: str,
    target: str = "",
    value: float | None = None,
    unit: str = "",
    detail: str = "",
    observed: str = "",
    url: str = "",
) -> EvidenceLink:
    if kind not in EvidenceKind.values:
        raise ValidationError({"kind": _("Unknown kind of evidence.")})
    if not label.strip():
        raise ValidationError({"label": _("Say what the evidence shows.")})
    if kind == EvidenceKind.URL and not url.strip():
        raise ValidationError({"url": _("Give the address of the document.")})
    return EvidenceLink.objects.create(
        item=item,
        kind=kind,
        target=_clean(target, 200),
        label=_clean(label, 500),
        value=value,
        unit=_clean(unit, 100),
        detail=_clean(detail, 500),
        observed=_clean(observed, 20),
        url=_clean(url, 500),
    )


@transaction.atomic
def evidence_remove(*, link: EvidenceLink) -> None:
    link.delete()


@transaction.atomic
def swot_draft(*, strategy: Strategy, user: Any = None) -> list[SwotItem]:
    """Proposes SWOT items from the evidence (rules in `drafting`), each with its evidence
    attached, as `proposed` items; a proposal whose key exists already (in any state) is
    skipped, so re-drafting never duplicates. Returns the new proposals."""
    from zora.strategy.drafting import draft_all

    with translation.override(strategy.organisation.default_language):
        drafts = draft_all(
            organisation=strategy.organisation,
            region_code=strategy.region_code or strategy.organisation.region_code,
        )
    existing = set(
        SwotItem.objects.filter(
            strategy=strategy, draft_key__in=[d.key for d in drafts]
        ).values_list("draft_key", flat=True)
    )
    created: list[SwotItem] = []
    links: list[EvidenceLink] = []
    seen: set[str] = set()
    for draft in drafts:
        if draft.key in existing or draft.key in seen:
            continue
        seen.add(draft.key)
        item = SwotItem.objects.create(
            strategy=strategy,
            quadrant=draft.quadrant,
            text_bg=draft.text_bg,
            text_en=draft.text_en,
            state=SwotItem.State.PROPOSED,
            draft_key=draft.key[:200],
            rule=draft.rule[:300],
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        created.append(item)
        for e in draft.evidence:
            links.append(
                EvidenceLink(
                    item=item,
                    kind=e["kind"],
                    target=str(e.get("target", ""))[:200],
                    label=str(e.get("label", ""))[:500],
                    value=e.get("value"),
                    unit=str(e.get("unit") or "")[:100],
                    detail=str(e.get("detail") or "")[:500],
                    observed=str(e.get("observed") or "")[:20],
                    url=str(e.get("url") or "")[:500],
                )
            )
    EvidenceLink.objects.bulk_create(links)
    return created


# --- Vision and ambition ----------------------------------------------------------------------


@transaction.atomic
def vision_save(
    *,
    strategy: Strategy,
    user: Any = None,
    vision_bg: str = "",
    vision_en: str = "",
    ambition_bg: str = "",
    ambition_en: str = "",
    note: str = "",
) -> VisionStatement:
    """A new version of the vision and ambition (earlier versions stay as they were)."""
    if not (vision_bg.strip() or vision_en.strip()):
        raise ValidationError({"vision_bg": _("Write the vision in Bulgarian or English.")})
    version = (strategy.visions.aggregate(m=Max("version"))["m"] or 0) + 1
    return VisionStatement.objects.create(
        strategy=strategy,
        version=version,
        vision_bg=vision_bg.strip(),
        vision_en=vision_en.strip(),
        ambition_bg=ambition_bg.strip(),
        ambition_en=ambition_en.strip(),
        note=_clean(note),
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )


@transaction.atomic
def vision_open_for_comments(*, vision: VisionStatement, user: Any) -> int:
    """Opens the version for comments with the consultation machinery: a published
    consultation of the organisation with the statement as its one proposal, commentable by
    anyone with an account (no new proposals, no supports). Returns the proposal's id; its
    public page is where stakeholders comment."""
    if vision.proposal_id:
        return vision.proposal_id
    from zora.participation import services as participation
    from zora.participation.models import Consultation, Phase, default_permissions

    strategy = vision.strategy
    permissions = default_permissions()
    permissions[Phase.COLLECT] = {"create": "members", "support": "nobody", "comment": "account"}
    permissions[Phase.ANSWERS] = {"create": "nobody", "support": "nobody", "comment": "account"}
    titles = {}
    for language in ("bg", "en"):
        with translation.override(language):
            titles[language] = _("Vision and ambition (version %(version)s): %(strategy)s") % {
                "version": vision.version,
                "strategy": getattr(strategy, f"title_{language}") or strategy.title,
            }
    # There is no consultation_create service in participation (its pages create consultations
    # from a form), so the consultation row is made here, then participation's own services
    # add the proposal and set the phase.
    consultation = Consultation.objects.create(
        organisation=strategy.organisation,
        title_bg=titles["bg"][:300],
        title_en=titles["en"][:300],
        description_bg=_vision_text(vision, "bg")[:5000],
        description_en=_vision_text(vision, "en")[:5000],
        phase=Phase.COLLECT,
        permissions=permissions,
    )
    language = strategy.organisation.default_language
    proposal = participation.proposal_create(
        consultation=consultation,
        author=user,
        title=titles[language][:200],
        body=_vision_text(vision, language)[:5000] or _vision_text(vision, "en")[:5000],
        language=language,
    )
    participation.phase_set(consultation=consultation, phase=Phase.ANSWERS)
    vision.consultation_id, vision.proposal_id = consultation.pk, proposal.pk
    vision.save(update_fields=["consultation_id", "proposal_id"])
    return proposal.pk


def _vision_text(vision: VisionStatement, language: str) -> str:
    with translation.override(language):
        parts = []
        vision_text = getattr(vision, f"vision_{language}")
        ambition_text = getattr(vision, f"ambition_{language}")
        if vision_text:
            parts.append(f"{_('Vision')}:\n{vision_text}")
        if ambition_text:
            parts.append(f"{_('Ambition')}:\n{ambition_text}")
        return "\n\n".join(parts)


# --- Import of actions (CSV/XLSX) -------------------------------------------------------------


def actions_import(*, strategy: Strategy, data: bytes, file_name: str) -> dict[str, int]:
    """All-or-nothing import keyed by `external_id`; see `importers`."""
    from zora.strategy.importers import import_actions

    return import_actions(strategy=strategy, data=data, file_name=file_name)


def run_import_job(job: Any, progress: Callable[[float, str], None]) -> dict[str, Any]:
    """The `strategy.import_actions` job: params {strategy, file_name}; the file is the job's
    input file."""
    from zora.core.jobs import JobError

    strategy = Strategy.objects.get(pk=job.params["strategy"], organisation=job.organisation)
    job.input_file.open("rb")
    try:
        data = job.input_file.read()
    finally:
        job.input_file.close()
    progress(0.2, _("Reading the file"))
    try:
        counts = actions_import(
            strategy=strategy, data=data, file_name=job.params.get("file_name", "actions.csv")
        )
    except ValidationError as error:
        raise JobError("\n".join(error.messages)) from error
    progress(1.0, _("Done"))
    return {
        **counts,
        "url": reverse("strategy_roadmap", args=[strategy.organisation.slug, strategy.pk]),
    }


# --- Templates (JSON) -------------------------------------------------------------------------


def strategy_import_template(*, organisation: Any, data: dict[str, Any]) -> Strategy:
    from zora.strategy.exports import strategy_from_json

    return strategy_from_json(organisation=organisation, data=data)


# --- Configuration ----------------------------------------------------------------------------


@transaction.atomic
def status_save(
    *,
    strategy: Strategy,
    code: str,
    name_bg: str = "",
    name_en: str = "",
    progress: int | None = None,
    is_done: bool = False,
    is_cancelled: bool = False,
) -> ActionStatus:
    """Adds a status or changes the one with this code (Decidim-style: a default progress)."""
    from django.utils.text import slugify

    code = slugify(code)[:40]
    if not code:
        raise ValidationError({"code": _("Give the status a short code.")})
    _require_title(name_bg, name_en, "name_bg")
    if progress is not None and not 0 <= progress <= 100:
        raise ValidationError({"progress": _("The progress is a percentage from 0 to 100.")})
    values = {
        "name_bg": _clean(name_bg, 100),
        "name_en": _clean(name_en, 100),
        "progress": progress,
        "is_done": is_done,
        "is_cancelled": is_cancelled,
    }
    status, _created = ActionStatus.objects.update_or_create(
        strategy=strategy,
        code=code,
        defaults=values,
        create_defaults={**values, "position": _next_position(strategy.statuses.all())},
    )
    strategy_recompute(strategy)
    return status
