"""Demo strategies (`zora demo`, after the other apps' demos):

- Stara Zagora: "Strategy for entrepreneurship, innovation and digitalisation 2024–2030"
  (adopted, public accountability page), with a SWOT drafted from the demo assessment,
  indicators and consultation, a vision open for comments and citizen proposals linked to
  actions;
- Sofia: "Digital transformation strategy 2025–2030" (in consultation).

Each has 5 priorities, 15 objectives, 40 actions with budgets and funding sources, milestones
through 2030, 20 KPIs with measurements (some bound to Eurostat indicators), and actions that
are late or at risk. Idempotent: an existing demo strategy is left as it is."""

import random
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from zora.organisations.models import Membership, Organisation, Role
from zora.strategy import rules, services
from zora.strategy.models import (
    Action,
    ActionFunding,
    ActionStatus,
    EvidenceLink,
    Kpi,
    Measurement,
    Milestone,
    Objective,
    Priority,
    Strategy,
    StrategyStatus,
    SwotItem,
)

PRIORITIES = [
    ("P1", "Градска среда", "Urban environment"),
    ("P2", "Общество и умения", "Society and skills"),
    ("P3", "Бизнес", "Business"),
    ("P4", "Предприемачество и иновации", "Entrepreneurship and innovation"),
    ("P5", "Политики и институции", "Policy and institutions"),
]

OBJECTIVES = {
    "P1": [
        ("Гигабитова свързаност за всички квартали", "Gigabit connectivity for every district"),
        ("Интелигентен транспорт и паркиране", "Smart transport and parking"),
        ("Данни за околната среда в реално време", "Real-time environmental data"),
    ],
    "P2": [
        ("Цифрови умения за всички възрасти", "Digital skills for all ages"),
        ("Цифрово образование в училищата", "Digital education in schools"),
        ("Достъпни електронни услуги за гражданите", "Accessible e-services for citizens"),
    ],
    "P3": [
        (
            "Цифровизация на малките и средните предприятия",
            "Digitalisation of small and medium enterprises",
        ),
        ("Привличане на инвестиции в ИКТ", "Attracting ICT investment"),
        ("Електронна търговия и износ", "E-commerce and exports"),
    ],
    "P4": [
        ("Подкрепа за стартиращи фирми", "Support for start-ups"),
        ("Партньорства между университети и бизнес", "University–business partnerships"),
        ("Иновации в земеделието и храните", "Innovation in agriculture and food"),
    ],
    "P5": [
        ("Управление, основано на данни", "Data-driven governance"),
        ("Отворени данни и прозрачност", "Open data and transparency"),
        ("Капацитет на администрацията", "Capacity of the administration"),
    ],
}

ACTIONS = {
    "P1": [
        ("Карта на покритието с широколентов достъп", "Broadband coverage map"),
        ("Оптична мрежа до общинските сгради", "Fibre to municipal buildings"),
        ("Безплатен Wi-Fi в парковете и площадите", "Free Wi-Fi in parks and squares"),
        ("Интелигентни светофари по главните булеварди", "Smart traffic lights on main boulevards"),
        ("Приложение за паркиране", "Parking app"),
        ("Мрежа от сензори за качеството на въздуха", "Air-quality sensor network"),
        ("Табло за околната среда", "Environmental dashboard"),
        ("Електронни табла на спирките", "Digital displays at bus stops"),
    ],
    "P2": [
        ("Курсове по цифрова грамотност за възрастни", "Digital literacy courses for adults"),
        ("Клубове по програмиране в читалищата", "Coding clubs in community centres"),
        ("Оборудване на STEM кабинети", "Equipping STEM classrooms"),
        (
            "Обучение на учители по цифрови компетентности",
            "Teacher training in digital competences",
        ),
        ("Цифрови помощници в центровете за услуги", "Digital helpers in service centres"),
        ("Достъпност на общинския сайт (WCAG)", "Accessibility of the municipal website (WCAG)"),
        ("Електронни услуги за социално подпомагане", "E-services for social assistance"),
        ("Кампания „Цифрова Стара Загора“", "“Digital city” awareness campaign"),
    ],
    "P3": [
        ("Ваучери за цифровизация на МСП", "Digitalisation vouchers for SMEs"),
        ("Оценка на цифровата зрялост с хъба", "Digital maturity assessments with the hub"),
        ("Инвестиционен профил на града", "Investment profile of the city"),
        ("Индустриална зона с готова свързаност", "Industrial zone with ready connectivity"),
        ("Обучения по електронна търговия", "E-commerce training"),
        ("Платформа за местни производители", "Platform for local producers"),
        ("Киберсигурност за малкия бизнес", "Cybersecurity for small businesses"),
        ("Форум за инвеститори", "Investor forum"),
    ],
    "P4": [
        ("Бизнес инкубатор", "Business incubator"),
        ("Конкурс за иновативни идеи", "Innovation challenge"),
        ("Съвместни лаборатории с университета", "Joint labs with the university"),
        ("Стажове в ИКТ фирми", "Internships in ICT companies"),
        ("Пилотен проект за прецизно земеделие", "Precision-farming pilot"),
        ("Тестова среда за агротехнологии", "Agritech testbed"),
        ("Мрежа от ментори", "Mentor network"),
        ("Фонд за ранно финансиране", "Early-stage funding facility"),
    ],
    "P5": [
        ("Общинска платформа за данни", "Municipal data platform"),
        ("Политика за отворени данни", "Open data policy"),
        ("Портал за отворени данни", "Open data portal"),
        ("Електронно деловодство", "Electronic document management"),
        ("Обучение на служителите по работа с данни", "Data skills training for staff"),
        ("Звено за цифрова трансформация", "Digital transformation unit"),
        ("Мониторинг на стратегията в Zora", "Monitoring the strategy in Zora"),
        ("Годишен доклад за напредъка", "Annual progress report"),
    ],
}

