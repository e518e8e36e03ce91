"""Reads for consultations. Public lists never include hidden or withdrawn proposals."""

import functools
from typing import Any

from django.db import router
from django.db.models import (
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)

from zora.core import rawsql
from zora.participation.models import Block, Comment, Consultation, Proposal, Support

SORTS = ("newest", "supported", "random", "commented")


def consultation_list_public() -> QuerySet[Consultation]:
    return Consultation.objects.filter(is_published=True).select_related("organisation")


def consultation_list(*, organisation: Any) -> QuerySet[Consultation]:
    return Consultation.objects.filter(organisation=organisation)


def proposal_list(
    *,
    consultation: Consultation,
    category: str = "",
    state: str = "",
    topic: str = "",
    q: str = "",
    sort: str = "newest",
    seed: int | None = None,
) -> QuerySet[Proposal]:
    qs = (
        Proposal.objects.filter(
            consultation=consultation, hidden_at__isnull=True, withdrawn_at__isnull=True
        )
        .select_related("category", "answer_state", "topic")
        .defer("body", "embedding")
    )
    if category:
        qs = qs.filter(category__code=category)
    if state == "unanswered":
        qs = qs.filter(answer_state__isnull=True)
    elif state:
        qs = qs.filter(answer_state__code=state)
    if topic.isdigit():
        qs = qs.filter(topic_id=int(topic))
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(body__icontains=q))
    if sort == "supported":
        return qs.order_by("-supports_count", "-id")
    if sort == "commented":
        return qs.order_by("-comments_count", "-id")
    if sort == "random":
        # A stable shuffle: the same seed gives the same order on every page.
        multiplier = 7919 + 2 * (seed or consultation.random_seed or 1)
        shuffled = ExpressionWrapper(F("id") * multiplier % 100003, output_field=IntegerField())
        return qs.annotate(shuffle=shuffled).order_by("shuffle", "id")
    return qs.order_by("-created_at", "-id")


# The columns a proposal card shows (with its category, answer state and topic).
CARD_FIELDS = (
    "id",
    "consultation_id",
    "title",
    "location",
    "created_at",
    "supports_count",
    "comments_count",
    "category__id",
    "category__name_bg",
    "category__name_en",
    "answer_state__id",
    "answer_state__label_bg",
    "answer_state__label_en",
    "topic__id",
    "topic__name",
)


def proposal_visible(*, proposal_id: int, full: bool = True) -> Proposal | None:
    """A proposal of a published consultation (hidden ones too: callers decide). `full=False`
    joins only the consultation and its organisation (a cheap query for supports and for the
    cache lookup of the proposal page)."""
    related = ["consultation__organisation", "consultation__page_version"]
    if full:
        related += ["category", "answer_state", "topic", "author"]
    qs = Proposal.objects.select_related(*related).defer("embedding")
    if not full:
        qs = qs.defer("body", "answer_bg", "answer_en")
    return qs.filter(pk=proposal_id, consultation__is_published=True).first()


# The columns proposal_for_support reads (its ORM query's .only() and its hand-written SQL).
SUPPORT_PROPOSAL_FIELDS = ("id", "hidden_at", "withdrawn_at", "supports_count", "consultation_id")
SUPPORT_CONSULTATION_FIELDS = (
    "id",
    "organisation_id",
    "is_published",
    "phase",
    "permissions",
    "support_limit",
)


def proposal_for_support(*, proposal_id: int, user: Any) -> Proposal | None:
    """What a support needs in one query: the proposal's state, its consultation's rules, and
    (as `blocked`) whether a moderator blocked the user in the organisation. On PostgreSQL the
    query is written by hand (the support endpoint's hot path; the same columns and rows)."""
    database = router.db_for_read(Proposal)
    if rawsql.available(database):
        return _proposal_for_support_postgresql(database, proposal_id, user.pk)
    blocked = Block.objects.filter(
        organisation_id=OuterRef("consultation__organisation_id"), user_id=user.pk
    )
    return (
        Proposal.objects.select_related("consultation")
        .only(
            "id",
            "hidden_at",
            "withdrawn_at",
            "supports_count",
            "consultation__id",
            "consultation__organisation_id",
            "consultation__is_published",
            "consultation__phase",
            "consultation__permissions",
            "consultation__support_limit",
        )
        .annotate(blocked=Exists(blocked))
        .filter(pk=proposal_id, consultation__is_published=True)
        .first()
    )


