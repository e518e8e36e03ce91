"""The scoring engine: one vectorised implementation for one response or a million.

A framework compiles into two matrices over an *answer matrix* X (one row per response, one
column per answer feature — a checklist item, a matrix cell, a scale item …):

    part = (X · A) / (valid(X) · M)        numerator weights A, attainable maxima M

so every part of every response (normalised 0–1) comes out of two matrix products; nodes then
combine their contributions (parts and sub-nodes) bottom-up with column operations, again for
all responses at once. N/A answers are NaN in X: left out of the denominator
(`na_policy: exclude`) or counted as 0 (`zero`).

`encode()` turns a JSON answer set (the public encoding, see README) into a row of X and lists
every problem by question code; `score_matrix()` scores any number of rows.
"""

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from zora.assessments.framework import Framework, Node, Question

NA = "na"


@dataclass(frozen=True)
class Part:
    question: str
    column: str | None
    weight: float


@dataclass(frozen=True)
class Contribution:
    kind: str  # "part" or "node"
    index: int
    weight: float


@dataclass
class CompiledNode:
    node: Node
    aggregation: str
    contributions: list[Contribution]
    level_max: np.ndarray  # band upper bounds, ascending


@dataclass
class Compiled:
    framework: Framework
    features: list[tuple[str, str | None, str | None]]  # (question, column, item) per column of X
    feature_index: dict[tuple[str, str | None, str | None], int]
    parts: list[Part]
    A: np.ndarray  # features × parts
    M: np.ndarray  # features × parts
    nodes: list[CompiledNode]  # post-order: children before parents
    dimension_indexes: list[int]  # index into nodes of each top-level dimension
    root: CompiledNode
    questions: dict[str, Question] = field(default_factory=dict)

    @property
    def n_features(self) -> int:
        return len(self.features)


def compile_framework(framework: Framework) -> Compiled:
    features: list[tuple[str, str | None, str | None]] = []
    parts: list[Part] = []
    a_entries: list[tuple[int, int, float]] = []
    m_entries: list[tuple[int, int, float]] = []
    part_of_question: dict[str, list[int]] = {}

    def feature(question: str, column: str | None, item: str | None) -> int:
        features.append((question, column, item))
        return len(features) - 1

    def new_part(question: Question, column: str | None, weight: float) -> int:
        parts.append(Part(question=question.code, column=column, weight=question.weight * weight))
        part_of_question.setdefault(question.code, []).append(len(parts) - 1)
        return len(parts) - 1

    for q in framework.scored_questions():
        if q.type == "checklist":
            p = new_part(q, None, 1.0)
            for item in q.items:
                f = feature(q.code, None, item.code)
                w = 0.0 if item.exclusive else item.weight
                a_entries.append((f, p, w))
                m_entries.append((f, p, w))
        elif q.type == "checkbox_matrix":
            for column in q.columns:
                p = new_part(q, column.code, column.weight)
                for item in q.items:
                    f = feature(q.code, column.code, item.code)
                    a_entries.append((f, p, item.weight))
                    m_entries.append((f, p, item.weight))
        elif q.type in {"scale_matrix", "tristate_matrix"}:
            p = new_part(q, None, 1.0)
            top = (q.scale_max - q.scale_min) if q.type == "scale_matrix" else q.values["yes"]
            for item in q.items:
                f = feature(q.code, None, item.code)
                a_entries.append((f, p, item.weight))
                m_entries.append((f, p, item.weight * top))
        else:  # single, yesno, number: one feature, one part
            p = new_part(q, None, 1.0)
            f = feature(q.code, None, None)
            if q.type == "single":
                top = max(o.points for o in q.options)
            elif q.type == "yesno":
                top = max(q.points.values())
            else:
                top = 1.0
            a_entries.append((f, p, 1.0))
            m_entries.append((f, p, top))

    A = np.zeros((len(features), len(parts)))
    M = np.zeros((len(features), len(parts)))
    for f, p, w in a_entries:
        A[f, p] = w
    for f, p, w in m_entries:
        M[f, p] = w

    nodes: list[CompiledNode] = []

    def compile_node(node: Node) -> int:
        contributions: list[Contribution] = []
        for child in node.children:
            if isinstance(child, Node):
                contributions.append(Contribution("node", compile_node(child), child.weight))
            elif child.is_scored:
                for p in part_of_question[child.code]:
                    contributions.append(Contribution("part", p, parts[p].weight))
        levels = framework.levels_for(node)
        nodes.append(
            CompiledNode(node, node.aggregation, contributions, np.array([lv.max for lv in levels]))
        )
        return len(nodes) - 1

    dimension_indexes = [compile_node(d) for d in framework.dimensions]
    root = CompiledNode(
        node=Node(
            code="overall",
            title=framework.title,
            description=None,
            weight=1.0,
            aggregation=framework.aggregation,
            levels=None,
            recommendations={},
            children=list(framework.dimensions),
        ),
        aggregation=framework.aggregation,
        contributions=[
            Contribution("node", i, framework.dimensions[k].weight)
            for k, i in enumerate(dimension_indexes)
        ],
        level_max=np.array([lv.max for lv in framework.levels]),
    )
    return Compiled(
        framework=framework,
        features=features,
        feature_index={key: i for i, key in enumerate(features)},
        parts=parts,
        A=A,
        M=M,
        nodes=nodes,
        dimension_indexes=dimension_indexes,
        root=root,
        questions={q.code: q for q in framework.questions()},
    )


