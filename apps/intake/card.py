"""The person's requests on the registry's card (registered in ``IntakeConfig.ready``)."""

from typing import Any

from apps.access.actor import Actor
from apps.access.roles import Perm
from apps.registry.models import Person

from . import selectors


def person_requests_section(actor: Actor, person: Person) -> dict[str, Any] | None:
    if not actor.has_perm(Perm.REQUESTS_READ):
        return None
    requests = selectors.requests_of_person(actor=actor, person_id=person.pk).prefetch_related(
        "needs"
    )
    return {
        "person": person,
        "requests": list(requests[:20]),
        "can_write": actor.has_perm(Perm.REQUESTS_WRITE),
    }
