"""Golden vectors for the shipped frameworks.

Expected scores are written here from the rules in shared/reference/maturity-frameworks.md
(parts normalised to 0–10; dimension = mean of parts × 10; overall = mean of dimensions),
never taken from the engine's own output.
"""

import pytest

from tests.assessments.answers import items, maximal, minimal
from zora.assessments.engine import compile_framework, encode, result_dict, score_matrix
from zora.assessments.framework import FRAMEWORKS_DIR, framework_files, parse_framework_file

SHIPPED = ["edih-dma-sme-v1.yaml", "edih-dma-pso-v1.yaml", "city-digital-maturity-v1.yaml"]


def load(name):
    return compile_framework(parse_framework_file(FRAMEWORKS_DIR / name))


def score(compiled, answers):
    row, problems = encode(compiled, answers)
    assert problems == [], [p.as_dict() for p in problems]
    result = result_dict(score_matrix(compiled, row))
    return {d["code"]: d["score"] for d in result["dimensions"]}, result["overall"], result


def test_the_three_frameworks_are_shipped():
    assert {p.name for p in framework_files()} >= set(SHIPPED)


@pytest.mark.parametrize("name", SHIPPED)
def test_all_empty_scores_zero_everywhere(name):
    compiled = load(name)
    dims, overall, result = score(compiled, minimal(compiled.framework))
    assert set(dims.values()) == {0.0} and overall == 0.0
    assert all(p["score"] == 0.0 for p in result["parts"])
    assert result["level"] == "basic"


@pytest.mark.parametrize("name", SHIPPED)
def test_all_maximal_scores_100(name):
    compiled = load(name)
    dims, overall, result = score(compiled, maximal(compiled.framework))
    assert set(dims.values()) == {100.0} and overall == 100.0
    assert result["level"] == "advanced"


# --- EDIH DMA for SMEs: five hand-computed mixed answer sets -----------------------------

SME_DIMENSIONS = [
    "digital_strategy",
    "digital_readiness",
    "human_centric",
    "data_management",
    "automation_ai",
    "green",
]


def sme_answers(fw, *, inv, plan, q2, q3, q4, q5, q6, q7, q8, q9, q10, q11, q7_exclusive=False):
    q1_items = items(fw, "q1")
    q4_items, q9_items, q11_items = items(fw, "q4"), items(fw, "q9"), items(fw, "q11")
    return {
        "q1": {"invested": q1_items[:inv], "planned": q1_items[:plan]},
        "q2": items(fw, "q2", q2),
        "q3": items(fw, "q3", q3),
        "q4": dict(zip(q4_items, q4, strict=True)),
        "q5": items(fw, "q5", q5),
        "q6": items(fw, "q6", q6),
        "q7": ["not_collected_digitally"] if q7_exclusive else items(fw, "q7", q7),
        "q8": items(fw, "q8", q8),
        "q9": dict(zip(q9_items, q9, strict=True)),
        "q10": items(fw, "q10", q10),
        "q11": dict(zip(q11_items, q11, strict=True)),
    }


# Each case: the answer counts, then the expected six dimension scores worked out by hand.
SME_CASES = [
    (
        dict(
            inv=3,
            plan=5,
            q2=4,
            q3=6,
            q4=[0, 1, 2, 3, 4, 5, 0],
            q5=7,
            q6=2,
            q7=7,
            q8=3,
            q9=[5, 5, 0, 0, 0],
            q10=1,
            q11=["yes", "partially", "no", "no", "yes"],
        ),
        [
            (3 + 5 + 4) * 10 / 3,  # D1: invested 3/10, planned 5/10, readiness 4/10
            (6 + 15 / 35 * 10) * 5,  # D2: basic 6/10; advanced Σv/5 = 3 of 7 rows
            (10 + 2 / 8 * 10) * 5,  # D3: skills 7/7, engagement 2/8
            (10 + 5) * 5,  # D4: 7 of 7 data items (exclusive outside), 3/6
            10 / 25 * 10 * 10,  # D5: Σv/5 = 2 of 5 rows
            (1 + 2.5 / 5 * 10) * 5,  # D6: green 1/10, practices (1 + .5 + 1)/5
        ],
    ),
    (
        dict(
            inv=10,
            plan=0,
            q2=0,
            q3=10,
            q4=[5] * 7,
            q5=0,
            q6=8,
            q7=0,
            q8=6,
            q9=[1, 2, 3, 4, 5],
            q10=5,
            q11=["partially"] * 5,
        ),
        [10 * 10 / 3, 100, 50, 50, 15 / 25 * 100, (5 + 5) * 5],
    ),
    (
        dict(
            inv=1,
            plan=2,
            q2=3,
            q3=4,
            q4=[2] * 7,
            q5=5,
            q6=6,
            q7=0,
            q8=2,
            q9=[0] * 5,
            q10=9,
            q11=["no"] * 5,
            q7_exclusive=True,
        ),
        [
            (1 + 2 + 3) * 10 / 3,
            (4 + 4) * 5,
            (5 / 7 * 10 + 6 / 8 * 10) * 5,
            (0 + 2 / 6 * 10) * 5,
            0,
            (9 + 0) * 5,
        ],
    ),
    (
        dict(
            inv=0,
            plan=10,
            q2=10,
            q3=0,
            q4=[0] * 7,
            q5=1,
            q6=1,
            q7=4,
            q8=0,
            q9=[3] * 5,
            q10=10,
            q11=["yes"] * 5,
        ),
        [20 * 10 / 3, 0, (1 / 7 * 10 + 1 / 8 * 10) * 5, (4 / 7 * 10) * 5, 60, 100],
    ),
    (
        dict(
            inv=5,
            plan=5,
            q2=5,
            q3=5,
            q4=[4, 4, 4, 4, 4, 4, 4],
            q5=3,
            q6=4,
            q7=1,
            q8=1,
            q9=[2, 2, 2, 2, 1],
            q10=2,
            q11=["partially", "partially", "yes", "no", "no"],
        ),
        [
            50,
            (5 + 8) * 5,
            (3 / 7 * 10 + 5) * 5,
            (1 / 7 * 10 + 1 / 6 * 10) * 5,
            9 / 25 * 100,
            (2 + 2 / 5 * 10) * 5,
        ],
    ),
]


