"""Assessment report: one organisation assessed in a campaign (`subject`), or a whole campaign
(`campaign`). The numbers are those of the results pages (zora.assessments.selectors)."""

from collections import Counter
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from zora.assessments import selectors
from zora.assessments.framework import Framework as Tree
from zora.assessments.models import Campaign, Response, Subject
from zora.assessments.services import SECTOR_FIELDS, SIZE_FIELDS
from zora.core.charts import Bar, Box, Series, bars, box_plot, radar
from zora.core.i18n import current_language
from zora.organisations.models import Organisation
from zora.reports.builders import Built, Progress
from zora.reports.figures import figure

MAX_SUBJECT_ROWS = 200
MAX_STAGES = 6


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def check(organisation: Organisation, params: dict[str, Any]) -> dict[str, Any]:
    subject_id, campaign_id = _int(params.get("subject")), _int(params.get("campaign"))
    if subject_id:
        subject = (
            Subject.objects.filter(campaign__organisation=organisation, pk=subject_id)
            .select_related("campaign")
            .first()
        )
        if subject is None:
            raise ValidationError(
                {"subject": _("No such assessed organisation in your campaigns.")}
            )
        if not selectors.submitted_responses(campaign=subject.campaign).filter(subject=subject):
            raise ValidationError(
                {"subject": _("This organisation has no submitted response in the campaign yet.")}
            )
        return {"subject": subject.pk, "campaign": subject.campaign_id}
    if campaign_id:
        campaign = Campaign.objects.filter(organisation=organisation, pk=campaign_id).first()
        if campaign is None:
            raise ValidationError({"campaign": _("No such campaign in your organisation.")})
        if not selectors.submitted_responses(campaign=campaign).exists():
            raise ValidationError({"campaign": _("The campaign has no submitted response yet.")})
        return {"campaign": campaign.pk}
    raise ValidationError({"campaign": _("Choose a campaign, or an organisation assessed in one.")})


def _subject(organisation: Organisation, params: dict[str, Any]) -> Subject | None:
    if not params.get("subject"):
        return None
    return Subject.objects.select_related("campaign__framework", "organisation").get(
        campaign__organisation=organisation, pk=params["subject"]
    )


def _campaign(organisation: Organisation, params: dict[str, Any]) -> Campaign:
    return Campaign.objects.select_related("framework").get(
        organisation=organisation, pk=params["campaign"]
    )


def title(organisation: Organisation, params: dict[str, Any]) -> str:
    subject = _subject(organisation, params)
    if subject is not None:
        return _("Digital maturity of %(name)s") % {"name": subject.organisation.name}
    return _("Assessment report: %(campaign)s") % {"campaign": _campaign(organisation, params).name}


def describe(organisation: Organisation, params: dict[str, Any]) -> dict[str, str]:
    """What the parameters name (stored with the report, for lists)."""
    names = {}
    campaign = Campaign.objects.filter(
        organisation=organisation, pk=_int(params.get("campaign")) or 0
    ).first()
    if campaign is not None:
        names["campaign"] = campaign.name
    if params.get("subject"):
        subject = (
            Subject.objects.filter(campaign__organisation=organisation, pk=params["subject"])
            .select_related("organisation")
            .first()
        )
        if subject is not None:
            names["subject"] = subject.organisation.name
    return names


# --- Shared pieces -----------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value.get(current_language()))


def _level_title(tree: Tree, score: float | None, node: Any = None) -> str:
    level = tree.level_for(score, node)
    return _text(level.title) if level else "—"


def _levels(tree: Tree) -> list[dict[str, Any]]:
    rows, low = [], 0.0
    for level in tree.levels:
        rows.append(
            {
                "title": _text(level.title),
                "low": low,
                "high": level.max,
                "narrative": _text(level.narrative),
            }
        )
        low = level.max
    return rows


def _methodology(campaign: Campaign, tree: Tree, n: int) -> dict[str, Any]:
    return {
        "framework": _text(tree.title),
        "version": tree.version,
        "description": _text(tree.description),
        "source": _text(tree.source),
        "dimensions": [
            {"title": _text(d.title), "description": _text(d.description), "weight": d.weight}
            for d in tree.dimensions
        ],
        "levels": _levels(tree),
        "aggregation": campaign.get_aggregation_display(),
        "na_excluded": tree.na_policy == "exclude",
        "overall_rule": {
            "mean": _("the mean of the dimensions"),
            "weighted_mean": _("the weighted mean of the dimensions"),
            "sum": _("the sum of the dimensions"),
        }.get(tree.aggregation, tree.aggregation),
        "n": n,
        "campaign": campaign,
        "min_cell": selectors.MIN_CELL,
    }


