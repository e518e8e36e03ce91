"""Reads for assessments."""

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Count, Q, QuerySet

from zora.assessments import models
from zora.assessments.engine import Compiled, compile_framework, score_matrix
from zora.assessments.framework import Framework as FrameworkTree
from zora.assessments.framework import build_framework
from zora.organisations.models import Organisation

_compiled_cache: dict[tuple[int, str], Compiled] = {}


def framework_list() -> QuerySet[models.Framework]:
    return models.Framework.objects.all().order_by("code", "-version")


def framework_get(*, code: str, version: int | None = None) -> models.Framework | None:
    qs = models.Framework.objects.filter(code=code)
    if version is not None:
        qs = qs.filter(version=version)
    return qs.order_by("-version").first()


def framework_tree(framework: models.Framework) -> FrameworkTree:
    return framework_compiled(framework).framework


def framework_compiled(framework: models.Framework) -> Compiled:
    """The compiled engine for a stored framework version (cached per process)."""
    key = (framework.pk, framework.checksum)
    if key not in _compiled_cache:
        _compiled_cache[key] = compile_framework(
            build_framework(framework.definition, framework.checksum)
        )
    return _compiled_cache[key]


def framework_has_responses(framework: models.Framework) -> bool:
    return models.Response.objects.filter(framework=framework).exists()


# --- Campaigns and results ------------------------------------------------------------------


MIN_CELL = 5  # cohort cells with fewer responses are hidden, for anonymity


def campaign_list(*, organisation: Organisation) -> QuerySet[models.Campaign]:
    return (
        models.Campaign.objects.filter(organisation=organisation)
        .select_related("framework")
        .annotate(
            subject_count=Count("subjects", distinct=True),
            submitted_count=Count(
                "responses",
                filter=Q(responses__status="submitted", responses__is_current=True),
                distinct=True,
            ),
        )
        .order_by("-created_at")
    )


def submitted_responses(*, campaign: models.Campaign) -> QuerySet[models.Response]:
    return models.Response.objects.filter(campaign=campaign, status="submitted", is_current=True)


@dataclass
class Spread:
    n: int
    minimum: float | None = None
    q1: float | None = None
    median: float | None = None
    q3: float | None = None
    maximum: float | None = None
    mean: float | None = None

    @classmethod
    def of(cls, values: np.ndarray) -> "Spread":
        values = values[~np.isnan(values)]
        if values.size == 0:
            return cls(n=0)
        q = np.percentile(values, [0, 25, 50, 75, 100])
        return cls(
            n=int(values.size),
            minimum=float(q[0]),
            q1=float(q[1]),
            median=float(q[2]),
            q3=float(q[3]),
            maximum=float(q[4]),
            mean=float(values.mean()),
        )


@dataclass
class CohortCell:
    group: str
    n: int
    hidden: bool
    spreads: list[Spread]  # overall, then one per dimension


@dataclass
class CampaignStatistics:
    n: int
    overall: Spread
    dimensions: list[tuple[Any, Spread]]  # (dimension node, spread)
    cohorts: dict[str, list[CohortCell]]  # "sector" | "size_band" | "region_code" → cells


def campaign_statistics(*, campaign: models.Campaign) -> CampaignStatistics:
    """Distributions per dimension and cohort statistics, from the stored score snapshots."""
    tree = framework_tree(campaign.framework)
    rows = list(
        submitted_responses(campaign=campaign).values_list(
            "overall", "scores", "sector", "size_band", "region_code"
        )
    )
    k = len(tree.dimensions)
    matrix = np.full((len(rows), k + 1), np.nan)
    for i, (overall, scores, *_groups) in enumerate(rows):
        matrix[i, 0] = np.nan if overall is None else overall
        matrix[i, 1 : 1 + len(scores)] = [np.nan if s is None else s for s in scores[:k]]
    cohorts: dict[str, list[CohortCell]] = {}
    for position, key in enumerate(["sector", "size_band", "region_code"], start=2):
        labels = np.array([row[position] or "" for row in rows], dtype=object)
        cells = []
        for group in sorted({str(g) for g in labels if g}):
            mask = labels == group
            n = int(mask.sum())
            hidden = n < MIN_CELL
            spreads = [] if hidden else [Spread.of(matrix[mask, j]) for j in range(k + 1)]
            cells.append(CohortCell(group=group, n=n, hidden=hidden, spreads=spreads))
        cohorts[key] = cells
    return CampaignStatistics(
        n=len(rows),
        overall=Spread.of(matrix[:, 0]),
        dimensions=[(d, Spread.of(matrix[:, j + 1])) for j, d in enumerate(tree.dimensions)],
        cohorts=cohorts,
    )


