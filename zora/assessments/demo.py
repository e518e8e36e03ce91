"""Demo assessments (`zora demo`): the Zagore hub's EDIH campaign (40 companies at T0, 15 of
them again at T1) and Stara Zagora's city assessment answered by 30 stakeholders.
Idempotent: a campaign that exists already is left as it is."""

import random
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from zora.assessments import services
from zora.assessments.framework import Framework as Tree
from zora.assessments.framework import Question
from zora.assessments.models import Campaign, Response
from zora.assessments.selectors import framework_get, framework_tree
from zora.organisations.models import Membership, Organisation, Role

COMPANY_NAMES = [
    ("Агро Тракия ООД", "Agro Trakia Ltd"),
    ("Берое Метал АД", "Beroe Metal JSC"),
    ("Старозагорски мелници ЕООД", "Stara Zagora Mills Ltd"),
    ("Казанлъшка роза ООД", "Kazanlak Rose Ltd"),
    ("Сърнена гора Тур ЕООД", "Sarnena Gora Tour Ltd"),
    ("Чирпан Вино ООД", "Chirpan Wine Ltd"),
    ("Марица Логистик ЕООД", "Maritsa Logistics Ltd"),
    ("Тракийски хляб ООД", "Thracian Bread Ltd"),
    ("Загоре Текстил АД", "Zagore Textile JSC"),
    ("Енерго Юг ЕООД", "Energo Yug Ltd"),
    ("Раднево Механика ООД", "Radnevo Mechanics Ltd"),
    ("Гълъбово Енерджи ЕООД", "Galabovo Energy Ltd"),
    ("Павел баня Спа ООД", "Pavel Banya Spa Ltd"),
    ("Мъглиж Фрут ЕООД", "Maglizh Fruit Ltd"),
    ("Опан Агро ООД", "Opan Agro Ltd"),
    ("Братя Колеви ООД", "Kolevi Brothers Ltd"),
    ("Инфо Систем СЗ ЕООД", "Info System SZ Ltd"),
    ("Дигитал Загора ООД", "Digital Zagora Ltd"),
    ("Ямбол Пак ЕООД", "Yambol Pack Ltd"),
    ("Тунджа Фуудс АД", "Tundzha Foods JSC"),
    ("Аяzmo Дизайн ЕООД", "Ayazmo Design Ltd"),
    ("Зора Принт ООД", "Zora Print Ltd"),
    ("Стара Загора Пластмаси АД", "Stara Zagora Plastics JSC"),
    ("Бодра смяна ЕООД", "Bodra Smyana Ltd"),
    ("Медикал Тракия ООД", "Medical Trakia Ltd"),
    ("Загоре Мебел ЕООД", "Zagore Furniture Ltd"),
    ("Еко Строй СЗ ООД", "Eco Build SZ Ltd"),
    ("Светлина Соларни ЕООД", "Svetlina Solar Ltd"),
    ("Аграрен център Калитиново ООД", "Kalitinovo Agri Centre Ltd"),
    ("Хасково Транс ЕООД", "Haskovo Trans Ltd"),
    ("Сливен Кабел АД", "Sliven Cable JSC"),
    ("Нова Загора Зърно ООД", "Nova Zagora Grain Ltd"),
    ("Чаталка Хотел ЕООД", "Chatalka Hotel Ltd"),
    ("Сакар Вино ООД", "Sakar Wine Ltd"),
    ("Бизнес Софт Юг ООД", "Business Soft South Ltd"),
]

STAKEHOLDER_GROUPS = [
    "public_administration",
    "business",
    "business",
    "education",
    "research",
    "ngo",
    "utility",
    "telecom",
    "citizen",
    "finance",
    "media",
    "citizen",
]


def _answer(q: Question, p: float, rng: random.Random) -> Any:
    """A plausible answer from a respondent of maturity p (0–1)."""
    if q.type == "checklist":
        ticked = [i.code for i in q.items if not i.exclusive and rng.random() < p]
        exclusive = [i.code for i in q.items if i.exclusive]
        return [exclusive[0]] if exclusive and not ticked and rng.random() < 0.7 else ticked
    if q.type == "checkbox_matrix":
        return {
            c.code: [i.code for i in q.items if rng.random() < p * (1.0 if k == 0 else 0.8)]
            for k, c in enumerate(q.columns)
        }
    if q.type == "scale_matrix":
        span = q.scale_max - q.scale_min
        return {i.code: q.scale_min + sum(rng.random() < p for _ in range(span)) for i in q.items}
    if q.type == "tristate_matrix":
        return {
            i.code: rng.choices(["no", "partially", "yes"], [1 - p, 0.5, p])[0] for i in q.items
        }
    if q.type == "single":
        ranked = sorted(q.options, key=lambda o: o.points)
        return ranked[min(len(ranked) - 1, int(p * len(ranked) + rng.random() * 0.8))].code
    if q.type == "yesno":
        return rng.random() < p
    if q.type == "number":
        return round(q.min + (q.max - q.min) * min(1.0, max(0.0, rng.gauss(p, 0.12))), 1)
    return ""


def _answers(
    tree: Tree, p: float, rng: random.Random, profile: dict[str, Any], na_share: float = 0.0
) -> dict[str, Any]:
    answers: dict[str, Any] = dict(profile)
    for q in tree.scored_questions():
        if q.allow_na and rng.random() < na_share:
            answers[q.code] = "na"
            continue
        answers[q.code] = _answer(q, p, rng)
    return answers


