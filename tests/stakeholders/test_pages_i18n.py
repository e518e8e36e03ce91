"""Stakeholder pages in both languages, with no English UI text on Bulgarian pages."""

import pytest

from tests.core.test_i18n import assert_pages_in_both_languages
from tests.stakeholders.conftest import make_event
from zora.stakeholders import services
from zora.stakeholders.models import EventKind


@pytest.mark.django_db
def test_stakeholder_pages_in_both_languages(world, login, client, registry, coded):
    event = make_event(world.alpha, capacity=10, waiting_list=True)
    services.registration_create(event=event, name="Мария", email="m@example.org", consent=True)
    b2b = make_event(world.alpha, kind=EventKind.B2B, title_bg="Среща", title_en="Meeting day")
    a = services.registration_create(event=b2b, name="Фирма А", email="a@example.org", consent=True)
    b = services.registration_create(event=b2b, name="Фирма Б", email="b@example.org", consent=True)
    slots = services.slots_create(
        event=b2b, starts_at=b2b.starts_at, ends_at=b2b.ends_at, minutes=30, tables=["1", "2"]
    )
    services.meeting_book(event=b2b, slot=slots[0], first=a, second=b)
    services.material_add(event=event, title="Програма", url="https://example.org/agenda.pdf")
    owner, viewer = login(world.alice), login(world.dave)
    s = registry["ivanka"]
    interview = coded["interviews"][0]
    base = "/{lang}/o/alpha/engage"
    pages = [
        (owner, f"{base}/stakeholders/"),
        (owner, f"{base}/stakeholders/?q=Иванка&type=public_administration&consent=yes"),
        (viewer, f"{base}/stakeholders/"),
        (owner, f"{base}/stakeholders/new/"),
        (owner, f"{base}/stakeholders/import/"),
        (owner, f"{base}/stakeholders/{s.pk}/"),
        (viewer, f"{base}/stakeholders/{s.pk}/"),
        (owner, f"{base}/stakeholders/{s.pk}/edit/"),
        (owner, f"{base}/stakeholders/{s.pk}/erase/"),
        (owner, f"{base}/interviews/"),
        (owner, f"{base}/interviews/new/"),
        (owner, f"{base}/interviews/{interview.pk}/"),
        (owner, f"{base}/findings/"),
        (viewer, f"{base}/findings/"),
        (owner, f"{base}/findings/code/{coded['broadband'].pk}/"),
        (owner, f"{base}/findings/code/{coded['broadband'].pk}/?type=education"),
        (owner, f"{base}/guides/"),
        (owner, f"{base}/guides/{interview.guide_id}/"),
        (owner, f"{base}/codebook/"),
        (owner, f"{base}/codebook/{coded['skills'].pk}/"),
        (owner, f"{base}/events/"),
        (owner, f"{base}/events/new/"),
        (owner, f"{base}/events/{event.pk}/"),
        (owner, f"{base}/events/{event.pk}/edit/"),
        (owner, f"{base}/events/{b2b.pk}/"),
        (viewer, f"{base}/events/{event.pk}/"),
        (client, "/{lang}/events/"),
        (client, f"/{{lang}}/events/{event.pk}/"),
        (login(world.eve), f"/{{lang}}/events/{event.pk}/"),
    ]
    assert_pages_in_both_languages(pages)
