"""THE access policy. Every selector of data that belongs to a community or an organisation
starts here, so scoping cannot be forgotten in one place.

A scoped model names its paths to the scope as class attributes::

    SCOPE_COMMUNITY = "community"            # path to a geo.Unit (hromada), or None
    SCOPE_ORGANISATION = "organisation"      # path to a directory.Organisation, or None
    SCOPE_ALSO = (("a__community", "a__organisation"),)  # optional: more places, any covers

A grant on a community covers rows of that hromada; a grant on a raion or an oblast covers
the hromadas inside it; a grant on an organisation covers rows of that organisation. A grant
naming both covers the organisation's rows in that community (or in none) and the community's
rows that no organisation holds — never another organisation's rows there. A grant dimension
the model has no path for is not used; a grant with no usable dimension covers nothing. A
global administrator covers everything. Policy = role permission ∧ scope (∧ need-to-know, added by
the contexts that have it).
"""

from typing import NoReturn

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from apps.audit import services as audit

from .actor import Actor, Grant

_NOTHING = Q(pk__in=[])


def _community_q(path: str, grant: Grant) -> Q:
    code, level = grant.community_code, grant.community_level
    if level == 1:
        return Q(**{path: code}) | Q(**{f"{path}__oblast": code})
    if level == 2:
        return Q(**{path: code}) | Q(**{f"{path}__raion": code})
    return Q(**{path: code})


def _grant_q(model: type[Model], grant: Grant) -> Q | None:
    """The rows one grant covers, or ``None`` for all rows."""
    if grant.is_global:
        return None
    pairs = [
        (getattr(model, "SCOPE_COMMUNITY", None), getattr(model, "SCOPE_ORGANISATION", None)),
        *getattr(model, "SCOPE_ALSO", ()),
    ]
    q = _NOTHING
    for community_path, organisation_path in pairs:
        q |= _paths_q(grant, community_path, organisation_path)
    return q


def _paths_q(grant: Grant, community_path: str | None, organisation_path: str | None) -> Q:
    in_community = (
        _community_q(community_path, grant) if grant.community_code and community_path else None
    )
    of_organisation = (
        Q(**{organisation_path: grant.organisation_id})
        if grant.organisation_id and organisation_path
        else None
    )
    if in_community is not None and of_organisation is not None:
        held_by_nobody = Q(**{f"{organisation_path}__isnull": True})
        in_no_community = Q(**{f"{community_path}__isnull": True})
        return (in_community & (of_organisation | held_by_nobody)) | (
            of_organisation & in_no_community
        )
    if in_community is not None:
        return in_community
    if of_organisation is not None:
        return of_organisation
    return _NOTHING


def scope_q(model: type[Model], actor: Actor, perm: str) -> Q | None:
    """The filter for what ``actor`` may see of ``model`` with ``perm``; ``None`` = everything."""
    q = _NOTHING
    for grant in actor.grants_for(perm):
        grant_q = _grant_q(model, grant)
        if grant_q is None:
            return None
        q |= grant_q
    return q


def scoped(qs: QuerySet, actor: Actor, perm: str) -> QuerySet:
    """``qs`` narrowed to what ``actor`` may see with ``perm``. Empty for no grant."""
    q = scope_q(qs.model, actor, perm)
    if q is None:
        return qs
    if getattr(qs.model, "SCOPE_ALSO", ()):
        # Extra paths cross to-many relations: a semi-join keeps each row once.
        return qs.filter(pk__in=qs.model._base_manager.filter(q).values("pk"))
    return qs.filter(q)


def _in_community(grant: Grant, community: Model | None) -> bool:
    if community is None or not grant.community_code:
        return False
    code = grant.community_code
    if grant.community_level == 1:
        return code in {community.pk, getattr(community, "oblast_id", None)}
    if grant.community_level == 2:
        return code in {community.pk, getattr(community, "raion_id", None)}
    return community.pk == code


def grant_covers(grant: Grant, *, community: Model | None, organisation: object = None) -> bool:
    """Whether ``grant`` covers a row held by ``community`` (a ``geo.Unit`` or ``None``) and
    ``organisation`` (an organisation, its id, or ``None``) — the same rule ``scoped`` applies
    in SQL, for a row that does not exist yet."""
    if grant.is_global:
        return True
    organisation_id = getattr(organisation, "pk", organisation)
    in_community = _in_community(grant, community) if grant.community_code else None
    of_organisation = (
        organisation_id is not None and organisation_id == grant.organisation_id
        if grant.organisation_id
        else None
    )
    if in_community is not None and of_organisation is not None:
        return (in_community and (of_organisation or organisation_id is None)) or (
            of_organisation and community is None
        )
    return bool(in_community or of_organisation)


def covering_grants(
    actor: Actor, perm: str, *, community: Model | None, organisation: object = None
) -> tuple[Grant, ...]:
    """The actor's grants of ``perm`` that cover a row of ``community`` and ``organisation``."""
    return tuple(
        g
        for g in actor.grants_for(perm)
        if grant_covers(g, community=community, organisation=organisation)
    )


def covers(
    actor: Actor, perm: str, *, community: Model | None, organisation: object = None
) -> bool:
    """Whether the actor may act with ``perm`` on a row of ``community`` and ``organisation``."""
    return bool(covering_grants(actor, perm, community=community, organisation=organisation))


def get_for(actor: Actor, perm: str, qs: QuerySet, **lookup) -> Model:
    """The object, or ``Http404`` for missing and not-yours alike (the latter audited).

    Inside a transaction the ``Http404`` rolls back, the denial's audit event included:
    for an audited read use ``read_for``, which keeps it."""
    obj = scoped(qs, actor, perm).filter(**lookup).first()
    if obj is not None:
        return obj
    hidden = qs.filter(**lookup).first()
    if hidden is not None:
        audit.record(
            actor=actor,
            action=audit.Action.PERMISSION_DENIED,
            event=f"{hidden._meta.label_lower}.denied",
            target=hidden,
            reason=perm,
        )
    raise Http404(_("Не знайдено."))


def read_for(actor: Actor, perm: str, qs: QuerySet, **lookup) -> Model:
    """``get_for`` and one READ audit event, in one transaction: the object is not handed out
    unless its read is on the trail. For missing and not-yours alike ``Http404``, raised only
    after the transaction has committed, so the denial ``get_for`` audited is kept."""
    with transaction.atomic():
        try:
            obj = get_for(actor, perm, qs, **lookup)
        except Http404 as exc:
            not_found = exc
        else:
            audit.record_read(actor=actor, target=obj)
            return obj
    raise not_found


def require(actor: Actor, perm: str, *, event: str = "access.permission.denied") -> None:
    """``PermissionDenied`` (audited) unless the actor holds ``perm`` somewhere."""
    if actor.has_perm(perm):
        return
    deny(actor, reason=perm, event=event)


def deny(actor: Actor, *, reason: str, event: str = "access.permission.denied") -> NoReturn:
    """Records the denial and raises ``PermissionDenied``."""
    audit.record(actor=actor, action=audit.Action.PERMISSION_DENIED, event=event, reason=reason)
    raise PermissionDenied(_("У вас немає права на цю дію."))


def get_own(actor: Actor, qs: QuerySet, **lookup) -> Model:
    """An object from a queryset already narrowed to the actor's own rows, or ``Http404``."""
    obj = qs.filter(**lookup).first()
    if obj is None:
        raise Http404(_("Не знайдено."))
    return obj
