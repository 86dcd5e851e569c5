"""Intake's API: requests, the needs taxonomy, free slots and appointments. Thin: parse, call
a service or a selector, shape the answer. Mounted on the one API in ``apps.api.api``.

Conflicts answer 409 in the one error shape: ``edit_conflict`` (details: ``{field, yours,
theirs}``, ``version`` last), ``transition_not_allowed``, ``slot_taken`` (details name the
``specialist``, ``person`` or ``room`` that is busy), ``not_booked``."""

from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from apps.access.roles import Perm

from . import selectors, services
from .schemas import (
    AppointmentIn,
    AppointmentOut,
    AssignIn,
    NeedOut,
    RequestIn,
    RequestListOut,
    RequestListParams,
    RequestOut,
    RequestPatchIn,
    SlotParams,
    SlotsOut,
    TransitionIn,
)

router = Router(tags=["intake"])


def _error(request, code: str, message: str, details: list) -> dict:
    return {
        "error": {
            "code": code,
            "message": message,
            "details": details,
            "request_id": getattr(request, "request_id", ""),
        }
    }


def _conflict(request, exc: Exception) -> Status:
    if isinstance(exc, services.EditConflict):
        message = _("Звернення щойно змінив хтось інший. Перегляньте обидва значення.")
        return Status(409, _error(request, "edit_conflict", message, exc.conflicts))
    if isinstance(exc, services.TransitionRefused):
        message = _("Такий перехід стану не дозволено.")
        details = [{"field": "to", "from": exc.from_status, "to": exc.to_status}]
        return Status(409, _error(request, "transition_not_allowed", message, details))
    if isinstance(exc, services.SlotTaken):
        messages = {
            "specialist": _("Фахівець у цей час уже має запис."),
            "person": _("Особа в цей час уже має запис."),
            "room": _("Приміщення в цей час уже зайняте."),
        }
        details = [{"field": r, "message": messages[r], "code": "busy"} for r in exc.reasons]
        message = _("Цей час уже зайнятий. Оберіть інший.")
        return Status(409, _error(request, "slot_taken", message, details))
    message = _("Скасувати можна лише запланований запис.")
    return Status(409, _error(request, "not_booked", message, []))


CONFLICTS = (
    services.EditConflict,
    services.TransitionRefused,
    services.SlotTaken,
    services.AppointmentNotBooked,
)


def _named(obj) -> dict | None:
    if obj is None:
        return None
    name = getattr(obj, "display_name", None) or getattr(obj, "full_name", None)
    if name is None and hasattr(obj, "get_full_name"):
        name = obj.get_full_name() or obj.get_username()
    return {"id": str(obj.pk), "name": name or str(obj)}


def _summary(r) -> dict:
    return {
        "id": r.pk,
        "person": _named(r.person),
        "organisation": _named(r.organisation),
        "channel": r.channel,
        "needs": [n.code for n in r.needs.all()],
        "urgency": r.urgency,
        "status": r.status,
        "assigned_to": _named(r.assigned_to),
        "due_date": r.due_date,
        "created_at": r.created_at,
        "version": r.version,
    }


def _appointment(a) -> dict:
    return {
        "id": a.pk,
        "organisation": _named(a.organisation),
        "specialist": _named(a.specialist),
        "person": a.person_id,
        "request": a.request_id,
        "kind": a.kind,
        "starts_at": a.starts_at,
        "ends_at": a.ends_at,
        "room": _named(a.room),
        "status": a.status,
        "cancel_reason": a.cancel_reason,
    }


def _event(e) -> dict:
    return {
        "at": e.at,
        "kind": e.kind,
        "actor": e.actor.get_username() if e.actor else "",
        "from_status": e.from_status,
        "to_status": e.to_status,
        "reason": e.reason,
        "note": e.note,
        "assigned_to": _named(e.assigned_to),
        "appointment": e.appointment_id,
        "changed_fields": e.changed_fields,
    }


def _detail(r) -> dict:
    return _summary(r) | {
        "description": r.description,
        "close_reason": r.close_reason,
        "close_note": r.close_note,
        "created_by": r.created_by.get_username() if r.created_by else "",
        "history": [_event(e) for e in r.events.all()],
        "appointments": [_appointment(a) for a in r.appointments.all()],
    }


