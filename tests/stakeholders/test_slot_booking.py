"""B2B meeting days: a slot holds one meeting (a database constraint too) and a participant
cannot be in two meetings at once, also when bookings arrive at the same moment."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from tests.stakeholders.conftest import make_event
from zora.stakeholders import services
from zora.stakeholders.models import EventKind, Meeting, Registration, Slot


@pytest.fixture
def day(world):
    event = make_event(world.alpha, kind=EventKind.B2B, title_bg="B2B ден", title_en="B2B day")
    people = [
        services.registration_create(
            event=event, name=f"Фирма {i}", email=f"f{i}@example.org", consent=True
        )
        for i in range(6)
    ]
    start = event.starts_at
    slots = services.slots_create(
        event=event,
        starts_at=start,
        ends_at=start + timedelta(minutes=60),
        minutes=30,
        tables=["1", "2"],
    )
    return event, people, sorted(slots, key=lambda s: (s.starts_at, s.table))


@pytest.mark.django_db
def test_a_slot_cannot_be_double_booked(day):
    event, people, slots = day
    services.meeting_book(event=event, slot=slots[0], first=people[0], second=people[1])
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.meeting_book(event=event, slot=slots[0], first=people[2], second=people[3])
    assert refused.value.messages == ["This slot is already booked. Choose another one."]
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(
            event=event,
            slot=slots[0],
            first=people[2],
            second=people[3],
            starts_at=slots[0].starts_at,
            ends_at=slots[0].ends_at,
        )


@pytest.mark.django_db
def test_a_participant_cannot_hold_overlapping_meetings(day):
    event, people, slots = day
    same_time = [s for s in slots if s.starts_at == slots[0].starts_at]
    services.meeting_book(event=event, slot=same_time[0], first=people[0], second=people[1])
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.meeting_book(event=event, slot=same_time[1], first=people[2], second=people[1])
    assert refused.value.messages[0].startswith("Фирма 1 already has a meeting at")
    # An overlapping slot of another length is refused too.
    longer = Slot.objects.create(
        event=event,
        starts_at=slots[0].starts_at + timedelta(minutes=15),
        ends_at=slots[0].starts_at + timedelta(minutes=45),
        table="3",
    )
    with pytest.raises(ValidationError):
        services.meeting_book(event=event, slot=longer, first=people[0], second=people[4])
    later = [s for s in slots if s.starts_at > slots[0].starts_at][0]
    services.meeting_book(event=event, slot=later, first=people[0], second=people[2])
    assert Meeting.objects.filter(event=event).count() == 2


@pytest.mark.django_db
def test_only_registered_participants_meet(day, world):
    event, people, slots = day
    services.registration_cancel(registration=people[5])
    with pytest.raises(ValidationError):
        services.meeting_book(event=event, slot=slots[0], first=people[0], second=people[5])
    other = make_event(world.alpha, kind=EventKind.B2B)
    stranger = services.registration_create(
        event=other, name="X", email="x@example.org", consent=True
    )
    with pytest.raises(ValidationError):
        services.meeting_book(event=event, slot=slots[0], first=people[0], second=stranger)
    with pytest.raises(ValidationError):
        services.meeting_book(event=event, slot=slots[0], first=people[0], second=people[0])


@pytest.mark.django_db
def test_a_participant_books_on_the_event_page(day, world, login):
    event, people, slots = day
    me = Registration.objects.get(pk=people[0].pk)
    me.user = world.eve
    me.save()
    client = login(world.eve)
    response = client.post(
        f"/en/events/{event.pk}/book/", {"second": people[1].pk, "slot": slots[0].pk}
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(slot=slots[0])
    assert {meeting.first_id, meeting.second_id} == {people[0].pk, people[1].pk}
    response = client.post(
        f"/en/events/{event.pk}/book/", {"second": people[2].pk, "slot": slots[1].pk}
    )
    assert response.status_code == 400
    assert "already has a meeting" in response.content.decode()
    # Someone not registered cannot book.
    assert login(world.dave).post(f"/en/events/{event.pk}/book/", {}).status_code == 403


def _race(calls) -> list[str]:
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call):
        try:
            barrier.wait()
            call()
            outcomes.append("booked")
        except ValidationError:
            outcomes.append("refused")
        except Exception as error:  # anything else is a bug
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrency is tested against PostgreSQL"
)
def test_two_pairs_booking_the_last_slot_at_once_exactly_one_wins(day):
    event, people, slots = day
    for slot in slots[1:]:  # every slot but one is taken
        slot.delete()
    last = slots[0]
    outcomes = _race(
        [
            lambda: services.meeting_book(
                event=event, slot=last, first=people[0], second=people[1]
            ),
            lambda: services.meeting_book(
                event=event, slot=last, first=people[2], second=people[3]
            ),
            lambda: services.meeting_book(
                event=event, slot=last, first=people[4], second=people[5]
            ),
        ]
    )
    assert outcomes == ["booked", "refused", "refused"]
    assert Meeting.objects.filter(slot=last).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrency is tested against PostgreSQL"
)
def test_one_participant_booked_into_two_tables_at_once_gets_one_meeting(day):
    event, people, slots = day
    same_time = [s for s in slots if s.starts_at == slots[0].starts_at]
    outcomes = _race(
        [
            lambda: services.meeting_book(
                event=event, slot=same_time[0], first=people[0], second=people[1]
            ),
            lambda: services.meeting_book(
                event=event, slot=same_time[1], first=people[0], second=people[2]
            ),
        ]
    )
    assert outcomes == ["booked", "refused"]
    assert Meeting.objects.filter(event=event).count() == 1