def _group_labels(tree: Tree) -> dict[str, str]:
    labels = {}
    for field in tree.profile:
        if field.code in SECTOR_FIELDS + SIZE_FIELDS:
            for option in field.options:
                labels[option.code] = _text(option.title)
    return labels


def _cohort_tables(tree: Tree, stats: selectors.CampaignStatistics) -> list[dict[str, Any]]:
    titles = {
        "sector": _("By sector"),
        "size_band": _("By size band"),
        "region_code": _("By region"),
    }
    labels = _group_labels(tree)
    tables = []
    for key, cells in stats.cohorts.items():
        if not cells:
            continue
        tables.append(
            {
                "title": titles[key],
                "rows": [
                    {
                        "group": labels.get(cell.group, cell.group),
                        "n": cell.n,
                        "hidden": cell.hidden,
                        "values": [
                            {"median": s.median, "q1": s.q1, "q3": s.q3} for s in cell.spreads
                        ],
                    }
                    for cell in cells
                ],
            }
        )
    return tables


def _recommendations(tree: Tree, scored: list[tuple[Any, float | None]], limit: int) -> list[Any]:
    """For the weakest dimensions (lowest score first): the framework's recommendation for the
    level reached."""
    out = []
    for node, score in sorted(
        ((n, s) for n, s in scored if s is not None), key=lambda pair: pair[1]
    ):
        level = tree.level_for(score, node)
        if level is None or level.code not in node.recommendations:
            continue
        out.append(
            {
                "dimension": _text(node.title),
                "score": score,
                "level": _text(level.title),
                "text": _text(node.recommendations[level.code]),
            }
        )
        if len(out) >= limit:
            break
    return out


def _percentile(value: float, others: np.ndarray) -> float | None:
    if others.size == 0:
        return None
    return float(100.0 * ((others < value).sum() + 0.5 * (others == value).sum()) / others.size)


# --- One organisation ------------------------------------------------------------------------


def _build_subject(subject: Subject, progress: Progress) -> Built:
    campaign = subject.campaign
    tree = selectors.framework_tree(campaign.framework)
    language = current_language()
    result = selectors.subject_results(campaign=campaign, subjects=[subject])[0]
    progress(0.2, _("Scores"))
    dims = [
        {
            "title": _text(node.title),
            "description": _text(node.description),
            "score": score,
            "level": _level_title(tree, score, node),
            # A dimension's own level texts only (the framework-wide ones are in "Levels").
            "narrative": _text(level.narrative)
            if node.levels and (level := tree.level_for(score, node)) and level.narrative
            else "",
        }
        for node, score in zip(tree.dimensions, result.dimensions, strict=False)
    ]
    axes = [d.title.get(language) for d in tree.dimensions]
    radar_chart = figure(
        radar(axes, [Series(_("Score"), result.dimensions)], title=_("Score per dimension")),
        _("Score per dimension (0–100)."),
    )
    overall_level = tree.level_for(result.overall)
    scored = [(d, s) for d, s in zip(tree.dimensions, result.dimensions, strict=False)]
    known = [(d["title"], d["score"]) for d in dims if d["score"] is not None]
    strongest = max(known, key=lambda t: t[1]) if known else None
    weakest = min(known, key=lambda t: t[1]) if known else None

    progress(0.4, _("Change between stages"))
    stages = selectors.subject_history(
        organisation=campaign.organisation, subject_organisation=subject.organisation
    )
    comparison = None
    if len(stages) > 1:
        comparable = [s for s in stages if s.comparable]
        comparison = {
            "dimensions": [_text(d.title) for d in tree.dimensions],
            "stages": [
                {
                    "stage": s.campaign.stage,
                    "campaign": s.campaign.name,
                    "comparable": s.comparable,
                    "overall": s.result.overall,
                    "overall_delta": s.overall_delta,
                    "level": _level_title(tree, s.result.overall),
                    "level_changed": s.level_changed,
                    "pairs": s.pairs,
                }
                for s in stages
            ],
            "mixed": any(not s.comparable for s in stages),
            "chart": figure(
                radar(
                    axes,
                    [Series(s.campaign.stage, s.result.dimensions) for s in comparable],
                    title=_("Scores per dimension by stage"),
                ),
                _("Scores per dimension by stage (0–100)."),
            ),
        }

    progress(0.6, _("Position in the cohort"))
    stats = selectors.campaign_statistics(campaign=campaign)
    overalls = np.array(
        [
            v
            for v in selectors.submitted_responses(campaign=campaign)
            .exclude(subject=subject)
            .values_list("overall", flat=True)
            if v is not None
        ],
        dtype=float,
    )
    first = (
        selectors.submitted_responses(campaign=campaign)
        .filter(subject=subject)
        .values("sector", "size_band", "region_code")
        .first()
    )
    own: dict[str, Any] = dict(first) if first else {}
    labels = _group_labels(tree)
    cohort_rows = []
    for key, title_text in (
        ("sector", _("Same sector")),
        ("size_band", _("Same size band")),
        ("region_code", _("Same region")),
    ):
        group = own.get(key)
        cell = next((c for c in stats.cohorts.get(key, []) if c.group == group), None)
        if not group or cell is None:
            continue
        cohort_rows.append(
            {
                "title": title_text,
                "group": labels.get(group, group),
                "n": cell.n,
                "hidden": cell.hidden,
                "median": cell.spreads[0].median if cell.spreads else None,
            }
        )
    cohorts = {
        "percentile": _percentile(result.overall, overalls) if result.overall is not None else None,
        "n": stats.n,
        "overall": result.overall,
        "campaign_median": stats.overall.median,
        "campaign_q1": stats.overall.q1,
        "campaign_q3": stats.overall.q3,
        "dimensions": [
            {
                "title": _text(d.title),
                "score": score,
                "median": s.median,
                "q1": s.q1,
                "q3": s.q3,
                "delta": None if score is None or s.median is None else score - s.median,
            }
            for (d, s), score in zip(stats.dimensions, result.dimensions, strict=False)
        ],
        "groups": cohort_rows,
        "min_cell": selectors.MIN_CELL,
    }
    progress(0.8, _("Recommendations"))
    recommendations = _recommendations(tree, scored, limit=len(tree.dimensions))
    return Built(
        title=_("Digital maturity of %(name)s") % {"name": subject.organisation.name},
        subtitle=f"{_text(tree.title)} · {campaign.stage}",
        facts=[
            (_("Campaign"), campaign.name),
            (_("Stage"), campaign.stage),
            (_("Respondents"), str(result.respondents)),
        ],
        sections={
            "summary": {
                "subject": subject.organisation.name,
                "campaign": campaign,
                "framework": _text(tree.title),
                "respondents": result.respondents,
                "overall": result.overall,
                "level": _text(overall_level.title) if overall_level else "—",
                "narrative": _text(overall_level.narrative) if overall_level else "",
                "strongest": strongest,
                "weakest": weakest,
                "stages": len(stages),
            },
            "scores": {"dimensions": dims, "chart": radar_chart, "overall": result.overall},
            "distribution": None,
            "levels": {"levels": _levels(tree), "reached": _level_title(tree, result.overall)},
            "comparison": comparison,
            "recommendations": {"items": recommendations} if recommendations else None,
            "cohorts": cohorts,
            "subjects": None,
            "methodology": _methodology(campaign, tree, stats.n),
        },
    )


