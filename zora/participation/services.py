"""Writes for consultations (`check_*` validates, the rest act).

Who may do what is decided by `check_can(consultation, action, user)`: the consultation's phase
says who may create, support and comment (nobody, anyone with an account, anyone with a
verified e-mail, members of the organisation); blocked users may do nothing.
"""

import functools
from contextlib import nullcontext
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError  # noqa: F401 (re-exported)
from django.db import IntegrityError, connections, router, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zora.core import rawsql
from zora.core.notifications import notify
from zora.participation.caching import touch
from zora.participation.models import (
    ACTION_LABELS,
    ACTIONS,
    Access,
    AnswerState,
    Block,
    Category,
    Comment,
    CommentVote,
    Consultation,
    Follow,
    ModerationAction,
    PageVersion,
    Phase,
    Proposal,
    Report,
    Support,
    Topic,
)

MAX_TITLE, MAX_BODY, MAX_COMMENT = 200, 5000, 3000


class NotAllowed(PermissionDenied):
    """The action is not open to this user now; the message says why."""


class AlreadySupported(Exception):
    pass


def _verified(user: Any) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, verified=True).exists()


def check_can(
    consultation: Consultation, action: str, user: Any, facts: dict[str, bool] | None = None
) -> None:
    """Raises NotAllowed with the reason. `facts` (a dict the caller keeps for one request)
    remembers whether the user is blocked or verified across several checks."""
    facts = {} if facts is None else facts
    if not consultation.is_published:
        raise NotAllowed(_("This consultation is not published."))
    access = consultation.access(action)
    if access == Access.NOBODY:
        messages = {
            "create": _("New proposals are not accepted in this phase."),
            "support": _("Proposals cannot be supported in this phase."),
            "comment": _("Comments are closed in this phase."),
        }
        raise NotAllowed(messages.get(action, _("Not allowed in this phase.")))
    if user is None or not user.is_authenticated:
        raise NotAllowed(_("Log in to take part."))
    if "blocked" not in facts:
        facts["blocked"] = Block.objects.filter(
            organisation_id=consultation.organisation_id, user=user
        ).exists()
    if facts["blocked"]:
        raise NotAllowed(
            _("A moderator has blocked your account in this organisation's consultations.")
        )
    if access == Access.VERIFIED and "verified" not in facts:
        facts["verified"] = _verified(user)
    if access == Access.VERIFIED and not facts["verified"]:
        raise NotAllowed(_("Confirm your e-mail address first."))
    if access == Access.MEMBERS:
        from zora.organisations.permissions import role_of

        if role_of(user, consultation.organisation) is None:
            raise NotAllowed(_("Only members of the organisation may do this."))


def _clean_text(text: str, limit: int, field: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: _("This field cannot be empty.")})
    if len(text) > limit:
        raise ValidationError({field: _("At most %(n)s characters, please.") % {"n": limit}})
    return text


def _clean_location(consultation: Consultation, location: str) -> str:
    """A free-text place, or one of the consultation's places when it lists them."""
    location = (location or "").strip()[:200]
    if location and consultation.locations and location not in consultation.locations:
        raise ValidationError({"location": _("Choose one of the consultation's places.")})
    return location


@transaction.atomic
def proposal_create(
    *,
    consultation: Consultation,
    author: Any,
    title: str,
    body: str,
    category: Any = None,
    location: str = "",
    language: str = "bg",
    image: Any = None,
) -> Proposal:
    check_can(consultation, "create", author)
    title = _clean_text(title, MAX_TITLE, "title")
    body = _clean_text(body, MAX_BODY, "body")
    if category is not None and category.consultation_id != consultation.pk:
        raise ValidationError({"category": _("Choose one of this consultation's categories.")})
    proposal = Proposal(
        consultation=consultation,
        author=author,
        title=title,
        body=body,
        category=category,
        location=_clean_location(consultation, location),
        language=language if language in ("bg", "en") else "bg",
    )
    if image:
        proposal.image = image
    proposal.embedding = _embedding(proposal.text)
    proposal.save()
    Follow.objects.get_or_create(proposal=proposal, user=author)
    touch(consultation.pk)
    return proposal


