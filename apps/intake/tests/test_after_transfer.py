"""A person handed over to another hub takes their requests along: the old hub loses the
requests with the person (page, API, actions), the new hub finds them on the card; a
consultation still booked with the old hub is cancelled, a past one moves with its request;
each move is on both hubs' audit trails. And when a person is out of a worker's scope while a
request of theirs is not (moved some other way), the worker still cannot act on them."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

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
)
from apps.registry import selectors as registry
from apps.registry import services as registry_services
from apps.registry.models import Person

from .conftest import at, next_monday

pytestmark = pytest.mark.django_db


def transfer_to_b(cast, person) -> None:
    """Hub B asks for the person, hub A's coordinator grants it."""
    b = actor_for(cast.registrar_b)
    ref = registry.transfer_ref_for(actor=b, match=registry.Match(person, 1.0))
    asked = registry_services.transfer_request(actor=b, transfer_ref=ref, reason="Переїхала")
    registry_services.transfer_decide(
        actor=actor_for(cast.coordinator_a), transfer_id=asked.pk, grant=True
    )


@pytest.fixture
def moved(cast, olena, make_request):
    """Олена's request, recorded at hub A, after Олена was handed over to hub B."""
    request = make_request(cast.registrar_a, olena, description="Потрібне житло, дитина хворіє")
    transfer_to_b(cast, olena)
    return request


def test_the_old_hub_loses_the_request_with_the_person(signed_in, cast, moved):
    client = signed_in(cast.registrar_a)

    assert client.get(reverse("intake:request-detail", args=[moved.pk])).status_code == 404
    assert client.get(f"/api/v1/requests/{moved.pk}").status_code == 404
    listed = client.get("/api/v1/requests").json()
    assert listed["count"] == 0 and "Ковальчук" not in json.dumps(listed, ensure_ascii=False)
    queue = client.get(reverse("intake:triage")).content.decode()
    assert "Ковальчук" not in queue


def test_the_new_hub_finds_the_request_on_the_card_with_its_history(signed_in, cast, moved):
    client = signed_in(cast.registrar_b)

    card = client.get(f"/persons/{moved.person_id}/").content.decode()
    page = client.get(reverse("intake:request-detail", args=[moved.pk]))

    assert reverse("intake:request-detail", args=[moved.pk]) in card
    body = page.content.decode()
    assert page.status_code == 200 and "Потрібне житло, дитина хворіє" in body
    assert cast.hub_b.display_name in body
    kinds = list(RequestEvent.objects.filter(request=moved).values_list("kind", flat=True))
    assert kinds == [EventKind.CREATED, EventKind.TRANSFERRED]  # the history is kept


def assert_cannot_act(actor, request, specialist) -> None:
    """Changing, moving on, assigning and booking the request are refused as not found, and
    nothing of it is saved."""
    version = Request.objects.get(pk=request.pk).version
    for change in (
        lambda: services.request_transition(
            actor=actor, request_id=request.pk, to="triaged", version=version
        ),
        lambda: services.request_assign(
            actor=actor, request_id=request.pk, assigned_to=specialist.pk, version=version
        ),
        lambda: services.request_update(
            actor=actor, request_id=request.pk, version=version, changes={"description": "Інше"}
        ),
    ):
        with pytest.raises(Http404):
            change()
    booking = {"specialist": specialist.pk, "starts_at": at(next_monday(), 10)}
    with pytest.raises(ValidationError) as refused:
        services.appointment_book(actor=actor, data={**booking, "request": str(request.pk)})
    assert refused.value.message_dict["request"] == ["Звернення не знайдено."]
    request.refresh_from_db()
    assert request.version == version and request.description != "Інше"
    assert not Appointment.objects.filter(status=AppointmentStatus.BOOKED).exists()


def test_the_old_hub_can_no_longer_act_on_the_request(cast, moved):
    assert_cannot_act(actor_for(cast.registrar_a), moved, cast.specialist_a)


