"""A duplicate record merged into the kept one takes its requests and appointments along: the
kept person's card lists them, their history notes the merge, a booking at the same time as one
of the kept person's is cancelled, and requests held by another hub move to the kept person's
hub as on a transfer. Every change is audited in the merge's transaction."""

import pytest
from django.urls import reverse

from apps.access.actor import actor_for
from apps.audit.models import AuditEvent
from apps.intake import services
from apps.intake.models import (
    Appointment,
    AppointmentStatus,
    CancelReason,
    EventKind,
    Request,
    RequestEvent,
    Status,
)
from apps.registry import services as registry_services

from .conftest import at, next_monday

pytestmark = pytest.mark.django_db


def register_again(user, community, **data):
    """Олена Ковальчук registered a second time, with the duplicate check confirmed away."""
    data = {
        "last_name": "Ковальчук",
        "first_name": "Олена",
        "birth_date": "1979-05-02",
        "sex": "female",
        "community": community.code,
        **data,
    }
    return registry_services.person_register(
        actor=actor_for(user), data=data, confirm_not_duplicate=True
    ).person


def merge(user, keep, duplicate):
    return registry_services.person_merge(
        actor=actor_for(user), keep_id=keep.pk, duplicate_id=duplicate.pk, reason="Та сама особа"
    )


def kinds(request) -> list[str]:
    return list(RequestEvent.objects.filter(request=request).values_list("kind", flat=True))


def test_the_duplicates_request_follows_the_kept_record(signed_in, cast, olena, make_request):
    duplicate = register_again(cast.registrar_a, cast.community_a, first_name="Алена")
    request = make_request(cast.registrar_a, duplicate, description="Потрібне житло")

    merge(cast.coordinator_a, olena, duplicate)

    request.refresh_from_db()
    assert request.person_id == olena.pk and request.version == 2
    assert request.organisation == cast.hub_a  # the same hub holds both records
    assert kinds(request) == [EventKind.CREATED, EventKind.MERGED]
    client = signed_in(cast.registrar_a)
    card = client.get(f"/persons/{olena.pk}/").content.decode()
    assert reverse("intake:request-detail", args=[request.pk]) in card
    page = client.get(reverse("intake:request-detail", args=[request.pk])).content.decode()
    assert "Записи особи об&#x27;єднано" in page and "Ковальчук Олена" in page
    (event,) = AuditEvent.objects.filter(event="intake.request.merged", object_id=request.pk)
    assert event.actor == cast.coordinator_a and event.changed_fields == ["person"]
    assert event.reason == f"{duplicate.pk} → {olena.pk}"
    # The request is worked on as the kept person's, at its new version.
    services.request_transition(
        actor=actor_for(cast.registrar_a), request_id=request.pk, to="triaged", version=2
    )


def test_a_booking_at_the_same_time_as_the_kept_persons_is_cancelled(
    cast, staff, olena, make_request, book
):
    duplicate = register_again(cast.registrar_a, cast.community_a, first_name="Алена")
    day = next_monday()
    kept_booking = book(cast.registrar_a, cast.specialist_a, at(day, 10), person=str(olena.pk))
    request = make_request(cast.registrar_a, duplicate)
    same_time = book(cast.registrar_a, cast.psychologist_a, at(day, 10), request=str(request.pk))
    later = book(cast.registrar_a, cast.specialist_a, at(day, 12), request=str(request.pk))

    merge(cast.coordinator_a, olena, duplicate)

    same_time.refresh_from_db()
    later.refresh_from_db()
    kept_booking.refresh_from_db()
    assert (same_time.status, same_time.cancel_reason) == (
        AppointmentStatus.CANCELLED,
        CancelReason.PERSON_MERGED,
    )
    assert later.status == AppointmentStatus.BOOKED and kept_booking.status == "booked"
    assert set(Appointment.objects.values_list("person", flat=True)) == {olena.pk}
    assert EventKind.CANCELLED in kinds(request)
    moved = AuditEvent.objects.filter(event="intake.appointment.merged")
    assert {e.object_id for e in moved} == {str(same_time.pk), str(later.pk)}


def test_requests_held_by_another_hub_move_to_the_kept_persons_hub(
    cast, staff, olena, make_request, book
):
    """An administrator merges a record hub B made into hub A's: its request arrives
    unassigned in hub A's queue, its consultation ahead with hub B is cancelled."""
    duplicate = register_again(cast.registrar_b, cast.community_b)
    request = make_request(cast.registrar_b, duplicate)
    booked = book(
        cast.registrar_b, cast.specialist_b, at(next_monday(), 10), request=str(request.pk)
    )
    request.refresh_from_db()
    assert request.assigned_to == cast.specialist_b

    merge(cast.admin, olena, duplicate)

    request.refresh_from_db()
    booked.refresh_from_db()
    assert (request.person_id, request.organisation, request.community) == (
        olena.pk,
        cast.hub_a,
        cast.community_a,
    )
    assert request.assigned_to is None and request.status == Status.TRIAGED
    assert request.version == 3  # booked once, merged once
    assert kinds(request)[-4:] == [
        EventKind.CANCELLED,
        EventKind.MERGED,
        EventKind.TRANSFERRED,
        EventKind.ASSIGNED,  # unassigned: its worker stays with hub B
    ]
    assert booked.status == AppointmentStatus.CANCELLED and booked.organisation == cast.hub_a
    assert booked.cancel_reason == CancelReason.PERSON_MERGED
    moves = AuditEvent.objects.filter(event="intake.request.transferred", object_id=request.pk)
    assert {e.organisation_id for e in moves} == {cast.hub_a.pk, cast.hub_b.pk}


def test_a_merge_without_requests_touches_none(cast, olena, taras, make_request):
    duplicate = register_again(cast.registrar_a, cast.community_a, first_name="Алена")
    other = make_request(cast.registrar_a, taras)

    merge(cast.coordinator_a, olena, duplicate)

    assert Request.objects.get(pk=other.pk).version == 1
    assert not AuditEvent.objects.filter(event="intake.request.merged").exists()