def _embedding(text: str) -> bytes:
    """Embedded once, when written (about 20 ms), so topics and duplicate hints are fast."""
    import numpy as np

    from zora.participation.clustering import embed

    return embed([text])[0].astype(np.float16).tobytes()


def check_can_edit(proposal: Proposal, user: Any) -> None:
    if user is None or proposal.author_id != getattr(user, "pk", None):
        raise NotAllowed(_("Only the author may change a proposal."))
    if proposal.withdrawn_at is not None:
        raise NotAllowed(_("This proposal was withdrawn."))
    window = timedelta(minutes=proposal.consultation.edit_minutes)
    if timezone.now() - proposal.created_at > window:
        raise NotAllowed(
            _("Proposals can be edited for %(n)s minutes after they are sent.")
            % {"n": proposal.consultation.edit_minutes}
        )


@transaction.atomic
def proposal_edit(
    *,
    proposal: Proposal,
    user: Any,
    title: str,
    body: str,
    category: Any = None,
    location: str = "",
) -> Proposal:
    check_can_edit(proposal, user)
    proposal.title = _clean_text(title, MAX_TITLE, "title")
    proposal.body = _clean_text(body, MAX_BODY, "body")
    proposal.category = category
    location = location.strip()[:200]
    if location != proposal.location:
        location = _clean_location(proposal.consultation, location)
    proposal.location = location
    proposal.edited_at = timezone.now()
    proposal.embedding = _embedding(proposal.text)
    proposal.save()
    touch(proposal.consultation_id)
    return proposal


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, user: Any) -> Proposal:
    if proposal.author_id != getattr(user, "pk", None):
        raise NotAllowed(_("Only the author may withdraw a proposal."))
    if proposal.withdrawn_at is None:
        proposal.withdrawn_at = timezone.now()
        proposal.save(update_fields=["withdrawn_at"])
        touch(proposal.consultation_id)
    return proposal


# --- Supports: exact counts under concurrent clicks -----------------------------------------


def support_add(*, proposal: Proposal, user: Any, facts: dict[str, bool] | None = None) -> Support:
    """One support per person per proposal (a database constraint); the count is updated in the
    same transaction with an SQL increment, so concurrent supports are all counted. The writes:
    one INSERT of the support, one UPDATE of the count and one of the consultation's content
    version; afterwards `proposal.supports_count` holds the new count. (Supporters hear of the
    official answer; comments only if they follow.)

    On PostgreSQL, without a per-person limit, the three writes are one statement (see
    `_support_add_postgresql`); with a limit, and on SQLite, the ORM writes them in a transaction
    that first locks the user's row."""
    consultation = proposal.consultation
    check_can(consultation, "support", user, facts)
    if proposal.hidden_at is not None or proposal.withdrawn_at is not None:
        raise NotAllowed(_("This proposal cannot be supported."))
    database = router.db_for_write(Support)
    if not consultation.support_limit and rawsql.available(database):
        return _support_add_postgresql(database, proposal, user)
    try:
        with transaction.atomic(using=database):
            if consultation.support_limit:
                # Lock the user's row so two parallel requests cannot both pass the limit.
                type(user).objects.select_for_update().filter(pk=user.pk).first()
                used = Support.objects.filter(consultation=consultation, user=user).count()
                if used >= consultation.support_limit:
                    raise NotAllowed(
                        _(
                            "You have used all %(n)s of your supports in this consultation. Withdraw one to support "
                            "another proposal."
                        )
                        % {"n": consultation.support_limit}
                    )
            support = Support.objects.create(
                proposal=proposal, user=user, consultation=consultation
            )
            Proposal.objects.filter(pk=proposal.pk).update(supports_count=F("supports_count") + 1)
            touch(consultation.pk)  # last: the consultation's row is locked until the commit
            proposal.refresh_from_db(fields=["supports_count"])
    except IntegrityError as error:
        raise AlreadySupported(_("You already support this proposal.")) from error
    return support


