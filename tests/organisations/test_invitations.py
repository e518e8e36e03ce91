from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from zora.organisations.models import Invitation, Membership
from zora.organisations.services import invitation_create


def _token_from(message) -> str:
    line = next(line for line in message.body.splitlines() if "/invitations/" in line)
    return line.rstrip("/").split("/")[-1]


@pytest.mark.django_db
def test_owner_invites_and_invitee_accepts(world, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(world.alice).post(
            reverse("organisation_members", args=["alpha"]),
            {"email": "New.Person@Example.org", "role": "editor"},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.org"]
    # alpha is Bulgarian, so the invitation is written in Bulgarian.
    assert "/bg/invitations/" in message.body
    invitation = Invitation.objects.get(email="new.person@example.org")
    assert invitation.token_hash not in message.body  # only the raw token travels

    newcomer = UserFactory(email="new.person@example.org")
    client = login(newcomer)
    url = reverse("invitation_accept", args=[_token_from(message)])
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    assert Membership.objects.get(organisation=world.alpha, user=newcomer).role == "editor"
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None and invitation.accepted_by == newcomer
    # A used invitation cannot be used again.
    assert client.post(url).status_code == 400


@pytest.mark.django_db
def test_invitation_expires(world, login):
    created = invitation_create(
        organisation=world.alpha, email="late@example.org", role="viewer", invited_by=world.alice
    )
    Invitation.objects.filter(pk=created.invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    late = UserFactory(email="late@example.org")
    response = login(late).post(f"/en/invitations/{created.raw_token}/")
    assert response.status_code == 400
    assert "This invitation has expired" in response.content.decode()
    assert not Membership.objects.filter(user=late).exists()


@pytest.mark.django_db
def test_invitation_is_only_for_its_address(world, login):
    created = invitation_create(
        organisation=world.alpha, email="intended@example.org", role="owner", invited_by=world.alice
    )
    response = login(world.charlie).post(reverse("invitation_accept", args=[created.raw_token]))
    assert response.status_code == 400
    assert not Membership.objects.filter(organisation=world.alpha, user=world.charlie).exists()


@pytest.mark.django_db
def test_anonymous_visitor_is_asked_to_log_in(world, client):
    created = invitation_create(
        organisation=world.alpha, email="x@example.org", role="viewer", invited_by=world.alice
    )
    url = reverse("invitation_accept", args=[created.raw_token])
    page = client.get(url)
    assert page.status_code == 200
    assert reverse("account_login") in page.content.decode()
    assert client.post(url).status_code == 302


@pytest.mark.django_db
def test_unknown_token_is_404(client):
    assert client.get(reverse("invitation_accept", args=["nope"])).status_code == 404


@pytest.mark.django_db
def test_bad_invitation_input_changes_nothing(world, login):
    client = login(world.alice)
    url = reverse("organisation_members", args=["alpha"])
    response = client.post(url, {"email": "not-an-email", "role": "viewer"})
    assert response.status_code == 400
    assert "email" in response.context["form"].errors
    response = client.post(url, {"email": "bob@example.org", "role": "viewer"})
    assert response.status_code == 400
    assert "already a member" in str(response.context["form"].errors) or "вече" in str(
        response.context["form"].errors
    )
    response = client.post(url, {"email": "ok@example.org", "role": "emperor"})
    assert response.status_code == 400
    assert Invitation.objects.count() == 0
    assert len(mail.outbox) == 0


@pytest.mark.django_db
def test_htmx_invite_returns_the_panel_only(world, login):
    response = login(world.alice).post(
        reverse("organisation_members", args=["alpha"]),
        {"email": "htmx@example.org", "role": "viewer"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="invite-panel"')
    assert "htmx@example.org" in body
    assert "<html" not in body


@pytest.mark.django_db
def test_reinviting_replaces_the_pending_invitation(world):
    first = invitation_create(
        organisation=world.alpha, email="twice@example.org", role="viewer", invited_by=world.alice
    )
    invitation_create(
        organisation=world.alpha, email="twice@example.org", role="editor", invited_by=world.alice
    )
    first.invitation.refresh_from_db()
    assert first.invitation.revoked_at is not None
    assert (
        Invitation.objects.filter(email="twice@example.org", revoked_at__isnull=True).count() == 1
    )
