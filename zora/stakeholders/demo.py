"""Demo data of the stakeholders app, loaded by `zora demo` (idempotent).

Stara Zagora and Sofia: 30 stakeholders of every type (some without consent, one erased), an
interview guide each, 12 interviews with notes and 42 coded findings in Bulgarian; the Zagore
hub's opening forum with 60 registrations and attendance; Stara Zagora's vision & ambition
workshop (strategy step "vision") and a B2B meeting day with IT companies and booked slots.
"""

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from zora.accounts.models import User
from zora.organisations.models import Organisation
from zora.participation.demo import CITIZEN_NAMES
from zora.stakeholders import services
from zora.stakeholders.models import (
    Code,
    Event,
    EventKind,
    Finding,
    Guide,
    Interview,
    Meeting,
    Note,
    Question,
    Registration,
    Slot,
    Stakeholder,
    StakeholderKind,
    StakeholderType,
    Tag,
)

SOFIA_TZ = ZoneInfo("Europe/Sofia")
T = StakeholderType
PER, ORG = StakeholderKind.PERSON, StakeholderKind.ORGANISATION

# (slug, kind, name, type, sector, affiliation, position, e-mail, consent?, tags)
STAKEHOLDERS: dict[str, list[tuple[str, str, str, str, str, str, str, str, bool, str]]] = {
    "stara-zagora": [
        (
            "sz-01",
            PER,
            "Гергана Колева",
            T.PUBLIC_ADMINISTRATION,
            "Местна власт",
            "Община Стара Загора",
            "Директор „Инвестиции“",
            "g.koleva@stara-zagora.demo",
            True,
            "стратегия; работна група",
        ),
        (
            "sz-02",
            ORG,
            "Областна администрация Стара Загора",
            T.PUBLIC_ADMINISTRATION,
            "Държавна администрация",
            "",
            "",
            "oblast@stara-zagora.demo",
            True,
            "стратегия",
        ),
        (
            "sz-03",
            PER,
            "Николай Тодоров",
            T.BUSINESS,
            "ИКТ",
            "Загоре Софтуер ООД",
            "Управител",
            "n.todorov@zagore-soft.demo",
            True,
            "B2B; ИКТ",
        ),
        (
            "sz-04",
            ORG,
            "Индустриална зона Загоре",
            T.BUSINESS,
            "Производство",
            "",
            "",
            "office@iz-zagore.demo",
            True,
            "индустрия",
        ),
        (
            "sz-05",
            PER,
            "Десислава Маринова",
            T.FINANCE,
            "Банково дело",
            "Регионална банка АД",
            "Кредитен експерт",
            "d.marinova@bank.demo",
            False,
            "финансиране",
        ),
        (
            "sz-06",
            ORG,
            "Тракийски университет",
            T.EDUCATION,
            "Висше образование",
            "",
            "",
            "rector@uni-sz.demo",
            True,
            "умения; партньор",
        ),
        (
            "sz-07",
            PER,
            "доц. Петър Стоянов",
            T.RESEARCH,
            "Аграрни науки",
            "Тракийски университет",
            "Ръководител на лаборатория",
            "p.stoyanov@uni-sz.demo",
            True,
            "изследвания",
        ),
        (
            "sz-08",
            ORG,
            "Сдружение „Дигитална Загора“",
            T.NGO,
            "Гражданско общество",
            "",
            "",
            "info@digizagora.demo",
            True,
            "граждани",
        ),
        (
            "sz-09",
            ORG,
            "ВиК Стара Загора ЕООД",
            T.UTILITY,
            "Води",
            "",
            "",
            "office@vik-sz.demo",
            False,
            "данни",
        ),
        (
            "sz-10",
            ORG,
            "Телеком Юг ЕАД",
            T.TELECOM,
            "Далекосъобщения",
            "",
            "",
            "b2g@telecom-yug.demo",
            True,
            "широколентов достъп",
        ),
        (
            "sz-11",
            PER,
            "Мария Вълчева",
            T.MEDIA,
            "Регионални медии",
            "Вестник „Загора днес“",
            "Журналист",
            "m.valcheva@zagora-dnes.demo",
            False,
            "медии",
        ),
        ("sz-12", PER, "Стоян Петков", T.CITIZEN, "", "", "Жител на с. Хрищени", "", True, "село"),
        (
            "sz-13",
            PER,
            "Радостина Илиева",
            T.EDUCATION,
            "Средно образование",
            "ПГ по електротехника",
            "Директор",
            "r.ilieva@school-sz.demo",
            True,
            "умения",
        ),
        (
            "sz-14",
            ORG,
            "Търговско-индустриална камара",
            T.BUSINESS,
            "Бизнес организации",
            "",
            "",
            "tpp@stara-zagora.demo",
            True,
            "B2B",
        ),
        (
            "sz-15",
            PER,
            "Христо Генов",
            T.PUBLIC_ADMINISTRATION,
            "Местна власт",
            "Кметство с. Загорце",
            "Кмет на село",
            "",
            False,
            "село",
        ),
    ],
    "sofia": [
        (
            "sf-01",
            PER,
            "Елена Димитрова",
            T.PUBLIC_ADMINISTRATION,
            "Местна власт",
            "Столична община",
            "Директор „Цифрова трансформация“",
            "e.dimitrova@sofia.demo",
            True,
            "стратегия",
        ),
        (
            "sf-02",
            ORG,
            "Софийска инвестиционна агенция",
            T.PUBLIC_ADMINISTRATION,
            "Инвестиции",
            "",
            "",
            "office@sia.demo",
            True,
            "стратегия; Digital Cities Challenge",
        ),
        (
            "sf-03",
            ORG,
            "Топлофикация София ЕАД",
            T.UTILITY,
            "Енергетика",
            "",
            "",
            "info@toplo.demo",
            True,
            "данни",
        ),
        (
            "sf-04",
            ORG,
            "Софийска вода АД",
            T.UTILITY,
            "Води",
            "",
            "",
            "contact@voda.demo",
            False,
            "данни",
        ),
        (
            "sf-05",
            PER,
            "Иван Костов",
            T.TELECOM,
            "Далекосъобщения",
            "Мобилен оператор АД",
            "Директор „Публичен сектор“",
            "i.kostov@mobile.demo",
            True,
            "5G",
        ),
        (
            "sf-06",
            ORG,
            "Софийски университет „Св. Климент Охридски“",
            T.EDUCATION,
            "Висше образование",
            "",
            "",
            "rector@su.demo",
            True,
            "умения",
        ),
        (
            "sf-07",
            PER,
            "проф. Анна Михайлова",
            T.RESEARCH,
            "Изкуствен интелект",
            "Институт по информатика",
            "Професор",
            "a.mihaylova@iict.demo",
            True,
            "ИИ; данни",
        ),
        (
            "sf-08",
            ORG,
            "Асоциация на софтуерните компании",
            T.BUSINESS,
            "ИКТ",
            "",
            "",
            "office@basscom.demo",
            True,
            "ИКТ",
        ),
        (
            "sf-09",
            PER,
            "Борис Ангелов",
            T.BUSINESS,
            "Стартъпи",
            "Стартъп Хъб София",
            "Основател",
            "b.angelov@startup.demo",
            True,
            "стартъпи",
        ),
        (
            "sf-10",
            ORG,
            "Фонд за градско развитие",
            T.FINANCE,
            "Финансиране",
            "",
            "",
            "office@fund.demo",
            True,
            "финансиране",
        ),
        (
            "sf-11",
            ORG,
            "Сдружение „Отворени данни“",
            T.NGO,
            "Гражданско общество",
            "",
            "",
            "hello@opendata.demo",
            True,
            "данни",
        ),
        (
            "sf-12",
            PER,
            "Калина Русева",
            T.MEDIA,
            "Онлайн медии",
            "Дигитален портал",
            "Редактор",
            "k.ruseva@portal.demo",
            False,
            "медии",
        ),
        (
            "sf-13",
            PER,
            "Теодор Попов",
            T.CITIZEN,
            "",
            "",
            "Жител на кв. Люлин",
            "t.popov@mail.demo",
            True,
            "граждани",
        ),
        (
            "sf-14",
            ORG,
            "Столична библиотека",
            T.PUBLIC_ADMINISTRATION,
            "Култура",
            "",
            "",
            "library@sofia.demo",
            True,
            "умения",
        ),
        (
            "sf-15",
            PER,
            "Антон Стефанов",
            T.BUSINESS,
            "Търговия",
            "Верига магазини ООД",
            "Управител",
            "a.stefanov@retail.demo",
            True,
            "търговия",
        ),
    ],
}
ERASED = "sf-15"  # asked to be forgotten

