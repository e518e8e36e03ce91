"""The support endpoint's hand-written SQL (PostgreSQL) behaves as the ORM path it replaces.

Each behaviour test runs twice: `sql` (the PostgreSQL path: one statement per step) and `orm`
(the ORM path, which SQLite and consultations with a per-person limit use), so the two cannot
drift apart."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.participation.conftest import at_once
from zora.core import rawsql
from zora.participation import selectors, services
from zora.participation.models import Block, Consultation, PageVersion, Phase, Proposal, Support

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the hand-written SQL is PostgreSQL's"
)


@pytest.fixture
def unlimited(consultation):
    """The bench's setting (and the default): no per-person limit, so the one-statement path."""
    consultation.support_limit = 0
    consultation.save()
    return consultation


def _version(consultation: Consultation) -> int:
    return PageVersion.objects.get(consultation=consultation).number


def _count(proposal: Proposal) -> int:
    return Proposal.objects.get(pk=proposal.pk).supports_count


@pytest.mark.django_db
def test_support_and_withdraw_through_the_api(path, client, bearer, unlimited, proposals, citizens):
    proposal, url = proposals[0], f"/api/v1/proposals/{proposals[0].pk}/supports"
    first, second = bearer(citizens[30]), bearer(citizens[31])
    version = _version(unlimited)

    created = client.post(url, headers=first)
    assert created.status_code == 201 and created.json() == {"supports_count": 1}
    assert _count(proposal) == 1 and _version(unlimited) == version + 1
    support = Support.objects.get(proposal=proposal, user=citizens[30])
    assert support.consultation_id == unlimited.pk and support.created_at <= timezone.now()

    again = client.post(url, headers=first)
    assert again.status_code == 409 and again.json()["code"] == "already_supported"
    assert again.json()["detail"] == "You already support this proposal."
    assert _count(proposal) == 1 and _version(unlimited) == version + 1  # nothing changed

    assert client.post(url, headers=second).json() == {"supports_count": 2}
    withdrawn = client.delete(url, headers=first)
    assert withdrawn.status_code == 200 and withdrawn.json() == {"supports_count": 1}
    assert _version(unlimited) == version + 3
    gone = client.delete(url, headers=first)
    assert gone.status_code == 404 and gone.json()["detail"] == "You do not support this proposal."
    assert _count(proposal) == 1 == Support.objects.filter(proposal=proposal).count()
    assert _version(unlimited) == version + 3


@pytest.mark.django_db
def test_refusals_through_the_api(path, client, bearer, world, unlimited, proposals, citizens):
    headers = bearer(citizens[30])

    def post(proposal_id):
        response = client.post(f"/api/v1/proposals/{proposal_id}/supports", headers=headers)
        return response.status_code, response.json()["code"]

    Proposal.objects.filter(pk=proposals[1].pk).update(hidden_at=timezone.now())
    Proposal.objects.filter(pk=proposals[2].pk).update(withdrawn_at=timezone.now())
    assert post(proposals[1].pk) == (404, "not_found")
    assert post(proposals[2].pk) == (403, "not_allowed")
    assert post(999_999) == (404, "not_found")
    Block.objects.create(organisation=world.alpha, user=citizens[30])
    assert post(proposals[0].pk) == (403, "not_allowed")
    assert (
        client.delete(f"/api/v1/proposals/{proposals[0].pk}/supports", headers=headers).status_code
        == 403
    )
    Block.objects.all().delete()
    unlimited.phase = Phase.COLLECT
    unlimited.save()
    assert post(proposals[0].pk) == (403, "not_allowed")
    unlimited.phase, unlimited.is_published = Phase.SUPPORT, False
    unlimited.save()
    assert post(proposals[0].pk) == (404, "not_found")
    assert Support.objects.count() == 0
    assert sum(Proposal.objects.values_list("supports_count", flat=True)) == 0


