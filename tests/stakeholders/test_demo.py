"""The stakeholders demo: what the issue asks for, idempotent and quick."""

import pytest

from zora.organisations import demo as organisations_demo
from zora.stakeholders import demo, selectors
from zora.stakeholders.models import (
    Event,
    EventKind,
    Finding,
    Interview,
    Meeting,
    Registration,
    Stakeholder,
    StakeholderType,
)


@pytest.mark.django_db
def test_the_demo_has_what_the_issue_asks_for_and_is_idempotent():
    organisations_demo.load()
    lines = list(demo.load())
    assert len(lines) == 4
    stakeholders = Stakeholder.objects.filter(organisation__slug__in=["stara-zagora", "sofia"])
    assert stakeholders.count() == 30
    assert set(stakeholders.values_list("type", flat=True)) == set(StakeholderType.values)
    assert stakeholders.filter(consent_on__isnull=True, erased_at__isnull=True).exists()
    assert stakeholders.filter(erased_at__isnull=False).count() == 1
    assert Interview.objects.count() == 12
    assert Finding.objects.count() >= 40
    forum = Event.objects.get(organisation__slug="zagore", kind=EventKind.FORUM)
    assert Registration.objects.filter(event=forum).count() == 60
    assert Registration.objects.filter(event=forum, attended=True).count() > 0
    workshop = selectors.event_list(
        organisation=forum.organisation.__class__.objects.get(slug="stara-zagora"),
        strategy_step="vision",
    )
    assert workshop.count() == 1
    assert Meeting.objects.filter(event__kind=EventKind.B2B).count() == 12
    counts = (Stakeholder.objects.count(), Finding.objects.count(), Registration.objects.count())
    assert list(demo.load()) == []
    assert (
        Stakeholder.objects.count(),
        Finding.objects.count(),
        Registration.objects.count(),
    ) == counts
