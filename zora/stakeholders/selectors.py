"""Reads for stakeholders, interviews, findings and events. Every read takes the organisation
first. Erased stakeholders are never listed or found; their findings stay, anonymised."""

from collections import Counter, defaultdict
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from zora.stakeholders.models import (
    Code,
    Event,
    Finding,
    Guide,
    Interview,
    Meeting,
    Note,
    Question,
    Registration,
    Slot,
    Stakeholder,
    Tag,
)

EXCERPT_LABEL_LENGTH = 200


def stakeholder_list(
    *,
    organisation: Any,
    q: str = "",
    type: str = "",
    tag: str = "",
    consent: str = "",
    contacts: bool = False,
) -> QuerySet[Stakeholder]:
    """Stakeholders not erased. `contacts` widens the search to e-mail and phone (only for
    callers allowed to see them)."""
    qs = (
        Stakeholder.objects.filter(organisation=organisation, erased_at__isnull=True)
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
        .order_by("name", "id")
    )
    if q:
        match = Q(name__icontains=q) | Q(affiliation__icontains=q) | Q(sector__icontains=q)
        if contacts:
            match |= Q(email__icontains=q, consent_on__isnull=False)
        qs = qs.filter(match)
    if type:
        qs = qs.filter(type=type)
    if tag:
        qs = qs.filter(tags__name=tag)
    if consent == "yes":
        qs = qs.filter(consent_on__isnull=False)
    elif consent == "no":
        qs = qs.filter(consent_on__isnull=True)
    return qs


def tag_list(*, organisation: Any) -> QuerySet[Tag]:
    return Tag.objects.filter(organisation=organisation).order_by("name")


def code_list(*, organisation: Any) -> QuerySet[Code]:
    return Code.objects.filter(organisation=organisation).annotate(findings_count=Count("findings"))


def guide_list(*, organisation: Any) -> QuerySet[Guide]:
    return Guide.objects.filter(organisation=organisation).annotate(
        questions_count=Count("questions")
    )


def guide_questions(*, guide: Guide) -> QuerySet[Question]:
    return guide.questions.order_by("position", "id")


def interview_list(
    *, organisation: Any, stakeholder: Stakeholder | None = None
) -> QuerySet[Interview]:
    qs = (
        Interview.objects.filter(organisation=organisation)
        .select_related("stakeholder", "guide", "interviewer")
        .annotate(findings_count=Count("findings", distinct=True))
        .order_by("-held_on", "-id")
    )
    if stakeholder is not None:
        qs = qs.filter(stakeholder=stakeholder)
    return qs


def interview_notes(*, interview: Interview) -> QuerySet[Note]:
    findings = Finding.objects.select_related("code").order_by("id")
    return (
        Note.objects.filter(interview=interview)
        .select_related("question")
        .prefetch_related(Prefetch("findings", queryset=findings))
        .order_by("position", "id")
    )


def finding_list(*, organisation: Any, code: Code | int | None = None) -> QuerySet[Finding]:
    qs = (
        Finding.objects.filter(organisation=organisation)
        .select_related("code", "interview__stakeholder")
        .order_by("-interview__held_on", "-id")
    )
    if code is not None:
        qs = qs.filter(code=code)
    return qs


def counts_by_type(*, organisation: Any, code: Code | int | None = None) -> dict[str, int]:
    qs = Finding.objects.filter(organisation=organisation)
    if code is not None:
        qs = qs.filter(code=code)
    rows = qs.values("interview__stakeholder__type").annotate(n=Count("id"))
    return {row["interview__stakeholder__type"]: row["n"] for row in rows}


