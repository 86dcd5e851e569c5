"""Recording a service delivered: call inside the transaction of the change that delivered it,
so the fact and the change commit or roll back together. Audited there too."""

from datetime import date
from typing import Any

from apps.access.actor import Actor
from apps.audit import services as audit

from .models import ServiceDelivery, SourceKind

__all__ = ["SourceKind", "record_delivery"]


def record_delivery(
    *,
    actor: Actor,
    person: Any,
    service: Any,
    organisation: Any,
    delivered_on: date,
    source_kind: str,
    source_id: Any,
    worker: Any = None,
    requested_by: Any = None,
    outcome: str = "",
) -> ServiceDelivery:
    """One delivery per source: recording the same source again returns the first.
    ``requested_by`` is the organisation that asked for it (the hub sending a referral): it
    sees the delivery as well."""
    delivery, created = ServiceDelivery.objects.get_or_create(
        source_kind=source_kind,
        source_id=str(source_id),
        defaults={
            "person": person,
            "service": service,
            "organisation": organisation,
            "community": organisation.community,
            "worker": worker,
            "requested_by_organisation": requested_by,
            "requested_by_community": getattr(requested_by, "community", None),
            "delivered_on": delivered_on,
            "outcome": outcome,
        },
    )
    if created:
        audit.record(
            actor=actor,
            action=audit.Action.CREATE,
            event="delivery.service_delivery.recorded",
            target=delivery,
            changed_fields=[
                "person",
                "service",
                "organisation",
                "delivered_on",
                "source_kind",
                *(["outcome"] if outcome else []),
            ]
            + (["requested_by_organisation"] if requested_by else []),
        )
    return delivery
