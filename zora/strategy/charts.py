"""The strategy's charts from the selectors' output (pages and reports draw the same SVG)."""

from datetime import date
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from zora.core import charts
from zora.strategy.selectors import KpiView


def gantt_labels() -> charts.GanttLabels:
    return charts.GanttLabels(
        today=_("Today"),
        done=_("done"),
        due=_("due"),
        progress=_("progress"),
        milestone=_("Milestone"),
        no_dates=_("no dates"),
    )


def kpi_labels() -> charts.KpiLabels:
    return charts.KpiLabels(
        measured=_("Measured"),
        baseline=_("Baseline"),
        target=_("Target"),
        path=_("Path from baseline to target"),
        today=_("Today"),
    )


def strategy_gantt(
    *,
    strategy: Any,
    actions: list[Any],
    milestones: list[Any],
    today: date | None = None,
    start: date | None = None,
    end: date | None = None,
) -> SafeString:
    """Actions (from `selectors.action_list`) by priority, with their milestones."""
    bars = []
    for a in actions:
        priority = a.objective.priority
        label = f"{a.external_id} {a.title}".strip() if a.external_id else a.title
        if a.parent_id:
            label = "↳ " + label
        bars.append(
            charts.GanttBar(
                key=str(a.pk),
                label=label,
                group=f"{priority.code} {priority.title}".strip(),
                start=a.starts_on,
                end=a.ends_on,
                progress=a.progress,
                rag=getattr(a, "rag", ""),
                status=a.status.name if a.status else "",
            )
        )
    stones = [
        charts.GanttMilestone(
            key=str(m.action_id), label=m.title, due=m.due_on, done=m.done_on is not None
        )
        for m in milestones
    ]
    return charts.gantt(
        bars,
        stones,
        title=_("Roadmap: %(strategy)s") % {"strategy": strategy.title},
        today=today,
        labels=gantt_labels(),
        start=start or strategy.starts_on,
        end=end or strategy.ends_on,
    )


def kpi_svg(view: KpiView, *, today: date | None = None) -> SafeString:
    kpi = view.kpi
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
    return charts.kpi_chart(
        view.points,
        title=kpi.name,
        baseline=baseline,
        target=target,
        unit=kpi.unit,
        labels=kpi_labels(),
        today=today,
    )