# --- Encoding and validation ---------------------------------------------------------------


@dataclass
class AnswerProblem:
    question: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"question": self.question, "message": self.message}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def encode(
    compiled: Compiled, answers: Any, *, require_all: bool = True
) -> tuple[np.ndarray, list[AnswerProblem]]:
    """One row of the answer matrix for `answers`, and every problem found (by question)."""
    row = np.zeros(compiled.n_features)
    problems: list[AnswerProblem] = []
    if not isinstance(answers, dict):
        return row, [AnswerProblem("", _("Answers must be an object keyed by question code."))]
    framework = compiled.framework
    profile_codes = {p.code for p in framework.profile}
    for code in answers:
        if code not in compiled.questions and code not in profile_codes:
            problems.append(AnswerProblem(str(code), _("Unknown question code.")))
    idx = compiled.feature_index

    def problem(q: Question, message: str) -> None:
        problems.append(AnswerProblem(q.code, message))

    for q in framework.scored_questions():
        if q.code not in answers or answers[q.code] is None:
            if require_all:
                problem(q, _("An answer is required."))
            else:
                for key, i in idx.items():
                    if key[0] == q.code:
                        row[i] = np.nan
            continue
        value = answers[q.code]
        if value == NA and q.type in {"single", "yesno", "number"}:
            if not q.allow_na:
                problem(q, _("This question cannot be answered “not applicable”."))
            row[idx[(q.code, None, None)]] = np.nan
            continue
        if value == NA and q.type in {
            "checklist",
            "checkbox_matrix",
            "scale_matrix",
            "tristate_matrix",
        }:
            if not q.allow_na:
                problem(q, _("This question cannot be answered “not applicable”."))
            for key, i in idx.items():
                if key[0] == q.code:
                    row[i] = np.nan
            continue
        if q.type == "checklist":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problem(q, _("Expected a list of item codes."))
                continue
            by_code = {i.code: i for i in q.items}
            unknown = [v for v in value if v not in by_code]
            if unknown:
                problem(q, _("Unknown item code(s): %(codes)s.") % {"codes": ", ".join(unknown)})
                continue
            ticked = set(value)
            exclusive = [c for c in ticked if by_code[c].exclusive]
            if exclusive and len(ticked) > 1:
                problem(
                    q,
                    _("“%(item)s” excludes every other item: tick it alone.")
                    % {"item": exclusive[0]},
                )
                continue
            for code in ticked:
                row[idx[(q.code, None, code)]] = 1.0
        elif q.type == "checkbox_matrix":
            if not isinstance(value, dict):
                problem(q, _("Expected an object {column code: [item codes]}."))
                continue
            columns = {c.code for c in q.columns}
            items = {i.code for i in q.items}
            bad_columns = [c for c in value if c not in columns]
            if bad_columns:
                problem(
                    q,
                    _("Unknown column code(s): %(codes)s.")
                    % {"codes": ", ".join(map(str, bad_columns))},
                )
                continue
            for column, ticked in value.items():
                if not isinstance(ticked, list) or not all(isinstance(v, str) for v in ticked):
                    problem(
                        q,
                        _("Column “%(column)s”: expected a list of item codes.")
                        % {"column": column},
                    )
                    continue
                unknown = [v for v in ticked if v not in items]
                if unknown:
                    problem(
                        q, _("Unknown item code(s): %(codes)s.") % {"codes": ", ".join(unknown)}
                    )
                    continue
                for code in set(ticked):
                    row[idx[(q.code, column, code)]] = 1.0
        elif q.type in {"scale_matrix", "tristate_matrix"}:
            if not isinstance(value, dict):
                problem(q, _("Expected an object {item code: value}."))
                continue
            items = {i.code for i in q.items}
            unknown = [str(c) for c in value if c not in items]
            if unknown:
                problem(q, _("Unknown item code(s): %(codes)s.") % {"codes": ", ".join(unknown)})
            for item in q.items:
                v = value.get(item.code)
                i = idx[(q.code, None, item.code)]
                if v is None:
                    if require_all:
                        problem(q, _("Item “%(item)s” needs an answer.") % {"item": item.code})
                    row[i] = np.nan
                elif v == NA:
                    if not q.allow_na:
                        problem(
                            q,
                            _("Item “%(item)s” cannot be “not applicable”.") % {"item": item.code},
                        )
                    row[i] = np.nan
                elif q.type == "scale_matrix":
                    if not (
                        _is_number(v) and float(v).is_integer() and q.scale_min <= v <= q.scale_max
                    ):
                        problem(
                            q,
                            _("Item “%(item)s”: expected a whole number from %(min)s to %(max)s.")
                            % {"item": item.code, "min": q.scale_min, "max": q.scale_max},
                        )
                        continue
                    row[i] = float(v) - q.scale_min
                else:
                    if v not in ("no", "partially", "yes"):
                        problem(
                            q,
                            _("Item “%(item)s”: expected “no”, “partially” or “yes”.")
                            % {"item": item.code},
                        )
                        continue
                    row[i] = q.values[v]
        elif q.type == "single":
            points = {o.code: o.points for o in q.options}
            if value not in points:
                problem(
                    q,
                    _("Expected one of the option codes: %(codes)s.")
                    % {"codes": ", ".join(points)},
                )
                continue
            row[idx[(q.code, None, None)]] = points[value]
        elif q.type == "yesno":
            if not isinstance(value, bool):
                problem(q, _("Expected true or false."))
                continue
            row[idx[(q.code, None, None)]] = q.points["yes" if value else "no"]
        elif q.type == "number":
            if not _is_number(value):
                problem(q, _("Expected a number."))
                continue
            share = min(1.0, max(0.0, (float(value) - q.min) / (q.max - q.min)))
            row[idx[(q.code, None, None)]] = share if q.direction == "higher" else 1.0 - share
    for q in framework.questions():
        value = answers.get(q.code)
        if q.type == "text" and value is not None and not isinstance(value, str):
            problem(q, _("Expected text."))
    return row, problems