@functools.cache
def _proposal_for_support_sql(database: str) -> str:
    return (
        f"SELECT {rawsql.columns(Proposal, 'p', SUPPORT_PROPOSAL_FIELDS, database)}, "  # noqa: S608 (names from the models, values bound)
        f"{rawsql.columns(Consultation, 'c', SUPPORT_CONSULTATION_FIELDS, database)}, "
        f"EXISTS (SELECT 1 FROM {rawsql.table(Block, database)} b "
        "WHERE b.organisation_id = c.organisation_id AND b.user_id = %s) "
        f"FROM {rawsql.table(Proposal, database)} p "
        f"JOIN {rawsql.table(Consultation, database)} c ON c.id = p.consultation_id "
        "WHERE p.id = %s AND c.is_published"
    )


def _proposal_for_support_postgresql(
    database: str, proposal_id: int, user_id: Any
) -> Proposal | None:
    with rawsql.cursor(database) as cursor:
        cursor.execute(_proposal_for_support_sql(database), [user_id, proposal_id])
        row = cursor.fetchone()
    if row is None:
        return None
    n = len(SUPPORT_PROPOSAL_FIELDS)
    proposal = rawsql.instance(Proposal, database, SUPPORT_PROPOSAL_FIELDS, row[:n])
    proposal.consultation = rawsql.instance(
        Consultation, database, SUPPORT_CONSULTATION_FIELDS, row[n:-1]
    )
    proposal.blocked = row[-1]  # type: ignore[attr-defined]
    return proposal


def comment_threads(*, proposal: Proposal) -> QuerySet[Comment]:
    """Top-level comments with their visible replies (two levels), in a constant number of queries."""
    replies = (
        Comment.objects.filter(hidden_at__isnull=True)
        .select_related("author")
        .order_by("created_at")
    )
    return (
        Comment.objects.filter(proposal=proposal, parent__isnull=True, hidden_at__isnull=True)
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=replies, to_attr="visible_replies"))
        .order_by("created_at")
    )


def supported_ids(*, user: Any, proposal_ids: list[int]) -> set[int]:
    if user is None or not user.is_authenticated or not proposal_ids:
        return set()
    return set(
        Support.objects.filter(user=user, proposal_id__in=proposal_ids).values_list(
            "proposal_id", flat=True
        )
    )


def moderation_queue(*, consultation: Consultation) -> dict[str, Any]:
    return {
        "proposals": Proposal.objects.filter(consultation=consultation)
        .filter(Q(hidden_at__isnull=False) | Q(reports_count__gt=0))
        .select_related("author")
        .order_by("-reports_count", "-id")[:100],
        "comments": Comment.objects.filter(proposal__consultation=consultation)
        .filter(Q(hidden_at__isnull=False) | Q(reports_count__gt=0))
        .select_related("author", "proposal")
        .order_by("-reports_count", "-id")[:100],
    }


def evidence_for(*, organisation: Any) -> list[dict[str, Any]]:
    """Topics and the most supported proposals, for the strategy's SWOT evidence links."""
    out: list[dict[str, Any]] = []
    for consultation in Consultation.objects.filter(organisation=organisation):
        for topic in consultation.topics.all()[:20]:
            out.append(
                {"kind": "proposal_topic", "id": topic.pk, "label": topic.name, "value": topic.size}
            )
        for proposal in proposal_list(consultation=consultation, sort="supported")[:20]:
            out.append(
                {
                    "kind": "proposal",
                    "id": proposal.pk,
                    "label": proposal.title,
                    "value": proposal.supports_count,
                }
            )
    return out
