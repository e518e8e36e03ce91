"""Reads for organisations. Each takes the organisation (or the user) first."""

from typing import Any

from django.db.models import Q, QuerySet

from zora.organisations.models import Invitation, Membership, Organisation


def organisation_list_visible_to(*, user: Any) -> QuerySet[Organisation]:
    """Public organisations plus those the user is a member of (all, for superusers)."""
    qs = Organisation.objects.all()
    if user is not None and user.is_authenticated:
        if user.is_superuser:
            return qs
        return qs.filter(Q(is_public=True) | Q(memberships__user=user)).distinct()
    return qs.filter(is_public=True)


def membership_list_for_user(*, user: Any) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__slug")
    )


def membership_list(*, organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__email")
    )


def invitation_list_pending(*, organisation: Organisation) -> QuerySet[Invitation]:
    from django.utils import timezone

    return Invitation.objects.filter(
        organisation=organisation,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).select_related("invited_by")


def organisation_member_count(*, organisation: Organisation) -> int:
    return Membership.objects.filter(organisation=organisation).count()
