"""Write workflows of intake: one transaction each, audited inside.

Refusals: ``ValidationError`` keyed by field (every problem at once, nothing saved);
``PermissionDenied`` or ``Http404`` from the access policy; ``EditConflict`` when the version
sent is not the current one (both values come back); ``TransitionRefused`` for a status change
the rules do not allow; ``SlotTaken`` when the specialist, the person or the room is booked at
that time already.

Decisions:

- Every change names the ``version`` it was based on (required, no silent overwrite).
- **Requests follow the person.** A granted transfer of access moves the person's requests
  and appointments to the new hub in the grant's transaction (``requests_follow_person``, the
  receiver of ``apps.registry.signals.person_transferred``). As defence in depth every change
  of a request or booking also checks that the actor may still change its person.
- **Requests follow a merge.** When a duplicate record is merged into the kept one, the
  duplicate's requests and appointments become the kept person's in the merge's transaction
  (``requests_follow_merge``, the receiver of ``apps.registry.signals.person_merged``): each
  request notes the merge in its history and takes a new version. Those held by another hub than
  the kept person's move there as on a transfer. A booked appointment of the duplicate that
  would overlap one of the kept person's is cancelled (``CancelReason.PERSON_MERGED``): one
  person cannot be in two places at once.
"""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access import policies
from apps.access.actor import Actor
from apps.access.roles import Perm
from apps.audit import services as audit
from apps.directory.models import Organisation
from apps.registry import selectors as registry
from apps.registry.models import Person

from . import rules, selectors
from .models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    CancelReason,
    Channel,
    CloseReason,
    EventKind,
    Request,
    RequestEvent,
    Status,
    Urgency,
)

DESCRIPTION_MAX = 5000
NOTE_MAX = 2000
EDITABLE = ("needs", "channel", "urgency", "description", "due_date")


class EditConflict(Exception):
    """Someone changed the request since the version the change was based on. ``conflicts``:
    ``{"field", "yours", "theirs"}`` for each field sent, and for ``version``."""

    def __init__(self, conflicts: list[dict]) -> None:
        super().__init__("edit_conflict")
        self.conflicts = conflicts


class TransitionRefused(Exception):
    def __init__(self, from_status: str, to_status: str) -> None:
        super().__init__(f"{from_status} → {to_status}")
        self.from_status, self.to_status = from_status, to_status


class SlotTaken(Exception):
    """``reasons``: which of ``specialist``, ``person``, ``room`` is booked at that time."""

    def __init__(self, reasons: Iterable[str]) -> None:
        self.reasons = sorted(set(reasons))
        super().__init__(", ".join(self.reasons))


class AppointmentNotBooked(Exception):
    """Only a booked appointment can be cancelled."""


# --- reading the input ----------------------------------------------------------------------


def _text(data: dict, name: str) -> str:
    value = data.get(name)
    return value.strip() if isinstance(value, str) else ""


def _required() -> ValidationError:
    return ValidationError(_("Обов'язкове поле."), code="required")


def _choice(data: dict, name: str, choices, errors: dict, *, default: str = "") -> str:
    value = _text(data, name) or default
    if not value:
        errors.setdefault(name, []).append(_required())
    elif value not in choices.values:
        errors.setdefault(name, []).append(
            ValidationError(_("Неприпустиме значення."), code="invalid_choice")
        )
        value = ""
    return value


def _needs(data: dict, errors: dict) -> list:
    codes = data.get("needs") or []
    if not codes:
        errors.setdefault("needs", []).append(
            ValidationError(_("Оберіть принаймні одну потребу."), code="required")
        )
        return []
    known = {n.code: n for n in selectors.needs_active().filter(code__in=codes)}
    needs = []
    for i, code in enumerate(codes):
        if code not in known:
            errors.setdefault(f"needs[{i}]", []).append(
                ValidationError(_("Немає такої потреби в переліку."), code="unknown_need")
            )
        elif known[code] not in needs:
            needs.append(known[code])
    return needs