# (name_bg, name_en, unit, direction, baseline, target, indicator code or "")
KPIS = [
    (
        "Домакинства с широколентов достъп",
        "Households with broadband",
        "%",
        "higher",
        78,
        95,
        "hh_broadband",
    ),
    (
        "Общински сгради с оптична връзка",
        "Municipal buildings on fibre",
        "%",
        "higher",
        20,
        100,
        "",
    ),
    ("Точки с безплатен Wi-Fi", "Free Wi-Fi hotspots", "", "higher", 12, 80, ""),
    (
        "Средно време за пътуване до центъра",
        "Average travel time to the centre",
        "min",
        "lower",
        28,
        20,
        "",
    ),
    (
        "Дни с наднормено замърсяване на въздуха",
        "Days with excess air pollution",
        "days",
        "lower",
        45,
        15,
        "",
    ),
    (
        "Възрастни с основни цифрови умения",
        "Adults with basic digital skills",
        "%",
        "higher",
        31,
        60,
        "",
    ),
    ("Ученици в клубове по програмиране", "Pupils in coding clubs", "", "higher", 150, 1200, ""),
    ("Училища със STEM кабинет", "Schools with a STEM classroom", "%", "higher", 25, 100, ""),
    ("Електронни услуги на общината", "Municipal e-services", "", "higher", 40, 150, ""),
    ("Заявления, подадени онлайн", "Applications filed online", "%", "higher", 12, 60, ""),
    (
        "МСП с ваучер за цифровизация",
        "SMEs with a digitalisation voucher",
        "",
        "higher",
        0,
        400,
        "",
    ),
    (
        "Средна цифрова зрялост на МСП",
        "Average digital maturity of SMEs",
        "/100",
        "higher",
        34,
        55,
        "",
    ),
    ("Нови работни места в ИКТ", "New ICT jobs", "", "higher", 0, 1500, ""),
    ("Фирми с онлайн продажби", "Companies selling online", "%", "higher", 9, 25, ""),
    ("Стартиращи фирми в инкубатора", "Start-ups in the incubator", "", "higher", 0, 60, ""),
    (
        "Съвместни проекти университет–бизнес",
        "University–business projects",
        "",
        "higher",
        3,
        30,
        "",
    ),
    ("Стопанства с прецизно земеделие", "Farms using precision farming", "", "higher", 5, 120, ""),
    ("Публикувани набори от отворени данни", "Published open datasets", "", "higher", 10, 200, ""),
    (
        "Служители, обучени за работа с данни",
        "Staff trained in data skills",
        "",
        "higher",
        0,
        300,
        "",
    ),
    ("Изпълнени действия от плана", "Actions of the plan completed", "%", "higher", 0, 100, ""),
]

SOURCES = ["erdf", "tsi", "digital-europe", "horizon-europe", "national", "municipal", "private"]


