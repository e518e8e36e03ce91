"""Demo organisations and users (`zora demo`). Idempotent: running it twice changes nothing."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction

from zora.accounts.models import User
from zora.organisations.models import Membership, Organisation, OrganisationKind, Role

DEMO_PASSWORD = "zora-demo"


@dataclass(frozen=True)
class DemoOrg:
    slug: str
    kind: str
    name_bg: str
    name_en: str
    description_bg: str
    description_en: str
    country: str
    region_code: str
    website: str
    is_public: bool = True


DEMO_ORGANISATIONS = [
    DemoOrg(
        "stara-zagora",
        OrganisationKind.MUNICIPALITY,
        "Община Стара Загора",
        "Stara Zagora Municipality",
        "Общината разработва Стратегия за предприемачество, иновации и дигитализация с подкрепата "
        "на Инструмента за техническа подкрепа на ЕС и оценява цифровата зрялост на своите "
        "обществени услуги.",
        "The municipality is drafting a Strategy for Entrepreneurship, Innovation and "
        "Digitalisation with the EU Technical Support Instrument and assesses the digital "
        "maturity of its public services.",
        "BG",
        "BG344",
        "https://www.starazagora.bg",
    ),
    DemoOrg(
        "sofia",
        OrganisationKind.MUNICIPALITY,
        "Столична община",
        "Sofia Municipality",
        "Столицата участва в инициативата на ЕС „Предизвикателство за цифровите градове“ и "
        "изготвя стратегия за цифрова трансформация.",
        "The capital takes part in the EU Digital Cities Challenge and is preparing its digital "
        "transformation strategy.",
        "BG",
        "BG411",
        "https://www.sofia.bg",
    ),
    DemoOrg(
        "sofia-investment-agency",
        OrganisationKind.INVESTMENT_AGENCY,
        "Агенция „Инвестиции“ на Столична община",
        "Sofia Investment Agency",
        "Агенцията привлича инвеститори в София и води работата по визия и амбиция за цифровото "
        "развитие на града със заинтересованите страни.",
        "The agency attracts investors to Sofia and leads the city's vision and ambition work "
        "on digital development with its stakeholders.",
        "BG",
        "BG411",
        "https://investsofia.com",
    ),
    DemoOrg(
        "thessaloniki",
        OrganisationKind.MUNICIPALITY,
        "Община Солун",
        "Municipality of Thessaloniki",
        "Партньор за обмен на добри практики в интегрираното градско развитие и климатичната "
        "неутралност.",
        "A partner for exchanging good practices in integrated urban development and climate "
        "neutrality.",
        "GR",
        "EL522",
        "https://thessaloniki.gr",
    ),
    DemoOrg(
        "zagore",
        OrganisationKind.DIGITAL_INNOVATION_HUB,
        "Европейски цифров иновационен хъб „Загоре“",
        "European Digital Innovation Hub “Zagore”",
        "Хъбът предлага услуги във високопроизводителните изчисления, напредналите цифрови "
        "умения, киберсигурността и управлението на данни за стартиращи фирми, бизнеса и "
        "образованието, и оценява цифровата зрялост на клиентите си преди и след услугите.",
        "The hub offers services in high-performance computing, advanced digital skills, "
        "cybersecurity and data management for start-ups, businesses and education, and "
        "assesses its customers' digital maturity before and after its services.",
        "BG",
        "BG344",
        "https://edih-zagore.eu",
    ),
    DemoOrg(
        "thracian-university",
        OrganisationKind.UNIVERSITY,
        "Тракийски университет",
        "Trakia University",
        "Университетът в Стара Загора е партньор на хъба „Загоре“ в обучението по цифрови умения.",
        "The university in Stara Zagora partners the Zagore hub in digital-skills training.",
        "BG",
        "BG344",
        "https://uni-sz.bg",
    ),
    DemoOrg(
        "zagora-agrotech",
        OrganisationKind.COMPANY,
        "Загора Агротех ООД",
        "Zagora Agrotech Ltd",
        "Сензори и софтуер за прецизно земеделие в Тракийската низина.",
        "Sensors and software for precision farming in the Thracian plain.",
        "BG",
        "BG344",
        "",
        False,
    ),
    DemoOrg(
        "trakia-metal",
        OrganisationKind.COMPANY,
        "Тракия Метал АД",
        "Trakia Metal JSC",
        "Металообработване и заваръчни конструкции, 180 служители.",
        "Metalworking and welded structures, 180 employees.",
        "BG",
        "BG344",
        "",
        False,
    ),
    DemoOrg(
        "beroe-soft",
        OrganisationKind.COMPANY,
        "Берое Софт ЕООД",
        "Beroe Soft Ltd",
        "Разработка на уеб и мобилни приложения за общини и малък бизнес.",
        "Web and mobile applications for municipalities and small businesses.",
        "BG",
        "BG344",
        "",
        False,
    ),
    DemoOrg(
        "vitosha-logistics",
        OrganisationKind.COMPANY,
        "Витоша Логистик ООД",
        "Vitosha Logistics Ltd",
        "Складова логистика и доставки в София и Западна България.",
        "Warehousing and deliveries in Sofia and western Bulgaria.",
        "BG",
        "BG411",
        "",
        False,
    ),
    DemoOrg(
        "thessaloniki-foods",
        OrganisationKind.COMPANY,
        "Тесалоники Фуудс АД",
        "Thessaloniki Foods S.A.",
        "Преработка на храни и износ за Балканите.",
        "Food processing and exports across the Balkans.",
        "GR",
        "EL522",
        "",
        False,
    ),
]

# Whose demo accounts are printed (every organisation gets one user per role).
ROLES = [Role.OWNER, Role.EDITOR, Role.ANALYST, Role.VIEWER]


def demo_email(role: str, slug: str) -> str:
    return f"{role}@{slug}.demo"


@transaction.atomic
def load() -> list[str]:
    """Creates or refreshes the demo organisations and users; returns lines to print."""
    password_hash = make_password(DEMO_PASSWORD)  # hashed once, shared by every demo user
    lines = []
    for spec in DEMO_ORGANISATIONS:
        fields = {k: v for k, v in spec.__dict__.items() if k != "slug"}
        organisation, _ = Organisation.objects.update_or_create(slug=spec.slug, defaults=fields)
        for role in ROLES:
            user = _demo_user(demo_email(role, spec.slug), password_hash, role, organisation)
            Membership.objects.update_or_create(
                organisation=organisation, user=user, defaults={"role": role}
            )
    admin = _demo_user("admin@zora.demo", password_hash, "admin", None)
    if not admin.is_superuser:
        admin.is_staff = admin.is_superuser = True
        admin.save(update_fields=["is_staff", "is_superuser"])
    lines.append(f"Demo log-ins (password '{DEMO_PASSWORD}'):")
    for spec in DEMO_ORGANISATIONS:
        lines.append(
            f"  {spec.slug:24} " + ", ".join(demo_email(role, spec.slug) for role in ROLES)
        )
    lines.append("  Django admin:            admin@zora.demo")
    return lines


def _demo_user(
    email: str, password_hash: str, role: str, organisation: Organisation | None
) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        first = role.capitalize()
        last = organisation.name_en if organisation else "Zora"
        user = User(email=email, first_name=first, last_name=last[:150], password=password_hash)
        user.preferred_language = organisation.default_language if organisation else "bg"
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user