def encode_many(
    compiled: Compiled, answer_sets: list[Any], *, require_all: bool = True
) -> np.ndarray:
    """The answer matrix of many valid answer sets (raises ValueError on the first problem)."""
    X = np.zeros((len(answer_sets), compiled.n_features))
    for n, answers in enumerate(answer_sets):
        row, problems = encode(compiled, answers, require_all=require_all)
        if problems:
            raise ValueError(f"answer set {n}: {problems[0].question}: {problems[0].message}")
        X[n] = row
    return X


# --- Scoring --------------------------------------------------------------------------------


@dataclass
class Scores:
    """Scores of N responses: parts 0–1, nodes and overall 0–100 (NaN where nothing to score)."""

    compiled: Compiled
    parts: np.ndarray  # N × parts, 0–1
    nodes: np.ndarray  # N × nodes, 0–100 (post-order of compiled.nodes)
    overall: np.ndarray  # N, 0–100

    @property
    def dimensions(self) -> np.ndarray:
        return self.nodes[:, self.compiled.dimension_indexes]

    def level_indexes(self, values: np.ndarray, node: CompiledNode) -> np.ndarray:
        """Band index per value (-1 where there is no score)."""
        out = np.searchsorted(node.level_max, values, side="left")
        out = np.minimum(out, len(node.level_max) - 1)
        return np.where(np.isnan(values), -1, out)


