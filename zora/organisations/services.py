"""Writes for organisations, memberships and invitations (`check_*` validates, the rest act)."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zora.organisations.models import Invitation, Membership, Organisation, Role
from zora.organisations.permissions import forget_roles


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def organisation_create(*, creator: Any, **fields: Any) -> Organisation:
    """A new organisation whose creator becomes its owner."""
    organisation = Organisation(**fields)
    organisation.full_clean()
    organisation.save()
    Membership.objects.create(organisation=organisation, user=creator, role=Role.OWNER)
    forget_roles(creator)
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, **fields: Any) -> Organisation:
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save()
    return organisation


def _owners(organisation: Organisation) -> int:
    return Membership.objects.filter(organisation=organisation, role=Role.OWNER).count()


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationError(_("Choose one of the roles."), code="invalid_role")
    # Lock the organisation's memberships so two owners cannot demote each other at once.
    list(Membership.objects.select_for_update().filter(organisation=membership.organisation))
    if (
        membership.role == Role.OWNER
        and role != Role.OWNER
        and _owners(membership.organisation) <= 1
    ):
        raise ValidationError(
            _("An organisation needs at least one owner. Make someone else owner first."),
            code="last_owner",
        )
    membership.role = role
    membership.save(update_fields=["role"])
    forget_roles(membership.user)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    list(Membership.objects.select_for_update().filter(organisation=membership.organisation))
    if membership.role == Role.OWNER and _owners(membership.organisation) <= 1:
        raise ValidationError(
            _("An organisation needs at least one owner. Make someone else owner first."),
            code="last_owner",
        )
    membership.delete()
    forget_roles(membership.user)


@dataclass(frozen=True)
class CreatedInvitation:
    invitation: Invitation
    raw_token: str
    accept_url: str


def check_invitation(*, organisation: Organisation, email: str, role: str) -> str:
    email = email.strip().lower()
    if role not in Role.values:
        raise ValidationError({"role": _("Choose one of the roles.")}, code="invalid_role")
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError(
            {"email": _("%(email)s is already a member of this organisation.") % {"email": email}},
            code="already_member",
        )
    return email


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, email: str, role: str, invited_by: Any
) -> CreatedInvitation:
    """Invites `email` to the organisation with `role` and e-mails a link that expires."""
    email = check_invitation(organisation=organisation, email=email, role=role)
    now = timezone.now()
    # A new invitation to the same address replaces the pending one.
    Invitation.objects.filter(
        organisation=organisation,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).update(revoked_at=now)
    raw = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        token_hash=_hash(raw),
        invited_by=invited_by,
        expires_at=now + timedelta(days=settings.ZORA_INVITATION_DAYS),
    )
    language = organisation.default_language
    with translation.override(language):
        accept_url = settings.SITE_URL + reverse("invitation_accept", args=[raw])
        context = {
            "invitation": invitation,
            "organisation": organisation,
            "accept_url": accept_url,
            "inviter": invited_by,
            "days": settings.ZORA_INVITATION_DAYS,
        }
        subject = _("Invitation to join %(organisation)s on Zora") % {
            "organisation": organisation.name
        }
        body = render_to_string("organisations/email/invitation.txt", context)
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email], fail_silently=False)
    )
    return CreatedInvitation(invitation=invitation, raw_token=raw, accept_url=accept_url)


def invitation_get_by_token(*, raw_token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=_hash(raw_token))
        .first()
    )


def check_invitation_acceptable(*, invitation: Invitation, user: Any) -> None:
    if invitation.revoked_at is not None:
        raise ValidationError(_("This invitation was withdrawn."), code="revoked")
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."), code="used")
    if invitation.expires_at <= timezone.now():
        raise ValidationError(
            _("This invitation has expired. Ask the organisation for a new one."), code="expired"
        )
    from allauth.account.models import EmailAddress

    emails = {user.email.lower()} | {
        e.lower()
        for e in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    }
    if invitation.email.lower() not in emails:
        raise ValidationError(
            _(
                "This invitation was sent to %(email)s. Log in with that e-mail address to accept it."
            )
            % {"email": invitation.email},
            code="wrong_user",
        )


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: Any) -> Membership:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    check_invitation_acceptable(invitation=invitation, user=user)
    membership, created = Membership.objects.get_or_create(
        organisation=invitation.organisation, user=user, defaults={"role": invitation.role}
    )
    if not created and membership.role != invitation.role:
        # An invitation never lowers an existing role.
        from zora.organisations.models import ROLE_RANK

        if ROLE_RANK[Role(invitation.role)] > ROLE_RANK[Role(membership.role)]:
            membership.role = invitation.role
            membership.save(update_fields=["role"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    forget_roles(user)
    return membership


def invitation_revoke(*, invitation: Invitation) -> None:
    if invitation.revoked_at is None and invitation.accepted_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
