"""Answer-set builders for tests, from a framework's tree (codes only, never scores)."""

from typing import Any

from zora.assessments.framework import Framework, Question


def minimal_answer(q: Question) -> Any:
    if q.type == "checklist":
        return []
    if q.type == "checkbox_matrix":
        return {}
    if q.type == "scale_matrix":
        return {i.code: q.scale_min for i in q.items}
    if q.type == "tristate_matrix":
        return {i.code: "no" for i in q.items}
    if q.type == "single":
        return min(q.options, key=lambda o: o.points).code
    if q.type == "yesno":
        return q.points["yes"] < q.points["no"]
    if q.type == "number":
        return q.min if q.direction == "higher" else q.max
    return "—"


def maximal_answer(q: Question) -> Any:
    if q.type == "checklist":
        return [i.code for i in q.items if not i.exclusive]
    if q.type == "checkbox_matrix":
        return {c.code: [i.code for i in q.items] for c in q.columns}
    if q.type == "scale_matrix":
        return {i.code: q.scale_max for i in q.items}
    if q.type == "tristate_matrix":
        return {i.code: "yes" for i in q.items}
    if q.type == "single":
        return max(q.options, key=lambda o: o.points).code
    if q.type == "yesno":
        return q.points["yes"] >= q.points["no"]
    if q.type == "number":
        return q.max if q.direction == "higher" else q.min
    return "—"


def minimal(fw: Framework) -> dict[str, Any]:
    return {q.code: minimal_answer(q) for q in fw.scored_questions()}


def maximal(fw: Framework) -> dict[str, Any]:
    return {q.code: maximal_answer(q) for q in fw.scored_questions()}


def items(fw: Framework, code: str, n: int | None = None) -> list[str]:
    """The first n (all) non-exclusive item codes of question `code`."""
    q = next(q for q in fw.questions() if q.code == code)
    codes = [i.code for i in q.items if not i.exclusive]
    return codes if n is None else codes[:n]