GUIDE_TITLE = (
    "Интервю за дигиталната зрялост и визията",
    "Interview on digital maturity and the vision",
)
GUIDE_QUESTIONS = [
    (
        "Кои са силните страни на града в дигиталната област?",
        "What are the city's digital strengths?",
    ),
    (
        "Кое най-много ви пречи да ползвате или предлагате дигитални услуги?",
        "What holds you back most from using or offering digital services?",
    ),
    (
        "Какви умения не достигат на хората и фирмите?",
        "Which skills do people and companies lack?",
    ),
    (
        "Какви данни бихте споделили и при какви условия?",
        "Which data would you share, and on what terms?",
    ),
    ("Какво трябва да постигнем до 2030 г.?", "What should we achieve by 2030?"),
]

# code key → (Bulgarian, English)
CODES = {
    "broadband": ("Широколентов достъп в селата", "Broadband in villages"),
    "skills": ("Недостиг на дигитални умения", "Digital skills gap"),
    "eservices": ("Електронни услуги", "E-services"),
    "data": ("Споделяне на данни", "Data sharing"),
    "funding": ("Финансиране", "Funding"),
    "talent": ("Задържане на кадри", "Keeping talent"),
    "cooperation": ("Сътрудничество бизнес–наука", "Business–research cooperation"),
    "cyber": ("Киберсигурност", "Cybersecurity"),
}