@functools.cache
def _support_add_sql(database: str) -> str:
    """INSERT … ON CONFLICT DO NOTHING (a repeated support inserts nothing, and then nothing
    else happens), the count's increment, the page version's: each step reads the previous
    one's result, so the rows are locked in the ORM path's order (proposal, then version)."""
    return (
        f"WITH added AS (INSERT INTO {rawsql.table(Support, database)} "  # noqa: S608 (names from the models, values bound)
        "(proposal_id, user_id, consultation_id, created_at) VALUES (%s, %s, %s, %s) "
        "ON CONFLICT (proposal_id, user_id) DO NOTHING RETURNING id), "
        f"counted AS (UPDATE {rawsql.table(Proposal, database)} "
        "SET supports_count = supports_count + 1 "
        "WHERE id = %s AND EXISTS (SELECT 1 FROM added) RETURNING supports_count), "
        f"versioned AS (UPDATE {rawsql.table(PageVersion, database)} SET number = number + 1 "
        "WHERE consultation_id = %s AND EXISTS (SELECT 1 FROM counted)) "
        "SELECT (SELECT id FROM added), (SELECT supports_count FROM counted)"
    )


def _support_add_postgresql(database: str, proposal: Proposal, user: Any) -> Support:
    """The support's three writes in one statement, hence one round trip and, outside a
    transaction, one commit: the unique constraint keeps one support per person and the
    increment (re-evaluated on the latest row when another support updated it meanwhile)
    keeps the count exact, as in the ORM path."""
    support = Support(
        proposal=proposal,
        user=user,
        consultation_id=proposal.consultation_id,
        created_at=timezone.now(),
    )
    params = [
        proposal.pk,
        user.pk,
        proposal.consultation_id,
        support.created_at,
        proposal.pk,
        proposal.consultation_id,
    ]
    try:
        support.pk, count = _one_statement(database, _support_add_sql(database), params)
    except IntegrityError as error:
        raise AlreadySupported(_("You already support this proposal.")) from error
    if support.pk is None:
        raise AlreadySupported(_("You already support this proposal."))
    support._state.adding, support._state.db = False, database
    proposal.supports_count = count
    return support


def support_remove(*, proposal: Proposal, user: Any, facts: dict[str, bool] | None = None) -> bool:
    """Withdraws the user's support, if any; afterwards `proposal.supports_count` holds the new
    count. On PostgreSQL one statement, as for `support_add`."""
    check_can(proposal.consultation, "support", user, facts)
    database = router.db_for_write(Support)
    if rawsql.available(database):
        return _support_remove_postgresql(database, proposal, user)
    with transaction.atomic(using=database):
        deleted, _rows = Support.objects.filter(proposal=proposal, user=user).delete()
        if deleted:
            Proposal.objects.filter(pk=proposal.pk).update(supports_count=F("supports_count") - 1)
            touch(proposal.consultation_id)
            proposal.refresh_from_db(fields=["supports_count"])
    return bool(deleted)


@functools.cache
def _support_remove_sql(database: str) -> str:
    return (
        f"WITH removed AS (DELETE FROM {rawsql.table(Support, database)} "  # noqa: S608 (names from the models, values bound)
        "WHERE proposal_id = %s AND user_id = %s RETURNING id), "
        f"counted AS (UPDATE {rawsql.table(Proposal, database)} "
        "SET supports_count = supports_count - 1 "
        "WHERE id = %s AND EXISTS (SELECT 1 FROM removed) RETURNING supports_count), "
        f"versioned AS (UPDATE {rawsql.table(PageVersion, database)} SET number = number + 1 "
        "WHERE consultation_id = %s AND EXISTS (SELECT 1 FROM counted)) "
        "SELECT (SELECT supports_count FROM counted)"
    )


def _support_remove_postgresql(database: str, proposal: Proposal, user: Any) -> bool:
    params = [proposal.pk, user.pk, proposal.pk, proposal.consultation_id]
    (count,) = _one_statement(database, _support_remove_sql(database), params)
    if count is None:
        return False
    proposal.supports_count = count
    return True


def _one_statement(database: str, sql: str, params: list[Any]) -> Any:
    """The row of a writing statement. Outside a transaction the statement is its own (no
    BEGIN and COMMIT round trips); inside a caller's, it runs in a savepoint, as the ORM path's
    atomic block would, so that a failure leaves the caller's transaction usable."""
    in_transaction = connections[database].in_atomic_block
    savepoint = transaction.atomic(using=database) if in_transaction else nullcontext()
    with savepoint, rawsql.cursor(database) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


