"""SWOT drafting: proposes SWOT items from the evidence that exists (read through the other
apps' selectors). Nothing here writes; `services.swot_draft` stores the proposals as
`proposed` items that a person accepts, edits or discards.

Rules (also in the README):
- Assessment dimension (the latest campaign of each framework, median of the submitted
  answers): in the framework's lowest level → weakness; more than 5 points below the median of
  the campaign's dimensions → weakness; more than 5 points above it → strength.
- Indicator compared with the peer group (the organisation's first saved peer group, else the
  first built-in one) in the strategy's territory: better than the peer median, respecting the
  indicator's direction → strength; worse → weakness; equal → nothing.
- EU 2030 target of an indicator: more than 25 % of the target away in the bad direction → threat
  ("far behind"); reached or within 10 % → opportunity ("close"); in between → nothing.
- Interview codes: a code with a suggested quadrant found in at least 3 findings → an item in
  that quadrant, with the code and up to 3 of its findings as evidence.
- Citizen proposals: the 5 largest topics with at least 5 proposals, and the 3 most supported
  proposals with at least 20 supports → opportunity.
Each proposal has a key (rule + source); re-drafting skips keys that exist already.
"""

import statistics
from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

DIMENSION_MARGIN = 5.0
TARGET_FAR = 0.25
TARGET_CLOSE = 0.10
CODE_MIN_FINDINGS = 3
TOPIC_MIN_SIZE = 5
TOPICS_MAX = 5
PROPOSAL_MIN_SUPPORTS = 20
PROPOSALS_MAX = 3


@dataclass
class Draft:
    key: str
    quadrant: str
    text_bg: str
    text_en: str
    rule: str
    evidence: list[dict[str, Any]] = field(default_factory=list)


def _both(make: Any) -> tuple[str, str]:
    """make() called in Bulgarian and in English."""
    out = []
    for language in ("bg", "en"):
        with translation.override(language):
            out.append(make(language))
    return out[0], out[1]


