"""Readers of intake, always for an acting user and through the access policy.

Lists (the triage queue, a person's requests) are scoped and not audited, like the registry's
search; opening one request (``request_read``) is an audited read.
"""

from datetime import date, datetime
from uuid import UUID

from django.contrib.auth import get_user_model
from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access import policies
from apps.access.actor import Actor
from apps.access.roles import ROLE_PERMISSIONS, Perm, Role
from apps.directory.models import Organisation, OrganisationKind, Room

from . import rules
from .models import Appointment, AppointmentStatus, Need, Request, RequestEvent

User = get_user_model()

# Staff who can be booked for a consultation.
BOOKABLE_ROLES = (Role.SPECIALIST, Role.PSYCHOLOGIST)


def needs_active() -> QuerySet[Need]:
    """The taxonomy a new request chooses from (not personal data: no actor needed)."""
    return Need.objects.filter(active=True)


# --- hubs and staff -------------------------------------------------------------------------


def need_choices() -> list[tuple[str, str]]:
    """The active needs as ``(code, label)`` in the user's language, for other contexts."""
    return [(need.code, need.display_name) for need in needs_active()]


def hubs_for(actor: Actor, perm: str = Perm.REQUESTS_READ) -> list[Organisation]:
    """The active hubs where the actor works with ``perm`` (the triage queue's hub picker)."""
    hubs = Organisation.objects.filter(kind=OrganisationKind.HUB, is_active=True).select_related(
        "community"
    )
    return [
        hub
        for hub in hubs
        if policies.covers(actor, perm, community=hub.community, organisation=hub)
    ]