def _description(data: dict, errors: dict) -> str:
    text = _text(data, "description")
    if len(text) > DESCRIPTION_MAX:
        errors.setdefault("description", []).append(
            ValidationError(
                _("Максимальна довжина: %(max)s.") % {"max": DESCRIPTION_MAX}, code="too_long"
            )
        )
    return text


def _due_date(data: dict, errors: dict) -> date | None:
    value = data.get("due_date")
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            value = None
    if not isinstance(value, date):
        errors.setdefault("due_date", []).append(
            ValidationError(_("Потрібна дата у форматі РРРР-ММ-ДД."), code="invalid")
        )
        return None
    if value < rules.local_today():
        errors.setdefault("due_date", []).append(
            ValidationError(_("Строк не може бути в минулому."), code="past")
        )
        return None
    return value


def _note(data: dict, errors: dict) -> str:
    note = _text(data, "note")
    if len(note) > NOTE_MAX:
        errors.setdefault("note", []).append(
            ValidationError(_("Максимальна довжина: %(max)s.") % {"max": NOTE_MAX}, code="too_long")
        )
    return note


def _raise_if(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _person(actor: Actor, person_id: Any, errors: dict) -> Person | None:
    """The person the actor may work with; missing and not-yours alike are one field error."""
    if not person_id:
        errors.setdefault("person", []).append(_required())
        return None
    try:
        UUID(str(person_id))
        return registry.person_for_write(actor=actor, person_id=person_id)
    except (ValueError, Http404):
        errors.setdefault("person", []).append(
            ValidationError(_("Особу не знайдено."), code="not_found")
        )
        return None


def _hub_for(actor: Actor, perm: str, person: Person) -> Organisation:
    """The hub that takes the person's request: the actor's own hub covering the person, else
    the hub holding the person (an actor whose grant names no hub: a community or global one)."""
    grants = policies.covering_grants(
        actor, perm, community=person.community, organisation=person.organisation_id
    )
    if not grants:
        policies.deny(actor, reason=f"{perm} {person.pk}")
    hub_id = next((g.organisation_id for g in grants if g.organisation_id), None)
    hub_id = hub_id or person.organisation_id
    if hub_id is None:
        raise ValidationError(
            {"person": [ValidationError(_("Особа не належить до жодного хабу."), code="no_hub")]}
        )
    return Organisation.objects.select_related("community").get(pk=hub_id)


# --- requests -------------------------------------------------------------------------------


def _event(request: Request, actor: Actor, kind: str, **fields) -> RequestEvent:
    return RequestEvent.objects.create(request=request, actor=actor.user, kind=kind, **fields)


def request_create(*, actor: Actor, data: dict[str, Any]) -> Request:
    """Records a request of ``data["person"]`` at the actor's hub. ``data``: ``person``,
    ``needs`` (codes), ``channel``, ``urgency`` (default normal), ``description``,
    ``due_date`` (default by urgency, ``rules.default_due_date``)."""
    policies.require(actor, Perm.REQUESTS_WRITE)
    errors: dict[str, list] = {}
    person = _person(actor, data.get("person"), errors)
    needs = _needs(data, errors)
    channel = _choice(data, "channel", Channel, errors)
    urgency = _choice(data, "urgency", Urgency, errors, default=Urgency.NORMAL)
    description = _description(data, errors)
    due_date = _due_date(data, errors)
    _raise_if(errors)
    hub = _hub_for(actor, Perm.REQUESTS_WRITE, person)

    with transaction.atomic():
        request = Request.objects.create(
            person=person,
            community=hub.community,
            organisation=hub,
            channel=channel,
            urgency=urgency,
            description=description,
            due_date=due_date or rules.default_due_date(urgency, rules.local_today()),
            created_by=actor.user,
        )
        request.needs.set(needs)
        _event(request, actor, EventKind.CREATED, to_status=Status.NEW)
        given = ["person", "needs", "channel", "urgency", "due_date"]
        audit.record(
            actor=actor,
            action=audit.Action.CREATE,
            event="intake.request.created",
            target=request,
            changed_fields=[*given, *(["description"] if description else [])],
        )
    return request


def _check_writable(actor: Actor, request_id: UUID | str) -> Request:
    """The request, or ``Http404`` unless the actor may change it and still works with its
    person (defence in depth: a request must not outlive its person's move to another hub).
    Called before the transaction of the change, so that a refusal's audit event is kept."""
    request = selectors.request_get(actor=actor, request_id=request_id, perm=Perm.REQUESTS_WRITE)
    registry.person_for_write(actor=actor, person_id=request.person_id)
    return request


def _locked(actor: Actor, request_id: UUID | str) -> Request:
    """The request, locked for the rest of the transaction; ``Http404`` if it left the actor's
    scope since ``_check_writable`` (its person was handed over meanwhile)."""
    request = (
        Request.objects.select_for_update(of=("self",))
        .select_related("organisation", "community", "assigned_to")
        .get(pk=request_id)
    )
    if not policies.covers(
        actor,
        Perm.REQUESTS_WRITE,
        community=request.community,
        organisation=request.organisation_id,
    ):
        raise Http404(_("Не знайдено."))
    return request


def _shown(field: str, value: Any) -> Any:
    """A value as the API shows it (for the two sides of an edit conflict)."""
    if field == "needs":
        return sorted(n.code for n in value)
    if isinstance(value, date):
        return value.isoformat()
    return getattr(value, "pk", value)


def _current(request: Request, field: str) -> Any:
    value = getattr(request, field)
    return list(value.all()) if field == "needs" else value


def _check_version(request: Request, version: int, yours: dict[str, Any]) -> None:
    if version == request.version:
        return
    conflicts = [
        {
            "field": field,
            "yours": _shown(field, value),
            "theirs": _shown(field, _current(request, field)),
        }
        for field, value in yours.items()
    ]
    conflicts.append({"field": "version", "yours": version, "theirs": request.version})
    raise EditConflict(conflicts)


def _saved(request: Request, actor: Actor, *, event: str, changed: list[str]) -> Request:
    request.version += 1
    request.save()
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        event=event,
        target=request,
        changed_fields=changed,
    )
    return request


