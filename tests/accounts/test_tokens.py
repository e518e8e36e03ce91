import pytest
from django.core.management import CommandError, call_command

from zora.accounts.models import ApiToken
from zora.accounts.services import api_token_authenticate, api_token_create


@pytest.mark.django_db
def test_create_token_command_prints_a_working_token(world, capsys, client):
    call_command("create_token", "ALICE@example.org", "--name", "nightly export")
    raw = capsys.readouterr().out.strip()
    assert raw.startswith("zora_")
    token = ApiToken.objects.get(user=world.alice)
    assert token.name == "nightly export"
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).json()["email"] == (
        "alice@example.org"
    )


@pytest.mark.django_db
def test_create_token_for_unknown_user_fails_clearly(db):
    with pytest.raises(CommandError, match="No user"):
        call_command("create_token", "ghost@example.org")


@pytest.mark.django_db
def test_inactive_users_tokens_do_not_authenticate(world):
    raw = api_token_create(user=world.bob, name="x").raw
    assert api_token_authenticate(raw=raw) == world.bob
    world.bob.is_active = False
    world.bob.save()
    assert api_token_authenticate(raw=raw) is None


@pytest.mark.django_db
def test_a_user_cannot_revoke_someone_elses_token(world, login):
    token = api_token_create(user=world.bob, name="x").token
    response = login(world.alice).post(f"/en/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.django_db
def test_profile_changes_preferred_language(world, login):
    client = login(world.alice)
    response = client.post(
        "/bg/accounts/profile/",
        {
            "first_name": "Alice",
            "last_name": "Owner",
            "preferred_language": "en",
            "notifications": "daily",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/profile/"
    world.alice.refresh_from_db()
    assert world.alice.preferred_language == "en" and world.alice.last_name == "Owner"
    assert world.alice.notifications == "daily"
