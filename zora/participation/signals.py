"""Saves and deletions made outside the services (the admin, scripts) renew the consultation's
cached pages too; the services call `caching.touch` themselves, also for their SQL updates."""

from typing import Any

from django.db.models.signals import post_delete, post_save

from zora.participation.caching import touch
from zora.participation.models import AnswerState, Category, Comment, Proposal, Topic


def _consultation_id(instance: Any) -> int | None:
    if isinstance(instance, Comment):
        return (
            Proposal.objects.filter(pk=instance.proposal_id)
            .values_list("consultation_id", flat=True)
            .first()
        )
    return getattr(instance, "consultation_id", None)


def _changed(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        touch(_consultation_id(instance))


def connect() -> None:
    for model in (Proposal, Comment, Category, AnswerState, Topic):
        post_save.connect(
            _changed, sender=model, dispatch_uid=f"participation-touch-{model.__name__}"
        )
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"participation-touch-del-{model.__name__}"
        )