def request_update(
    *, actor: Actor, request_id: UUID | str, version: int, changes: dict[str, Any]
) -> Request:
    """Changes the fields in ``changes`` (any of ``EDITABLE``) of a request at ``version``.
    A new urgency without a due date moves the due date to that urgency's default."""
    errors: dict[str, list] = {}
    clean: dict[str, Any] = {}
    if "needs" in changes:
        clean["needs"] = _needs(changes, errors)
    if "channel" in changes:
        clean["channel"] = _choice(changes, "channel", Channel, errors)
    if "urgency" in changes:
        clean["urgency"] = _choice(changes, "urgency", Urgency, errors)
    if "description" in changes:
        clean["description"] = _description(changes, errors)
    if "due_date" in changes:
        clean["due_date"] = _due_date(changes, errors) or None
    _raise_if(errors)

    _check_writable(actor, request_id)
    with transaction.atomic():
        request = _locked(actor, request_id)
        _check_version(request, version, clean)
        if clean.get("urgency") and "due_date" not in clean:
            received = timezone.localtime(request.created_at, rules.HUB_TIME_ZONE).date()
            clean["due_date"] = rules.default_due_date(clean["urgency"], received)
        if "due_date" in clean and clean["due_date"] is None:
            del clean["due_date"]
        changed = [f for f, v in clean.items() if _shown(f, v) != _shown(f, _current(request, f))]
        if not changed:
            return request
        for field in changed:
            if field == "needs":
                request.needs.set(clean["needs"])
            else:
                setattr(request, field, clean[field])
        _event(request, actor, EventKind.UPDATED, changed_fields=changed)
        return _saved(request, actor, event="intake.request.updated", changed=changed)


def _set_status(request: Request, actor: Actor, to: str, *, reason: str = "", note: str = ""):
    _event(
        request,
        actor,
        EventKind.STATUS,
        from_status=request.status,
        to_status=to,
        reason=reason,
        note=note,
    )
    request.status = to


