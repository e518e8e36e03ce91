import json

import pytest
from django.core.management import call_command

from tests.assessments.answers import maximal, minimal
from zora.assessments.framework import FRAMEWORKS_DIR, parse_framework_file

SME = parse_framework_file(FRAMEWORKS_DIR / "edih-dma-sme-v1.yaml")


@pytest.mark.django_db
def test_score_endpoint(frameworks, world, client, bearer):
    headers = bearer(world.eve)  # any signed-in user
    response = client.post(
        "/api/v1/score",
        {"framework": "edih-dma-sme", "answers": maximal(SME)},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200
    body = response.json()
    assert body["overall"] == 100.0 and body["level"] == "advanced"
    assert [d["code"] for d in body["dimensions"]] == [d.code for d in SME.dimensions]
    assert all(d["level"] == "advanced" for d in body["dimensions"])
    assert len(body["parts"]) == 12  # q1 has two columns


@pytest.mark.django_db
def test_score_requires_authentication(frameworks, client):
    response = client.post(
        "/api/v1/score",
        {"framework": "edih-dma-sme", "answers": {}},
        content_type="application/json",
    )
    assert response.status_code == 401


@pytest.mark.django_db
def test_score_422_lists_every_problem_by_question(frameworks, world, client, bearer):
    answers = minimal(SME)
    answers["q2"] = ["no_such_item"]
    answers["q4"] = dict.fromkeys(answers["q4"], 9)
    answers["q7"] = [
        "not_collected_digitally",
        next(i.code for i in SME.questions()[6].items if not i.exclusive),
    ]
    answers["q11"] = dict.fromkeys(answers["q11"], "sometimes")
    del answers["q5"]
    response = client.post(
        "/api/v1/score",
        {"framework": "edih-dma-sme", "answers": answers},
        content_type="application/json",
        headers=bearer(world.eve),
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_answers"
    assert {e["question"] for e in body["errors"]} == {"q2", "q4", "q5", "q7", "q11"}


@pytest.mark.django_db
def test_score_unknown_framework_is_404(frameworks, world, client, bearer):
    response = client.post(
        "/api/v1/score",
        {"framework": "nope", "answers": {}},
        content_type="application/json",
        headers=bearer(world.eve),
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_frameworks_list_and_tree(frameworks, world, client, bearer):
    headers = bearer(world.dave)
    codes = {f["code"] for f in client.get("/api/v1/frameworks", headers=headers).json()}
    assert {"edih-dma-sme", "city-digital-maturity"} <= codes
    tree = client.get("/api/v1/frameworks/edih-dma-sme", headers=headers).json()
    assert tree["code"] == "edih-dma-sme" and tree["version"] == 1
    assert set(tree["title"]) == {"bg", "en"}
    assert [d["code"] for d in tree["dimensions"]] == [d.code for d in SME.dimensions]
    q = {q["code"]: q for d in tree["dimensions"] for q in d["questions"]}
    assert [q["code"] for d in tree["dimensions"] for q in d["questions"]] == [
        f"q{i}" for i in range(1, 12)
    ]
    assert q["q1"]["type"] == "checkbox_matrix" and [c["code"] for c in q["q1"]["columns"]] == [
        "invested",
        "planned",
    ]
    assert q["q4"]["scale"]["min"] == 0 and q["q4"]["scale"]["max"] == 5
    assert [i["exclusive"] for i in q["q7"]["items"]].count(True) == 1
    assert q["q11"]["type"] == "tristate_matrix"
    assert client.get("/api/v1/frameworks/nope", headers=headers).status_code == 404
    assert client.get("/api/v1/frameworks/edih-dma-sme").status_code == 401


@pytest.mark.django_db
def test_cli_score_prints_the_same_json(frameworks, tmp_path, capsys, world, client, bearer):
    path = tmp_path / "answers.json"
    answers = minimal(SME)
    answers["q2"] = [i.code for i in SME.questions()[1].items[:5]]
    path.write_text(json.dumps(answers), encoding="utf-8")
    call_command("score", "edih-dma-sme", str(path))
    printed = json.loads(capsys.readouterr().out)
    api = client.post(
        "/api/v1/score",
        {"framework": "edih-dma-sme", "answers": answers},
        content_type="application/json",
        headers=bearer(world.eve),
    ).json()
    assert printed == api
    assert printed["dimensions"][0]["score"] == pytest.approx(5 * 10 / 3)