@pytest.mark.parametrize(("counts", "expected"), SME_CASES)
def test_sme_mixed_answers(counts, expected):
    compiled = load("edih-dma-sme-v1.yaml")
    dims, overall, _ = score(compiled, sme_answers(compiled.framework, **counts))
    assert [dims[d] for d in SME_DIMENSIONS] == pytest.approx(expected)
    assert overall == pytest.approx(sum(expected) / 6)


def test_sme_exclusive_item_is_outside_the_denominator():
    compiled = load("edih-dma-sme-v1.yaml")
    fw = compiled.framework
    answers = maximal(fw)
    dims, _, _ = score(compiled, answers)
    assert dims["data_management"] == 100.0  # every item but "not collected digitally"
    answers["q7"] = ["not_collected_digitally"]
    dims, _, _ = score(compiled, answers)
    assert dims["data_management"] == pytest.approx(50.0)  # q7 = 0, q8 = 10


@pytest.mark.parametrize(
    ("value", "level"),
    [
        (0, "basic"),
        (25, "basic"),
        (25.0001, "average"),
        (50, "average"),
        (50.0001, "moderately_advanced"),
        (75, "moderately_advanced"),
        (75.0001, "advanced"),
        (100, "advanced"),
    ],
)
@pytest.mark.parametrize("name", SHIPPED)
def test_level_band_edges(name, value, level):
    assert load(name).framework.level_for(value).code == level


# --- EDIH DMA for public-sector bodies -------------------------------------------------------


def test_pso_structure_follows_the_reference():
    fw = load("edih-dma-pso-v1.yaml").framework
    counts = {q.code: (q.type, len(q.items), [c.code for c in q.columns]) for q in fw.questions()}
    assert counts["q1"] == ("checkbox_matrix", 8, ["planned", "invested"])
    assert counts["q2"][1:2] == (10,)
    assert counts["q3"][1] == 9 and counts["q4"][:2] == ("scale_matrix", 8)
    assert counts["q5"][1] == 7 and counts["q6"][1] == 10
    assert counts["q7"][1] == 9 and counts["q8"][1] == 6
    assert counts["q9"] == ("checkbox_matrix", 16, ["planned", "implemented"])
    assert counts["q10"][1] == 9 and counts["q11"][:2] == ("tristate_matrix", 5)
    assert [d.code for d in fw.dimensions][4] == "interoperability"


def test_pso_mixed_answers():
    compiled = load("edih-dma-pso-v1.yaml")
    fw = compiled.framework
    answers = minimal(fw)
    q1 = items(fw, "q1")
    q9 = items(fw, "q9")
    answers.update(
        q1={"planned": q1[:4], "invested": q1[:2]},  # 4/8, 2/8
        q2=items(fw, "q2", 5),  # 5/10
        q4=dict.fromkeys(items(fw, "q4")[:4], 5) | dict.fromkeys(items(fw, "q4")[4:], 0),
        q9={"planned": q9[:8], "implemented": q9[:4]},  # 8/16, 4/16
        q7=items(fw, "q7", 8),  # all 8 non-exclusive of 9
    )
    dims, overall, _ = score(compiled, answers)
    expected = {
        "digital_strategy": (5 + 2.5 + 5) * 10 / 3,
        "digital_readiness": (0 + 5) * 5,  # q4: Σv/5 = 4 of 8
        "human_centric": 0,
        "data_management": (10 + 0) * 5,
        "interoperability": (5 + 2.5) * 5,
        "green": 0,
    }
    assert dims == pytest.approx(expected)
    assert overall == pytest.approx(sum(expected.values()) / 6)


# --- City digital maturity: several stakeholders, N/A left out -----------------------------


def test_city_mixed_answers_with_na():
    compiled = load("city-digital-maturity-v1.yaml")
    fw = compiled.framework
    answers = minimal(fw)
    infra = next(d for d in fw.dimensions if d.code == "digital_infrastructure")
    scored = [q for q in infra.questions() if q.is_scored]
    # Answer the first scored question at its best and mark every other one "not applicable".
    from tests.assessments.answers import maximal_answer

    answers[scored[0].code] = maximal_answer(scored[0])
    for q in scored[1:]:
        answers[q.code] = (
            {i.code: "na" for i in q.items}
            if q.type in {"scale_matrix", "tristate_matrix"}
            else "na"
        )
    dims, _, _ = score(compiled, answers)
    assert dims["digital_infrastructure"] == 100.0  # only the answered question counts
    assert dims["digital_skills"] == 0.0
