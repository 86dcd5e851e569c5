"""Readers of the access context, always for an acting user."""

from django.db.models import QuerySet

from apps.audit.models import AuditEvent

from . import policies
from .actor import Actor
from .models import Membership, PersonalAccessToken
from .roles import Perm


def membership_list(*, actor: Actor) -> QuerySet[Membership]:
    """The acting user's own memberships, for the staff home."""
    if not actor.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.filter(user_id=actor.user_id)
        .select_related("community", "community__oblast", "organisation", "organisation__community")
        .order_by("organisation__name", "role")
    )


def token_list(*, actor: Actor) -> QuerySet[PersonalAccessToken]:
    if not actor.is_authenticated:
        return PersonalAccessToken.objects.none()
    return PersonalAccessToken.objects.filter(user_id=actor.user_id)


def token_get(*, actor: Actor, token_id: int) -> PersonalAccessToken:
    """The acting user's own token; anybody else's is 'not found'."""
    return policies.get_own(actor, token_list(actor=actor), pk=token_id)


AuditEvent.SCOPE_COMMUNITY = "community"
AuditEvent.SCOPE_ORGANISATION = "organisation"


def audit_event_list(*, actor: Actor) -> QuerySet[AuditEvent]:
    """Events in the actor's communities and organisations (all, for a global administrator)."""
    policies.require(actor, Perm.AUDIT_READ)
    return policies.scoped(AuditEvent.objects.all(), actor, Perm.AUDIT_READ)
