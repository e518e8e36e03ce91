"""Personas shared by all tests (as in healthchecks' hc/test.py):

- `alpha`: a private municipality with alice (owner), bob (editor), carol (analyst), dave (viewer)
- `beta`:  another tenant, private, with charlie (owner)
- `gamma`: a public organisation with no demo members we use
- `eve`: a signed-up user with no organisation
"""

from dataclasses import dataclass

import pytest
from django.test import Client

from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory
from zora.accounts.models import User
from zora.accounts.services import api_token_create
from zora.organisations.models import Organisation, Role


@dataclass
class World:
    alpha: Organisation
    beta: Organisation
    gamma: Organisation
    alice: User
    bob: User
    carol: User
    dave: User
    charlie: User
    eve: User

    def by_role(self, role: str) -> User:
        return {
            "owner": self.alice,
            "editor": self.bob,
            "analyst": self.carol,
            "viewer": self.dave,
        }[role]


@pytest.fixture
def world(db) -> World:
    alpha = OrganisationFactory(slug="alpha", name_en="Alpha Municipality", is_public=False)
    beta = OrganisationFactory(slug="beta", name_en="Beta Hub", is_public=False)
    gamma = OrganisationFactory(slug="gamma", name_en="Gamma University", is_public=True)
    users = {}
    for name, role in [
        ("alice", Role.OWNER),
        ("bob", Role.EDITOR),
        ("carol", Role.ANALYST),
        ("dave", Role.VIEWER),
    ]:
        users[name] = UserFactory(email=f"{name}@example.org", first_name=name.capitalize())
        MembershipFactory(organisation=alpha, user=users[name], role=role)
    charlie = UserFactory(email="charlie@example.org", first_name="Charlie")
    MembershipFactory(organisation=beta, user=charlie, role=Role.OWNER)
    eve = UserFactory(email="eve@example.org", first_name="Eve")
    return World(alpha=alpha, beta=beta, gamma=gamma, charlie=charlie, eve=eve, **users)


@pytest.fixture
def login():
    """login(user) → a test Client logged in as that user."""

    def _login(user: User) -> Client:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


@pytest.fixture
def bearer():
    """bearer(user) → headers for an API call with a fresh personal token."""

    def _bearer(user: User) -> dict[str, str]:
        return {"Authorization": f"Bearer {api_token_create(user=user, name='test').raw}"}

    return _bearer


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture(params=["sql", "orm"])
def path(request, monkeypatch):
    """Runs a test on both paths of a hot path: the hand-written SQL (PostgreSQL only) and the
    ORM (zora.core.rawsql)."""
    from django.db import connection

    from zora.core import rawsql

    if request.param == "sql" and connection.vendor != "postgresql":
        pytest.skip("the hand-written SQL is PostgreSQL's")
    if request.param == "orm":
        monkeypatch.setattr(rawsql, "available", lambda database: False)
    return request.param
