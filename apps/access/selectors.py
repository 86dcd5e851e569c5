"""Readers of the access context, always for an acting user."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.audit import services as audit
from apps.audit.models import AuditEvent

from . import policies
from .actor import Actor
from .models import Membership, PersonalAccessToken, User
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
    """The acting user's own token; anybody else's is 'not found' (and the attempt audited)."""
    try:
        return policies.get_own(actor, token_list(actor=actor), pk=token_id)
    except Http404:
        foreign = PersonalAccessToken.objects.filter(pk=token_id).first()
        if foreign is not None:
            audit.record(
                actor=actor,
                action=audit.Action.PERMISSION_DENIED,
                event="access.personalaccesstoken.denied",
                target=foreign,
                reason=Perm.TOKENS_MANAGE,
            )
        raise


def has_authenticator(*, user) -> bool:
    """Whether the user has confirmed an authenticator app (the second factor)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def audit_event_list(*, actor: Actor) -> QuerySet[AuditEvent]:
    """Events in the actor's communities and organisations (all, for a global administrator)."""
    policies.require(actor, Perm.AUDIT_READ)
    return policies.scoped(AuditEvent.objects.all(), actor, Perm.AUDIT_READ)


def _staff(actor: Actor) -> QuerySet[User]:
    """Users holding at least one membership, each once, with ``visible_memberships``: those
    of their memberships the actor may see (a coordinator does not learn of other hubs)."""
    memberships = policies.scoped(
        Membership.objects.select_related("community", "organisation__community"),
        actor,
        Perm.STAFF_READ,
    ).order_by("organisation__name", "community__name", "role")
    return User.objects.filter(pk__in=Membership.objects.values("user_id")).prefetch_related(
        Prefetch("memberships", queryset=memberships, to_attr="visible_memberships")
    )


def staff_list(*, actor: Actor) -> QuerySet[User]:
    """Staff holding memberships in the actor's communities and organisations (everyone's,
    for a global administrator). Filtered through a subquery: the join on memberships
    would repeat a user once per matching membership."""
    policies.require(actor, Perm.STAFF_READ)
    in_scope = policies.scoped(User.objects.all(), actor, Perm.STAFF_READ)
    return (
        _staff(actor)
        .filter(pk__in=in_scope.values("pk"))
        .order_by("last_name", "first_name", "username")
    )


def staff_get(*, actor: Actor, user_id: int) -> User:
    """One member of staff in the actor's scope; anybody else is 'not found' (audited)."""
    policies.require(actor, Perm.STAFF_READ)
    return policies.get_for(actor, Perm.STAFF_READ, _staff(actor), pk=user_id)


def staff_read(*, actor: Actor, user_id: int) -> User:
    """``staff_get`` for showing the card to a person: the read is audited (one READ event)
    in the transaction of the read."""
    policies.require(actor, Perm.STAFF_READ)
    return policies.read_for(actor, Perm.STAFF_READ, _staff(actor), pk=user_id)
