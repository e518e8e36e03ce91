"""Registrations: capacity under a row lock, waiting list, consent, attendance, materials and
the attendee list export."""

import io
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import translation
from openpyxl import load_workbook

from tests.stakeholders.conftest import make_event
from zora.stakeholders import services
from zora.stakeholders.models import Registration


@pytest.mark.django_db
def test_a_full_event_refuses_with_a_clear_message(world, client, event):
    for i in range(2):
        services.registration_create(
            event=event, name=f"Гост {i}", email=f"g{i}@example.org", consent=True
        )
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.registration_create(
            event=event, name="Третият", email="t@example.org", consent=True
        )
    assert refused.value.messages == ["Sorry, this event is full."]
    response = client.post(
        f"/en/events/{event.pk}/",
        {"name": "Четвърти", "email": "four@example.org", "consent": "on"},
    )
    assert response.status_code == 400
    assert "Sorry, this event is full." in response.content.decode()
    assert Registration.objects.filter(event=event).count() == 2


@pytest.mark.django_db
def test_the_public_form_registers_and_needs_consent(world, client, event):
    url = f"/en/events/{event.pk}/"
    response = client.post(url, {"name": "Мария", "email": "maria@example.org"})
    assert response.status_code == 400 and not Registration.objects.exists()
    response = client.post(
        url, {"name": "Мария", "email": "maria@example.org", "affiliation": "НПО", "consent": "on"}
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.consent_at is not None and registration.affiliation == "НПО"
    again = client.post(url, {"name": "Мария", "email": "MARIA@example.org", "consent": "on"})
    assert "already registered" in again.content.decode()


@pytest.mark.django_db
def test_a_waiting_list_fills_the_place_of_a_cancellation(world, event):
    event.waiting_list = True
    event.save()
    first, second = (
        services.registration_create(event=event, name=n, email=f"{n}@example.org", consent=True)
        for n in ("a", "b")
    )
    third = services.registration_create(event=event, name="c", email="c@example.org", consent=True)
    assert third.status == Registration.Status.WAITING
    services.registration_cancel(registration=first)
    third.refresh_from_db()
    assert third.status == Registration.Status.REGISTERED


@pytest.mark.django_db
def test_members_only_events_are_hidden_from_others(world, client, login):
    private = make_event(world.alpha, is_public=False)
    assert client.get(f"/en/events/{private.pk}/").status_code == 404
    assert login(world.charlie).get(f"/en/events/{private.pk}/").status_code == 404
    member = login(world.dave)
    assert member.get(f"/en/events/{private.pk}/").status_code == 200
    assert member.post(f"/en/events/{private.pk}/", {"action": "account"}).status_code == 302
    assert Registration.objects.get(event=private).user == world.dave
    # The anonymous form is refused for members-only events.
    assert client.post(f"/en/events/{private.pk}/", {"name": "x"}).status_code == 404


@pytest.mark.django_db
def test_editors_mark_attendance_and_export_the_attendee_list(world, login, event):
    event.capacity = None
    event.save()
    people = [
        services.registration_create(
            event=event, name=f"Участник {i}", email=f"u{i}@example.org", consent=True
        )
        for i in range(3)
    ]
    editor = login(world.bob)
    response = editor.post(
        f"/en/o/alpha/engage/events/{event.pk}/attendance/",
        {"present": [people[0].pk, people[2].pk]},
    )
    assert response.status_code == 302
    assert set(Registration.objects.filter(attended=True).values_list("pk", flat=True)) == {
        people[0].pk,
        people[2].pk,
    }
    csv = editor.get(f"/en/o/alpha/engage/events/{event.pk}/attendees.csv").content.decode()
    assert "Участник 1,u1@example.org" in csv and csv.count("\n") == 4
    xlsx = editor.get(f"/en/o/alpha/engage/events/{event.pk}/attendees.xlsx").content
    rows = list(load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True))
    assert rows[1][1] == "Участник 0" and rows[1][5] == "yes" and rows[2][5] == "no"
    # Viewers neither mark attendance nor see the list.
    viewer = login(world.dave)
    assert viewer.post(f"/en/o/alpha/engage/events/{event.pk}/attendance/", {}).status_code == 403
    assert viewer.get(f"/en/o/alpha/engage/events/{event.pk}/attendees.csv").status_code == 403
    assert (
        "u1@example.org"
        not in viewer.get(f"/en/o/alpha/engage/events/{event.pk}/").content.decode()
    )


@pytest.mark.django_db
def test_materials_are_files_or_links(world, login, event, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    editor = login(world.bob)
    url = f"/en/o/alpha/engage/events/{event.pk}/materials/"
    assert (
        editor.post(
            url, {"title": "Слайдове", "file": SimpleUploadedFile("s.pdf", b"%PDF-1.4")}
        ).status_code
        == 302
    )
    assert (
        editor.post(url, {"title": "Запис", "url": "https://example.org/video"}).status_code == 302
    )
    assert editor.post(url, {"title": "Нищо"}).status_code == 400
    page = editor.get(f"/en/events/{event.pk}/").content.decode()
    assert "Слайдове" in page and "https://example.org/video" in page


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrency is tested against PostgreSQL"
)
def test_the_last_place_goes_to_exactly_one_of_many(world):
    event = make_event(world.alpha, capacity=1)
    barrier = threading.Barrier(6)
    outcomes: list[str] = []

    def register(i: int) -> None:
        try:
            barrier.wait()
            services.registration_create(
                event=event, name=f"n{i}", email=f"n{i}@example.org", consent=True
            )
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("full")
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["full"] * 5 + ["ok"]
    assert Registration.objects.filter(event=event).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_registration_is_confirmed_by_e_mail_in_the_page_language(
    world, client, event, mailoutbox
):
    response = client.post(
        f"/en/events/{event.pk}/",
        {"name": "Мария", "email": "maria@example.org", "consent": "on"},
    )
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["maria@example.org"]
    assert message.subject.startswith("Registration: ")
    assert "is kept" in message.body and "When:" in message.body