def request_transition(
    *,
    actor: Actor,
    request_id: UUID | str,
    to: str,
    version: int,
    reason: str = "",
    note: str = "",
) -> Request:
    """Moves a request to status ``to`` (``rules.TRANSITIONS``). Closing needs a ``reason``
    (``CloseReason``; a note too for "other"); reopening a closed request needs a note. Taking
    a request into work without a worker assigns the acting user."""
    errors: dict[str, list] = {}
    data = {"to": to, "reason": reason, "note": note}
    to = _choice(data, "to", Status, errors)
    note = _note(data, errors)
    _raise_if(errors)

    _check_writable(actor, request_id)
    with transaction.atomic():
        request = _locked(actor, request_id)
        _check_version(request, version, {"status": to})
        if not rules.allowed(request.status, to):
            raise TransitionRefused(request.status, to)
        if to == Status.CLOSED:
            reason = _choice(data, "reason", CloseReason, errors)
            if reason == CloseReason.OTHER and not note:
                errors.setdefault("note", []).append(
                    ValidationError(_("Поясніть причину закриття."), code="required")
                )
        elif rules.is_reopening(request.status, to) and not note:
            errors.setdefault("note", []).append(
                ValidationError(_("Поясніть, чому звернення відкрито знову."), code="required")
            )
        _raise_if(errors)

        changed = ["status"]
        if to == Status.IN_WORK and request.assigned_to_id is None:
            request.assigned_to = actor.user
            _event(request, actor, EventKind.ASSIGNED, assigned_to=actor.user)
            changed.append("assigned_to")
        if to == Status.CLOSED:
            request.close_reason, request.close_note = reason, note
            changed += ["close_reason", *(["close_note"] if note else [])]
        elif request.status == Status.CLOSED:
            request.close_reason, request.close_note = "", ""
            changed += ["close_reason", "close_note"]
        _set_status(request, actor, to, reason=reason if to == Status.CLOSED else "", note=note)
        return _saved(request, actor, event="intake.request.status_changed", changed=changed)


def request_assign(
    *,
    actor: Actor,
    request_id: UUID | str,
    assigned_to: int | None,
    version: int,
) -> Request:
    """Makes ``assigned_to`` (a user id; ``None`` for nobody) the request's worker: someone who
    works on requests in the request's hub. Assigning a new request triages it."""
    _check_writable(actor, request_id)
    with transaction.atomic():
        request = _locked(actor, request_id)
        _check_version(request, version, {"assigned_to": assigned_to})
        worker = None
        if assigned_to is not None:
            hub = request.organisation
            worker = selectors.assignable_workers(actor=actor, hub=hub).filter(pk=assigned_to)
            worker = worker.first()
            if worker is None:
                raise ValidationError(
                    {
                        "assigned_to": [
                            ValidationError(
                                _("Цей працівник не працює зі зверненнями в цьому хабі."),
                                code="not_in_hub",
                            )
                        ]
                    }
                )
        if not request.is_open:
            raise TransitionRefused(request.status, request.status)
        if request.assigned_to_id == assigned_to:
            return request
        request.assigned_to = worker
        _event(request, actor, EventKind.ASSIGNED, assigned_to=worker)
        changed = ["assigned_to"]
        if request.status == Status.NEW and worker is not None:
            _set_status(request, actor, Status.TRIAGED)
            changed.append("status")
        return _saved(request, actor, event="intake.request.assigned", changed=changed)


# --- appointments ---------------------------------------------------------------------------


def _request_for_booking(actor: Actor, request_id: Any, errors: dict) -> Request | None:
    if not request_id:
        return None
    try:
        UUID(str(request_id))
        request = _check_writable(actor, request_id)
    except (ValueError, Http404):
        errors.setdefault("request", []).append(
            ValidationError(_("Звернення не знайдено."), code="not_found")
        )
        return None
    if not request.is_open:
        errors.setdefault("request", []).append(
            ValidationError(_("Звернення закрите."), code="closed")
        )
    return request