# --- A whole campaign ------------------------------------------------------------------------


def _build_campaign(campaign: Campaign, progress: Progress) -> Built:
    tree = selectors.framework_tree(campaign.framework)
    language = current_language()
    stats = selectors.campaign_statistics(campaign=campaign)
    progress(0.2, _("Distribution of the scores"))
    boxes = [
        Box(
            _("Overall"),
            stats.overall.n,
            stats.overall.minimum,
            stats.overall.q1,
            stats.overall.median,
            stats.overall.q3,
            stats.overall.maximum,
        )
    ] + [
        Box(d.title.get(language), s.n, s.minimum, s.q1, s.median, s.q3, s.maximum)
        for d, s in stats.dimensions
    ]
    box_chart = figure(
        box_plot(boxes, title=_("Distribution of scores per dimension"), n_label="n"),
        _(
            "Box plots: the line is the median, the box holds the middle half of the responses, "
            "the whiskers reach the lowest and highest score."
        ),
    )
    medians = [(d, s.median) for d, s in stats.dimensions]
    known = [(_text(d.title), m) for d, m in medians if m is not None]

    overalls = [
        v
        for v in selectors.submitted_responses(campaign=campaign).values_list("overall", flat=True)
        if v is not None
    ]
    counts = Counter(level.code for v in overalls if (level := tree.level_for(v)) is not None)
    level_rows: list[dict[str, Any]] = [
        {
            "title": _text(level.title),
            "count": counts.get(level.code, 0),
            "share": 100.0 * counts.get(level.code, 0) / len(overalls) if overalls else 0.0,
        }
        for level in tree.levels
    ]
    level_chart = figure(
        bars(
            [Bar(r["title"], float(r["count"])) for r in level_rows],
            title=_("Responses per maturity level"),
            unit=_("responses"),
        ),
        _("Number of responses whose overall score falls in each level."),
    )

    progress(0.4, _("Change between stages"))
    comparison = _stage_comparison(campaign, tree)

    progress(0.6, _("Results per organisation"))
    subjects_qs = campaign.subjects.select_related("organisation").order_by("organisation__slug")
    subject_count = subjects_qs.count()
    subjects = list(subjects_qs[:MAX_SUBJECT_ROWS])
    results = [
        r for r in selectors.subject_results(campaign=campaign, subjects=subjects) if r.respondents
    ]
    results.sort(key=lambda r: r.subject.organisation.name.lower())
    subject_rows = [
        {
            "name": r.subject.organisation.name,
            "respondents": r.respondents,
            "overall": r.overall,
            "level": _level_title(tree, r.overall),
            "dimensions": r.dimensions,
        }
        for r in results
    ]
    recommendations = _recommendations(tree, medians, limit=3)
    progress(0.8, _("Cohorts"))
    return Built(
        title=_("Assessment report: %(campaign)s") % {"campaign": campaign.name},
        subtitle=_text(tree.title),
        facts=[
            (_("Stage"), campaign.stage),
            *([(_("Started on"), date_format(campaign.starts_on))] if campaign.starts_on else []),
            (_("Submitted responses"), str(stats.n)),
            (_("Organisations assessed"), str(subject_count)),
        ],
        sections={
            "summary": {
                "campaign": campaign,
                "framework": _text(tree.title),
                "n": stats.n,
                "subjects": subject_count,
                "median": stats.overall.median,
                "mean": stats.overall.mean,
                "q1": stats.overall.q1,
                "q3": stats.overall.q3,
                "level": _level_title(tree, stats.overall.median),
                "strongest": max(known, key=lambda t: t[1]) if known else None,
                "weakest": min(known, key=lambda t: t[1]) if known else None,
                "is_campaign": True,
            },
            "scores": None,
            "distribution": {
                "chart": box_chart,
                "overall": stats.overall,
                "rows": [(_text(d.title), s) for d, s in stats.dimensions],
            },
            "levels": {"levels": _levels(tree), "rows": level_rows, "chart": level_chart},
            "comparison": comparison,
            "recommendations": {"items": recommendations, "by_median": True}
            if recommendations
            else None,
            "cohorts": {
                "tables": _cohort_tables(tree, stats),
                "dimensions": [_text(d.title) for d in tree.dimensions],
                "min_cell": selectors.MIN_CELL,
                "is_campaign": True,
            },
            "subjects": {
                "rows": subject_rows,
                "dimensions": [_text(d.title) for d in tree.dimensions],
                "total": subject_count,
                "limited": subject_count > MAX_SUBJECT_ROWS,
                "limit": MAX_SUBJECT_ROWS,
            },
            "methodology": _methodology(campaign, tree, stats.n),
        },
    )