# Interviews: (stakeholder slug, date, [(question number, note, [(excerpt, code, quadrant)])])
INTERVIEWS: list[tuple[str, str, list[tuple[int, str, list[tuple[str, str, str]]]]]] = [
    (
        "sz-01",
        "2024-02-12",
        [
            (
                1,
                "Имаме модел „Умен град“ и вече оценихме дигиталната зрялост на услугите си. Общината е отворена за партньорства.",
                [
                    ("оценихме дигиталната зрялост на услугите си", "eservices", "strength"),
                    ("Общината е отворена за партньорства", "cooperation", "strength"),
                ],
            ),
            (
                2,
                "Голяма част от услугите още изискват хартия и подпис на място. Селата около града нямат добър интернет.",
                [
                    ("услугите още изискват хартия и подпис на място", "eservices", "weakness"),
                    ("Селата около града нямат добър интернет", "broadband", "weakness"),
                ],
            ),
            (
                5,
                "До 2030 г. всички административни услуги да са достъпни онлайн, а европейските програми да финансират оптика до всяко село.",
                [
                    (
                        "европейските програми да финансират оптика до всяко село",
                        "funding",
                        "opportunity",
                    )
                ],
            ),
        ],
    ),
    (
        "sz-03",
        "2024-02-15",
        [
            (
                2,
                "Не намираме програмисти — младите заминават за София и чужбина. Заплатите не могат да се сравняват.",
                [
                    (
                        "Не намираме програмисти — младите заминават за София и чужбина",
                        "talent",
                        "threat",
                    ),
                    ("Заплатите не могат да се сравняват", "talent", "weakness"),
                ],
            ),
            (
                3,
                "Липсват хора с умения за облачни технологии и киберсигурност.",
                [
                    (
                        "Липсват хора с умения за облачни технологии и киберсигурност",
                        "skills",
                        "weakness",
                    ),
                    ("киберсигурност", "cyber", "weakness"),
                ],
            ),
            (
                5,
                "Хъбът „Загоре“ може да обучава кадри тук, на място.",
                [("Хъбът „Загоре“ може да обучава кадри тук", "skills", "opportunity")],
            ),
        ],
    ),
    (
        "sz-06",
        "2024-02-20",
        [
            (
                1,
                "Университетът има силни аграрни и ветеринарни науки, които могат да се свържат с цифрово земеделие.",
                [("силни аграрни и ветеринарни науки", "cooperation", "strength")],
            ),
            (
                3,
                "Студентите учат малко програмиране; преподавателите нямат време за нови курсове.",
                [("Студентите учат малко програмиране", "skills", "weakness")],
            ),
            (
                4,
                "Бихме споделили данни от опитните полета, ако има ясни правила за ползването им.",
                [
                    (
                        "Бихме споделили данни от опитните полета, ако има ясни правила",
                        "data",
                        "opportunity",
                    )
                ],
            ),
        ],
    ),
    (
        "sz-10",
        "2024-03-01",
        [
            (
                1,
                "В града покритието с оптика е над 80%.",
                [("покритието с оптика е над 80%", "broadband", "strength")],
            ),
            (
                2,
                "В малките села изграждането не се изплаща без публична подкрепа.",
                [
                    (
                        "В малките села изграждането не се изплаща без публична подкрепа",
                        "broadband",
                        "weakness",
                    ),
                    ("без публична подкрепа", "funding", "threat"),
                ],
            ),
            (
                4,
                "Можем да дадем обобщени данни за натоварването на мрежата, ако общината ги публикува като отворени данни.",
                [("обобщени данни за натоварването на мрежата", "data", "opportunity")],
            ),
        ],
    ),
    (
        "sz-12",
        "2024-03-05",
        [
            (
                2,
                "В Хрищени интернетът спира, когато вали. За всяка услуга ходим до града.",
                [
                    ("В Хрищени интернетът спира, когато вали", "broadband", "weakness"),
                    ("За всяка услуга ходим до града", "eservices", "weakness"),
                ],
            ),
            (
                3,
                "Възрастните не знаят как да ползват електронен подпис.",
                [("Възрастните не знаят как да ползват електронен подпис", "skills", "weakness")],
            ),
        ],
    ),
    (
        "sz-13",
        "2024-03-08",
        [
            (
                3,
                "Учителите имат нужда от обучения по ИКТ; учениците искат роботика.",
                [
                    ("Учителите имат нужда от обучения по ИКТ", "skills", "weakness"),
                    ("учениците искат роботика", "skills", "opportunity"),
                ],
            ),
            (
                5,
                "Да има STEM център във всяко училище, с подкрепа от бизнеса.",
                [
                    (
                        "STEM център във всяко училище, с подкрепа от бизнеса",
                        "cooperation",
                        "opportunity",
                    )
                ],
            ),
        ],
    ),
    (
        "sf-01",
        "2024-01-18",
        [
            (
                1,
                "София има силен ИКТ сектор и много стартъпи; общината вече публикува отворени данни.",
                [
                    ("София има силен ИКТ сектор и много стартъпи", "talent", "strength"),
                    ("общината вече публикува отворени данни", "data", "strength"),
                ],
            ),
            (
                2,
                "Системите на отделните дирекции не си говорят; гражданите подават едни и същи документи многократно.",
                [
                    ("Системите на отделните дирекции не си говорят", "eservices", "weakness"),
                    (
                        "гражданите подават едни и същи документи многократно",
                        "eservices",
                        "weakness",
                    ),
                ],
            ),
            (
                5,
                "До 2030 г. — единна точка за всички услуги и град, управляван с данни.",
                [("единна точка за всички услуги", "eservices", "opportunity")],
            ),
        ],
    ),
    (
        "sf-03",
        "2024-01-22",
        [
            (
                4,
                "Данните от умните топломери са ценни, но се притесняваме за защитата на личните данни.",
                [
                    ("Данните от умните топломери са ценни", "data", "opportunity"),
                    ("притесняваме за защитата на личните данни", "data", "threat"),
                ],
            ),
            (
                2,
                "Кибератаките срещу критичната инфраструктура зачестяват.",
                [("Кибератаките срещу критичната инфраструктура зачестяват", "cyber", "threat")],
            ),
        ],
    ),
    (
        "sf-05",
        "2024-01-25",
        [
            (
                1,
                "5G покритието в централните райони е добро.",
                [("5G покритието в централните райони е добро", "broadband", "strength")],
            ),
            (
                2,
                "Разрешителните за нови антени отнемат месеци.",
                [("Разрешителните за нови антени отнемат месеци", "eservices", "weakness")],
            ),
        ],
    ),
    (
        "sf-07",
        "2024-01-29",
        [
            (
                3,
                "Имаме силни изследователи по ИИ, но малко съвместни проекти с общината.",
                [
                    ("силни изследователи по ИИ", "cooperation", "strength"),
                    ("малко съвместни проекти с общината", "cooperation", "weakness"),
                ],
            ),
            (
                4,
                "Споделено пространство за градски данни би отключило нови изследвания.",
                [("Споделено пространство за градски данни", "data", "opportunity")],
            ),
        ],
    ),
    (
        "sf-09",
        "2024-02-02",
        [
            (
                2,
                "Стартъпите трудно печелят обществени поръчки; изискванията са за големи фирми.",
                [("Стартъпите трудно печелят обществени поръчки", "funding", "weakness")],
            ),
            (
                5,
                "Градът може да бъде пилотен клиент за иновативни решения.",
                [
                    (
                        "Градът може да бъде пилотен клиент за иновативни решения",
                        "funding",
                        "opportunity",
                    )
                ],
            ),
            (
                3,
                "Добрите програмисти отиват в чуждестранни компании.",
                [("Добрите програмисти отиват в чуждестранни компании", "talent", "threat")],
            ),
        ],
    ),
    (
        "sf-15",
        "2024-02-06",
        [
            (
                2,
                "Малките търговци не познават електронната търговия и се страхуват от измами.",
                [
                    ("Малките търговци не познават електронната търговия", "skills", "weakness"),
                    ("се страхуват от измами", "cyber", "threat"),
                ],
            ),
            (
                5,
                "Общината да предложи безплатни курсове за дигитален маркетинг.",
                [("безплатни курсове за дигитален маркетинг", "skills", "opportunity")],
            ),
        ],
    ),
]