# --- Comments ---------------------------------------------------------------------------------


@transaction.atomic
def comment_create(
    *, proposal: Proposal, author: Any, body: str, parent: Comment | None = None
) -> Comment:
    check_can(proposal.consultation, "comment", author)
    if proposal.hidden_at is not None:
        raise NotAllowed(_("This proposal is hidden."))
    body = _clean_text(body, MAX_COMMENT, "body")
    if parent is not None:
        if parent.proposal_id != proposal.pk:
            raise ValidationError({"parent": _("Reply to a comment of this proposal.")})
        if parent.parent_id is not None:
            parent = parent.parent  # two levels: a reply to a reply joins the same thread
    comment = Comment.objects.create(proposal=proposal, author=author, body=body, parent=parent)
    Proposal.objects.filter(pk=proposal.pk).update(comments_count=F("comments_count") + 1)
    touch(proposal.consultation_id)
    url = reverse("proposal_detail", args=[proposal.pk])
    for follow in (
        Follow.objects.filter(proposal=proposal).exclude(user=author).select_related("user")
    ):
        notify(
            follow.user,
            lambda: (_("New comment on “%(title)s”") % {"title": proposal.title}, body[:500]),
            url=url,
        )
    return comment


@transaction.atomic
def comment_vote(*, comment: Comment, user: Any, value: int) -> Comment:
    check_can(comment.proposal.consultation, "comment", user)
    if value not in (1, -1):
        raise ValidationError(_("Vote agree (+1) or disagree (-1)."))
    existing = CommentVote.objects.select_for_update().filter(comment=comment, user=user).first()
    if existing is not None:
        if existing.value == value:
            return comment
        field_old = "agree_count" if existing.value > 0 else "disagree_count"
        Comment.objects.filter(pk=comment.pk).update(**{field_old: F(field_old) - 1})
        existing.value = value
        existing.save(update_fields=["value"])
    else:
        CommentVote.objects.create(comment=comment, user=user, value=value)
    field = "agree_count" if value > 0 else "disagree_count"
    Comment.objects.filter(pk=comment.pk).update(**{field: F(field) + 1})
    touch(comment.proposal.consultation_id)
    comment.refresh_from_db()
    return comment


def follow_toggle(*, proposal: Proposal, user: Any) -> bool:
    follow, created = Follow.objects.get_or_create(proposal=proposal, user=user)
    if not created:
        follow.delete()
    return created


# --- Moderation -------------------------------------------------------------------------------


@transaction.atomic
def report_content(
    *, reporter: Any, reason: str, proposal: Proposal | None = None, comment: Comment | None = None
) -> Report:
    """A report; the Nth one (consultation setting, default 3) hides the content until a
    moderator decides. Hidden content stays stored."""
    if reporter is None or not reporter.is_authenticated:
        raise NotAllowed(_("Log in to report content."))
    reason = _clean_text(reason, 300, "reason")
    target = proposal if proposal is not None else comment
    if target is None:
        raise ValidationError(_("Report a proposal or a comment."))
    consultation = proposal.consultation if proposal is not None else comment.proposal.consultation  # type: ignore[union-attr]
    try:
        with transaction.atomic():
            report = Report.objects.create(
                reporter=reporter, reason=reason, proposal=proposal, comment=comment
            )
    except IntegrityError as error:
        raise ValidationError(_("You have already reported this.")) from error
    model = Proposal if proposal is not None else Comment
    model.objects.filter(pk=target.pk).update(reports_count=F("reports_count") + 1)
    target.refresh_from_db()
    if target.hidden_at is None and target.reports_count >= consultation.auto_hide_reports:
        model.objects.filter(pk=target.pk).update(hidden_at=timezone.now(), hidden_reason="reports")
        ModerationAction.objects.create(
            consultation=consultation,
            action="auto_hide",
            proposal=proposal,
            comment=comment,
            note=_("Hidden after %(n)s reports") % {"n": target.reports_count},
        )
        touch(consultation.pk)
    return report


