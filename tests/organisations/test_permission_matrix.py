"""Every view and endpoint of the foundation × every role, plus another tenant's user.

Private objects answer 404 to non-members (never 403, which would confirm they exist);
members whose role is too low get 403; anonymous visitors are sent to log in (pages) or get
401 (API).
"""

import pytest
from django.urls import reverse
from django.utils import translation

from zora.organisations.models import Invitation, Membership
from zora.organisations.services import invitation_create

ROLES = ["owner", "editor", "analyst", "viewer"]

# name → (url builder, method, minimum role allowed or None for "any member")
RANK = {"viewer": 1, "analyst": 2, "editor": 3, "owner": 4}


def urls(world):
    alpha = world.alpha
    membership = Membership.objects.get(organisation=alpha, user=world.dave)
    invitation = invitation_create(
        organisation=alpha, email="newcomer@example.org", role="viewer", invited_by=world.alice
    ).invitation
    with translation.override("en"):
        return [
            ("profile", reverse("organisation_profile", args=["alpha"]), "get", {}, "viewer"),
            ("dashboard", reverse("organisation_dashboard", args=["alpha"]), "get", {}, "viewer"),
            ("members", reverse("organisation_members", args=["alpha"]), "get", {}, "viewer"),
            ("capability", reverse("capability", args=["alpha", "plan"]), "get", {}, "viewer"),
            ("settings", reverse("organisation_settings", args=["alpha"]), "get", {}, "owner"),
            (
                "settings-post",
                reverse("organisation_settings", args=["alpha"]),
                "post",
                {"name_en": "Hacked", "kind": "other", "slug": "alpha", "country": "BG"},
                "owner",
            ),
            (
                "invite",
                reverse("organisation_members", args=["alpha"]),
                "post",
                {"email": "someone@example.org", "role": "viewer"},
                "owner",
            ),
            (
                "change-role",
                reverse("membership_update", args=["alpha", membership.pk]),
                "post",
                {"role": "analyst", "action": "role"},
                "owner",
            ),
            (
                "revoke-invitation",
                reverse("invitation_revoke", args=["alpha", invitation.pk]),
                "post",
                {},
                "owner",
            ),
        ]


def call(client, method, url, data):
    return client.get(url) if method == "get" else client.post(url, data)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_it_may(world, login, role):
    client = login(world.by_role(role))
    for name, url, method, data, minimum in urls(world):
        response = call(client, method, url, data)
        if RANK[role] >= RANK[minimum]:
            assert response.status_code in (200, 302), (name, role, response.status_code)
            if response.status_code == 302:
                assert "/accounts/login/" not in response["Location"], name
        else:
            assert response.status_code == 403, (name, role, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("outsider", ["charlie", "eve"])
def test_another_tenant_gets_404_on_every_url(world, login, outsider):
    client = login(getattr(world, outsider))
    for name, url, method, data, _minimum in urls(world):
        response = call(client, method, url, data)
        assert response.status_code == 404, (name, response.status_code)
        assert b"Alpha Municipality" not in response.content, name
    # Nothing was changed by the attempts.
    assert world.alpha.memberships.get(user=world.dave).role == "viewer"
    assert not Invitation.objects.filter(email="someone@example.org").exists()


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_log_in_or_gets_404(world, client):
    for name, url, method, data, _minimum in urls(world):
        response = call(client, method, url, data)
        if name == "profile":
            assert response.status_code == 404  # a private profile does not exist for strangers
        else:
            assert response.status_code == 302, name
            assert "/accounts/login/" in response["Location"], name


@pytest.mark.django_db
def test_public_profile_is_public(world, client):
    response = client.get(reverse("organisation_profile", args=["gamma"]))
    assert response.status_code == 200
    assert b"Gamma University" in response.content


@pytest.mark.django_db
def test_other_tenants_objects_are_404_even_for_an_owner(world, login):
    """alice owns alpha; beta's membership ids under alpha's URL must not resolve."""
    charlie_membership = Membership.objects.get(organisation=world.beta, user=world.charlie)
    client = login(world.alice)
    response = client.post(
        reverse("membership_update", args=["alpha", charlie_membership.pk]),
        {"role": "viewer", "action": "role"},
    )
    assert response.status_code == 404
    response = client.post(
        reverse("membership_update", args=["beta", charlie_membership.pk]),
        {"role": "viewer", "action": "role"},
    )
    assert response.status_code == 404
    charlie_membership.refresh_from_db()
    assert charlie_membership.role == "owner"


# --- API ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_api_members_for_every_role(world, client, bearer, role):
    headers = bearer(world.by_role(role))
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert client.get("/api/v1/organisations/alpha", headers=headers).status_code == 200
    response = client.get("/api/v1/organisations/alpha/members", headers=headers)
    assert response.status_code == 200
    assert response.json()["count"] == 4


@pytest.mark.django_db
@pytest.mark.parametrize("outsider", ["charlie", "eve"])
def test_api_another_tenant_gets_404(world, client, bearer, outsider):
    headers = bearer(getattr(world, outsider))
    for url in ["/api/v1/organisations/alpha", "/api/v1/organisations/alpha/members"]:
        response = client.get(url, headers=headers)
        assert response.status_code == 404, url
        assert response.json() == {"detail": "Not found.", "code": "not_found"}
    slugs = [
        o["slug"] for o in client.get("/api/v1/organisations", headers=headers).json()["items"]
    ]
    assert "alpha" not in slugs


@pytest.mark.django_db
def test_api_anonymous(world, client):
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/organisations/alpha/members").status_code == 401
    assert client.get("/api/v1/organisations/alpha").status_code == 404
    assert client.get("/api/v1/organisations/gamma").status_code == 200
    slugs = [o["slug"] for o in client.get("/api/v1/organisations").json()["items"]]
    assert slugs == ["gamma"]


@pytest.mark.django_db
def test_api_errors_are_distinct_and_json(world, client):
    bad = client.get("/api/v1/me", headers={"Authorization": "Bearer zora_not-a-real-token"})
    assert bad.status_code == 401
    assert bad.json()["code"] == "not_authenticated"
    # A bad token is not silently treated as anonymous on public endpoints either.
    assert (
        client.get(
            "/api/v1/organisations", headers={"Authorization": "Bearer zora_nope"}
        ).status_code
        == 401
    )
    missing = client.get("/api/v1/organisations/no-such-org")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