FIRST_NAMES = CITIZEN_NAMES[:20]  # the demo citizens' names, shared
LAST_NAMES = ["Иванова", "Петров", "Георгиева", "Димитров", "Николова", "Стоянов"]
COMPANIES = [
    "Загоре Софтуер ООД",
    "Агро Дата ЕООД",
    "Тракия Текстил АД",
    "Смарт Фарм ООД",
    "Тракийски университет",
    "Сдружение „Дигитална Загора“",
    "Община Стара Загора",
    "ИТ Клъстер Юг",
    "Енерго Про Сървис",
    "Логистик Загора ООД",
]


def _at(day: str, hour: int, minute: int = 0) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=SOFIA_TZ)


def _upcoming(days: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SOFIA_TZ)


def load() -> Iterator[str]:
    with transaction.atomic():
        for slug in STAKEHOLDERS:
            organisation = Organisation.objects.filter(slug=slug).first()
            if organisation is None:
                continue
            if Guide.objects.filter(organisation=organisation, title_bg=GUIDE_TITLE[0]).exists():
                continue
            yield from _registry_and_interviews(organisation, slug)
        yield from _events()


def _interviewer(slug: str) -> User | None:
    return User.objects.filter(email=f"analyst@{slug}.demo").first()


def _registry_and_interviews(organisation: Organisation, slug: str) -> Iterator[str]:
    people = {}
    for (
        key,
        kind,
        name,
        type_,
        sector,
        affiliation,
        position,
        email,
        consent,
        _tags,
    ) in STAKEHOLDERS[slug]:
        people[key] = Stakeholder(
            organisation=organisation,
            external_id=key,
            kind=kind,
            name=name,
            type=type_,
            sector=sector,
            affiliation=affiliation,
            position=position,
            email=email,
            phone=f"+359 42 600 {int(key[-2:]):03d}" if kind == PER else "",
            consent_on=date(2024, 1, 10) if consent else None,
            consent_purpose="Участие в разработването на стратегията" if consent else "",
        )
    Stakeholder.objects.bulk_create(people.values())
    tag_rows = {
        spec[0]: [t.strip() for t in spec[-1].split(";") if t.strip()]
        for spec in STAKEHOLDERS[slug]
    }

    names = sorted({t for tags in tag_rows.values() for t in tags})
    Tag.objects.bulk_create(
        [Tag(organisation=organisation, name=n) for n in names], ignore_conflicts=True
    )
    tag_by_name = {t.name: t for t in Tag.objects.filter(organisation=organisation)}
    through = Stakeholder.tags.through
    through.objects.bulk_create(
        [
            through(stakeholder_id=people[k].pk, tag_id=tag_by_name[t].pk)
            for k, ts in tag_rows.items()
            for t in ts
        ]
    )
    guide = Guide.objects.create(
        organisation=organisation, title_bg=GUIDE_TITLE[0], title_en=GUIDE_TITLE[1]
    )
    questions = Question.objects.bulk_create(
        [
            Question(guide=guide, position=i + 1, text_bg=bg, text_en=en)
            for i, (bg, en) in enumerate(GUIDE_QUESTIONS)
        ]
    )
    codes = {
        key: Code(organisation=organisation, name_bg=bg, name_en=en)
        for key, (bg, en) in CODES.items()
    }
    Code.objects.bulk_create(codes.values())
    interviewer = _interviewer(slug)
    count = findings = 0
    for key, day, notes in INTERVIEWS:
        if key not in people:
            continue
        interview = Interview.objects.create(
            organisation=organisation,
            stakeholder=people[key],
            guide=guide,
            interviewer=interviewer,
            held_on=date.fromisoformat(day),
        )
        count += 1
        note_rows = Note.objects.bulk_create(
            [
                Note(interview=interview, question=questions[n - 1], position=n, text=text)
                for n, text, _ in notes
            ]
        )
        rows = [
            Finding(
                organisation=organisation,
                interview=interview,
                note=note,
                code=codes[code],
                excerpt=excerpt,
                quadrant=quadrant,
                created_by=interviewer,
            )
            for note, (_n, _text, coded) in zip(note_rows, notes, strict=True)
            for excerpt, code, quadrant in coded
        ]
        Finding.objects.bulk_create(rows)
        findings += len(rows)
    erased = 0
    if ERASED in people:
        services.stakeholder_erase(stakeholder=people[ERASED])
        erased = 1
    yield (
        f"stakeholders: {organisation.slug}: {len(people)} stakeholders ({erased} erased), "
        f"{count} interviews, {findings} coded findings"
    )


