"""The bearer-token lookup: PostgreSQL's one-statement path behaves as the ORM path (SQLite)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from zora.accounts.models import ApiToken, User
from zora.accounts.services import api_token_authenticate, api_token_create, api_token_revoke


@pytest.mark.django_db
def test_the_user_is_the_stored_user(path, world):
    created = api_token_create(user=world.bob, name="x")
    found = api_token_authenticate(raw=created.raw)
    stored = User.objects.get(pk=world.bob.pk)
    assert isinstance(found, User) and found == stored and not found.get_deferred_fields()
    for field in User._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(stored, field.attname), field.name
    assert found._state.adding is False and found.is_authenticated


@pytest.mark.django_db
def test_revoked_inactive_and_unknown_tokens_fail_at_once(path, world):
    created = api_token_create(user=world.bob, name="x")
    assert api_token_authenticate(raw=created.raw) == world.bob
    api_token_revoke(token=created.token)
    assert api_token_authenticate(raw=created.raw) is None  # no cache to wait for
    other = api_token_create(user=world.carol, name="y")
    world.carol.is_active = False
    world.carol.save()
    assert api_token_authenticate(raw=other.raw) is None
    assert api_token_authenticate(raw=created.raw + "x") is None
    assert api_token_authenticate(raw="not-a-zora-token") is None


@pytest.mark.django_db
def test_last_use_is_written_at_most_once_a_minute(path, world):
    created = api_token_create(user=world.bob, name="x")
    token = created.token
    assert token.last_used_at is None
    api_token_authenticate(raw=created.raw)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None and timezone.now() - first < timedelta(seconds=5)

    recent = timezone.now() - timedelta(seconds=30)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recent)
    api_token_authenticate(raw=created.raw)
    token.refresh_from_db()
    assert token.last_used_at == recent  # fresh enough: not written

    stale = timezone.now() - timedelta(seconds=90)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=stale)
    assert api_token_authenticate(raw=created.raw) == world.bob
    token.refresh_from_db()
    assert timezone.now() - token.last_used_at < timedelta(seconds=5)


@pytest.mark.django_db
def test_a_revoked_token_writes_no_last_use(path, world):
    created = api_token_create(user=world.bob, name="x")
    api_token_revoke(token=created.token)
    assert api_token_authenticate(raw=created.raw) is None
    created.token.refresh_from_db()
    assert created.token.last_used_at is None
