"""The person's referrals on the registry's card (registered in ``ReferralsConfig.ready``)."""

from typing import Any

from apps.access.actor import Actor
from apps.access.roles import Perm
from apps.registry.models import Person

from . import rules, selectors


def person_referrals_section(actor: Actor, person: Person) -> dict[str, Any] | None:
    if not actor.has_perm(Perm.REFERRALS_READ):
        return None
    referrals = list(selectors.referrals_of_person(actor=actor, person_id=person.pk)[:20])
    today = rules.local_today()
    for r in referrals:
        r.overdue = rules.overdue_deadline(r.status, r.respond_by, r.complete_by, today)
    return {
        "person": person,
        "referrals": referrals,
        "can_send": actor.has_perm(Perm.REFERRALS_SEND),
    }
