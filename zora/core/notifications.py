"""One function to notify a user: e-mail at once, or collected into a daily digest, or
nothing, as the user's profile says (`User.notifications`)."""

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zora.core.models import Notification


def notify(user: Any, make: Callable[[], tuple[str, str]], url: str = "") -> Notification | None:
    """`make()` returns (subject, body); it is called in the user's language."""
    mode = getattr(user, "notifications", "immediate")
    if mode == "off" or not user.email or not user.is_active:
        return None
    with translation.override(getattr(user, "preferred_language", "bg")):
        subject, body = make()
    note = Notification.objects.create(
        user=user,
        subject=subject[:300],
        body=body,
        url=(settings.SITE_URL + url) if url.startswith("/") else url,
    )
    if mode == "immediate":
        text = body + (f"\n\n{note.url}\n" if note.url else "")
        transaction.on_commit(
            lambda: send_mail(f"[Zora] {subject}", text, settings.DEFAULT_FROM_EMAIL, [user.email])
        )
        Notification.objects.filter(pk=note.pk).update(sent_at=timezone.now())
    return note


def send_digests() -> int:
    """Sends each user who chose the daily digest one e-mail with what is waiting."""
    waiting = (
        Notification.objects.filter(
            sent_at__isnull=True, user__notifications="daily", user__is_active=True
        )
        .select_related("user")
        .order_by("user_id", "created_at")
    )
    by_user: dict[Any, list[Notification]] = defaultdict(list)
    for note in waiting:
        by_user[note.user].append(note)
    for user, notes in by_user.items():
        with translation.override(user.preferred_language):
            subject = _("Your Zora digest: %(n)s updates") % {"n": len(notes)}
            body = "\n\n".join(
                f"• {n.subject}\n{n.body}" + (f"\n{n.url}" if n.url else "") for n in notes
            )
        send_mail(f"[Zora] {subject}", body, settings.DEFAULT_FROM_EMAIL, [user.email])
        Notification.objects.filter(pk__in=[n.pk for n in notes]).update(sent_at=timezone.now())
    return len(by_user)