def _when(data: dict, errors: dict) -> tuple[datetime | None, datetime | None]:
    starts_at = data.get("starts_at")
    if isinstance(starts_at, str):
        try:
            starts_at = datetime.fromisoformat(starts_at)
        except ValueError:
            starts_at = None
    if not isinstance(starts_at, datetime):
        errors.setdefault("starts_at", []).append(
            _required()
            if not data.get("starts_at")
            else ValidationError(_("Потрібні дата й час у форматі ISO 8601."), code="invalid")
        )
        return None, None
    if timezone.is_naive(starts_at):
        starts_at = starts_at.replace(tzinfo=rules.HUB_TIME_ZONE)
    ends_at = starts_at + rules.slot_length()
    if starts_at <= timezone.now():
        errors.setdefault("starts_at", []).append(
            ValidationError(_("Цей час уже минув."), code="past")
        )
    elif not rules.within_working_hours(starts_at, ends_at):
        errors.setdefault("starts_at", []).append(
            ValidationError(_("Поза робочими годинами хабу."), code="outside_hours")
        )
    return starts_at, ends_at


def _member(qs, value: Any, name: str, message: str, errors: dict):
    try:
        found = qs.filter(pk=int(value)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        errors.setdefault(name, []).append(ValidationError(message, code="not_available"))
    return found


def _lock_booked_parties(specialist_id, person_id, room_id) -> None:
    """Row locks in one fixed order (specialist, person, room), so that concurrent bookings
    that share any of them queue up instead of both passing the check (and cannot deadlock).
    SQLite takes its write lock at BEGIN (``transaction_mode`` IMMEDIATE) instead."""
    list(selectors.User.objects.select_for_update().filter(pk=specialist_id).values("pk"))
    list(Person.objects.select_for_update().filter(pk=person_id).values("pk"))
    if room_id:
        list(selectors.Room.objects.select_for_update().filter(pk=room_id).values("pk"))


def _conflicts(appointment: Appointment) -> set[str]:
    reasons = set()
    for specialist_id, person_id, room_id in selectors.busy_intervals(
        specialist_id=appointment.specialist_id,
        person_id=appointment.person_id,
        room_id=appointment.room_id,
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
    ).values_list("specialist_id", "person_id", "room_id"):
        if specialist_id == appointment.specialist_id:
            reasons.add("specialist")
        if person_id == appointment.person_id:
            reasons.add("person")
        if room_id and room_id == appointment.room_id:
            reasons.add("room")
    return reasons


def _link_to_request(request: Request, actor: Actor, appointment: Appointment) -> None:
    """A consultation booked for a request triages it and, when nobody is, assigns the
    specialist."""
    request = _locked(actor, request.pk)
    _event(request, actor, EventKind.BOOKED, appointment=appointment)
    changed = []
    if request.assigned_to_id is None:
        request.assigned_to = appointment.specialist
        _event(request, actor, EventKind.ASSIGNED, assigned_to=appointment.specialist)
        changed.append("assigned_to")
    if request.status == Status.NEW:
        _set_status(request, actor, Status.TRIAGED)
        changed.append("status")
    request.version += 1
    request.save()
    if changed:
        audit.record(
            actor=actor,
            action=audit.Action.UPDATE,
            event="intake.request.updated",
            target=request,
            changed_fields=changed,
        )


def appointment_book(*, actor: Actor, data: dict[str, Any]) -> Appointment:
    """Books ``data["specialist"]`` (a user id) for a person at ``data["starts_at"]`` for one
    slot. ``request`` (optional) names the request it answers (its person and hub are used);
    otherwise ``person``. ``room`` (optional): a room of the hub."""
    policies.require(actor, Perm.APPOINTMENTS_WRITE)
    errors: dict[str, list] = {}
    request = _request_for_booking(actor, data.get("request"), errors)
    if data.get("request"):
        person = request.person if request else None
    else:
        person = _person(actor, data.get("person"), errors)
    primary = AppointmentKind.PRIMARY_CONSULTATION
    kind = _choice(data, "kind", AppointmentKind, errors, default=primary)
    starts_at, ends_at = _when(data, errors)
    _raise_if(errors)
    hub = request.organisation if request else _hub_for(actor, Perm.APPOINTMENTS_WRITE, person)
    specialist = _member(
        selectors.bookable_specialists(actor=actor, hub=hub),
        data.get("specialist"),
        "specialist",
        _("Цей фахівець не веде прийом у цьому хабі."),
        errors,
    )
    room = None
    if data.get("room"):
        room = _member(
            selectors.rooms_of(actor=actor, hub=hub),
            data.get("room"),
            "room",
            _("Немає такого приміщення в цьому хабі."),
            errors,
        )
    _raise_if(errors)

    appointment = Appointment(
        community=hub.community,
        organisation=hub,
        specialist=specialist,
        person=person,
        request=request,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        room=room,
        created_by=actor.user,
    )
    with transaction.atomic():
        _lock_booked_parties(specialist.pk, person.pk, room.pk if room else None)
        reasons = _conflicts(appointment)
        if reasons:
            raise SlotTaken(reasons)
        try:
            with transaction.atomic():
                appointment.save(force_insert=True)
        except IntegrityError as exc:  # PostgreSQL's exclusion constraint: a race lost anyway
            raise SlotTaken(_conflicts(appointment) or {"specialist"}) from exc
        if request is not None:
            _link_to_request(request, actor, appointment)
        audit.record(
            actor=actor,
            action=audit.Action.CREATE,
            event="intake.appointment.booked",
            target=appointment,
            changed_fields=["specialist", "person", "starts_at", "ends_at", "kind"]
            + (["room"] if room else [])
            + (["request"] if request else []),
        )
    return appointment


def _cancel(appointment: Appointment, actor: Actor, *, reason: str = "") -> None:
    """Marks a booked appointment cancelled (``reason``: a ``CancelReason``, or empty when a
    worker cancels it), on the request's history and the audit trail."""
    appointment.status = AppointmentStatus.CANCELLED
    appointment.cancelled_at = timezone.now()
    appointment.cancelled_by = actor.user
    appointment.cancel_reason = reason
    appointment.save()
    if appointment.request_id:
        _event(appointment.request, actor, EventKind.CANCELLED, appointment=appointment)
    changed = ["status", "cancelled_at", "cancelled_by"]
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        event="intake.appointment.cancelled",
        target=appointment,
        changed_fields=[*changed, "cancel_reason"] if reason else changed,
        reason=reason,
    )


