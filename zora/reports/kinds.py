"""The registry of report kinds: for each kind, its sections in their default order, and the
module that checks its parameters and builds the sections' content.

Each section is one template, `reports/sections/<kind>/<key>.html`, rendered inside the same
wrapper for the on-screen preview, the HTML file and the PDF; the DOCX is made from that same
HTML. A builder module (`zora.reports.builders.<kind>`) has:

- `check(organisation, params) -> dict` — validated, normalised parameters (raises
  ValidationError with translated messages);
- `title(organisation, params) -> str` — the document's title;
- `build(organisation, params, progress) -> Built` — each section's template context, or None
  when the section does not apply (e.g. the T0→T1 comparison of a subject assessed once).
"""

from dataclasses import dataclass
from importlib import import_module
from types import ModuleType
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: Promise | str
    help: Promise | str = ""


@dataclass(frozen=True)
class KindSpec:
    code: str
    sections: tuple[SectionSpec, ...]
    params: tuple[str, ...]  # the parameters it accepts (from the form, API and CLI)

    @property
    def builder(self) -> ModuleType:
        return import_module(f"zora.reports.builders.{self.code}")

    def section(self, key: str) -> SectionSpec | None:
        return next((s for s in self.sections if s.key == key), None)


KINDS: dict[str, KindSpec] = {
    "assessment": KindSpec(
        "assessment",
        (
            SectionSpec("contents", _("Contents")),
            SectionSpec("summary", _("Summary")),
            SectionSpec(
                "scores",
                _("Scores by dimension"),
                _("One organisation: overall and dimension scores, levels, radar chart."),
            ),
            SectionSpec(
                "distribution",
                _("Distribution of the scores"),
                _("A whole campaign: box plots and the spread per dimension."),
            ),
            SectionSpec("levels", _("Maturity levels")),
            SectionSpec("comparison", _("Change between stages")),
            SectionSpec("recommendations", _("Recommendations")),
            SectionSpec("cohorts", _("Position in the cohort")),
            SectionSpec("subjects", _("Results per organisation")),
            SectionSpec("methodology", _("Methodology")),
        ),
        ("campaign", "subject"),
    ),
    "benchmark": KindSpec(
        "benchmark",
        (
            SectionSpec("contents", _("Contents")),
            SectionSpec("summary", _("Summary")),
            SectionSpec("scorecard", _("Scorecard")),
            SectionSpec("rankings", _("Rankings among the peers")),
            SectionSpec("trends", _("Time series")),
            SectionSpec("targets", _("Gaps to the targets")),
            SectionSpec("sources", _("Data sources and flags")),
            SectionSpec("methodology", _("Methodology")),
        ),
        ("region", "peers"),
    ),
    "strategy": KindSpec(
        "strategy",
        (
            SectionSpec("contents", _("Contents")),
            SectionSpec("summary", _("Executive summary")),
            SectionSpec("current_state", _("Current state")),
            SectionSpec("stakeholders", _("Stakeholder process")),
            SectionSpec("swot", _("SWOT analysis")),
            SectionSpec("vision", _("Vision and ambition")),
            SectionSpec("priorities", _("Priorities and objectives")),
            SectionSpec("action_plan", _("Action plan")),
            SectionSpec("roadmap", _("Roadmap")),
            SectionSpec("kpis", _("Indicators and targets")),
            SectionSpec("governance", _("Governance and monitoring")),
            SectionSpec("annexes", _("Annexes")),
        ),
        ("strategy",),
    ),
    "progress": KindSpec(
        "progress",
        (
            SectionSpec("contents", _("Contents")),
            SectionSpec("summary", _("Summary")),
            SectionSpec("changes", _("What changed")),
            SectionSpec("kpis", _("Indicators and targets")),
            SectionSpec("late", _("Late and at-risk actions")),
            SectionSpec("milestones", _("Milestones of the period")),
            SectionSpec("budget", _("Budget by funding source")),
        ),
        ("strategy", "period_from", "period_to"),
    ),
}


def kind_spec(kind: str) -> KindSpec:
    return KINDS[kind]


def available_kinds() -> list[str]:
    return list(KINDS)


PARAM_LABELS = {
    "campaign": _("Campaign"),
    "subject": _("Organisation assessed"),
    "region": _("Region"),
    "peers": _("Peers"),
    "strategy": _("Strategy"),
    "period_from": _("From"),
    "period_to": _("To"),
}


def describe_params(report: Any) -> list[tuple[str, Any]]:
    """(label, value) pairs of a report's parameters, for lists and the report page: the names
    stored when it was requested (no query per report)."""
    names = report.param_names or {}
    return [
        (str(PARAM_LABELS.get(key, key)), names.get(key, value))
        for key, value in report.params.items()
        if key in PARAM_LABELS
    ]