def code_frequencies(*, organisation: Any) -> list[dict[str, Any]]:
    """Each code of the codebook with its number of findings, counts by stakeholder type and
    the most frequent suggested quadrant, most frequent first (three queries)."""
    codes = {code.pk: code for code in Code.objects.filter(organisation=organisation)}
    by_type: dict[int, dict[str, int]] = defaultdict(dict)
    totals: Counter[int] = Counter()
    for row in (
        Finding.objects.filter(organisation=organisation)
        .values("code_id", "interview__stakeholder__type")
        .annotate(n=Count("id"))
    ):
        by_type[row["code_id"]][row["interview__stakeholder__type"]] = row["n"]
        totals[row["code_id"]] += row["n"]
    quadrants: dict[int, Counter[str]] = defaultdict(Counter)
    for qrow in (
        Finding.objects.filter(organisation=organisation)
        .exclude(quadrant="")
        .values("code_id", "quadrant")
        .annotate(n=Count("id"))
    ):
        quadrants[qrow["code_id"]][qrow["quadrant"]] = qrow["n"]
    out: list[dict[str, Any]] = []
    for code_id, code in codes.items():
        counted = quadrants.get(code_id)
        quadrant = ""
        if counted:
            # The most frequent; ties go to the first in SWOT order.
            order = ["strength", "weakness", "opportunity", "threat"]
            quadrant = max(counted, key=lambda q: (counted[q], -order.index(q)))
        out.append(
            {
                "code_id": code_id,
                "code": code.name,
                "count": totals.get(code_id, 0),
                "by_type": dict(by_type.get(code_id, {})),
                "quadrant": quadrant,
            }
        )
    out.sort(key=lambda row: (-row["count"], row["code"].lower()))
    return out


def evidence_for(*, organisation: Any) -> list[dict[str, Any]]:
    """Coded findings and codes for the strategy's SWOT evidence links. Findings of erased
    stakeholders are included, with no name."""
    out: list[dict[str, Any]] = []
    for finding in (
        Finding.objects.filter(organisation=organisation)
        .select_related("code", "interview__stakeholder")
        .order_by("code_id", "-interview__held_on", "-id")
    ):
        stakeholder = finding.interview.stakeholder
        out.append(
            {
                "kind": "finding",
                "id": finding.pk,
                "label": finding.excerpt[:EXCERPT_LABEL_LENGTH],
                "value": None,
                "code": finding.code.name,
                "code_id": finding.code_id,
                "quadrant": finding.quadrant,
                "date": finding.interview.held_on.isoformat(),
                "stakeholder_type": stakeholder.type,
            }
        )
    for row in code_frequencies(organisation=organisation):
        out.append(
            {
                "kind": "finding_code",
                "id": row["code_id"],
                "label": row["code"],
                "value": row["count"],
                "by_type": row["by_type"],
                "quadrant": row["quadrant"],
            }
        )
    return out


def event_list(*, organisation: Any, strategy_step: str | None = None) -> QuerySet[Event]:
    qs = (
        Event.objects.filter(organisation=organisation)
        .annotate(
            registered_count=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.REGISTERED)
            )
        )
        .order_by("-starts_at", "-id")
    )
    if strategy_step is not None:
        qs = qs.filter(strategy_step=strategy_step)
    return qs


def event_list_public(*, organisation: Any | None = None) -> QuerySet[Event]:
    qs = Event.objects.filter(is_public=True).select_related("organisation")
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs.order_by("-starts_at", "-id")


def registration_list(*, event: Event, status: str = "") -> QuerySet[Registration]:
    qs = event.registrations.select_related("user", "stakeholder").order_by("created_at", "id")
    if status:
        qs = qs.filter(status=status)
    return qs


def registered_count(*, event: Event) -> int:
    return event.registrations.filter(status=Registration.Status.REGISTERED).count()


def slot_list(*, event: Event) -> QuerySet[Slot]:
    return (
        Slot.objects.filter(event=event)
        .select_related("meeting__first", "meeting__second")
        .order_by("starts_at", "table", "id")
    )


def meetings_of(*, registration: Registration) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(Q(first=registration) | Q(second=registration))
        .select_related("slot", "first", "second")
        .order_by("starts_at")
    )


def free_slots(*, event: Event) -> QuerySet[Slot]:
    return Slot.objects.filter(event=event, meeting__isnull=True).order_by("starts_at", "table")
