"""Referrals' API, the stable interface integrations and partners rely on (issue 5):

- ``POST /referrals`` → 201 with ``id`` and ``status`` (``sent``; ``draft`` with
  ``"draft": true`` — kept by the hub, unseen by the receiver until sent); a double
  submission (the same ``Idempotency-Key`` header, or the same person, service and need
  while open) → 200 with the first referral; 422 ``consent_required`` or
  ``service_not_accepting_referrals`` naming what is missing, else 422 ``validation_error``
  by field.
- ``GET /referrals?direction=incoming|outgoing&status=&overdue=``, ``GET /referrals/{id}``.
- ``POST /referrals/{id}/transitions`` (``to`` also ``sent`` for a draft) → 200 with the new
  status, 422 as for sending (consent, confirmation), or 409
  ``transition_not_allowed`` (``edit_conflict`` for a stale ``version``). A repeat of the move
  just made (a retry: the status is ``to`` already, the same outcome) → 200, nothing added.
- ``GET /referrals`` is paged by ``limit`` (at most 200) and ``offset``, with the ``count``.
- In the history the other side's workers appear as their organisation's name only.

The receiving side gets only what was shared; the sending side the person's id and request too.
"""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from . import rules, selectors, services
from .schemas import (
    ReferralIn,
    ReferralListOut,
    ReferralListParams,
    ReferralOut,
    ReferralTransitionIn,
)

router = Router(tags=["referrals"])

# Refusals the sender can put right, answered with their own code.
NAMED_REFUSALS = (services.CONSENT_REQUIRED, services.NOT_ACCEPTING)


def _error(request, status: int, code: str, message: str, details: list) -> Status:
    return Status(
        status,
        {
            "error": {
                "code": code,
                "message": message,
                "details": details,
                "request_id": getattr(request, "request_id", ""),
            }
        },
    )


def _named_refusal(request, exc: ValidationError) -> Status | None:
    details, named = [], []
    for field, errors in exc.error_dict.items():
        for error in errors:
            message = " ".join(error.messages)
            details.append({"field": field, "loc": [field], "message": message, "code": error.code})
            if error.code in NAMED_REFUSALS:
                named.append((error.code, message))
    if not named:
        return None
    code, message = named[0]
    return _error(request, 422, code, message, details)


def _named(obj) -> dict:
    return {"id": str(obj.pk), "name": obj.display_name}


def _summary(r, sides: selectors.Sides) -> dict:
    direction = (
        "both" if sides.sender and sides.receiver else "outgoing" if sides.sender else "incoming"
    )
    return {
        "id": r.pk,
        "reference": r.reference,
        "status": r.status,
        "direction": direction,
        "service": _named(r.service),
        "need": r.need.code,
        "sender": _named(r.sender_organisation),
        "receiver": _named(r.receiver_organisation),
        "person": r.shared_person,
        "sent_at": r.sent_at,
        "respond_by": r.respond_by,
        "complete_by": r.complete_by,
        "overdue": rules.overdue_deadline(
            r.status, r.respond_by, r.complete_by, rules.local_today()
        ),
        "version": r.version,
    }


def _detail(r, sides: selectors.Sides) -> dict:
    return _summary(r, sides) | {
        "note": r.note,
        "shared": r.shared,
        "reason": r.reason,
        "outcome": r.outcome,
        "outcome_note": r.outcome_note,
        "person_id": r.person_id if sides.sender else None,
        "request": r.request_id if sides.sender else None,
        "created_by": (r.created_by.get_username() if r.created_by else "") if sides.sender else "",
        "history": [
            {
                "at": e.at,
                "actor": selectors.event_actor(e, r, sides, username=True),
                "from_status": e.from_status,
                "to_status": e.to_status,
                "reason": e.reason,
                "outcome": e.outcome,
                "note": e.note,
            }
            for e in selectors.history(r, sides)
        ],
    }


def _read(request, referral_id) -> dict:
    referral, sides = selectors.referral_read(actor=request.actor, referral_id=referral_id)
    return _detail(referral, sides)


@router.post(
    "/referrals",
    response={200: ReferralOut, 201: ReferralOut, 422: dict},
    summary="Send a referral (Idempotency-Key header: a repeat gives the first one, 200)",
)
def referral_send(request, payload: ReferralIn):
    try:
        referral, created = services.referral_send(
            actor=request.actor,
            data=payload.model_dump(exclude={"draft"}),
            idempotency_key=request.headers.get("Idempotency-Key", ""),
            draft=payload.draft,
        )
    except ValidationError as exc:
        named = _named_refusal(request, exc) if hasattr(exc, "error_dict") else None
        if named is None:
            raise
        return named
    return Status(201 if created else 200, _read(request, referral.pk))


@router.get(
    "/referrals",
    response=ReferralListOut,
    summary="Referrals of your hub (outgoing) and to your organisation (incoming)",
)
def referral_list(request, params: Query[ReferralListParams]):
    if params.status and params.status not in rules.Status.values:
        raise ValidationError(
            {"status": [ValidationError(_("Неприпустиме значення."), code="invalid_choice")]}
        )
    qs = selectors.referral_list(
        actor=request.actor,
        direction=params.direction,
        status=params.status,
        overdue=params.overdue,
    )
    page = list(qs[params.offset : params.offset + params.limit])
    selectors.record_listed(actor=request.actor, referrals=page)
    return {
        "count": qs.count(),
        "results": [_summary(r, selectors.sides_of(request.actor, r)) for r in page],
    }


@router.get("/referrals/{referral_id}", response=ReferralOut, summary="One referral (read audited)")
def referral_get(request, referral_id: UUID):
    return _read(request, referral_id)


@router.post(
    "/referrals/{referral_id}/transitions",
    response={200: ReferralOut, 409: dict, 422: dict},
    summary="Send a draft, accept, decline, start, complete or cancel (409 transition_not_allowed)",
)
def referral_transition(request, referral_id: UUID, payload: ReferralTransitionIn):
    try:
        services.referral_transition(
            actor=request.actor, referral_id=referral_id, **payload.model_dump()
        )
    except ValidationError as exc:
        named = _named_refusal(request, exc) if hasattr(exc, "error_dict") else None
        if named is None:
            raise
        return named
    except services.TransitionRefused as exc:
        details = [{"field": "to", "from": exc.from_status, "to": exc.to_status}]
        return _error(request, 409, "transition_not_allowed", exc.message, details)
    except services.EditConflict as exc:
        details = [{"field": "version", "yours": exc.yours, "theirs": exc.theirs}]
        return _error(request, 409, "edit_conflict", exc.message, details)
    return _read(request, referral_id)
