from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from zora.assessments.engine import encode, result_dict, score_matrix
from zora.assessments.framework import Framework as Tree
from zora.assessments.framework import Node, Question
from zora.assessments.selectors import (
    framework_compiled,
    framework_get,
    framework_list,
    framework_tree,
)
from zora.core.api import AUTH, ApiError, ErrorOut

router = Router(tags=["assessments"])


class FrameworkSummary(Schema):
    code: str
    version: int
    subject: str
    title: dict[str, str]


class ScoreIn(Schema):
    framework: str
    version: int | None = None
    answers: dict[str, Any]


class ScoreProblem(Schema):
    question: str
    message: str


class ScoreInvalid(Schema):
    detail: str
    code: str
    errors: list[ScoreProblem]


def _question_dict(q: Question) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": q.code,
        "type": q.type,
        "title": q.title.as_dict(),
        "weight": q.weight,
        "allow_na": q.allow_na,
        "items": [
            {
                "code": i.code,
                "title": i.title.as_dict(),
                "weight": i.weight,
                "exclusive": i.exclusive,
            }
            for i in q.items
        ],
        "columns": [
            {"code": c.code, "title": c.title.as_dict(), "weight": c.weight} for c in q.columns
        ],
        "options": [
            {"code": o.code, "title": o.title.as_dict(), "points": o.points} for o in q.options
        ],
        "scale": None,
    }
    if q.help:
        out["help"] = q.help.as_dict()
    if q.type == "scale_matrix":
        out["scale"] = {
            "min": q.scale_min,
            "max": q.scale_max,
            "labels": [{"value": lb.value, "title": lb.title.as_dict()} for lb in q.scale_labels],
        }
    if q.type == "tristate_matrix":
        out["values"] = q.values
    if q.type == "number":
        out.update(
            {
                "min": q.min,
                "max": q.max,
                "direction": q.direction,
                "unit": q.unit.as_dict() if q.unit else None,
            }
        )
    return out


def _node_dict(node: Node) -> dict[str, Any]:
    return {
        "code": node.code,
        "title": node.title.as_dict(),
        "weight": node.weight,
        "aggregation": node.aggregation,
        "questions": [_question_dict(q) for q in node.questions()],
        "children": [_node_dict(c) for c in node.children if isinstance(c, Node)],
    }


def framework_dict(tree: Tree) -> dict[str, Any]:
    return {
        "code": tree.code,
        "version": tree.version,
        "subject": tree.subject,
        "title": tree.title.as_dict(),
        "description": tree.description.as_dict() if tree.description else None,
        "source": tree.source.as_dict() if tree.source else None,
        "na_policy": tree.na_policy,
        "aggregation": tree.aggregation,
        "levels": [
            {
                "code": lv.code,
                "max": lv.max,
                "title": lv.title.as_dict(),
                "narrative": lv.narrative.as_dict() if lv.narrative else None,
            }
            for lv in tree.levels
        ],
        "profile": [
            {
                "code": p.code,
                "type": "profile",
                "input": p.input,
                "title": p.title.as_dict(),
                "required": p.required,
                "options": [{"code": o.code, "title": o.title.as_dict()} for o in p.options],
            }
            for p in tree.profile
        ],
        "dimensions": [_node_dict(d) for d in tree.dimensions],
    }


@router.get("/frameworks", response={200: list[FrameworkSummary], 401: ErrorOut}, auth=AUTH)
def frameworks(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "code": f.code,
            "version": f.version,
            "subject": f.subject,
            "title": {"bg": f.title_bg, "en": f.title_en},
        }
        for f in framework_list()
    ]


@router.get(
    "/frameworks/{code}",
    response={200: dict[str, Any], 401: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    summary="A framework's tree in display order (latest version unless ?version=N)",
)
def framework_detail(request: HttpRequest, code: str, version: int | None = None) -> dict[str, Any]:
    row = framework_get(code=code, version=version)
    if row is None:
        raise ApiError(404, "not_found", _("No framework with this code and version."))
    return framework_dict(framework_tree(row))


@router.post(
    "/score",
    response={200: dict[str, Any], 401: ErrorOut, 404: ErrorOut, 422: ScoreInvalid},
    auth=AUTH,
    summary="Score an answer set (stateless)",
)
def score(request: HttpRequest, payload: ScoreIn) -> Any:
    row = framework_get(code=payload.framework, version=payload.version)
    if row is None:
        raise ApiError(404, "not_found", _("No framework with this code and version."))
    compiled = framework_compiled(row)
    vector, problems = encode(compiled, payload.answers)
    if problems:
        return Status(
            422,
            {
                "detail": _(
                    "The answers have %(count)d problem(s); each is listed by question code."
                )
                % {"count": len(problems)},
                "code": "invalid_answers",
                "errors": [p.as_dict() for p in problems],
            },
        )
    return result_dict(score_matrix(compiled, vector))