def _submit(campaign: Campaign, subject: Any, answers: dict[str, Any], submitted_at: Any) -> None:
    started = services.response_start(campaign=campaign, subject=subject)
    services.response_save(response=started.response, answers=answers)
    problems = services.response_submit(response=started.response)
    assert not problems, problems
    Response.objects.filter(pk=started.response.pk).update(submitted_at=submitted_at)


def _option(tree: Tree, field: str, rng: random.Random, first: int = 6) -> str:
    """One of the field's first few options, so that cohorts are large enough to show."""
    profile = next((p for p in tree.profile if p.code == field), None)
    return rng.choice(profile.options[:first]).code if profile and profile.options else ""


@transaction.atomic
def load() -> list[str]:
    lines: list[str] = []
    rng = random.Random(2025)  # noqa: S311 (demo data, not security)
    zagore = Organisation.objects.get(slug="zagore")
    owner = Membership.objects.filter(organisation=zagore, role=Role.OWNER).first()
    sme = framework_get(code="edih-dma-sme")
    city = framework_get(code="city-digital-maturity")
    assert sme is not None and city is not None, "run `zora load_frameworks` first"
    today = timezone.localdate()

    if not Campaign.objects.filter(organisation=zagore, stage="T0", framework=sme).exists():
        tree = framework_tree(sme)
        demo_companies = list(
            Organisation.objects.filter(
                kind="company",
                slug__in=[
                    "zagora-agrotech",
                    "trakia-metal",
                    "beroe-soft",
                    "vitosha-logistics",
                    "thessaloniki-foods",
                ],
            )
        )
        t0 = services.campaign_create(
            organisation=zagore,
            user=owner.user if owner else None,
            framework=sme,
            stage="T0",
            name_bg="Оценка на цифровата зрялост — T0, 2025",
            name_en="Digital maturity assessment — T0, 2025",
            starts_on=date(2025, 3, 1),
            ends_on=None,
            subjects=demo_companies,
            new_subject_names=[bg for bg, _en in COMPANY_NAMES],
        )
        for subject in t0.subjects.select_related("organisation"):
            english = dict(COMPANY_NAMES).get(subject.organisation.name_bg)
            if english:
                Organisation.objects.filter(pk=subject.organisation_id).update(name_en=english)
        subjects = list(t0.subjects.select_related("organisation").order_by("organisation__slug"))
        maturity = {s.pk: rng.uniform(0.12, 0.68) for s in subjects}
        for n, subject in enumerate(subjects):
            profile = {
                "organisation_name": subject.organisation.name_bg,
                "size_band": rng.choice(["micro", "small", "small", "medium"]),
                "main_sector": _option(tree, "main_sector", rng),
                "founding_year": rng.randint(1992, 2021),
            }
            subject.demo_profile = profile  # type: ignore[attr-defined]
            _submit(
                t0,
                subject,
                _answers(tree, maturity[subject.pk], rng, profile),
                timezone.now() - timedelta(days=400 - n),
            )
        t1 = services.campaign_create(
            organisation=zagore,
            user=owner.user if owner else None,
            framework=sme,
            stage="T1",
            name_bg="Оценка на цифровата зрялост — T1, 2026",
            name_en="Digital maturity assessment — T1, 2026",
            starts_on=date(2026, 3, 1),
            subjects=[s.organisation for s in subjects[:15]],
        )
        for n, subject in enumerate(
            t1.subjects.select_related("organisation").order_by("organisation__slug")
        ):
            before = next(s for s in subjects if s.organisation_id == subject.organisation_id)
            improved = min(0.95, maturity[before.pk] + rng.uniform(0.08, 0.22))
            _submit(
                t1,
                subject,
                _answers(tree, improved, rng, before.demo_profile),  # type: ignore[attr-defined]
                timezone.now() - timedelta(days=40 - n),
            )
        lines.append("Assessments: Zagore hub, EDIH DMA T0 (40 companies) and T1 (15 companies).")

    stara_zagora = Organisation.objects.get(slug="stara-zagora")
    if not Campaign.objects.filter(organisation=stara_zagora, framework=city).exists():
        tree = framework_tree(city)
        owner = Membership.objects.filter(organisation=stara_zagora, role=Role.OWNER).first()
        campaign = services.campaign_create(
            organisation=stara_zagora,
            user=owner.user if owner else None,
            framework=city,
            stage="2025",
            name_bg="Цифрова зрялост на Стара Загора 2025",
            name_en="Digital maturity of Stara Zagora 2025",
            starts_on=today - timedelta(days=60),
            ends_on=today + timedelta(days=60),
            mode=Campaign.Mode.OPEN,
            anonymous=True,
            subjects=[stara_zagora],
        )
        subject = campaign.subjects.get()
        for n in range(30):
            group = STAKEHOLDER_GROUPS[n % len(STAKEHOLDER_GROUPS)]
            p = rng.uniform(0.3, 0.55) + (0.1 if group == "public_administration" else 0.0)
            _submit(
                campaign,
                subject,
                _answers(tree, p, rng, {"stakeholder_group": group}, na_share=0.08),
                timezone.now() - timedelta(days=30 - n),
            )
        lines.append(
            "Assessments: Stara Zagora city digital maturity, 30 stakeholders (open link)."
        )
    return lines