@transaction.atomic
def moderate(
    *,
    consultation: Consultation,
    moderator: Any,
    action: str,
    proposal: Proposal | None = None,
    comment: Comment | None = None,
    note: str = "",
) -> ModerationAction:
    target = proposal if proposal is not None else comment
    if action == "hide" and target is not None:
        type(target).objects.filter(pk=target.pk).update(
            hidden_at=timezone.now(), hidden_reason=note[:200] or "moderator"
        )
    elif action == "unhide" and target is not None:
        type(target).objects.filter(pk=target.pk).update(
            hidden_at=None, hidden_reason="", reports_count=0
        )
    elif action == "block":
        author = target.author if target is not None else None
        if author is None:
            raise ValidationError(_("Nobody to block."))
        Block.objects.get_or_create(
            organisation=consultation.organisation, user=author, defaults={"reason": note[:300]}
        )
        return ModerationAction.objects.create(
            consultation=consultation,
            moderator=moderator,
            action=action,
            proposal=proposal,
            comment=comment,
            user=author,
            note=note[:300],
        )
    else:
        raise ValidationError(_("Unknown moderation action."))
    touch(consultation.pk)
    return ModerationAction.objects.create(
        consultation=consultation,
        moderator=moderator,
        action=action,
        proposal=proposal,
        comment=comment,
        note=note[:300],
    )


@transaction.atomic
def answer_proposal(
    *,
    proposal: Proposal,
    moderator: Any,
    state: Any,
    text_bg: str = "",
    text_en: str = "",
    cost: Any = None,
) -> Proposal:
    """The organisation's official answer; the author and the supporters are notified."""
    if state is None or state.consultation_id != proposal.consultation_id:
        raise ValidationError({"state": _("Choose one of this consultation's answer states.")})
    if not (text_bg.strip() or text_en.strip()):
        raise ValidationError({"text_bg": _("Write the answer in Bulgarian or English.")})
    proposal.answer_state = state
    proposal.answer_bg, proposal.answer_en = text_bg.strip(), text_en.strip()
    proposal.answer_cost = cost
    proposal.answered_at = timezone.now()
    proposal.answered_by = moderator
    proposal.save()
    ModerationAction.objects.create(
        consultation=proposal.consultation,
        moderator=moderator,
        action="answer",
        proposal=proposal,
        note=state.code,
    )
    touch(proposal.consultation_id)
    url = reverse("proposal_detail", args=[proposal.pk])
    users = {s.user for s in Support.objects.filter(proposal=proposal).select_related("user")}
    if proposal.author is not None:
        users.add(proposal.author)
    for user in users:
        notify(
            user,
            lambda: (
                _("Official answer to “%(title)s”: %(state)s")
                % {"title": proposal.title, "state": state.label},
                proposal.answer,
            ),
            url=url,
        )
    return proposal


# --- Topics -----------------------------------------------------------------------------------


@transaction.atomic
def topics_rebuild(
    *, consultation: Consultation, k: int | None = None, progress: Any = None
) -> list[Topic]:
    """Groups the consultation's visible proposals into topics by meaning (bg and en together)."""
    from zora.participation.clustering import cluster
    from zora.participation.similarity import vectors_for

    proposals = list(
        Proposal.objects.filter(
            consultation=consultation, hidden_at__isnull=True, withdrawn_at__isnull=True
        )
        .only("pk", "title", "body", "embedding")
        .order_by("pk")
    )
    if progress:
        progress(0.1, _("Reading %(n)s proposals") % {"n": len(proposals)})
    Proposal.objects.filter(consultation=consultation).update(topic=None)
    Topic.objects.filter(consultation=consultation).delete()
    if len(proposals) < 4:
        touch(consultation.pk)
        return []
    vectors = vectors_for(proposals)  # stored when the proposals were written; missing ones now
    if progress:
        progress(0.6, _("Grouping"))
    result = cluster([p.text for p in proposals], k=k, vectors=vectors)
    if progress:
        progress(0.8, _("Saving the topics"))
    topics: dict[int, Topic] = {}
    for label in sorted(set(result.labels)):
        words = result.keywords.get(label, [])
        topics[label] = Topic.objects.create(
            consultation=consultation,
            name=", ".join(words[:3]) or f"#{label + 1}",
            keywords=words,
            size=result.labels.count(label),
        )
    by_topic: dict[int, list[int]] = {}
    for proposal, label in zip(proposals, result.labels, strict=True):
        by_topic.setdefault(label, []).append(proposal.pk)
    for label, ids in by_topic.items():
        Proposal.objects.filter(pk__in=ids).update(topic=topics[label])
    touch(consultation.pk)
    return list(topics.values())


