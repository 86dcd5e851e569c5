"""Readers of services delivered, through the access policy (counts for dashboards later)."""

from django.db.models import QuerySet

from apps.access import policies
from apps.access.actor import Actor
from apps.access.roles import Perm

from .models import ServiceDelivery


def deliveries_of_person(*, actor: Actor, person_id) -> QuerySet[ServiceDelivery]:
    """The person's services delivered by organisations the actor works for, or asked for by
    them (a referral sent by the actor's hub and completed by a partner)."""
    return policies.scoped(
        ServiceDelivery.objects.filter(person_id=person_id).select_related("service"),
        actor,
        Perm.PERSONS_READ,
    )
