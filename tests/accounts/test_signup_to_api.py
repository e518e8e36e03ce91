"""Sign-up → verification e-mail → log-in → token creation → API call with the token."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from zora.accounts.models import ApiToken, User


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.mark.django_db
def test_signup_verify_login_token_api():
    client = Client()
    response = client.post(
        "/en/accounts/signup/",
        {
            "email": "Maria@Example.org",
            "password1": "a-long-secret-42",
            "password2": "a-long-secret-42",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email__iexact="maria@example.org")
    assert user.preferred_language == "en"  # signed up on the English site

    # Not verified yet: logging in is refused, a verification e-mail was sent.
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/confirm-email/\S+/", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    fresh = Client()
    response = fresh.post(
        "/en/accounts/login/", {"login": "maria@example.org", "password": "a-long-secret-42"}
    )
    assert "_auth_user_id" not in fresh.session

    # Confirm the address (GET shows a form, POST confirms).
    assert client.get("/" + path).status_code == 200
    assert client.post("/" + path).status_code == 302

    browser = Client()
    response = browser.post(
        "/en/accounts/login/", {"login": "maria@example.org", "password": "a-long-secret-42"}
    )
    assert response.status_code == 302
    assert int(browser.session["_auth_user_id"]) == user.pk

    response = browser.post("/en/accounts/tokens/", {"name": "reporting script"})
    assert response.status_code == 200
    raw = response.context["created"].raw
    assert raw.startswith("zora_")
    stored = ApiToken.objects.get(user=user)
    assert stored.token_hash != raw and raw not in stored.token_hash  # stored hashed

    api = Client()
    me = api.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert me.status_code == 200
    assert me.json()["email"] == "maria@example.org"
    stored.refresh_from_db()
    assert stored.last_used_at is not None

    # Revoked tokens stop working.
    browser.post(f"/en/accounts/tokens/{stored.pk}/revoke/")
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


@pytest.mark.django_db
def test_login_is_rate_limited(world):
    client = Client()
    for _ in range(5):
        response = client.post(
            "/en/accounts/login/", {"login": "alice@example.org", "password": "wrong"}
        )
        assert "Too many failed login attempts" not in response.content.decode()
    # The sixth try within five minutes is refused, even with the right password.
    response = client.post(
        "/en/accounts/login/",
        {"login": "alice@example.org", "password": "correct horse battery staple"},
    )
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_reset_sends_a_link(world):
    response = Client().post("/bg/accounts/password/reset/", {"email": "alice@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/bg/accounts/password/reset/key/" in mail.outbox[0].body


@pytest.mark.django_db
def test_logout(world, login):
    client = login(world.alice)
    client.post("/en/accounts/logout/")
    assert "_auth_user_id" not in client.session
