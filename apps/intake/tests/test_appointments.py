"""Booking primary consultations: free slots, conflict checks (specialist, room, person;
adjacent slots are fine), what booking does to the request, cancelling, scope and audit; and
two concurrent bookings of one slot on PostgreSQL."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.http import Http404
from django.utils import timezone

from apps.access.actor import actor_for
from apps.audit.models import Action, AuditEvent
from apps.intake import rules, selectors, services
from apps.intake.models import Appointment, AppointmentStatus, EventKind, Status

from .conftest import at, next_monday

pytestmark = pytest.mark.django_db


def starts(slots) -> list[str]:
    return [s.starts_at.astimezone(rules.HUB_TIME_ZONE).strftime("%H:%M") for s in slots]


def test_free_slots_are_the_grid_minus_booked_time(cast, staff, olena, book):
    day = next_monday()
    book(cast.registrar_a, cast.specialist_a, at(day, 9, 45), person=str(olena.pk))

    slots = selectors.free_slots(
        actor=actor_for(cast.registrar_a), specialist_id=cast.specialist_a.pk, day=day
    )

    assert len(slots) == 11 and "09:45" not in starts(slots)
    assert starts(slots)[:2] == ["09:00", "10:30"]
    other = selectors.free_slots(
        actor=actor_for(cast.registrar_a), specialist_id=cast.psychologist_a.pk, day=day
    )
    assert len(other) == 12  # another specialist's day is untouched


def test_slots_that_have_begun_are_not_offered(cast, monkeypatch):
    day = next_monday()
    monkeypatch.setattr(timezone, "now", lambda: at(day, 12, 30))  # Kyiv time

    slots = selectors.free_slots(
        actor=actor_for(cast.registrar_a), specialist_id=cast.specialist_a.pk, day=day
    )

    assert starts(slots)[0] == "12:45" and len(slots) == 7


def test_no_slots_for_a_specialist_of_another_hub_or_a_non_specialist(cast, staff):
    for user in (cast.specialist_b, cast.registrar_a, cast.partner_staff_a):
        with pytest.raises(Http404):
            selectors.free_slots(
                actor=actor_for(cast.registrar_a), specialist_id=user.pk, day=next_monday()
            )


@pytest.mark.parametrize("shared", ["specialist", "room", "person"])
def test_an_overlap_of_specialist_room_or_person_is_refused(
    cast, staff, olena, taras, room_a, book, shared
):
    day = next_monday()
    book(cast.registrar_a, cast.specialist_a, at(day, 10, 30), person=str(olena.pk), room=room_a.pk)
    second = {
        "specialist": (cast.specialist_a, taras, None),
        "room": (cast.psychologist_a, taras, room_a.pk),
        "person": (cast.psychologist_a, olena, None),
    }[shared]
    specialist, person, room = second

    with pytest.raises(services.SlotTaken) as exc_info:
        book(cast.registrar_a, specialist, at(day, 11, 0), person=str(person.pk), room=room)

    assert exc_info.value.reasons == [shared]
    assert Appointment.objects.count() == 1


def test_adjacent_slots_and_cancelled_time_are_fine(cast, olena, room_a, book):
    day = next_monday()
    first = book(cast.registrar_a, cast.specialist_a, at(day, 9), person=str(olena.pk))
    book(cast.registrar_a, cast.specialist_a, at(day, 9, 45), person=str(olena.pk))
    services.appointment_cancel(actor=actor_for(cast.registrar_a), appointment_id=first.pk)

    again = book(cast.registrar_a, cast.specialist_a, at(day, 9), person=str(olena.pk))

    assert again.status == AppointmentStatus.BOOKED
    assert Appointment.objects.filter(status=AppointmentStatus.BOOKED).count() == 2


def test_time_in_the_past_or_outside_the_hours_is_refused(cast, olena, book):
    for when in (
        timezone.now() - timedelta(hours=1),
        at(next_monday(), 17, 30),  # would end after 18:00
        at(next_monday() + timedelta(days=5), 10),  # Saturday
    ):
        with pytest.raises(ValidationError) as exc_info:
            book(cast.registrar_a, cast.specialist_a, when, person=str(olena.pk))
        assert set(exc_info.value.message_dict) == {"starts_at"}
    assert not Appointment.objects.exists()


def test_booking_for_a_request_triages_it_and_assigns_the_specialist(
    cast, olena, make_request, book
):
    request = make_request(cast.registrar_a, olena)

    appointment = book(
        cast.registrar_a, cast.specialist_a, at(next_monday(), 9), request=str(request.pk)
    )

    request.refresh_from_db()
    assert appointment.person == olena and appointment.organisation == cast.hub_a
    assert (request.status, request.assigned_to) == (Status.TRIAGED, cast.specialist_a)
    assert request.version == 2
    assert EventKind.BOOKED in request.events.values_list("kind", flat=True)
    event = AuditEvent.objects.get(event="intake.appointment.booked")
    assert (event.action, event.object_id) == (Action.CREATE, str(appointment.pk))
    assert event.organisation_id == cast.hub_a.pk


def test_a_request_or_person_of_another_hub_cannot_be_booked(
    cast, staff, bohdana, make_request, book
):
    request_b = make_request(cast.registrar_b, bohdana)
    with pytest.raises(ValidationError) as exc_info:
        book(cast.registrar_a, cast.specialist_a, at(next_monday(), 9), request=str(request_b.pk))
    assert set(exc_info.value.message_dict) == {"request"}
    with pytest.raises(ValidationError) as exc_info:
        book(cast.registrar_a, cast.specialist_a, at(next_monday(), 9), person=str(bohdana.pk))
    assert set(exc_info.value.message_dict) == {"person"}
    with pytest.raises(ValidationError) as exc_info:
        book(cast.registrar_b, cast.specialist_a, at(next_monday(), 9), person=str(bohdana.pk))
    assert set(exc_info.value.message_dict) == {"specialist"}
    assert not Appointment.objects.exists()


def test_cancelling_twice_and_cancelling_another_hubs_appointment(cast, staff, olena, book):
    appointment = book(
        cast.registrar_a, cast.specialist_a, at(next_monday(), 9), person=str(olena.pk)
    )
    with pytest.raises(Http404):
        services.appointment_cancel(
            actor=actor_for(cast.registrar_b), appointment_id=appointment.pk
        )

    services.appointment_cancel(actor=actor_for(cast.registrar_a), appointment_id=appointment.pk)

    with pytest.raises(services.AppointmentNotBooked):
        services.appointment_cancel(
            actor=actor_for(cast.registrar_a), appointment_id=appointment.pk
        )
    assert AuditEvent.objects.filter(event="intake.appointment.cancelled").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent connections")
def test_two_concurrent_bookings_of_one_slot_one_wins(cast, olena, taras):
    """Two threads, two connections, one slot of one specialist: exactly one booking."""
    when = at(next_monday(), 11, 15)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(person):
        try:
            barrier.wait()
            services.appointment_book(
                actor=actor_for(cast.registrar_a),
                data={
                    "specialist": cast.specialist_a.pk,
                    "starts_at": when,
                    "person": str(person.pk),
                },
            )
            outcomes.append("booked")
        except services.SlotTaken:
            outcomes.append("slot_taken")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(p,)) for p in (olena, taras)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["booked", "slot_taken"]
    assert Appointment.objects.filter(status=AppointmentStatus.BOOKED).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's exclusion constraints")
def test_postgresql_refuses_overlaps_written_past_the_service(cast, olena, book):
    from django.db import IntegrityError, transaction

    first = book(cast.registrar_a, cast.specialist_a, at(next_monday(), 9), person=str(olena.pk))
    overlapping = Appointment(
        community=first.community,
        organisation=first.organisation,
        specialist=first.specialist,
        person=first.person,
        starts_at=first.starts_at + timedelta(minutes=15),
        ends_at=first.ends_at + timedelta(minutes=15),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        overlapping.save()
