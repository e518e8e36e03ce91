"""Demo consultation (`zora demo`): Stara Zagora's consultation for its strategy for
entrepreneurship, innovation and digitalisation, in its support phase, with ~300 proposals in
Bulgarian and English, supports, comments and answers, and 50 citizens
citizen01@stara-zagora.demo … citizen50@stara-zagora.demo (password zora-demo).
Idempotent: an existing demo consultation is left as it is."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from zora.accounts.models import User
from zora.organisations.models import Organisation
from zora.participation.models import (
    AnswerState,
    Category,
    Comment,
    Consultation,
    Phase,
    Proposal,
    Support,
)

DATA = Path(__file__).resolve().parent / "data" / "demo_stara_zagora.yaml"
CITIZEN_NAMES = [
    "Мария",
    "Иван",
    "Елена",
    "Георги",
    "Десислава",
    "Николай",
    "Петя",
    "Димитър",
    "Ани",
    "Стоян",
    "Радостина",
    "Христо",
    "Гергана",
    "Кирил",
    "Виктория",
    "Тодор",
    "Силвия",
    "Атанас",
    "Йоана",
    "Васил",
    "Надежда",
    "Пламен",
    "Ралица",
    "Емил",
    "Калина",
    "Борис",
    "Теодора",
    "Светослав",
    "Милена",
    "Валентин",
    "Лора",
    "Стефан",
    "Цветелина",
    "Момчил",
    "Златина",
    "Александър",
    "Нели",
    "Симеон",
    "Яна",
    "Красимир",
    "Anna",
    "Thomas",
    "Sofia",
    "Lukas",
    "Emma",
    "Nikos",
    "Elif",
    "James",
    "Clara",
    "Marco",
]


def citizens(password_hash: str) -> list[User]:
    out = []
    for n in range(1, 51):
        email = f"citizen{n:02d}@stara-zagora.demo"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create(
                email=email,
                first_name=CITIZEN_NAMES[n - 1],
                password=password_hash,
                preferred_language="bg" if n <= 40 else "en",
            )
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        out.append(user)
    return out


@transaction.atomic
def load() -> list[str]:
    organisation = Organisation.objects.get(slug="stara-zagora")
    if Consultation.objects.filter(organisation=organisation).exists() or not DATA.exists():
        return []
    data: dict[str, Any] = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    people = citizens(make_password("zora-demo"))
    info = data["consultation"]
    consultation = Consultation.objects.create(
        organisation=organisation,
        title_bg=info["title"]["bg"],
        title_en=info["title"]["en"],
        description_bg=info["description"]["bg"],
        description_en=info["description"]["en"],
        phase=Phase.SUPPORT,
        support_threshold=50,
        support_limit=10,
        random_seed=7,
    )
    categories = {
        c["code"]: Category.objects.create(
            consultation=consultation,
            code=c["code"],
            name_bg=c["name"]["bg"],
            name_en=c["name"]["en"],
        )
        for c in data["categories"]
    }
    states = {
        s["code"]: AnswerState.objects.create(
            consultation=consultation,
            code=s["code"],
            label_bg=s["label"]["bg"],
            label_en=s["label"]["en"],
            colour=s.get("colour", "#e8eef5"),
        )
        for s in data["answer_states"]
    }
    now = timezone.now()
    moderator = User.objects.filter(email="editor@stara-zagora.demo").first()
    proposals: list[Proposal] = []
    for i, item in enumerate(data["proposals"]):
        answer = item.get("answer") or {}
        hidden = item.get("hidden_reason")
        proposals.append(
            Proposal(
                consultation=consultation,
                author=people[(int(item.get("author", 1)) - 1) % 50],
                title=str(item["title"])[:200],
                body=str(item.get("body", "")),
                language=item.get("lang", "bg"),
                category=categories.get(item.get("category")),
                location=str(item.get("location") or "")[:200],
                created_at=now - timedelta(days=60 - i // 6, minutes=i * 7),
                hidden_at=now if hidden else None,
                hidden_reason=hidden or "",
                answer_state=states.get(answer.get("state")) if answer else None,
                answer_bg=(answer.get("text") or {}).get("bg", "") if answer else "",
                answer_en=(answer.get("text") or {}).get("en", "") if answer else "",
                answer_cost=answer.get("cost") if answer else None,
                answered_at=now - timedelta(days=3) if answer else None,
                answered_by=moderator if answer else None,
            )
        )
    Proposal.objects.bulk_create(proposals)
    supports = []
    for proposal, item in zip(proposals, data["proposals"], strict=True):
        wanted = min(
            int(item.get("supports", 0)), 50
        )  # 50 demo citizens: at most 50 distinct supporters
        for k in range(wanted):
            supports.append(
                Support(
                    proposal=proposal,
                    user=people[(proposal.pk + k) % 50],
                    consultation=consultation,
                )
            )
    Support.objects.bulk_create(supports, ignore_conflicts=True)
    comment_count = 0
    for item in data.get("comments", []):
        proposal = proposals[int(item["proposal"]) % len(proposals)]
        parent = Comment.objects.create(
            proposal=proposal,
            author=people[(int(item.get("author", 1)) - 1) % 50],
            body=str(item["text"]),
            agree_count=int(item.get("agree", 0)),
            disagree_count=int(item.get("disagree", 0)),
        )
        comment_count += 1
        for reply in item.get("replies") or []:
            Comment.objects.create(
                proposal=proposal,
                parent=parent,
                body=str(reply["text"]),
                author=people[(int(reply.get("author", 1)) - 1) % 50],
            )
            comment_count += 1
    from django.db.models import Count

    for proposal in Proposal.objects.filter(consultation=consultation).annotate(
        s=Count("supports", distinct=True), c=Count("comments", distinct=True)
    ):
        Proposal.objects.filter(pk=proposal.pk).update(
            supports_count=proposal.s, comments_count=proposal.c
        )
    from zora.participation.services import topics_rebuild

    topics = len(topics_rebuild(consultation=consultation))
    return [
        f"Consultation: {len(proposals)} proposals, {len(supports)} supports, {comment_count} comments, "
        f"{topics} topics; citizens citizen01…citizen50@stara-zagora.demo."
    ]