def appointment_cancel(
    *, actor: Actor, appointment_id: UUID | str, request_id: UUID | str | None = None
) -> Appointment:
    """Cancels a booked appointment; its time becomes free again. With ``request_id`` (the
    request page), only an appointment of that request: ``Http404`` for any other, as for one
    out of scope or whose person the actor no longer works with."""
    try:
        UUID(str(appointment_id))
    except ValueError:
        raise Http404(_("Не знайдено.")) from None
    found = selectors.appointment_get(
        actor=actor, appointment_id=appointment_id, perm=Perm.APPOINTMENTS_WRITE
    )
    if request_id is not None and str(found.request_id) != str(request_id):
        raise Http404(_("Не знайдено."))
    registry.person_for_write(actor=actor, person_id=found.person_id)
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().get(pk=appointment_id)
        if appointment.status != AppointmentStatus.BOOKED:
            raise AppointmentNotBooked(appointment.status)
        _cancel(appointment, actor)
    return appointment


# --- a person handed over to another hub ------------------------------------------------------


def _move(actor: Actor, row: Request | Appointment, event: str, to: tuple) -> None:
    """``row`` now held by ``to`` (community, hub): one event in the trail of the hub that held
    it and one in the trail of the hub that holds it now."""
    sides = [(row.community_id, row.organisation_id), to]
    row.community_id, row.organisation_id = to
    row.save()
    for community_id, organisation_id in sides:
        audit.record(
            actor=actor,
            action=audit.Action.UPDATE,
            event=event,
            target=row,
            community=community_id,
            organisation=organisation_id,
            changed_fields=["community", "organisation"],
        )


def _move_request(actor: Actor, request: Request, to: tuple) -> None:
    """An open request arrives unassigned (its worker stays with the old hub) and waits in the
    new hub's triage queue: one in work goes back to triaged."""
    request.version += 1
    _event(request, actor, EventKind.TRANSFERRED, changed_fields=["community", "organisation"])
    if request.is_open and request.assigned_to_id is not None:
        request.assigned_to = None
        _event(request, actor, EventKind.ASSIGNED, assigned_to=None)
    if request.status == Status.IN_WORK:
        _set_status(request, actor, Status.TRIAGED)
    _move(actor, request, "intake.request.transferred", to)