@dataclass
class SubjectResult:
    subject: models.Subject
    respondents: int
    overall: float | None
    level: str | None
    dimensions: list[float | None]


def _vectors(values: list[list[float | None]], width: int) -> np.ndarray:
    matrix = np.full((len(values), width), np.nan)
    for i, vector in enumerate(values):
        matrix[i, : len(vector)] = [np.nan if v is None else v for v in vector[:width]]
    return matrix


def subject_results(
    *, campaign: models.Campaign, subjects: list[models.Subject]
) -> list[SubjectResult]:
    """Each subject's scores: with several respondents, their answers are combined per item
    (mean or median, as the campaign says) before scoring."""
    compiled = framework_compiled(campaign.framework)
    by_subject: dict[int, list[list[float | None]]] = {s.pk: [] for s in subjects}
    for subject_id, vector in (
        submitted_responses(campaign=campaign)
        .filter(subject__in=[s.pk for s in subjects])
        .values_list("subject_id", "vector")
    ):
        by_subject[subject_id].append(vector)
    results = []
    combine = np.nanmedian if campaign.aggregation == "median" else np.nanmean
    for subject in subjects:
        vectors = by_subject[subject.pk]
        if not vectors:
            results.append(
                SubjectResult(subject, 0, None, None, [None] * len(compiled.dimension_indexes))
            )
            continue
        matrix = _vectors(vectors, compiled.n_features)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # an item everyone left N/A
            combined = combine(matrix, axis=0)
        scores = score_matrix(compiled, combined)
        overall = float(scores.overall[0])
        overall_value = None if np.isnan(overall) else overall
        level = compiled.framework.level_for(overall_value)
        results.append(
            SubjectResult(
                subject=subject,
                respondents=len(vectors),
                overall=overall_value,
                level=level.code if level else None,
                dimensions=[None if np.isnan(v) else float(v) for v in scores.dimensions[0]],
            )
        )
    return results


@dataclass
class StageResult:
    campaign: models.Campaign
    result: SubjectResult
    comparable: bool  # same framework version as the first stage
    overall_delta: float | None
    dimension_deltas: list[float | None]
    level_changed: bool

    @property
    def pairs(self) -> list[tuple[float | None, float | None]]:
        return list(zip(self.result.dimensions, self.dimension_deltas, strict=False))


def subject_history(
    *, organisation: Organisation, subject_organisation: Organisation
) -> list[StageResult]:
    """T0 → T1 → T2: the subject's results in every campaign of `organisation`, in stage order,
    with deltas against the previous stage of the same framework version."""
    subjects = list(
        models.Subject.objects.filter(
            campaign__organisation=organisation, organisation=subject_organisation
        )
        .select_related("campaign__framework", "organisation")
        .order_by("campaign__stage", "campaign__created_at")
    )
    stages: list[StageResult] = []
    for subject in subjects:
        result = subject_results(campaign=subject.campaign, subjects=[subject])[0]
        if result.respondents == 0:
            continue
        previous = next(
            (
                s
                for s in reversed(stages)
                if s.campaign.framework_id == subject.campaign.framework_id
            ),
            None,
        )
        first = stages[0] if stages else None
        comparable = first is None or first.campaign.framework_id == subject.campaign.framework_id
        if (
            previous is not None
            and previous.result.overall is not None
            and result.overall is not None
        ):
            overall_delta = result.overall - previous.result.overall
            deltas = [
                None if a is None or b is None else a - b
                for a, b in zip(result.dimensions, previous.result.dimensions, strict=False)
            ]
            level_changed = previous.result.level != result.level
        else:
            overall_delta, deltas, level_changed = None, [None] * len(result.dimensions), False
        stages.append(
            StageResult(subject.campaign, result, comparable, overall_delta, deltas, level_changed)
        )
    return stages