def _stage_comparison(campaign: Campaign, tree: Tree) -> dict[str, Any] | None:
    """The organisation's campaigns on the same framework version, by stage: medians, and the
    mean change of the organisations assessed in both this campaign and the one before."""
    campaigns = list(
        Campaign.objects.filter(
            organisation=campaign.organisation, framework=campaign.framework
        ).order_by("stage", "created_at")[:MAX_STAGES]
    )
    if campaign not in campaigns or len(campaigns) < 2:
        return None
    ids = [c.pk for c in campaigns]
    per: dict[int, dict[int, list[float]]] = {c: {} for c in ids}
    for campaign_id, org_id, overall in Response.objects.filter(
        campaign_id__in=ids, status="submitted", is_current=True, overall__isnull=False
    ).values_list("campaign_id", "subject__organisation_id", "overall"):
        if overall is not None:
            per[campaign_id].setdefault(org_id, []).append(float(overall))
    rows, previous = [], None
    for c in campaigns:
        stats = selectors.campaign_statistics(campaign=c)
        paired = None
        if previous is not None:
            now = {k: float(np.mean(v)) for k, v in per[c.pk].items()}
            before = {k: float(np.mean(v)) for k, v in per[previous.pk].items()}
            both = sorted(set(now) & set(before))
            if both:
                changes = [now[k] - before[k] for k in both]
                paired = {
                    "n": len(both),
                    "mean": float(np.mean(changes)),
                    "improved": sum(1 for x in changes if x > 0),
                }
        rows.append(
            {
                "stage": c.stage,
                "campaign": c.name,
                "current": c.pk == campaign.pk,
                "n": stats.n,
                "median": stats.overall.median,
                "medians": [s.median for _d, s in stats.dimensions],
                "paired": paired,
            }
        )
        previous = c
    return {"rows": rows, "dimensions": [_text(d.title) for d in tree.dimensions], "mode": "stages"}


def build(organisation: Organisation, params: dict[str, Any], progress: Progress) -> Built:
    subject = _subject(organisation, params)
    if subject is not None:
        return _build_subject(subject, progress)
    return _build_campaign(_campaign(organisation, params), progress)
