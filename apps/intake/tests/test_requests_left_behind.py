"""The data migration ``0005_move_requests_left_behind``: requests and appointments left with a
hub that handed their person over before requests followed transfers, or pointing at a record
merged before requests followed merges, are moved as the services move them now. The
migration's function runs on the current models (its historical models are the same)."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
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
    Status,
)
from apps.registry.models import AccessTransfer, Person, TransferStatus

from .conftest import at, next_monday

MIGRATION = importlib.import_module("apps.intake.migrations.0005_move_requests_left_behind")

pytestmark = pytest.mark.django_db


def run_migration() -> int:
    return MIGRATION.move_requests_left_behind(apps, None)


def kinds(request) -> list[str]:
    return list(RequestEvent.objects.filter(request=request).values_list("kind", flat=True))


def handed_over_long_ago(cast, person) -> None:
    """A transfer to hub B granted when the person moved alone (no signal, no receiver)."""
    AccessTransfer.objects.create(
        person=person,
        from_community=cast.community_a,
        from_organisation=cast.hub_a,
        to_community=cast.community_b,
        to_organisation=cast.hub_b,
        reason="Переїхала",
        requested_by=cast.registrar_b,
        status=TransferStatus.GRANTED,
        decided_by=cast.coordinator_a,
        decided_at=timezone.now() - timedelta(days=30),
    )
    Person.objects.filter(pk=person.pk).update(community=cast.community_b, organisation=cast.hub_b)


def test_requests_left_with_the_old_hub_move_to_the_persons_hub(
    signed_in, cast, olena, make_request, book
):
    request = make_request(cast.registrar_a, olena, description="Потрібне житло")
    services.request_transition(
        actor=actor_for(cast.specialist_a), request_id=request.pk, to="in_work", version=1
    )
    booked = book(cast.registrar_a, cast.specialist_a, at(next_monday(), 10), person=str(olena.pk))
    handed_over_long_ago(cast, olena)
    assert signed_in(cast.registrar_b).get(f"/api/v1/requests/{request.pk}").status_code == 404

    assert run_migration() == 2

    request.refresh_from_db()
    booked.refresh_from_db()
    assert (request.organisation, request.community) == (cast.hub_b, cast.community_b)
    assert (request.status, request.assigned_to, request.version) == (Status.TRIAGED, None, 3)
    assert kinds(request)[-3:] == [EventKind.TRANSFERRED, EventKind.ASSIGNED, EventKind.STATUS]
    assert booked.organisation == cast.hub_b and booked.status == AppointmentStatus.CANCELLED
    assert booked.cancel_reason == CancelReason.PERSON_TRANSFERRED
    moves = AuditEvent.objects.filter(event="intake.request.transferred", object_id=request.pk)
    assert {e.organisation_id for e in moves} == {cast.hub_a.pk, cast.hub_b.pk}
    assert all(e.actor is None for e in moves)
    shown = signed_in(cast.registrar_b).get(f"/api/v1/requests/{request.pk}")
    assert shown.status_code == 200 and shown.json()["description"] == "Потрібне житло"
    assert run_migration() == 0  # nothing is left behind any more


def test_a_person_transferred_back_keeps_the_requests_of_the_hub_holding_them(
    cast, olena, make_request
):
    request = make_request(cast.registrar_a, olena)
    handed_over_long_ago(cast, olena)
    Person.objects.filter(pk=olena.pk).update(community=cast.community_a, organisation=cast.hub_a)

    assert run_migration() == 0

    request.refresh_from_db()
    assert request.organisation == cast.hub_a and request.version == 1


def test_requests_of_merged_records_follow_to_the_end_of_the_chain(
    cast, staff, olena, make_request, book
):
    """Records merged before requests followed: first into second into Олена."""
    records = [
        Person.objects.create(
            community=cast.community_a,
            organisation=cast.hub_a,
            last_name="Ковальчук",
            first_name=name,
            birth_date=olena.birth_date,
            birth_year=olena.birth_year,
            sex="female",
        )
        for name in ("Алена", "Олєна")
    ]
    requests = [make_request(cast.registrar_a, person) for person in records]
    day = next_monday()
    kept_booking = book(cast.registrar_a, cast.specialist_a, at(day, 10), person=str(olena.pk))
    same_time = book(
        cast.registrar_a, cast.psychologist_a, at(day, 10), request=str(requests[0].pk)
    )
    Person.objects.filter(pk=records[0].pk).update(merged_into=records[1])
    Person.objects.filter(pk=records[1].pk).update(merged_into=olena)
    versions = [Request.objects.get(pk=r.pk).version for r in requests]  # booking took one

    assert run_migration() == 3

    assert set(Request.objects.values_list("person", flat=True)) == {olena.pk}
    for request, version in zip(requests, versions, strict=True):
        request.refresh_from_db()
        assert request.version == version + 1 and EventKind.MERGED in kinds(request)
        (event,) = AuditEvent.objects.filter(event="intake.request.merged", object_id=request.pk)
        assert event.reason.endswith(f"→ {olena.pk}") and event.actor is None
    same_time.refresh_from_db()
    kept_booking.refresh_from_db()
    assert (same_time.person_id, same_time.status) == (olena.pk, AppointmentStatus.CANCELLED)
    assert same_time.cancel_reason == CancelReason.PERSON_MERGED
    assert kept_booking.status == AppointmentStatus.BOOKED
    assert Appointment.objects.filter(person__merged_into__isnull=False).count() == 0
    assert run_migration() == 0