def test_a_future_consultation_with_the_old_hub_is_cancelled_a_past_one_moves(
    signed_in, cast, olena, make_request, book
):
    request = make_request(cast.registrar_a, olena)
    past = book(cast.registrar_a, cast.specialist_a, at(next_monday(), 10), request=str(request.pk))
    future = book(
        cast.registrar_a, cast.specialist_a, at(next_monday(), 11), request=str(request.pk)
    )
    yesterday = timezone.now() - timedelta(days=1)
    Appointment.objects.filter(pk=past.pk).update(
        starts_at=yesterday, ends_at=yesterday + timedelta(minutes=45)
    )

    transfer_to_b(cast, olena)

    past.refresh_from_db()
    future.refresh_from_db()
    assert future.status == AppointmentStatus.CANCELLED
    assert future.cancel_reason == CancelReason.PERSON_TRANSFERRED
    assert future.cancelled_by == cast.coordinator_a
    assert past.status == AppointmentStatus.BOOKED and past.organisation == cast.hub_b
    assert future.organisation == cast.hub_b  # it stays with its request's history
    cancelled = AuditEvent.objects.get(event="intake.appointment.cancelled", object_id=future.pk)
    assert cancelled.reason == CancelReason.PERSON_TRANSFERRED
    assert cancelled.organisation_id == cast.hub_a.pk
    shown = signed_in(cast.registrar_b).get(f"/api/v1/requests/{request.pk}").json()
    assert [a["cancel_reason"] for a in shown["appointments"]] == ["", "person_transferred"]


def test_the_cancelled_consultation_frees_the_old_hubs_specialist(
    cast, olena, taras, make_request, book
):
    request = make_request(cast.registrar_a, olena)
    when = at(next_monday(), 10)
    book(cast.registrar_a, cast.specialist_a, when, request=str(request.pk))

    transfer_to_b(cast, olena)

    assert book(cast.registrar_a, cast.specialist_a, when, person=str(taras.pk)).pk


def test_each_moved_request_is_audited_on_both_sides(cast, olena, make_request):
    first, second = make_request(cast.registrar_a, olena), make_request(cast.registrar_a, olena)

    transfer_to_b(cast, olena)

    for request in (first, second):
        events = AuditEvent.objects.filter(event="intake.request.transferred", object_id=request.pk)
        assert {e.organisation_id for e in events} == {cast.hub_a.pk, cast.hub_b.pk}
        assert {e.community_id for e in events} == {cast.community_a.pk, cast.community_b.pk}
        assert all(e.actor == cast.coordinator_a for e in events)
    assert set(Request.objects.values_list("organisation", flat=True)) == {cast.hub_b.pk}


def test_a_refused_transfer_moves_nothing(cast, olena, make_request):
    request = make_request(cast.registrar_a, olena)
    b = actor_for(cast.registrar_b)
    ref = registry.transfer_ref_for(actor=b, match=registry.Match(olena, 1.0))
    asked = registry_services.transfer_request(actor=b, transfer_ref=ref, reason="Переїхала")

    registry_services.transfer_decide(
        actor=actor_for(cast.coordinator_a), transfer_id=asked.pk, grant=False
    )

    request.refresh_from_db()
    assert request.organisation == cast.hub_a
    assert not AuditEvent.objects.filter(event="intake.request.transferred").exists()


def test_a_request_whose_person_is_out_of_scope_cannot_be_acted_on(cast, olena, make_request):
    """Defence in depth: the request is still the hub's, the person no longer is."""
    request = make_request(cast.registrar_a, olena)
    Person.objects.filter(pk=olena.pk).update(community=cast.community_b, organisation=cast.hub_b)

    assert_cannot_act(actor_for(cast.registrar_a), request, cast.specialist_a)


def test_a_request_in_work_arrives_unassigned_in_the_new_hubs_queue(
    signed_in, cast, olena, make_request
):
    request = make_request(cast.registrar_a, olena)
    services.request_transition(
        actor=actor_for(cast.specialist_a), request_id=request.pk, to="in_work", version=1
    )

    transfer_to_b(cast, olena)

    request.refresh_from_db()
    assert (request.status, request.assigned_to) == ("triaged", None)
    queue = signed_in(cast.registrar_b).get(reverse("intake:triage")).content.decode()
    assert "Ковальчук Олена" in queue