@transaction.atomic
def topic_rename(*, topic: Topic, name: str, moderator: Any) -> Topic:
    topic.name = _clean_text(name, 200, "name")
    topic.save(update_fields=["name"])
    touch(topic.consultation_id)
    ModerationAction.objects.create(
        consultation=topic.consultation, moderator=moderator, action="rename_topic", note=topic.name
    )
    return topic


@transaction.atomic
def topics_merge(*, into: Topic, others: list[Topic], moderator: Any) -> Topic:
    for other in others:
        if other.pk == into.pk or other.consultation_id != into.consultation_id:
            continue
        Proposal.objects.filter(topic=other).update(topic=into)
        into.keywords = list(dict.fromkeys(into.keywords + other.keywords))[:10]
        other.delete()
    into.size = Proposal.objects.filter(topic=into).count()
    into.save()
    touch(into.consultation_id)
    ModerationAction.objects.create(
        consultation=into.consultation, moderator=moderator, action="merge_topics", note=into.name
    )
    return into


@transaction.atomic
def phase_set(*, consultation: Consultation, phase: str) -> Consultation:
    if phase not in Phase.values:
        raise ValidationError(_("Unknown phase."))
    consultation.phase = phase
    consultation.save(update_fields=["phase"])  # the save renews the cached pages
    return consultation


# --- Settings of a consultation (editors) -----------------------------------------------------

SETTINGS_FIELDS = (
    "title_bg",
    "title_en",
    "description_bg",
    "description_en",
    "phase",
    "is_published",
    "support_threshold",
    "support_limit",
    "edit_minutes",
    "auto_hide_reports",
)
MAX_LOCATIONS = 200


def clean_permissions(raw: Any) -> dict[str, dict[str, str]]:
    """Who may create, support and comment in every phase: one of `Access` per cell."""
    if not isinstance(raw, dict):
        raise ValidationError({"permissions": _("Say who may take part in each phase.")})
    out: dict[str, dict[str, str]] = {}
    for phase in Phase:
        rules = raw.get(phase.value)
        out[phase.value] = {}
        for action in ACTIONS:
            value = rules.get(action) if isinstance(rules, dict) else None
            if value not in Access.values:
                raise ValidationError(
                    {
                        "permissions": _("Choose who may do “%(action)s” in the phase “%(phase)s”.")
                        % {"action": ACTION_LABELS[action], "phase": phase.label}
                    }
                )
            out[phase.value][action] = str(value)
    return out


def clean_locations(lines: list[str]) -> list[str]:
    places = list(dict.fromkeys(line.strip() for line in lines if line.strip()))
    if len(places) > MAX_LOCATIONS:
        raise ValidationError(
            {"locations": _("At most %(n)s places, please.") % {"n": MAX_LOCATIONS}}
        )
    for place in places:
        if len(place) > 200:
            raise ValidationError(
                {
                    "locations": _("A place's name has at most 200 characters: %(name)s")
                    % {"name": place[:40]}
                }
            )
    return places


def _code(raw: str, *names: str, taken: set[str], fallback: str) -> str:
    from django.utils.text import slugify

    code = (raw or "").strip() or next((slugify(n) for n in names if slugify(n)), "")
    if not code:
        n = 1
        while f"{fallback}-{n}" in taken:
            n += 1
        code = f"{fallback}-{n}"
    if slugify(code) != code or len(code) > 60:
        raise ValidationError(
            _("A code has only Latin letters, digits and hyphens, at most 60: %(code)s")
            % {"code": code[:60]}
        )
    return code


