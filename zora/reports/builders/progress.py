"""Progress report of a strategy for a period: what changed, the KPIs, late and at-risk actions,
milestones due, and the budget by funding source."""

from datetime import date, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zora.organisations.models import Organisation
from zora.reports.builders import Built, Progress
from zora.reports.builders import strategy as strategy_builder
from zora.reports.forms import RequestForm
from zora.strategy import selectors

MAX_CHANGES = 150


def _date(value: Any, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as error:
        raise ValidationError({field: _("Enter a date as YYYY-MM-DD.")}) from error


def check(organisation: Organisation, params: dict[str, Any]) -> dict[str, Any]:
    clean = strategy_builder.check(organisation, params)
    end = _date(params.get("period_to"), "period_to") or timezone.localdate()
    start = _date(params.get("period_from"), "period_from") or end - timedelta(days=365)
    if start > end:
        raise ValidationError({"period_from": _("The period must start before it ends.")})
    return {**clean, "period_from": start.isoformat(), "period_to": end.isoformat()}


def _period(params: dict[str, Any]) -> tuple[date, date]:
    return date.fromisoformat(params["period_from"]), date.fromisoformat(params["period_to"])


def title(organisation: Organisation, params: dict[str, Any]) -> str:
    strategy = strategy_builder.strategy_for(organisation, params)
    start, end = _period(params)
    return _("Progress report: %(strategy)s, %(start)s – %(end)s") % {
        "strategy": strategy.title,
        "start": date_format(start, "SHORT_DATE_FORMAT"),
        "end": date_format(end, "SHORT_DATE_FORMAT"),
    }


def describe(organisation: Organisation, params: dict[str, Any]) -> dict[str, str]:
    names = strategy_builder.describe(organisation, params)
    for key in ("period_from", "period_to"):
        if params.get(key):
            names[key] = date_format(date.fromisoformat(params[key]), "SHORT_DATE_FORMAT")
    return names


class ProgressRequestForm(strategy_builder.StrategyRequestForm):
    period_from = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Default: a year before the end."),
    )
    period_to = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Default: today."),
    )

    def params(self) -> dict[str, Any]:
        out = super().params()
        for key in ("period_from", "period_to"):
            if out.get(key):
                out[key] = out[key].isoformat()
        return out


def request_form(organisation: Organisation, data: Any, initial: dict[str, Any]) -> RequestForm:
    return ProgressRequestForm(organisation, data, initial=initial)


def build(organisation: Organisation, params: dict[str, Any], progress: Progress) -> Built:
    strategy = strategy_builder.strategy_for(organisation, params)
    start, end = _period(params)
    today = min(end, timezone.localdate())
    progress(0.1, _("What changed"))
    changes = selectors.changes_between(
        organisation=organisation, strategy=strategy, start=start, end=end, limit=MAX_CHANGES
    )
    progress(0.3, _("Actions"))
    actions = selectors.action_list(organisation=organisation, strategy=strategy, today=today)
    late = sorted(
        (a for a in actions if getattr(a, "rag", "") in ("red", "amber")),
        key=lambda a: (getattr(a, "rag", "") != "red", a.ends_on or date.max),
    )
    done_in_period = [
        a
        for a in actions
        if a.status and a.status.is_done and a.ends_on and start <= a.ends_on <= end
    ]
    milestones = list(
        selectors.milestone_list(organisation=organisation, strategy=strategy, start=start, end=end)
    )
    progress(0.5, _("KPIs"))
    views = selectors.kpi_list(organisation=organisation, strategy=strategy, today=today)
    rows = strategy_builder.kpi_rows(views)
    progress(0.7, _("Budget"))
    budget = strategy_builder.budget_rows(organisation, strategy)
    statuses = {
        s: sum(1 for r in rows if r["status"] == s)
        for s in ("on_track", "at_risk", "off_track", "no_data")
    }
    rag = {
        c: sum(1 for a in actions if getattr(a, "rag", "") == c) for c in ("green", "amber", "red")
    }
    return Built(
        title=title(organisation, params),
        subtitle=strategy.title,
        facts=[
            (_("Strategy"), f"{strategy.title} ({strategy.period})"),
            (_("Period"), f"{date_format(start)} – {date_format(end)}"),
        ],
        sections={
            "summary": {
                "strategy": strategy,
                "start": start,
                "end": end,
                "progress": strategy.progress,
                "actions": len(actions),
                "rag": rag,
                "kpis": statuses,
                "kpi_count": len(rows),
                "changes": len(changes),
                "done": len(done_in_period),
                "milestones_due": len(milestones),
                "milestones_done": sum(1 for m in milestones if m.done_on),
            },
            "changes": {"changes": changes, "limit": MAX_CHANGES, "done": done_in_period},
            "kpis": {"rows": rows, "charts": strategy_builder.kpi_figures(views, today, len(views))}
            if views
            else None,
            "late": {"rows": strategy_builder.action_rows(late)},
            "milestones": {"milestones": milestones},
            "budget": budget,
        },
    )