@pytest.mark.django_db
def test_the_per_user_limit_still_holds(path, client, bearer, consultation, proposals, citizens):
    headers = bearer(citizens[30])  # the consultation fixture allows 3 supports a person
    codes = [
        client.post(f"/api/v1/proposals/{p.pk}/supports", headers=headers).status_code
        for p in proposals[:4]
    ]
    assert codes == [201, 201, 201, 403]


@on_postgresql
@pytest.mark.django_db
def test_the_selector_reads_what_the_orm_reads(monkeypatch, world, unlimited, proposals, citizens):
    Proposal.objects.filter(pk=proposals[1].pk).update(hidden_at=timezone.now())
    Proposal.objects.filter(pk=proposals[2].pk).update(
        withdrawn_at=timezone.now(), supports_count=4
    )
    Block.objects.create(organisation=world.alpha, user=citizens[5])
    unpublished = Consultation.objects.create(
        organisation=world.alpha, title_en="Draft", phase=Phase.SUPPORT, is_published=False
    )
    draft = Proposal.objects.create(
        consultation=unpublished, author=citizens[0], title="D", body="B"
    )
    cases = [(p.pk, u) for p in [*proposals[:3], draft] for u in (citizens[5], citizens[6])]
    cases.append((999_999, citizens[6]))

    def read(proposal_id, user):
        found = selectors.proposal_for_support(proposal_id=proposal_id, user=user)
        if found is None:
            return None
        c = found.consultation
        return (
            [getattr(found, f) for f in selectors.SUPPORT_PROPOSAL_FIELDS],
            [getattr(c, f) for f in selectors.SUPPORT_CONSULTATION_FIELDS],
            found.blocked,
            found.get_deferred_fields(),
        )

    by_sql = [read(*case) for case in cases]
    monkeypatch.setattr(rawsql, "available", lambda database: False)
    assert by_sql == [read(*case) for case in cases]
    assert by_sql[0][1][4] == unlimited.permissions  # JSON, decoded
    assert [r is None for r in by_sql] == [False] * 6 + [True] * 3


@on_postgresql
@pytest.mark.django_db
def test_a_support_is_three_statements(client, bearer, unlimited, proposals, citizens):
    unlimited.permissions = {"support": {"support": "account"}}  # as in the bench
    unlimited.save()
    headers = bearer(citizens[30])
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"/api/v1/proposals/{proposals[0].pk}/supports", headers=headers)
    assert response.status_code == 201
    statements = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]  # the test's atomic
    # The token (and its last use), the proposal with its consultation, the writes.
    assert [s.split()[:2] for s in statements] == [
        ["WITH", "found"],
        ["SELECT", 'p."id",'],
        ["WITH", "added"],
    ]


@on_postgresql
@pytest.mark.django_db
def test_the_hot_statements_are_prepared(client, bearer, unlimited, proposals, citizens):
    if connection.settings_dict["OPTIONS"].get("prepare_threshold") is None:
        pytest.skip("prepared statements are off (DB_PREPARED_STATEMENTS=false)")
    for citizen, proposal in zip(citizens[:6], proposals, strict=True):
        response = client.post(f"/api/v1/proposals/{proposal.pk}/supports", headers=bearer(citizen))
        assert response.status_code == 201
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = " ".join(row[0] for row in cursor.fetchall())
    assert "participation_support" in prepared and "accounts_apitoken" in prepared
    assert "participation_block" in prepared


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_supports_in_one_statement_each(unlimited, proposals, citizens):
    proposal, version = proposals[0], _version(unlimited)

    def click(user):
        found = selectors.proposal_for_support(proposal_id=proposal.pk, user=user)
        services.support_add(proposal=found, user=user, facts={"blocked": found.blocked})

    assert at_once(click, citizens[:50]) == []
    assert _count(proposal) == 50 == Support.objects.filter(proposal=proposal).count()
    assert _version(unlimited) == version + 50
