"""Fixtures of the stakeholders tests: a small registry, a guide, an interview with coded
findings, and events of alpha (the private organisation of tests/conftest.py)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from zora.stakeholders import services
from zora.stakeholders.models import Event, EventKind, Stakeholder, StakeholderType


@pytest.fixture
def registry(world) -> dict[str, Stakeholder]:
    def add(key: str, **fields) -> Stakeholder:
        return services.stakeholder_save(organisation=world.alpha, fields=fields, tags=["pilot"])

    return {
        "ivanka": add(
            "ivanka",
            name="Иванка Зографова-Тест",
            type=StakeholderType.PUBLIC_ADMINISTRATION,
            affiliation="Община Алфа",
            email="ivanka.zografova@example.bg",
            phone="+359 42 600 001",
            consent_on=date(2025, 3, 1),
            consent_purpose="Contact about the strategy",
            notes="Зам.-кмет, отговаря за дигитализацията.",
        ),
        "telco": add(
            "telco",
            kind="organisation",
            name="Телеком Алфа ООД",
            type=StakeholderType.TELECOM,
            email="office@telecom-alfa.example",
            phone="+359 2 111 222",
            consent_on=None,
        ),
        "school": add(
            "school",
            name="Петър Учителов",
            type=StakeholderType.EDUCATION,
            email="petar@school.example",
            consent_on=date(2025, 2, 1),
        ),
    }


@pytest.fixture
def guide(world):
    return services.guide_save(
        organisation=world.alpha,
        title_bg="Интервю за стратегията",
        title_en="Strategy interview",
        questions_bg="Кои са силните страни?\nКакво ви пречи?",
        questions_en="What are the strengths?\nWhat holds you back?",
    )


@pytest.fixture
def coded(world, registry, guide):
    """Two interviews with notes and three coded findings under two codes."""
    broadband = services.code_save(
        organisation=world.alpha, name_bg="Широколентов достъп", name_en="Broadband"
    )
    skills = services.code_save(
        organisation=world.alpha, name_bg="Недостиг на умения", name_en="Skills gap"
    )
    q1, q2 = list(guide.questions.all())
    first = services.interview_create(
        organisation=world.alpha,
        stakeholder=registry["ivanka"],
        interviewer=world.carol,
        held_on=date(2025, 4, 2),
        guide=guide,
    )
    notes = services.interview_notes_save(
        interview=first,
        answers={
            q1.pk: "Иванка Зографова-Тест казва: имаме добра оптика в града.",
            q2.pk: "В селата няма интернет; младите не знаят как да ползват е-услуги.",
        },
    )
    services.finding_create(
        interview=first,
        note=notes[0],
        excerpt="добра оптика в града",
        code=broadband,
        quadrant="strength",
        user=world.carol,
    )
    services.finding_create(
        interview=first,
        note=notes[1],
        excerpt="В селата няма интернет",
        code=broadband,
        quadrant="weakness",
        user=world.carol,
    )
    second = services.interview_create(
        organisation=world.alpha,
        stakeholder=registry["school"],
        interviewer=world.carol,
        held_on=date(2025, 4, 5),
        guide=guide,
    )
    notes2 = services.interview_notes_save(
        interview=second, answers={q2.pk: "Учителите нямат обучение по ИКТ."}
    )
    services.finding_create(
        interview=second,
        note=notes2[0],
        excerpt="Учителите нямат обучение по ИКТ",
        code=skills,
        quadrant="weakness",
        user=world.carol,
    )
    return {"broadband": broadband, "skills": skills, "interviews": [first, second]}


def make_event(organisation, **fields) -> Event:
    defaults = {
        "kind": EventKind.WORKSHOP,
        "title_bg": "Работилница",
        "title_en": "Workshop",
        "starts_at": timezone.now() + timedelta(days=10),
        "ends_at": timezone.now() + timedelta(days=10, hours=3),
        "place": "Стара Загора",
        "is_public": True,
    }
    return services.event_save(event=Event(organisation=organisation, **{**defaults, **fields}))


@pytest.fixture
def event(world) -> Event:
    return make_event(world.alpha, capacity=2)
