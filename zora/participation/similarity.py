"""Similar proposals (the duplicate hint, moderators' suspected duplicates) and the topics job.

The similarity index of a consultation is built from its visible proposals and kept per process
until a proposal is added, edited or hidden (the key includes the count and the latest change).
"""

from typing import Any

import numpy as np
from django.db.models import Count, Max
from django.urls import reverse
from django.utils.translation import gettext as _

from zora.participation.models import Consultation, Proposal

_indexes: dict[int, tuple[tuple[Any, ...], Any]] = {}


def _visible(consultation: Consultation):  # type: ignore[no-untyped-def]
    return Proposal.objects.filter(
        consultation=consultation, hidden_at__isnull=True, withdrawn_at__isnull=True
    )


def vectors_for(proposals: list[Proposal]) -> np.ndarray:
    """The proposals' embeddings, computing and storing the missing ones in one batch."""
    from zora.participation.clustering import embed

    missing = [p for p in proposals if not p.embedding]
    if missing:
        fresh = embed([p.text for p in missing]).astype(np.float16)
        for proposal, row in zip(missing, fresh, strict=True):
            proposal.embedding = row.tobytes()
        Proposal.objects.bulk_update(missing, ["embedding"], batch_size=500)
    if not proposals:
        return np.zeros((0, 0), dtype=np.float32)
    rows = [np.frombuffer(bytes(p.embedding), dtype=np.float16) for p in proposals]  # type: ignore[arg-type]
    return np.vstack(rows).astype(np.float32)


def index_for(consultation: Consultation) -> Any:
    from zora.participation.clustering import SimilarityIndex

    state = _visible(consultation).aggregate(n=Count("id"), last=Max("id"), edited=Max("edited_at"))
    key = (state["n"], state["last"], state["edited"])
    cached = _indexes.get(consultation.pk)
    if cached is None or cached[0] != key:
        rows = list(_visible(consultation).order_by("id").only("id", "title", "body", "embedding"))
        index = None
        if rows:
            index = SimilarityIndex(
                [p.pk for p in rows], [p.text for p in rows], vectors=vectors_for(rows)
            )
        _indexes[consultation.pk] = (key, index)
    return _indexes[consultation.pk][1]


def similar_proposals(
    *, consultation: Consultation, text: str, top: int = 5, min_score: float = 0.25
) -> list[tuple[Proposal, float]]:
    index = index_for(consultation)
    if index is None:
        return []
    hits = index.query(text, top=top, min_score=min_score)
    found = {p.pk: p for p in Proposal.objects.filter(pk__in=[pk for pk, _s in hits])}
    return [(found[pk], score) for pk, score in hits if pk in found]


def duplicate_pairs(
    *, consultation: Consultation, threshold: float = 0.6, limit: int = 30
) -> list[tuple[Proposal, Proposal, float]]:
    index = index_for(consultation)
    if index is None:
        return []
    pairs = sorted(index.duplicate_pairs(threshold), key=lambda p: -p[2])[:limit]
    ids = {i for a, b, _s in pairs for i in (a, b)}
    found = {p.pk: p for p in Proposal.objects.filter(pk__in=ids)}
    return [(found[a], found[b], s) for a, b, s in pairs if a in found and b in found]


def run_topics_job(job: Any, progress: Any) -> dict[str, Any]:
    from zora.participation.services import topics_rebuild

    consultation = Consultation.objects.get(
        pk=job.params["consultation"], organisation=job.organisation
    )
    topics = topics_rebuild(consultation=consultation, progress=progress)
    url = reverse("topics", args=[consultation.organisation.slug, consultation.pk])
    return {"summary": _("%(n)s topics found.") % {"n": len(topics)}, "url": url}