def _register(
    event: Event, people: list[tuple[str, str, str]], attended: int
) -> list[Registration]:
    rows = [
        Registration(
            event=event,
            name=name,
            email=email,
            affiliation=affiliation,
            consent_at=event.starts_at - timedelta(days=7),
            attended=i < attended,
            created_at=event.starts_at - timedelta(days=10, minutes=-i),
        )
        for i, (name, email, affiliation) in enumerate(people)
    ]
    return Registration.objects.bulk_create(rows)


def _people(n: int, domain: str) -> list[tuple[str, str, str]]:
    return [
        (
            f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {LAST_NAMES[(i // len(FIRST_NAMES) + i) % len(LAST_NAMES)]}",
            f"guest{i + 1:02d}@{domain}",
            COMPANIES[i % len(COMPANIES)],
        )
        for i in range(n)
    ]


def _events() -> Iterator[str]:
    zagore = Organisation.objects.filter(slug="zagore").first()
    stara_zagora = Organisation.objects.filter(slug="stara-zagora").first()
    if (
        zagore is not None
        and not Event.objects.filter(organisation=zagore, kind=EventKind.FORUM).exists()
    ):
        forum = Event.objects.create(
            organisation=zagore,
            kind=EventKind.FORUM,
            title_bg="Откриване на Европейския цифров иновационен хъб „Загоре“",
            title_en="Opening of the European Digital Innovation Hub “Zagore”",
            description_bg="Форум за откриването на хъба с индустриалната зона, Тракийския университет, бизнеса и неправителствените организации.",
            description_en="Forum opening the hub with the industrial zone, Thracian University, businesses and NGOs.",
            agenda_bg="10:00 Откриване\n10:30 Услугите на хъба: HPC, умения, киберсигурност, данни\n12:00 Панел „Бизнес и наука“\n13:00 Networking",
            agenda_en="10:00 Opening\n10:30 The hub's services: HPC, skills, cybersecurity, data\n12:00 Panel “Business and research”\n13:00 Networking",
            starts_at=_at("2024-05-16", 10),
            ends_at=_at("2024-05-16", 14),
            place="Стара Загора, Тракийски университет, Аула",
            capacity=80,
            is_public=True,
            registration_open=False,
        )
        _register(forum, _people(60, "forum.demo"), attended=47)
        Event.objects.create(
            organisation=zagore,
            kind=EventKind.TRAINING,
            title_bg="Обучение: киберсигурност за малки фирми",
            title_en="Training: cybersecurity for small companies",
            # always three weeks ahead, so the demo has an open event to register for
            starts_at=_upcoming(21, 9, 30),
            ends_at=_upcoming(21, 16),
            place="Хъб „Загоре“",
            online_url="https://meet.example.org/zagore-cyber",
            capacity=25,
            is_public=True,
            waiting_list=True,
        )
        yield "stakeholders: zagore: opening forum with 60 registrations (47 attended), a training"
    if stara_zagora is not None and not Event.objects.filter(organisation=stara_zagora).exists():
        workshop = Event.objects.create(
            organisation=stara_zagora,
            kind=EventKind.WORKSHOP,
            strategy_step="vision",
            title_bg="Работилница „Визия и амбиция“",
            title_en="Vision & Ambition workshop",
            description_bg="Заинтересованите страни обсъждат SWOT анализа и формулират визията до 2030 г.",
            description_en="Stakeholders discuss the SWOT and draft the vision for 2030.",
            agenda_bg="09:30 Резултати от интервютата\n10:30 SWOT по групи\n12:00 Визия и амбиция\n13:00 Следващи стъпки",
            agenda_en="09:30 What the interviews said\n10:30 SWOT in groups\n12:00 Vision and ambition\n13:00 Next steps",
            starts_at=_at("2024-04-18", 9, 30),
            ends_at=_at("2024-04-18", 13, 30),
            place="Стара Загора, Община, Голяма зала",
            capacity=40,
            is_public=False,
            registration_open=False,
        )
        _register(workshop, _people(28, "workshop.demo"), attended=25)
        b2b = Event.objects.create(
            organisation=stara_zagora,
            kind=EventKind.B2B,
            title_bg="B2B срещи с ИТ компании",
            title_en="B2B meetings with IT companies",
            description_bg="Двустранни срещи между общината, инвеститори и ИТ компании.",
            description_en="Bilateral meetings between the municipality, investors and IT companies.",
            starts_at=_at("2026-09-24", 10),
            ends_at=_at("2026-09-24", 13),
            place="Стара Загора, Бизнес център",
            capacity=40,
            is_public=True,
        )
        participants = _register(b2b, _people(16, "b2b.demo"), attended=0)
        slots = [
            Slot(
                event=b2b,
                starts_at=_at("2026-09-24", 10) + timedelta(minutes=20 * i),
                ends_at=_at("2026-09-24", 10) + timedelta(minutes=20 * (i + 1)),
                table=str(t),
            )
            for i in range(9)
            for t in range(1, 5)
        ]
        Slot.objects.bulk_create(slots)
        slots = list(Slot.objects.filter(event=b2b).order_by("starts_at", "table"))
        meetings = []
        for i in range(12):  # 4 tables × 3 rounds, nobody twice in a round
            slot = slots[i]
            round_, table = divmod(i, 4)
            a, b = participants[table], participants[8 + (table + round_) % 8]
            first, second = sorted([a, b], key=lambda r: r.pk)
            meetings.append(
                Meeting(
                    event=b2b,
                    slot=slot,
                    first=first,
                    second=second,
                    starts_at=slot.starts_at,
                    ends_at=slot.ends_at,
                )
            )
        Meeting.objects.bulk_create(meetings)
        yield "stakeholders: stara-zagora: vision & ambition workshop, B2B day with 12 booked meetings"