def _combine(contributions: np.ndarray, weights: np.ndarray, aggregation: str) -> np.ndarray:
    """contributions: N × k (0–1, NaN = left out) → N (0–1, NaN when nothing is left)."""
    present = ~np.isnan(contributions)
    values = np.where(present, contributions, 0.0)
    if aggregation == "sum":
        total = values @ weights
        return np.where(present.any(axis=1), np.minimum(total, 1.0), np.nan)
    w = weights if aggregation == "weighted_mean" else np.ones_like(weights)
    denominator = present @ w
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, (values @ w) / denominator, np.nan)


def score_matrix(compiled: Compiled, X: np.ndarray) -> Scores:
    X = np.atleast_2d(X)
    if compiled.framework.na_policy == "zero":
        valid = np.ones_like(X)
        filled = np.nan_to_num(X, nan=0.0)
    else:
        valid = ~np.isnan(X)
        filled = np.where(valid, X, 0.0)
    numerator = filled @ compiled.A
    denominator = valid @ compiled.M
    with np.errstate(invalid="ignore", divide="ignore"):
        parts = np.where(denominator > 0, numerator / denominator, np.nan)

    n = X.shape[0]
    node_values = np.empty((n, len(compiled.nodes)))
    for i, cn in enumerate(compiled.nodes):
        node_values[:, i] = _node_value(cn, parts, node_values)
    overall = _node_value(compiled.root, parts, node_values)
    return Scores(
        compiled=compiled, parts=parts, nodes=node_values * 100.0, overall=overall * 100.0
    )


def _node_value(cn: CompiledNode, parts: np.ndarray, node_values: np.ndarray) -> np.ndarray:
    columns = [
        parts[:, c.index] if c.kind == "part" else node_values[:, c.index] for c in cn.contributions
    ]
    weights = np.array([c.weight for c in cn.contributions], dtype=float)
    return _combine(np.column_stack(columns), weights, cn.aggregation)


def _clean(value: float) -> float | None:
    return None if value != value else float(value)


def result_dict(scores: Scores, row: int = 0, language: str = "en") -> dict[str, Any]:
    """The public JSON shape of one response's scores (see README, POST /api/v1/score)."""
    compiled = scores.compiled
    framework = compiled.framework
    overall = _clean(scores.overall[row])
    overall_level = framework.level_for(overall)
    dimensions = []
    for node_index in compiled.dimension_indexes:
        cn = compiled.nodes[node_index]
        value = _clean(scores.nodes[row, node_index])
        level = framework.level_for(value, cn.node)
        dimensions.append(
            {
                "code": cn.node.code,
                "title": cn.node.title.as_dict(),
                "score": value,
                "level": level.code if level else None,
            }
        )
    nodes = [
        {
            "code": cn.node.code,
            "score": _clean(scores.nodes[row, i]),
            "level": (
                lv.code
                if (lv := framework.level_for(_clean(scores.nodes[row, i]), cn.node))
                else None
            ),
        }
        for i, cn in enumerate(compiled.nodes)
    ]
    parts = [
        {
            "question": part.question,
            "column": part.column,
            "score": None if (v := _clean(scores.parts[row, p])) is None else v * 10.0,
        }
        for p, part in enumerate(compiled.parts)
    ]
    return {
        "framework": framework.code,
        "version": framework.version,
        "overall": overall,
        "level": overall_level.code if overall_level else None,
        "dimensions": dimensions,
        "nodes": nodes,
        "parts": parts,
    }