def _user(organisation: Organisation) -> Any:
    membership = (
        Membership.objects.filter(organisation=organisation, role=Role.EDITOR)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def _build(
    strategy: Strategy, *, rng: random.Random, today: date, region: str, owner_name: str
) -> None:
    """Priorities, objectives, actions, milestones, funding and KPIs, in bulk."""
    statuses = {s.code: s for s in ActionStatus.objects.filter(strategy=strategy)}
    sources = {
        s.code: s for s in services.funding_sources_ensure(organisation=strategy.organisation)
    }
    priorities = Priority.objects.bulk_create(
        [
            Priority(strategy=strategy, code=code, title_bg=bg, title_en=en, position=i)
            for i, (code, bg, en) in enumerate(PRIORITIES)
        ]
    )
    objectives = Objective.objects.bulk_create(
        [
            Objective(
                strategy=strategy,
                priority=p,
                code=f"{p.code}.{k + 1}",
                title_bg=bg,
                title_en=en,
                position=k,
                weight=2.0 if k == 0 else 1.0,
            )
            for p in priorities
            for k, (bg, en) in enumerate(OBJECTIVES[p.code])
        ]
    )
    by_priority: dict[str, list[Objective]] = {}
    for o in objectives:
        by_priority.setdefault(o.code.split(".")[0], []).append(o)
    span = (strategy.ends_on - strategy.starts_on).days
    actions: list[Action] = []
    for p in priorities:
        for k, (bg, en) in enumerate(ACTIONS[p.code]):
            objective = by_priority[p.code][k % 3]
            start = strategy.starts_on + timedelta(days=rng.randint(0, span // 2))
            end = min(strategy.ends_on, start + timedelta(days=rng.randint(240, 1400)))
            elapsed = min(1.0, max(0.0, (today - start).days / max(1, (end - start).days)))
            roll = rng.random()
            if elapsed >= 1.0 and roll < 0.7:
                status, progress = "completed", 100.0
            elif elapsed <= 0:
                status, progress = "planned", 0.0
            elif roll < 0.2:  # late or at risk
                status, progress = "delayed", round(max(0.0, elapsed * 100 - rng.uniform(25, 45)))
            else:
                status, progress = (
                    "in_progress",
                    round(min(95.0, elapsed * 100 + rng.uniform(-10, 10))),
                )
            actions.append(
                Action(
                    strategy=strategy,
                    objective=objective,
                    external_id=f"{p.code}-{k + 1:02d}",
                    title_bg=bg,
                    title_en=en,
                    owner_organisation=strategy.organisation,
                    owner_organisation_name="",
                    owner_person=owner_name,
                    partners=rng.choice(
                        [
                            "",
                            "EDIH Zagore",
                            "Trakia University",
                            "Chamber of Commerce",
                            "NGOs, schools",
                        ]
                    ),
                    starts_on=start,
                    ends_on=end,
                    status=statuses[status],
                    progress=progress,
                    weight=rng.choice([1.0, 1.0, 2.0]),
                    budget=Decimal(rng.randrange(20, 2500) * 1000),
                    currency="EUR",
                    position=len(actions),
                )
            )
    Action.objects.bulk_create(actions)
    funding, stones = [], []
    for a in actions:
        assert a.budget is not None
        chosen = rng.sample(SOURCES, rng.randint(1, 3))
        shares = [rng.random() + 0.2 for _ in chosen]
        covered = Decimal(str(rng.choice([1.0, 1.0, 0.8])))
        for code, share in zip(chosen, shares, strict=True):
            amount = (a.budget * covered * Decimal(share / sum(shares))).quantize(Decimal("1"))
            funding.append(ActionFunding(action=a, source=sources[code], amount=amount))
        assert a.starts_on is not None and a.ends_on is not None
        length = (a.ends_on - a.starts_on).days
        for n, (bg, en) in enumerate(
            [
                ("Старт и обществена поръчка", "Kick-off and procurement"),
                ("Междинен резултат", "Interim result"),
                ("Завършване", "Completion"),
            ]
        ):
            due = a.starts_on + timedelta(days=int(length * (n + 1) / 3))
            done = None
            if due < today and (
                a.progress >= (n + 1) * 33 or a.status_id == statuses["completed"].pk
            ):
                done = due + timedelta(days=rng.randint(-10, 20))
            stones.append(
                Milestone(
                    strategy=strategy, action=a, title_bg=bg, title_en=en, due_on=due, done_on=done
                )
            )
    ActionFunding.objects.bulk_create(funding)
    Milestone.objects.bulk_create(stones)
    # Dependencies: the second action of each priority depends on the first.
    for i in range(0, len(actions), 8):
        actions[i + 1].depends_on.add(actions[i])
    _kpis(strategy, objectives, actions, rng=rng, today=today, region=region)
    services.strategy_recompute(strategy)


def _kpis(
    strategy: Strategy,
    objectives: list[Objective],
    actions: list[Action],
    *,
    rng: random.Random,
    today: date,
    region: str,
) -> None:
    from zora.indicators.models import Indicator

    kpis = []
    baseline_on, target_on = strategy.starts_on, strategy.ends_on
    for i, (bg, en, unit, direction, base, target, indicator) in enumerate(KPIS):
        owner: dict[str, Any] = (
            {"objective": objectives[i]}
            if i < len(objectives)
            else {"action": actions[i * 7 % len(actions)]}
        )
        kpis.append(
            Kpi(
                strategy=strategy,
                name_bg=bg,
                name_en=en,
                unit=unit,
                direction=direction,
                baseline_value=base,
                baseline_on=baseline_on,
                target_value=target,
                target_on=target_on,
                indicator=Indicator.objects.filter(code=indicator).first() if indicator else None,
                region_code=region if indicator else "",
                position=i,
                **owner,
            )
        )
    Kpi.objects.bulk_create(kpis)
    rows = []
    for i, kpi in enumerate(kpis):
        if kpi.indicator_id:
            continue  # its measurements are the indicator's observations
        pace = [1.05, 0.95, 0.8, 0.6][i % 4]  # on track, on track, at risk, off track
        day = baseline_on + timedelta(days=182)
        while day <= today:
            expected = rules.expected_value(
                baseline=(baseline_on, kpi.baseline_value or 0.0),
                target=(target_on, kpi.target_value or 0.0),
                on=day,
            )
            start_value = kpi.baseline_value or 0.0
            value = start_value + (expected - start_value) * pace * rng.uniform(0.97, 1.03)
            rows.append(
                Measurement(kpi=kpi, value=round(value, 1), measured_on=day, source="Municipality")
            )
            day += timedelta(days=182)
    Measurement.objects.bulk_create(rows)


def _swot(strategy: Strategy, user: Any, extra: list[tuple[str, str, str, str]]) -> int:
    """Draft from the evidence, accept a few per quadrant, add hand-written items with links."""
    drafted = services.swot_draft(strategy=strategy, user=user)
    per_quadrant: dict[str, int] = {}
    for item in drafted:
        if per_quadrant.get(item.quadrant, 0) < 4:
            services.swot_item_accept(item=item)
            per_quadrant[item.quadrant] = per_quadrant.get(item.quadrant, 0) + 1
    for quadrant, bg, en, url in extra:
        item = services.swot_item_save(
            strategy=strategy, quadrant=quadrant, text_bg=bg, text_en=en, weight=4, user=user
        )
        EvidenceLink.objects.create(item=item, kind="url", label=en, url=url, observed="2024")
    return SwotItem.objects.filter(strategy=strategy, state="accepted").count()


@transaction.atomic
def load() -> Iterator[str]:
    rng = random.Random(2030)  # noqa: S311 (demo data, not security)
    today = timezone.localdate()
    stara_zagora = Organisation.objects.filter(slug="stara-zagora").first()
    if stara_zagora is not None and not Strategy.objects.filter(organisation=stara_zagora).exists():
        user = _user(stara_zagora)
        strategy = services.strategy_create(
            organisation=stara_zagora,
            title_bg="Стратегия за предприемачество, иновации и дигитализация 2024–2030",
            title_en="Strategy for entrepreneurship, innovation and digitalisation 2024–2030",
            summary_bg="Разработена с подкрепата на Инструмента за техническа подкрепа на ЕС, "
            "съвместно с публичните институции, бизнеса, финансовия сектор, образованието и "
            "неправителствените организации.",
            summary_en="Prepared with the EU Technical Support Instrument, together with public "
            "bodies, business, finance, education and NGOs.",
            starts_on=date(2024, 1, 1),
            ends_on=date(2030, 12, 31),
            region_code="BG344",
            with_defaults=False,
        )
        _build(
            strategy,
            rng=rng,
            today=today,
            region="BG34",
            owner_name="Отдел „Икономическо развитие“",
        )
        items = _swot(
            strategy,
            user,
            [
                (
                    "opportunity",
                    "Финансиране по Инструмента за техническа подкрепа",
                    "Funding from the Technical Support Instrument",
                    "https://reform-support.ec.europa.eu/",
                ),
                (
                    "threat",
                    "Изтичане на ИКТ специалисти към София и чужбина",
                    "ICT specialists leaving for Sofia and abroad",
                    "https://ec.europa.eu/eurostat",
                ),
            ],
        )
        vision = services.vision_save(
            strategy=strategy,
            user=user,
            vision_bg="Стара Загора – предприемчив и цифров регионален център, в който знанието, "
            "технологиите и традициите създават добри работни места.",
            vision_en="Stara Zagora – an enterprising, digital regional centre where knowledge, "
            "technology and tradition create good jobs.",
            ambition_bg="До 2030 г. всяко второ малко предприятие използва облачни услуги, а "
            "всички общински услуги са достъпни онлайн.",
            ambition_en="By 2030 every second small firm uses cloud services and every municipal "
            "service is available online.",
            note="Първа версия след семинара за визия",
        )
        steps = [
            ("preparation", "Работна група и график", "Working group and timetable"),
            (
                "assessment",
                "Оценка на цифровата зрялост и сравнителен анализ",
                "Digital maturity assessment and benchmarking",
            ),
            ("vision", "Семинар за визия и амбиция", "Vision and ambition workshop"),
            (
                "strategy",
                "Приоритети и цели, съгласувани със заинтересованите страни",
                "Priorities and objectives agreed with stakeholders",
            ),
            ("roadmap", "План за действие с бюджет", "Action plan with budget"),
        ]
        for step, bg, en in steps:
            services.step_update(strategy=strategy, step=step, done=True, note_bg=bg, note_en=en)
        services.strategy_update(
            strategy=strategy, status=StrategyStatus.ADOPTED, current_step="monitoring"
        )
        Strategy.objects.filter(pk=strategy.pk).update(adopted_on=date(2024, 2, 27))
        if user is not None:
            services.vision_open_for_comments(vision=vision, user=user)
        linked = _link_proposals(strategy)
        yield (
            f"Strategy: Stara Zagora, {Action.objects.filter(strategy=strategy).count()} actions, "
            f"{Kpi.objects.filter(strategy=strategy).count()} KPIs, {items} SWOT items, "
            f"{linked} proposals linked (adopted: /strategies/{strategy.pk}/)."
        )
    sofia = Organisation.objects.filter(slug="sofia").first()
    if sofia is not None and not Strategy.objects.filter(organisation=sofia).exists():
        user = _user(sofia)
        strategy = services.strategy_create(
            organisation=sofia,
            title_bg="Стратегия за цифрова трансформация на София 2025–2030",
            title_en="Digital transformation strategy of Sofia 2025–2030",
            summary_bg="Резултат от участието на София в инициативата на ЕС „Предизвикателство "
            "за цифровите градове“: над 30 интервюта, SWOT, визия и пътна карта.",
            summary_en="The outcome of Sofia's part in the EU Digital Cities Challenge: 30+ "
            "interviews, a SWOT, a vision and a roadmap.",
            starts_on=date(2025, 1, 1),
            ends_on=date(2030, 12, 31),
            region_code="BG411",
            with_defaults=False,
        )
        _build(strategy, rng=rng, today=today, region="BG41", owner_name="Дирекция „Цифровизация“")
        items = _swot(
            strategy,
            user,
            [
                (
                    "strength",
                    "Голям ИКТ сектор и университети",
                    "A large ICT sector and universities",
                    "https://investsofia.com",
                ),
                (
                    "weakness",
                    "Разпокъсани данни между общинските звена",
                    "Data scattered across municipal units",
                    "https://www.sofia.bg",
                ),
                (
                    "opportunity",
                    "Мрежата на 15 града от инициативата",
                    "The network of 15 cities of the initiative",
                    "https://digitalcities.eu",
                ),
            ],
        )
        services.vision_save(
            strategy=strategy,
            user=user,
            vision_bg="София – умен град за хората, с отворени данни и услуги, проектирани "
            "заедно с гражданите.",
            vision_en="Sofia – a smart city for people, with open data and services designed "
            "together with its citizens.",
            ambition_bg="Водещ цифров град в Югоизточна Европа до 2030 г.",
            ambition_en="The leading digital city of south-east Europe by 2030.",
        )
        services.strategy_update(
            strategy=strategy, status=StrategyStatus.CONSULTATION, current_step="strategy"
        )
        yield (
            f"Strategy: Sofia, {Action.objects.filter(strategy=strategy).count()} actions, "
            f"{items} SWOT items (in consultation)."
        )


def _link_proposals(strategy: Strategy) -> int:
    """The three most supported demo proposals became actions."""
    from zora.participation.models import Proposal

    proposals = list(
        Proposal.objects.filter(
            consultation__organisation=strategy.organisation,
            hidden_at__isnull=True,
        )
        .exclude(consultation__title_en__startswith="Vision")
        .order_by("-supports_count", "id")[:3]
    )
    actions = list(Action.objects.filter(strategy=strategy).order_by("position")[:40:13])
    for proposal, action in zip(proposals, actions, strict=False):
        services.proposal_link(action=action, proposal=proposal)
    return min(len(proposals), len(actions))