def _save_parts(
    *,
    consultation: Consultation,
    model: Any,
    rows: list[dict[str, Any]],
    names: tuple[str, str],
    fallback: str,
    extra: tuple[str, ...] = (),
) -> None:
    """Creates, changes and deletes a consultation's categories or answer states."""
    existing = {obj.pk: obj for obj in model.objects.filter(consultation=consultation)}
    keep: dict[int, Any] = dict(existing)
    new: list[Any] = []
    for row in rows:
        obj = existing.get(row["id"]) if row.get("id") else None
        if row.get("id") and obj is None:
            raise ValidationError(_("This item does not belong to the consultation."))
        if row.get("delete"):
            if obj is not None:
                keep.pop(obj.pk)
            continue
        first, second = (row.get(names[0]) or "").strip(), (row.get(names[1]) or "").strip()
        if not first and not second:
            if obj is not None:
                raise ValidationError(_("Give every item a name, or mark it for deletion."))
            continue
        target = obj if obj is not None else model(consultation=consultation)
        setattr(target, names[0], (first or second)[:200])
        setattr(target, names[1], (second or first)[:200])
        for field in extra:
            setattr(target, field, row[field])
        target.code = (row.get("code") or "").strip()
        if obj is None:
            new.append(target)
    items = list(keep.values()) + new
    taken = {o.code for o in items if o.code}
    for item in items:
        if not item.code:
            item.code = _code(
                "", getattr(item, names[1]), getattr(item, names[0]), taken=taken, fallback=fallback
            )
            taken.add(item.code)
        else:
            item.code = _code(item.code, taken=taken, fallback=fallback)
    codes = [o.code for o in items]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise ValidationError(
            _("Each code may be used once: %(codes)s") % {"codes": ", ".join(duplicates)}
        )
    removed = [pk for pk in existing if pk not in keep]
    if model is AnswerState and removed:
        used = Proposal.objects.filter(answer_state_id__in=removed).count()
        if used:
            raise ValidationError(
                _(
                    "An answer state that official answers use cannot be deleted "
                    "(%(n)s answers use it); rename it instead."
                )
                % {"n": used}
            )
    model.objects.filter(pk__in=removed).delete()
    # Codes are unique per consultation: free the changed ones first, then write the rest.
    changed = [o for o in keep.values() if o.code != existing[o.pk].code]
    for item in changed:
        model.objects.filter(pk=item.pk).update(code=f"~{item.pk}")
    for item in items:
        item.full_clean(exclude=["consultation"], validate_unique=False, validate_constraints=False)
        item.save()


@transaction.atomic
def consultation_configure(
    *,
    consultation: Consultation,
    values: dict[str, Any],
    permissions: dict[str, dict[str, str]],
    locations: list[str] | None = None,
    categories: list[dict[str, Any]] | None = None,
    answer_states: list[dict[str, Any]] | None = None,
) -> Consultation:
    """Saves a consultation's settings, its per-phase rights, places, categories and answer
    states, all or nothing. Rows of `categories`/`answer_states`: {"id" (None for a new one),
    "code" (empty: made from the name), "name_bg", "name_en" | "label_bg", "label_en",
    "colour", "delete"}."""
    import re

    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown settings: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    for field, value in values.items():
        setattr(consultation, field, value)
    if not (consultation.title_bg or "").strip() and not (consultation.title_en or "").strip():
        raise ValidationError(_("Give the consultation a title in Bulgarian or English."))
    if consultation.auto_hide_reports < 1:
        raise ValidationError({"auto_hide_reports": _("At least one report, please.")})
    consultation.permissions = clean_permissions(permissions)
    if locations is not None:
        consultation.locations = clean_locations(locations)
    consultation.full_clean(exclude=["organisation"])
    consultation.save()  # also renews the cached public pages
    if categories is not None:
        _save_parts(
            consultation=consultation,
            model=Category,
            rows=categories,
            names=("name_bg", "name_en"),
            fallback="category",
        )
    if answer_states is not None:
        for row in answer_states:
            row.setdefault("colour", "#e8eef5")
            if not row.get("delete") and not re.fullmatch(r"#[0-9a-fA-F]{6}", row["colour"]):
                raise ValidationError(
                    _("A colour is written #rrggbb, for example #e8eef5: %(colour)s")
                    % {"colour": str(row["colour"])[:20]}
                )
        _save_parts(
            consultation=consultation,
            model=AnswerState,
            rows=answer_states,
            names=("label_bg", "label_en"),
            fallback="state",
            extra=("colour",),
        )
    return consultation
