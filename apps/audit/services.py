"""The only writer of the audit trail. Call ``record`` inside the transaction of the change
(or of the read), so that the event and the change commit or roll back together."""

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction

from . import context
from .models import Action, AuditEvent

__all__ = ["Action", "record", "record_read", "record_reads"]


def _label_of(actor: Any) -> str:
    return getattr(actor, "get_username", lambda: "")() if actor is not None else ""


def _scope_of(subject: Any) -> tuple[Any, Any]:
    """(community id, organisation id) of a user's or an acting user's first membership, so that
    events without a scoped target (sign-ins, reads of staff) reach that hub's coordinator."""
    for grant in getattr(subject, "grants", ()):  # an access Actor: no query
        if grant.community_code or grant.organisation_id:
            return grant.community_code, grant.organisation_id
    memberships = getattr(subject, "memberships", None)
    if memberships is not None and getattr(subject, "pk", None):
        first = memberships.order_by("pk").values_list("community_id", "organisation_id").first()
        if first:
            return first
    return None, None


def _pk(value: Any) -> Any:
    return getattr(value, "pk", value)


def record(*, actor: Any, action: str, event: str, **details: Any) -> AuditEvent:
    """Append one event. ``actor`` is a user (or ``None`` for the anonymous); ``details`` are
    those of ``_fields``: ``target`` a model instance, from which type, id, community and
    organisation are taken when it has them; ``changed_fields`` names only (a dict of changes
    gives its keys), never values. With no community or organisation from the arguments or the
    target, the event takes the scope of ``scope_of``, else of a target user, else of the actor.
    Runs inside the caller's transaction when there is one (``atomic`` joins it)."""
    fields = _fields(actor=actor, action=action, event=event, **details)
    with transaction.atomic():
        return AuditEvent.objects.create(**fields)


def record_reads(*, actor: Any, targets: Iterable[models.Model], event: str) -> None:
    """A list shown to ``actor`` is a read of every object on it: one READ event each, written
    in one statement (a page of results costs one insert, not one per row)."""
    events = [
        AuditEvent(**_fields(actor=actor, action=Action.READ, event=event, target=target))
        for target in targets
    ]
    if events:
        AuditEvent.objects.bulk_create(events)


def _fields(
    *,
    actor: Any,
    action: str,
    event: str,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    community: Any = None,
    organisation: Any = None,
    changed_fields: Iterable[str] = (),
    reason: str = "",
    actor_label: str = "",
    scope_of: Any = None,
) -> dict[str, Any]:
    """The columns of one event (see ``record``)."""
    user = getattr(actor, "user", actor)  # an access Actor or a plain user
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or target.pk
        community = community or getattr(target, "community", None)
        organisation = organisation or getattr(target, "organisation", None)
    subject = scope_of or (target if hasattr(target, "memberships") else None) or actor
    if community is None and organisation is None:
        community, organisation = _scope_of(subject)
    subject_user = getattr(subject, "user", subject)
    if not getattr(subject_user, "is_authenticated", False) or not hasattr(
        subject_user, "memberships"
    ):
        subject_user = None
    if isinstance(changed_fields, str):  # one name, not its letters
        changed_fields = [changed_fields]
    request = context.current()
    return {
        "actor": user,
        "actor_label": (actor_label or _label_of(user))[:150],
        "subject_user": subject_user,
        "action": action,
        "event": event,
        "object_type": object_type,
        "object_id": str(object_id or ""),
        "community_id": _pk(community),
        "organisation_id": _pk(organisation),
        "ip": request.ip,
        "request_id": request.request_id,
        "changed_fields": sorted(set(changed_fields)),
        "reason": reason[:255],
    }


def record_read(*, actor: Any, target: models.Model, event: str = "") -> AuditEvent:
    """A read of a person, case or other audited object."""
    return record(
        actor=actor,
        action=Action.READ,
        event=event or f"{target._meta.label_lower}.read",
        target=target,
    )
