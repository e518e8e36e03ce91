"""Interviews, coding and the findings by code: notes per question, a small coding form per
note (htmx or plain POST), the codebook (bilingual, mergeable), counts by stakeholder type,
the selectors the strategy's SWOT uses, and lists in a constant number of queries."""

from datetime import date

import pytest
from django.utils import translation

from tests.stakeholders.conftest import make_event
from zora.stakeholders import selectors, services
from zora.stakeholders.models import Code, Finding, Interview, Note, StakeholderType


@pytest.mark.django_db
def test_an_analyst_records_an_interview_and_codes_excerpts(world, login, registry, guide):
    client = login(world.carol)
    response = client.post(
        "/en/o/alpha/engage/interviews/new/",
        {"stakeholder": registry["school"].pk, "guide": guide.pk, "held_on": "2025-05-02"},
    )
    assert response.status_code == 302
    interview = Interview.objects.get()
    assert interview.interviewer == world.carol
    q1, q2 = guide.questions.all()
    url = f"/en/o/alpha/engage/interviews/{interview.pk}/"
    client.post(
        url, {f"q_{q1.pk}": "Имаме добри учители.", f"q_{q2.pk}": "Няма интернет в селата."}
    )
    note = Note.objects.get(question=q2)
    code_url = f"/en/o/alpha/engage/interviews/{interview.pk}/notes/{note.pk}/code/"
    # Without JavaScript: a plain POST and a redirect back to the note.
    response = client.post(
        code_url,
        {
            f"n{note.pk}-excerpt": "Няма интернет",
            f"n{note.pk}-new_code": "Broadband",
            f"n{note.pk}-quadrant": "weakness",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#note-{note.pk}")
    code = Code.objects.get(organisation=world.alpha)
    # With htmx: the note's coding block comes back with the new finding.
    response = client.post(
        code_url,
        {f"n{note.pk}-excerpt": "в селата", f"n{note.pk}-code": code.pk},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "в селата" in response.content.decode() and "<html" not in response.content.decode()
    assert Finding.objects.filter(code=code).count() == 2
    # An empty excerpt is refused, on the form.
    response = client.post(code_url, {f"n{note.pk}-excerpt": "", f"n{note.pk}-code": code.pk})
    assert response.status_code == 400


@pytest.mark.django_db
def test_findings_by_code_count_by_stakeholder_type(world, login, coded):
    page = login(world.dave).get("/en/o/alpha/engage/findings/").content.decode()
    assert "Broadband" in page and "Skills gap" in page
    rows = {r["code_id"]: r for r in selectors.code_frequencies(organisation=world.alpha)}
    assert rows[coded["broadband"].pk] == {
        "code_id": coded["broadband"].pk,
        "code": "Broadband",
        "count": 2,
        "by_type": {"public_administration": 2},
        "quadrant": "strength",  # a tie goes to the first in SWOT order
    }
    assert rows[coded["skills"].pk]["by_type"] == {"education": 1}
    drill = login(world.dave).get(
        f"/en/o/alpha/engage/findings/code/{coded['broadband'].pk}/?type=public_administration"
    )
    assert "В селата няма интернет" in drill.content.decode()
    assert "Учителите" not in drill.content.decode()


@pytest.mark.django_db
def test_codes_are_bilingual_and_merge(world, login, coded):
    with translation.override("bg"):
        assert coded["broadband"].name == "Широколентов достъп"
    with translation.override("en"):
        assert coded["broadband"].name == "Broadband"
    response = login(world.carol).post(
        "/en/o/alpha/engage/codebook/",
        {"action": "merge", "source": coded["skills"].pk, "target": coded["broadband"].pk},
    )
    assert response.status_code == 302
    assert not Code.objects.filter(pk=coded["skills"].pk).exists()
    assert Finding.objects.filter(code=coded["broadband"]).count() == 3
    with pytest.raises(services.ValidationError):
        services.code_save(organisation=world.alpha, name_bg="", name_en="broadband")
    # Viewers read the codebook but cannot change it.
    assert (
        login(world.dave)
        .post("/en/o/alpha/engage/codebook/", {"action": "create", "name_bg": "x"})
        .status_code
        == 403
    )


@pytest.mark.django_db
def test_selectors_for_the_strategy(world, coded):
    evidence = selectors.evidence_for(organisation=world.alpha)
    findings = [e for e in evidence if e["kind"] == "finding"]
    codes = [e for e in evidence if e["kind"] == "finding_code"]
    assert len(findings) == 3 and len(codes) == 2
    sample = next(e for e in findings if e["label"] == "добра оптика в града")
    assert sample["quadrant"] == "strength" and sample["date"] == "2025-04-02"
    assert set(sample) >= {"kind", "id", "label", "value", "code", "quadrant", "date"}
    broadband = next(e for e in codes if e["id"] == coded["broadband"].pk)
    assert broadband["value"] == 2 and broadband["by_type"] == {"public_administration": 2}
    assert [r["count"] for r in selectors.code_frequencies(organisation=world.alpha)] == [2, 1]
    vision = make_event(world.alpha, strategy_step="vision")
    make_event(world.alpha)
    assert list(selectors.event_list(organisation=world.alpha, strategy_step="vision")) == [vision]
    assert selectors.event_list(organisation=world.alpha).count() == 2
    assert selectors.evidence_for(organisation=world.beta) == []


@pytest.mark.django_db
def test_a_guide_keeps_answered_questions(world, guide, coded):
    with pytest.raises(services.ValidationError):
        services.guide_save(
            organisation=world.alpha,
            guide=guide,
            title_bg="Г",
            title_en="G",
            questions_bg="Само един",
            questions_en="Only one",
        )
    with pytest.raises(services.ValidationError):
        services.guide_save(
            organisation=world.alpha,
            title_bg="Г",
            title_en="G",
            questions_bg="Едно\nДве",
            questions_en="One",
        )


@pytest.mark.django_db
def test_lists_use_a_constant_number_of_queries(world, login, django_assert_max_num_queries, coded):
    for i in range(30):
        s = services.stakeholder_save(
            organisation=world.alpha,
            fields={
                "name": f"Участник {i}",
                "type": StakeholderType.BUSINESS,
                "email": f"p{i}@example.org",
            },
            tags=["a", "b"],
        )
        interview = services.interview_create(
            organisation=world.alpha,
            stakeholder=s,
            interviewer=world.carol,
            held_on=date(2025, 1, 1),
        )
        services.finding_create(interview=interview, excerpt=f"Откъс {i}", code=coded["skills"])
        event = make_event(world.alpha)
        services.registration_create(event=event, name="Х", email=f"x{i}@example.org", consent=True)
    client = login(world.carol)
    for url in (
        "/en/o/alpha/engage/stakeholders/",
        "/en/o/alpha/engage/interviews/",
        "/en/o/alpha/engage/findings/",
        f"/en/o/alpha/engage/findings/code/{coded['skills'].pk}/",
        "/en/o/alpha/engage/events/",
        "/en/o/alpha/engage/codebook/",
        "/en/events/",
    ):
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200, url
