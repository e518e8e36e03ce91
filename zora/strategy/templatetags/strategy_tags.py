"""Template helpers of the strategy pages: progress bars and the labels of computed states."""

from typing import Any

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from zora.core.charts import progress_bar

register = template.Library()


@register.simple_tag
def progress(value: float | None, label: str = "", rag: str = "") -> SafeString:
    """An accessible SVG progress bar (the percentage is also written as text)."""
    return progress_bar(value, label=label or _("Progress"), rag=rag)


@register.filter
def rag_label(code: str) -> str:
    return {
        "green": _("On schedule"),
        "amber": _("At risk"),
        "red": _("Late"),
        "grey": _("Not scheduled"),
    }.get(code or "", "")


@register.filter
def kpi_status_label(code: str) -> str:
    return {
        "on_track": _("On track"),
        "at_risk": _("At risk"),
        "off_track": _("Off track"),
        "no_data": _("No data"),
    }.get(code or "", "")


@register.filter
def step_label(code: str) -> str:
    from zora.core.steps import StrategyStep

    return str(dict(StrategyStep.choices).get(code, code))


@register.filter
def get(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None
