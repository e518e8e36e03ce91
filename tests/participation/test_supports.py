"""Supports: one per person (a database constraint), exact counts under concurrency, limits."""

import pytest
from django.db import connection

from tests.participation.conftest import at_once
from zora.participation import services
from zora.participation.models import Phase, Proposal, Support


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrency is tested against PostgreSQL"
)
def test_fifty_concurrent_supports_are_all_counted(proposals, citizens):
    proposal = proposals[0]

    def click(user):
        services.support_add(proposal=Proposal.objects.get(pk=proposal.pk), user=user)

    assert at_once(click, citizens[:50]) == []
    proposal.refresh_from_db()
    assert proposal.supports_count == 50 == Support.objects.filter(proposal=proposal).count()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrency is tested against PostgreSQL"
)
def test_the_same_user_twice_at_once_counts_once(proposals, citizens):
    proposal, user = proposals[1], citizens[10]

    def click(_attempt):
        services.support_add(proposal=Proposal.objects.get(pk=proposal.pk), user=user)

    errors = at_once(click, range(8))
    assert len(errors) == 7 and all(isinstance(e, services.AlreadySupported) for e in errors)
    proposal.refresh_from_db()
    assert proposal.supports_count == 1


@pytest.mark.django_db
def test_same_user_twice_and_withdrawing(proposals, citizens):
    proposal, user = proposals[0], citizens[0]
    services.support_add(proposal=proposal, user=user)
    with pytest.raises(services.AlreadySupported, match="already support"):
        services.support_add(proposal=proposal, user=user)
    proposal.refresh_from_db()
    assert proposal.supports_count == 1
    assert services.support_remove(proposal=proposal, user=user)
    proposal.refresh_from_db()
    assert proposal.supports_count == 0


@pytest.mark.django_db
def test_the_per_user_limit(proposals, citizens):
    user = citizens[3]
    for proposal in proposals[:3]:
        services.support_add(proposal=proposal, user=user)
    with pytest.raises(services.NotAllowed, match="all 3 of your supports"):
        services.support_add(proposal=proposals[3], user=user)
    services.support_remove(proposal=proposals[0], user=user)
    services.support_add(proposal=proposals[3], user=user)


@pytest.mark.django_db
def test_no_support_outside_the_support_phase(consultation, proposals, citizens):
    for phase in (Phase.COLLECT, Phase.ANSWERS, Phase.CLOSED):
        consultation.phase = phase
        consultation.save()
        proposals[0].consultation.refresh_from_db()
        with pytest.raises(services.NotAllowed):
            services.support_add(
                proposal=Proposal.objects.get(pk=proposals[0].pk), user=citizens[0]
            )
    assert Support.objects.count() == 0