def _read(request, request_id) -> dict:
    return _detail(selectors.request_read(actor=request.actor, request_id=request_id))


@router.get("/needs", response=list[NeedOut], summary="The needs taxonomy (active needs)")
def needs(request):
    return [
        {
            "code": n.code,
            "name": n.name,
            "name_en": n.name_en,
            "parent": n.parent.code if n.parent else None,
        }
        for n in selectors.needs_active().select_related("parent")
    ]


@router.post("/requests", response={201: RequestOut}, summary="Record a request (звернення)")
def request_create(request, payload: RequestIn):
    created = services.request_create(actor=request.actor, data=payload.model_dump())
    return Status(201, _read(request, created.pk))


@router.get("/requests", response=RequestListOut, summary="Requests in your scope, newest first")
def request_list(request, params: Query[RequestListParams]):
    qs = selectors.request_list(
        actor=request.actor,
        status=params.status,
        person_id=params.person,
        organisation_id=params.organisation,
    )
    page = qs[params.offset : params.offset + params.limit]
    return {"count": qs.count(), "results": [_summary(r) for r in page]}


@router.get("/requests/{request_id}", response=RequestOut, summary="One request (read audited)")
def request_get(request, request_id: UUID):
    return _read(request, request_id)


@router.patch(
    "/requests/{request_id}",
    response={200: RequestOut, 409: dict},
    summary="Change a request (409 edit_conflict when the version is not current)",
)
def request_update(request, request_id: UUID, payload: RequestPatchIn):
    changes = payload.model_dump(exclude_unset=True, exclude={"version"})
    try:
        services.request_update(
            actor=request.actor, request_id=request_id, version=payload.version, changes=changes
        )
    except CONFLICTS as exc:
        return _conflict(request, exc)
    return _read(request, request_id)


@router.post(
    "/requests/{request_id}/transitions",
    response={200: RequestOut, 409: dict},
    summary="Change the status (409 transition_not_allowed or edit_conflict)",
)
def request_transition(request, request_id: UUID, payload: TransitionIn):
    try:
        services.request_transition(actor=request.actor, request_id=request_id, **payload.dict())
    except CONFLICTS as exc:
        return _conflict(request, exc)
    return _read(request, request_id)


@router.post(
    "/requests/{request_id}/assign",
    response={200: RequestOut, 409: dict},
    summary="Assign a worker of the request's hub (null: nobody)",
)
def request_assign(request, request_id: UUID, payload: AssignIn):
    try:
        services.request_assign(actor=request.actor, request_id=request_id, **payload.dict())
    except CONFLICTS as exc:
        return _conflict(request, exc)
    return _read(request, request_id)


@router.get(
    "/appointments/slots",
    response=SlotsOut,
    summary="A specialist's free slots on a date (Europe/Kyiv)",
)
def appointment_slots(request, params: Query[SlotParams]):
    slots = selectors.free_slots(
        actor=request.actor, specialist_id=params.specialist, day=params.date
    )
    return {
        "specialist": params.specialist,
        "date": params.date,
        "slots": [{"starts_at": s.starts_at, "ends_at": s.ends_at} for s in slots],
    }


@router.post(
    "/appointments",
    response={201: AppointmentOut, 409: dict},
    summary="Book an appointment (409 slot_taken)",
)
def appointment_book(request, payload: AppointmentIn):
    try:
        appointment = services.appointment_book(actor=request.actor, data=payload.model_dump())
    except CONFLICTS as exc:
        return _conflict(request, exc)
    appointment = selectors.appointment_get(actor=request.actor, appointment_id=appointment.pk)
    return Status(201, _appointment(appointment))


@router.post(
    "/appointments/{appointment_id}/cancel",
    response={200: AppointmentOut, 409: dict},
    summary="Cancel a booked appointment",
)
def appointment_cancel(request, appointment_id: UUID):
    try:
        services.appointment_cancel(actor=request.actor, appointment_id=appointment_id)
    except CONFLICTS as exc:
        return _conflict(request, exc)
    appointment = selectors.appointment_get(
        actor=request.actor, appointment_id=appointment_id, perm=Perm.APPOINTMENTS_WRITE
    )
    return _appointment(appointment)
