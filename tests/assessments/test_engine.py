"""The engine on a small framework that uses every question type, aggregation and N/A rule.

Expected values are computed by hand from the rules in frameworks/README.md.
"""

from pathlib import Path

import numpy as np
import pytest

from zora.assessments.engine import compile_framework, encode, result_dict, score_matrix
from zora.assessments.framework import parse_framework_file

TINY = Path(__file__).parent / "data" / "tiny-v1.yaml"


@pytest.fixture(scope="module")
def compiled():
    return compile_framework(parse_framework_file(TINY))


def score(compiled, answers):
    row, problems = encode(compiled, answers)
    assert problems == [], problems
    return result_dict(score_matrix(compiled, row))


def base(**overrides):
    answers = {
        "list": [],
        "grid": {},
        "scale": {"s1": 1, "s2": 1},
        "tri": {"t1": "no", "t2": "no"},
        "one": "lo",
        "yes": False,
        "num": 60,
    }
    answers.update(overrides)
    return answers


def dims(result):
    return {d["code"]: d["score"] for d in result["dimensions"]}


def test_minimal_answers_score_zero(compiled):
    result = score(compiled, base())
    assert dims(result) == {"alpha": 0.0, "beta": 0.0}
    assert result["overall"] == 0.0 and result["level"] == "low"


def test_maximal_answers_score_100(compiled):
    result = score(
        compiled,
        base(
            list=["a", "b"],
            grid={"done": ["r1", "r2"], "planned": ["r1", "r2"]},
            scale={"s1": 5, "s2": 5},
            tri={"t1": "yes", "t2": "yes"},
            one="hi",
            yes=True,
            num=10,
        ),
    )
    assert dims(result) == {"alpha": 100.0, "beta": 100.0}
    assert result["overall"] == 100.0 and result["level"] == "high"


def test_mixed_answers_by_hand(compiled):
    result = score(
        compiled,
        base(
            list=["a"],  # 2 / (2 + 1) = 0.6667 (exclusive item outside the denominator)
            grid={"done": ["r1"], "planned": ["r1", "r2"]},  # done 0.5 (w 1), planned 1.0 (w 0.5)
            scale={"s1": 3, "s2": "na"},  # (3-1)/4 = 0.5, the N/A item left out
            tri={"t1": "partially", "t2": "yes"},  # (0.5 + 1) / 2 = 0.75
            one="mid",  # 1/4 = 0.25, weight 0.5
            yes=True,  # 1
            num=35,  # lower is better: 1 - (35-10)/50 = 0.5
        ),
    )
    # alpha, weighted mean: (1×2/3 + 1×0.5 + 0.5×1.0) / 2.5
    alpha = (2 / 3 + 0.5 + 0.5) / 2.5
    # sub, sum: min(1, 1×0.75 + 0.5×0.25) = 0.875; beta, mean of scale, sub, yes, num
    beta = (0.5 + 0.875 + 1.0 + 0.5) / 4
    assert dims(result)["alpha"] == pytest.approx(alpha * 100)
    assert dims(result)["beta"] == pytest.approx(beta * 100)
    # overall, weighted mean of dimensions with weights 3 and 1
    assert result["overall"] == pytest.approx((3 * alpha + beta) / 4 * 100)
    parts = {(p["question"], p["column"]): p["score"] for p in result["parts"]}
    assert parts[("grid", "done")] == pytest.approx(5.0)  # parts are on the 0–10 scale
    assert parts[("list", None)] == pytest.approx(20 / 3)


def test_all_na_leaves_a_part_out(compiled):
    result = score(compiled, base(scale={"s1": "na", "s2": "na"}, one="na"))
    parts = {(p["question"], p["column"]): p["score"] for p in result["parts"]}
    assert parts[("scale", None)] is None and parts[("one", None)] is None
    # beta = mean(sub = tri 0, yes 0, num 0) = 0 — still scored from what is left
    assert dims(result)["beta"] == 0.0


def test_na_policy_zero_counts_na_as_zero(compiled):
    zero = compile_framework(parse_framework_file(TINY))
    zero.framework.na_policy = "zero"
    result = score(zero, base(scale={"s1": 5, "s2": "na"}))
    parts = {(p["question"], p["column"]): p["score"] for p in result["parts"]}
    assert parts[("scale", None)] == pytest.approx(5.0)  # (4 + 0) / 8


@pytest.mark.parametrize(
    ("value", "level"), [(0, "low"), (50, "low"), (50.0001, "high"), (100, "high")]
)
def test_level_band_edges(compiled, value, level):
    assert compiled.framework.level_for(value).code == level


def test_batch_equals_one_by_one(compiled):
    rng = np.random.default_rng(7)
    rows = []
    for _ in range(50):
        answers = base(
            list=[c for c in ["a", "b"] if rng.random() < 0.5],
            grid={"done": [r for r in ["r1", "r2"] if rng.random() < 0.5]},
            scale={
                "s1": int(rng.integers(1, 6)),
                "s2": "na" if rng.random() < 0.3 else int(rng.integers(1, 6)),
            },
            one=str(rng.choice(["lo", "mid", "hi", "na"])),
            num=float(rng.uniform(0, 80)),
        )
        rows.append(encode(compiled, answers)[0])
    batch = score_matrix(compiled, np.vstack(rows))
    for n, row in enumerate(rows):
        single = score_matrix(compiled, row)
        assert single.overall[0] == pytest.approx(batch.overall[n])
        np.testing.assert_allclose(single.nodes[0], batch.nodes[n])


def problems_of(compiled, answers):
    return {p.question: p.message for p in encode(compiled, answers)[1]}


def test_every_bad_input_is_named(compiled):
    found = problems_of(
        compiled,
        {
            "list": ["a", "zzz"],
            "grid": {"later": ["r1"]},
            "scale": {"s1": 9, "s2": 2},
            "tri": {"t1": "maybe", "t2": "no"},
            "one": "huge",
            "yes": "yes",
            "num": "12",
            "mystery": 1,
        },
    )
    assert set(found) == {"list", "grid", "scale", "tri", "one", "yes", "num", "mystery"}
    assert "zzz" in found["list"]
    assert "later" in found["grid"]
    assert "from 1 to 5" in found["scale"]


def test_exclusive_item_ticked_with_others(compiled):
    found = problems_of(compiled, base(list=["none", "a"]))
    assert "alone" in found["list"]
    assert problems_of(compiled, base(list=["none"])) == {}


def test_missing_scored_question(compiled):
    answers = base()
    del answers["yes"]
    answers["scale"] = {"s1": 2}
    found = problems_of(compiled, answers)
    assert set(found) == {"yes", "scale"}
    # Profile fields and free text are optional.
    assert problems_of(compiled, base()) == {}


def test_na_only_where_allowed(compiled):
    found = problems_of(compiled, base(yes="na", tri={"t1": "na", "t2": "no"}))
    assert set(found) == {"yes", "tri"}