def requests_follow_person(
    *,
    actor: Actor,
    person: Person,
    to_community_id: str,
    to_organisation_id: int,
    **_signal: Any,
) -> None:
    """The receiver of ``apps.registry.signals.person_transferred``, in the transaction of the
    grant: the person's requests and appointments move to the hub that now holds the person,
    their history kept, each move on both hubs' audit trails; a consultation still booked with
    another hub is cancelled first (``CancelReason.PERSON_TRANSFERRED``), freeing its time."""
    to = (to_community_id, to_organisation_id)
    appointments = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("request")
        .filter(person=person)
        .exclude(organisation_id=to_organisation_id)
    )
    for appointment in appointments:
        if (
            appointment.status == AppointmentStatus.BOOKED
            and appointment.starts_at > timezone.now()
        ):
            _cancel(appointment, actor, reason=CancelReason.PERSON_TRANSFERRED)
    requests = Request.objects.select_for_update().filter(person=person)
    for request in requests.exclude(organisation_id=to_organisation_id):
        _move_request(actor, request, to)
    for appointment in appointments.all():
        _move(actor, appointment, "intake.appointment.transferred", to)


def _overlaps_booked(appointment: Appointment, person: Person) -> bool:
    """Whether ``person`` has another booked appointment at the time of ``appointment``."""
    return (
        Appointment.objects.filter(
            person=person,
            status=AppointmentStatus.BOOKED,
            starts_at__lt=appointment.ends_at,
            ends_at__gt=appointment.starts_at,
        )
        .exclude(pk=appointment.pk)
        .exists()
    )


def requests_follow_merge(*, actor: Actor, person: Person, duplicate: Person, **_signal: Any):
    """The receiver of ``apps.registry.signals.person_merged``, in the transaction of the merge
    (both person rows are locked by it): the requests and appointments of ``duplicate`` become
    those of ``person``, the kept record — see the module's decisions. Every change is on the
    audit trail, naming both records."""
    keep, note = person, f"{duplicate.pk} → {person.pk}"
    hub = keep.organisation_id
    to = (keep.community_id, hub)

    def leaves(row: Request | Appointment) -> bool:
        return hub is not None and row.organisation_id != hub

    appointments = list(
        Appointment.objects.select_for_update(of=("self",))
        .select_related("request")
        .filter(person=duplicate)
        .order_by("starts_at", "pk")
    )
    now = timezone.now()
    for appointment in appointments:
        if appointment.status != AppointmentStatus.BOOKED:
            continue
        if (leaves(appointment) and appointment.starts_at > now) or _overlaps_booked(
            appointment, keep
        ):
            _cancel(appointment, actor, reason=CancelReason.PERSON_MERGED)
    for request in Request.objects.select_for_update().filter(person=duplicate).order_by("pk"):
        request.person = keep
        _event(request, actor, EventKind.MERGED, changed_fields=["person"])
        if leaves(request):
            _move_request(actor, request, to)  # a new version, saved, on both hubs' trails
        else:
            request.version += 1
            request.save()
        audit.record(
            actor=actor,
            action=audit.Action.UPDATE,
            event="intake.request.merged",
            target=request,
            changed_fields=["person"],
            reason=note,
        )
    for appointment in appointments:
        appointment.person = keep
        if leaves(appointment):
            _move(actor, appointment, "intake.appointment.transferred", to)
        else:
            appointment.save()
        audit.record(
            actor=actor,
            action=audit.Action.UPDATE,
            event="intake.appointment.merged",
            target=appointment,
            changed_fields=["person"],
            reason=note,
        )


__all__ = [
    "AppointmentNotBooked",
    "EditConflict",
    "SlotTaken",
    "TransitionRefused",
    "appointment_book",
    "appointment_cancel",
    "request_assign",
    "request_create",
    "request_transition",
    "request_update",
    "requests_follow_merge",
    "requests_follow_person",
]