def _url(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # pragma: no cover - a source app without that page
        return ""


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".rstrip("0").rstrip(".")


# --- Assessments ------------------------------------------------------------------------------


def assessment_drafts(*, organisation: Any) -> list[Draft]:
    from zora.assessments import selectors as assessments

    drafts: list[Draft] = []
    latest: dict[int, Any] = {}
    for campaign in assessments.campaign_list(organisation=organisation):
        if getattr(campaign, "submitted_count", 0) and campaign.framework_id not in latest:
            latest[campaign.framework_id] = campaign  # the list is newest first
    for campaign in latest.values():
        stats = assessments.campaign_statistics(campaign=campaign)
        tree = assessments.framework_tree(campaign.framework)
        medians = [s.median for _d, s in stats.dimensions if s.median is not None]
        if not medians:
            continue
        middle = statistics.median(medians)
        for node, spread in stats.dimensions:
            if spread.median is None:
                continue
            value = spread.median
            level = tree.level_for(value, node)
            lowest = tree.levels_for(node)[0]
            if level is not None and level.code == lowest.code:
                quadrant, rule = "weakness", "lowest_level"
            elif value < middle - DIMENSION_MARGIN:
                quadrant, rule = "weakness", "below_median"
            elif value > middle + DIMENSION_MARGIN:
                quadrant, rule = "strength", "above_median"
            else:
                continue

            def text(
                lang: str,
                node: Any = node,
                value: float = value,
                rule: str = rule,
                middle: float = middle,
            ) -> str:
                name = node.title.get(lang)
                if rule == "lowest_level":
                    return _("%(dimension)s: at the lowest maturity level (%(value)s/100)") % {
                        "dimension": name,
                        "value": _fmt(value),
                    }
                if rule == "below_median":
                    return _(
                        "%(dimension)s: behind the other dimensions of the assessment "
                        "(%(value)s/100, median of the dimensions %(median)s)"
                    ) % {"dimension": name, "value": _fmt(value), "median": _fmt(middle)}
                return _(
                    "%(dimension)s: ahead of the other dimensions of the assessment "
                    "(%(value)s/100, median of the dimensions %(median)s)"
                ) % {"dimension": name, "value": _fmt(value), "median": _fmt(middle)}

            text_bg, text_en = _both(text)
            lang = organisation.default_language
            drafts.append(
                Draft(
                    key=f"assessment:{campaign.pk}:{node.code}",
                    quadrant=quadrant,
                    text_bg=text_bg,
                    text_en=text_en,
                    rule=f"assessment.{rule}",
                    evidence=[
                        {
                            "kind": "assessment_dimension",
                            "target": f"{campaign.pk}:{node.code}",
                            "label": f"{node.title.get(lang)} — {campaign.name}",
                            "value": round(value, 1),
                            "unit": "/100",
                            "detail": f"n={spread.n}; "
                            + (level.title.get(lang) if level is not None else ""),
                            "observed": str(campaign.starts_on or campaign.created_at.date()),
                            "url": _url("campaign_results", organisation.slug, campaign.pk),
                        }
                    ],
                )
            )
    return drafts


# --- Indicators -------------------------------------------------------------------------------


def indicator_drafts(*, organisation: Any, region_code: str) -> list[Draft]:
    from zora.indicators import selectors as indicators

    region = indicators.region_get(region_code) if region_code else None
    if region is None:
        return []
    groups = indicators.peer_groups_for(organisation=organisation, region=region)
    peers = indicators.choose_peers(groups, None)
    drafts: list[Draft] = []
    lang = organisation.default_language
    for c in indicators.scorecard(region=region, peer_codes=peers.codes):
        if c.value is None:
            continue
        ind = c.indicator
        unit = ind.unit_bg if lang == "bg" else ind.unit_en
        name = ind.name_bg if lang == "bg" else ind.name_en
        where = c.effective_region.code if c.effective_region else region.code
        evidence = {
            "kind": "indicator_comparison",
            "target": f"{ind.code}@{where}",
            "label": f"{name} — {where}",
            "value": c.value,
            "unit": unit,
            "observed": c.period or "",
            "url": _url("indicator_detail", region.code, ind.code),
        }
        lower = ind.direction == "lower"
        if c.peer_median is not None and c.n > 1 and c.value != c.peer_median:
            better = c.value < c.peer_median if lower else c.value > c.peer_median
            median = c.peer_median

            def text(
                lang: str, ind: Any = ind, c: Any = c, better: bool = better, median: float = median
            ) -> str:
                name = ind.name_bg if lang == "bg" else ind.name_en
                message = (
                    _("%(indicator)s: better than the peer median (%(value)s against %(median)s)")
                    if better
                    else _(
                        "%(indicator)s: worse than the peer median (%(value)s against %(median)s)"
                    )
                )
                return message % {
                    "indicator": name,
                    "value": _fmt(c.value),
                    "median": _fmt(median),
                }

            text_bg, text_en = _both(text)
            drafts.append(
                Draft(
                    key=f"indicator:{ind.code}:{where}",
                    quadrant="strength" if better else "weakness",
                    text_bg=text_bg,
                    text_en=text_en,
                    rule="indicator.peer_median",
                    evidence=[
                        {
                            **evidence,
                            "detail": f"{peers.name}: median {_fmt(median)}, n={c.n}",
                        }
                    ],
                )
            )
        if ind.target_value is not None and ind.target_value != 0:
            target = ind.target_value
            gap = (c.value - target) / abs(target) if lower else (target - c.value) / abs(target)
            if gap > TARGET_FAR:
                quadrant, rule = "threat", "far"
            elif gap <= TARGET_CLOSE:
                quadrant, rule = "opportunity", "close"
            else:
                continue

            def target_text(lang: str, ind: Any = ind, c: Any = c, rule: str = rule) -> str:
                name = ind.name_bg if lang == "bg" else ind.name_en
                values = {
                    "indicator": name,
                    "value": _fmt(c.value),
                    "target": _fmt(ind.target_value),
                    "year": ind.target_year or "",
                }
                if rule == "far":
                    return (
                        _(
                            "%(indicator)s: far behind the EU target (%(value)s against %(target)s by %(year)s)"
                        )
                        % values
                    )
                return (
                    _(
                        "%(indicator)s: close to or at the EU target (%(value)s against %(target)s by %(year)s)"
                    )
                    % values
                )

            text_bg, text_en = _both(target_text)
            drafts.append(
                Draft(
                    key=f"target:{ind.code}:{where}",
                    quadrant=quadrant,
                    text_bg=text_bg,
                    text_en=text_en,
                    rule=f"indicator.target_{rule}",
                    evidence=[
                        {
                            **evidence,
                            "detail": f"EU target {_fmt(target)} ({ind.target_year or ''}); "
                            f"gap {gap * 100:.0f} %",
                        }
                    ],
                )
            )
    return drafts


# --- Interviews (stakeholders) and proposals (participation) ---------------------------------


def interview_drafts(*, organisation: Any) -> list[Draft]:
    try:
        from zora.stakeholders import selectors as stakeholders
    except ImportError:  # pragma: no cover - the app's selectors are not there yet
        return []
    if not hasattr(stakeholders, "code_frequencies"):  # pragma: no cover
        return []
    findings = []
    if hasattr(stakeholders, "evidence_for"):
        findings = [
            e
            for e in stakeholders.evidence_for(organisation=organisation)
            if e["kind"] == "finding"
        ]
    drafts: list[Draft] = []
    for row in stakeholders.code_frequencies(organisation=organisation):
        if row["count"] < CODE_MIN_FINDINGS or not row.get("quadrant"):
            continue
        code = str(row["code"])
        examples = [
            f for f in findings if f.get("code_id") == row["code_id"] or str(f.get("code")) == code
        ][:3]

        def text(lang: str, code: str = code, count: int = row["count"]) -> str:
            return _("%(code)s: raised in %(count)s interview findings") % {
                "code": code,
                "count": count,
            }

        text_bg, text_en = _both(text)
        evidence = [
            {
                "kind": "finding_code",
                "target": str(row["code_id"]),
                "label": code,
                "value": row["count"],
                "unit": "",
                "detail": ", ".join(f"{k}: {v}" for k, v in (row.get("by_type") or {}).items()),
                "observed": "",
                "url": "",
            }
        ] + [
            {
                "kind": "finding",
                "target": str(f["id"]),
                "label": str(f["label"])[:500],
                "value": None,
                "unit": "",
                "detail": code,
                "observed": str(f.get("date") or ""),
                "url": "",
            }
            for f in examples
        ]
        drafts.append(
            Draft(
                key=f"code:{row['code_id']}",
                quadrant=row["quadrant"],
                text_bg=text_bg,
                text_en=text_en,
                rule="interviews.frequent_code",
                evidence=evidence,
            )
        )
    return drafts


def proposal_drafts(*, organisation: Any) -> list[Draft]:
    from zora.participation import selectors as participation

    rows = participation.evidence_for(organisation=organisation)
    topics = sorted(
        (r for r in rows if r["kind"] == "proposal_topic" and (r["value"] or 0) >= TOPIC_MIN_SIZE),
        key=lambda r: -r["value"],
    )[:TOPICS_MAX]
    proposals = sorted(
        (r for r in rows if r["kind"] == "proposal" and (r["value"] or 0) >= PROPOSAL_MIN_SUPPORTS),
        key=lambda r: -r["value"],
    )[:PROPOSALS_MAX]
    drafts: list[Draft] = []
    for r in topics:

        def text(lang: str, r: dict = r) -> str:
            return _("Citizens ask for: %(topic)s (%(count)s proposals)") % {
                "topic": r["label"],
                "count": r["value"],
            }

        text_bg, text_en = _both(text)
        drafts.append(
            Draft(
                key=f"topic:{r['id']}",
                quadrant="opportunity",
                text_bg=text_bg,
                text_en=text_en,
                rule="proposals.large_topic",
                evidence=[
                    {
                        "kind": "proposal_topic",
                        "target": str(r["id"]),
                        "label": str(r["label"]),
                        "value": r["value"],
                        "unit": "",
                        "detail": "",
                        "observed": "",
                        "url": "",
                    }
                ],
            )
        )
    for r in proposals:

        def text(lang: str, r: dict = r) -> str:
            return _("A widely supported citizen proposal: %(title)s (%(count)s supports)") % {
                "title": r["label"],
                "count": r["value"],
            }

        text_bg, text_en = _both(text)
        drafts.append(
            Draft(
                key=f"proposal:{r['id']}",
                quadrant="opportunity",
                text_bg=text_bg,
                text_en=text_en,
                rule="proposals.supported",
                evidence=[
                    {
                        "kind": "proposal",
                        "target": str(r["id"]),
                        "label": str(r["label"]),
                        "value": r["value"],
                        "unit": "",
                        "detail": "",
                        "observed": "",
                        "url": _url("proposal_detail", r["id"]),
                    }
                ],
            )
        )
    return drafts


def draft_all(*, organisation: Any, region_code: str) -> list[Draft]:
    """Every proposal the rules make from the organisation's evidence."""
    return (
        assessment_drafts(organisation=organisation)
        + indicator_drafts(organisation=organisation, region_code=region_code)
        + interview_drafts(organisation=organisation)
        + proposal_drafts(organisation=organisation)
    )