def _members_of(hub: Organisation, roles) -> QuerySet:
    """Active users holding one of ``roles`` in ``hub``: a membership naming the hub, or its
    community with no organisation."""
    at_hub = Q(memberships__organisation=hub) | Q(
        memberships__organisation__isnull=True, memberships__community=hub.community_id
    )
    return (
        User.objects.filter(at_hub, is_active=True, memberships__role__in=list(roles))
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def _require_hub(actor: Actor, perm: str, hub: Organisation) -> None:
    if not policies.covers(actor, perm, community=hub.community, organisation=hub):
        raise Http404(_("Не знайдено."))


def bookable_specialists(*, actor: Actor, hub: Organisation) -> QuerySet:
    """Specialists and psychologists of ``hub`` (``Http404`` unless the actor books there)."""
    _require_hub(actor, Perm.APPOINTMENTS_WRITE, hub)
    return _members_of(hub, BOOKABLE_ROLES)


def assignable_workers(*, actor: Actor, hub: Organisation) -> QuerySet:
    """Staff of ``hub`` who work on requests (``Http404`` unless the actor writes there)."""
    _require_hub(actor, Perm.REQUESTS_WRITE, hub)
    roles = [role for role, perms in ROLE_PERMISSIONS.items() if Perm.REQUESTS_WRITE in perms]
    return _members_of(hub, [r for r in roles if r != Role.ADMIN])


def rooms_of(*, actor: Actor, hub: Organisation) -> QuerySet[Room]:
    _require_hub(actor, Perm.APPOINTMENTS_WRITE, hub)
    return Room.objects.filter(location__organisation=hub).select_related("location")


# --- requests -------------------------------------------------------------------------------


def _request_qs() -> QuerySet[Request]:
    return Request.objects.select_related(
        "person", "organisation", "community", "assigned_to", "created_by"
    ).prefetch_related("needs")


def _detail_qs() -> QuerySet[Request]:
    return _request_qs().prefetch_related(
        Prefetch("events", queryset=RequestEvent.objects.select_related("actor", "assigned_to")),
        Prefetch(
            "appointments",
            queryset=Appointment.objects.select_related("specialist", "room").order_by("starts_at"),
        ),
    )


def request_get(*, actor: Actor, request_id: UUID | str, perm: str = Perm.REQUESTS_READ) -> Request:
    """The request, or ``Http404`` for missing and not-yours alike (not audited as a read:
    for a change that audits itself)."""
    return policies.get_for(actor, perm, _request_qs(), pk=request_id)


def request_read(*, actor: Actor, request_id: UUID | str) -> Request:
    """The request with its history and appointments, for showing: one audited READ."""
    return policies.read_for(actor, Perm.REQUESTS_READ, _detail_qs(), pk=request_id)


def request_read_for_write(*, actor: Actor, request_id: UUID | str) -> Request:
    """The request the actor may change, for showing on a page that acts on it (booking its
    consultation): one audited READ, or ``Http404``."""
    return policies.read_for(actor, Perm.REQUESTS_WRITE, _request_qs(), pk=request_id)


def request_list(
    *,
    actor: Actor,
    status: str | None = None,
    person_id: UUID | str | None = None,
    organisation_id: int | None = None,
) -> QuerySet[Request]:
    """Requests the actor may see, newest first, optionally filtered."""
    policies.require(actor, Perm.REQUESTS_READ)
    qs = policies.scoped(_request_qs(), actor, Perm.REQUESTS_READ)
    if status:
        qs = qs.filter(status=status)
    if person_id:
        qs = qs.filter(person_id=person_id)
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    return qs.order_by("-created_at")


def requests_of_person(*, actor: Actor, person_id: UUID | str) -> QuerySet[Request]:
    return request_list(actor=actor, person_id=person_id)


def _rank(field: str, values) -> Case:
    return Case(
        *[When(**{field: value}, then=Value(i)) for i, value in enumerate(values)],
        default=Value(len(values)),
        output_field=IntegerField(),
    )


def triage_queue(*, actor: Actor, organisation: Organisation) -> QuerySet[Request]:
    """Open requests of the hub waiting for work: new before triaged, then critical, urgent,
    normal, then the oldest first."""
    _require_hub(actor, Perm.REQUESTS_READ, organisation)
    qs = policies.scoped(_request_qs(), actor, Perm.REQUESTS_READ).filter(
        organisation=organisation, status__in=rules.QUEUE_STATUSES
    )
    return qs.annotate(
        status_rank=_rank("status", rules.QUEUE_STATUSES),
        urgency_rank=_rank("urgency", rules.URGENCY_ORDER),
    ).order_by("status_rank", "urgency_rank", "created_at", "id")


# --- appointments ---------------------------------------------------------------------------


def appointment_get(
    *, actor: Actor, appointment_id: UUID | str, perm: str = Perm.APPOINTMENTS_READ
) -> Appointment:
    qs = Appointment.objects.select_related("organisation", "specialist", "person", "request")
    return policies.get_for(actor, perm, qs, pk=appointment_id)


def busy_intervals(
    *, specialist_id=None, person_id=None, room_id=None, starts_at: datetime, ends_at: datetime
) -> QuerySet[Appointment]:
    """Booked appointments overlapping the interval that share the specialist, the person or
    the room (any hub: a specialist or a person is in one place at a time). Not scoped: the
    services use it for the conflict check and show only what kind of conflict it was."""
    shared = Q(pk__in=[])
    if specialist_id:
        shared |= Q(specialist_id=specialist_id)
    if person_id:
        shared |= Q(person_id=person_id)
    if room_id:
        shared |= Q(room_id=room_id)
    return Appointment.objects.filter(
        shared, status=AppointmentStatus.BOOKED, starts_at__lt=ends_at, ends_at__gt=starts_at
    )


def specialist_hub(*, actor: Actor, specialist_id: int) -> Organisation:
    """A hub where the actor books and ``specialist_id`` can be booked, or ``Http404``."""
    for hub in hubs_for(actor, Perm.APPOINTMENTS_WRITE):
        if _members_of(hub, BOOKABLE_ROLES).filter(pk=specialist_id).exists():
            return hub
    raise Http404(_("Не знайдено."))


def free_slots(*, actor: Actor, specialist_id: int, day: date) -> list[rules.Slot]:
    """The specialist's free slots on ``day`` (Kyiv time): the working hours' grid minus booked
    appointments of the specialist, without slots that have already begun. ``Http404`` unless
    the specialist can be booked in a hub of the actor."""
    specialist_hub(actor=actor, specialist_id=specialist_id)
    slots = [s for s in rules.day_slots(day) if s.starts_at > timezone.now()]
    if not slots:
        return []
    busy = list(
        busy_intervals(
            specialist_id=specialist_id, starts_at=slots[0].starts_at, ends_at=slots[-1].ends_at
        ).values_list("starts_at", "ends_at")
    )
    return [s for s in slots if not any(s.overlaps(start, end) for start, end in busy)]
