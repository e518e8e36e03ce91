"""Properties of the engine over random valid answer sets of every shipped framework."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zora.assessments.engine import compile_framework, encode, score_matrix
from zora.assessments.framework import (
    FRAMEWORKS_DIR,
    Question,
    framework_files,
    parse_framework_file,
)

COMPILED = {p.name: compile_framework(parse_framework_file(p)) for p in framework_files()}
NAMES = sorted(COMPILED)


def answer_strategy(q: Question):
    na = [st.just("na")] if q.allow_na else []
    if q.type == "checklist":
        plain = [i.code for i in q.items if not i.exclusive]
        exclusive = [i.code for i in q.items if i.exclusive]
        options = [st.lists(st.sampled_from(plain), unique=True)]
        if exclusive:
            options.append(st.just([exclusive[0]]))
        return st.one_of(*options, *na)
    if q.type == "checkbox_matrix":
        codes = [i.code for i in q.items]
        return st.one_of(
            st.fixed_dictionaries(
                {c.code: st.lists(st.sampled_from(codes), unique=True) for c in q.columns}
            ),
            *na,
        )
    if q.type == "scale_matrix":
        value = st.integers(q.scale_min, q.scale_max)
        return st.fixed_dictionaries({i.code: st.one_of(value, *na) for i in q.items})
    if q.type == "tristate_matrix":
        value = st.sampled_from(["no", "partially", "yes"])
        return st.fixed_dictionaries({i.code: st.one_of(value, *na) for i in q.items})
    if q.type == "single":
        return st.one_of(st.sampled_from([o.code for o in q.options]), *na)
    if q.type == "yesno":
        return st.one_of(st.booleans(), *na)
    return st.one_of(st.floats(q.min - 10, q.max + 10, allow_nan=False), *na)


def answers_for(name: str):
    fw = COMPILED[name].framework
    return st.fixed_dictionaries({q.code: answer_strategy(q) for q in fw.scored_questions()})


def scores_of(name, answers):
    row, problems = encode(COMPILED[name], answers)
    assert problems == []
    return score_matrix(COMPILED[name], row)


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("name", NAMES)
@SETTINGS
@given(data=st.data())
def test_scores_are_between_0_and_100(name, data):
    scores = scores_of(name, data.draw(answers_for(name)))
    values = np.concatenate([scores.nodes[0], scores.overall])
    values = values[~np.isnan(values)]
    assert ((values >= 0) & (values <= 100 + 1e-9)).all()
    parts = scores.parts[0][~np.isnan(scores.parts[0])]
    assert ((parts >= 0) & (parts <= 1 + 1e-12)).all()


@pytest.mark.parametrize("name", NAMES)
@SETTINGS
@given(data=st.data())
def test_ticking_one_more_item_never_lowers_a_score(name, data):
    fw = COMPILED[name].framework
    answers = data.draw(answers_for(name))
    candidates = [
        q
        for q in fw.scored_questions()
        if q.type in {"checklist", "checkbox_matrix"}
        and answers[q.code] != "na"
        and not (
            q.type == "checklist"
            and any(i.exclusive and i.code in answers[q.code] for i in q.items)
        )
    ]
    if not candidates:
        return
    q = data.draw(st.sampled_from(candidates))
    before = scores_of(name, answers)
    more = dict(answers)
    if q.type == "checklist":
        free = [i.code for i in q.items if not i.exclusive and i.code not in answers[q.code]]
        if not free:
            return
        more[q.code] = [*answers[q.code], data.draw(st.sampled_from(free))]
    else:
        column = data.draw(st.sampled_from([c.code for c in q.columns]))
        ticked = answers[q.code].get(column, [])
        free = [i.code for i in q.items if i.code not in ticked]
        if not free:
            return
        more[q.code] = {**answers[q.code], column: [*ticked, data.draw(st.sampled_from(free))]}
    after = scores_of(name, more)
    for old, new in zip(
        np.concatenate([before.nodes[0], before.overall]),
        np.concatenate([after.nodes[0], after.overall]),
        strict=True,
    ):
        if not np.isnan(old):
            assert new >= old - 1e-9


@pytest.mark.parametrize("name", NAMES)
@SETTINGS
@given(data=st.data())
def test_batch_equals_one_by_one(name, data):
    answer_sets = data.draw(st.lists(answers_for(name), min_size=1, max_size=8))
    compiled = COMPILED[name]
    rows = [encode(compiled, a)[0] for a in answer_sets]
    batch = score_matrix(compiled, np.vstack(rows))
    for n, row in enumerate(rows):
        one = score_matrix(compiled, row)
        np.testing.assert_allclose(one.nodes[0], batch.nodes[n], equal_nan=True)
        np.testing.assert_allclose(one.overall, batch.overall[n : n + 1], equal_nan=True)


def test_shipped_dir_is_where_the_files_are():
    assert FRAMEWORKS_DIR.is_dir() and len(NAMES) >= 3
