"""Readers of referrals, always for an acting user and through the access policy (except the
scheduler's readers at the end, which act for nobody and show nothing).

Lists are scoped; what a list page shows is recorded as a read of each referral on it
(``record_listed``, as the registry records the persons a search shows); opening one referral
(``referral_read``) is an audited read. Which side the actor is on decides what is
shown: the sending hub sees the referral with its person; the receiving organisation only what
was shared (``Referral.shared_person``).
"""

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, Case, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext as _

from apps.access import policies
from apps.access.actor import Actor
from apps.access.roles import Perm, Role
from apps.audit import services as audit
from apps.directory import selectors as directory
from apps.directory.models import Organisation, OrganisationKind, Service, ServiceStatus
from apps.intake.models import Need

from . import rules
from .models import (
    IncomingReferral,
    OutgoingReferral,
    Referral,
    ReferralEvent,
    ReferralNotice,
    Status,
)

User = get_user_model()

OUTGOING, INCOMING = "outgoing", "incoming"


@dataclass(frozen=True)
class Sides:
    """The sides of a referral the actor acts on."""

    sender: bool
    receiver: bool
    can_send: bool
    can_respond: bool


def sides_of(actor: Actor, referral: Referral) -> Sides:
    def covers(perm: str, community, organisation) -> bool:
        return policies.covers(actor, perm, community=community, organisation=organisation)

    sender = (referral.sender_community, referral.sender_organisation_id)
    receiver = (None, referral.receiver_organisation_id)  # its organisation's staff only
    return Sides(
        sender=covers(Perm.REFERRALS_READ, *sender),
        receiver=covers(Perm.REFERRALS_READ, *receiver),
        can_send=covers(Perm.REFERRALS_SEND, *sender),
        can_respond=_answers_for(actor, referral),
    )


def _answers_for(actor: Actor, referral: Referral) -> bool:
    """Only the receiver's own staff answer for it: a grant naming the receiving organisation
    (or a global one), never a grant on the whole community the receiver works in."""
    return any(
        grant.is_global or grant.organisation_id == referral.receiver_organisation_id
        for grant in policies.covering_grants(
            actor,
            Perm.REFERRALS_RESPOND,
            community=referral.receiver_community,
            organisation=referral.receiver_organisation_id,
        )
    )


def _qs(model=Referral) -> QuerySet:
    return model.objects.select_related(
        "service",
        "service__organisation",
        "need",
        "sender_organisation",
        "sender_community",
        "receiver_organisation",
        "receiver_community",
        "created_by",
    )


def _detail_qs() -> QuerySet[Referral]:
    return _qs().prefetch_related(
        Prefetch("events", queryset=ReferralEvent.objects.select_related("actor"))
    )


def overdue_q(today: date) -> Q:
    return Q(status=Status.SENT, respond_by__lt=today) | Q(
        status__in=(Status.ACCEPTED, Status.IN_PROGRESS), complete_by__lt=today
    )


def _without_others_drafts(actor: Actor, qs: QuerySet) -> QuerySet:
    """A referral never sent (a draft, or a draft discarded) stays with the hub that wrote
    it: the receiving side sees a referral once it is sent."""
    own = policies.scoped(OutgoingReferral.objects.all(), actor, Perm.REFERRALS_READ)
    return qs.filter(Q(sent_at__isnull=False) | Q(pk__in=own.values("pk")))


def _deny_unsent(actor: Actor, perm: str, referral_id) -> None:
    """The refusal of a never-sent referral to someone outside its hub is audited like any
    other (the policy audits only what it can see is hidden by scope)."""
    unsent = Referral.objects.filter(pk=referral_id, sent_at__isnull=True).first()
    if unsent is not None and not sides_of(actor, unsent).sender:
        audit.record(
            actor=actor,
            action=audit.Action.PERMISSION_DENIED,
            event="referrals.referral.denied",
            target=unsent,
            reason=perm,
        )


def referral_get(
    *, actor: Actor, referral_id: UUID | str, perm: str = Perm.REFERRALS_READ
) -> Referral:
    """The referral on either side, or ``Http404`` for missing and not-yours alike (not
    audited as a read: for a change that audits itself)."""
    _check_uuid(referral_id)
    try:
        return policies.get_for(actor, perm, _without_others_drafts(actor, _qs()), pk=referral_id)
    except Http404:
        _deny_unsent(actor, perm, referral_id)
        raise


def referral_read(*, actor: Actor, referral_id: UUID | str) -> tuple[Referral, Sides]:
    """The referral with its history, for showing: one audited READ, or ``Http404``."""
    _check_uuid(referral_id)
    qs = _without_others_drafts(actor, _detail_qs())
    try:
        referral = policies.read_for(actor, Perm.REFERRALS_READ, qs, pk=referral_id)
    except Http404:
        _deny_unsent(actor, Perm.REFERRALS_READ, referral_id)
        raise
    return referral, sides_of(actor, referral)


def history(referral: Referral, sides: Sides) -> list[ReferralEvent]:
    """The events the viewer may see: the receiving side's history starts at sending."""
    events = list(referral.events.all())
    if sides.sender:
        return events
    return [e for e in events if e.to_status != Status.DRAFT]


def event_actor(
    event: ReferralEvent, referral: Referral, sides: Sides, *, username: bool = False
) -> str:
    """Who made a move, as the viewer may know it: the worker on the viewer's own side (full
    name, or ``username`` for the API), only the organisation's name for the other side's
    staff; ``""`` for the scheduler."""
    if event.actor is None:
        return ""
    # A note that changes no status (a withdrawn consent) comes from the sending hub.
    receiver_side = event.to_status in rules.RECEIVER_MOVES and event.from_status != event.to_status
    if receiver_side and not sides.receiver:
        return referral.receiver_organisation.display_name
    if not receiver_side and not sides.sender:
        return referral.sender_organisation.display_name
    if username:
        return event.actor.get_username()
    return event.actor.get_full_name() or event.actor.get_username()


def _check_uuid(value) -> None:
    try:
        UUID(str(value))
    except ValueError:
        raise Http404(_("Не знайдено.")) from None


def _filtered(qs: QuerySet, *, status: str | None, overdue: bool) -> QuerySet:
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(overdue_q(rules.local_today()))
    return qs


def outgoing(
    *, actor: Actor, status: str | None = None, overdue: bool = False, person_id=None
) -> QuerySet[Referral]:
    """Referrals sent by the hubs the actor works for, newest first."""
    policies.require(actor, Perm.REFERRALS_READ)
    qs = policies.scoped(_qs(OutgoingReferral), actor, Perm.REFERRALS_READ)
    if person_id:
        qs = qs.filter(person_id=person_id)
    return _filtered(qs, status=status, overdue=overdue).order_by("-created_at")


def incoming(
    *, actor: Actor, status: str | None = None, overdue: bool = False
) -> QuerySet[Referral]:
    """Referrals addressed to the organisations the actor works for (the inbox), newest
    first."""
    policies.require(actor, Perm.REFERRALS_READ)
    qs = policies.scoped(_qs(IncomingReferral), actor, Perm.REFERRALS_READ)
    qs = qs.exclude(sent_at__isnull=True)  # never sent: the sending hub's alone
    return _filtered(qs, status=status, overdue=overdue).order_by("-created_at")


def referral_list(
    *, actor: Actor, direction: str | None = None, status: str | None = None, overdue=False
) -> QuerySet[Referral]:
    """Both directions (each referral once) unless ``direction`` names one."""
    if direction == OUTGOING:
        return outgoing(actor=actor, status=status, overdue=overdue)
    if direction == INCOMING:
        return incoming(actor=actor, status=status, overdue=overdue)
    policies.require(actor, Perm.REFERRALS_READ)
    qs = _without_others_drafts(actor, policies.scoped(_qs(), actor, Perm.REFERRALS_READ))
    return _filtered(qs, status=status, overdue=overdue).order_by("-created_at")


def record_listed(*, actor: Actor, referrals) -> None:
    """A list page shown is a read of every referral on it (each names a person): one READ
    event each, in one transaction. Pages and the API call this for what they show, the
    page of results only; the person card's section is covered by the card's own read."""
    audit.record_reads(actor=actor, targets=referrals, event="referrals.referral.listed")


def referrals_of_person(*, actor: Actor, person_id: UUID | str) -> QuerySet[Referral]:
    """The person's referrals sent by the actor's hubs (the person's card)."""
    return outgoing(actor=actor, person_id=person_id)


def open_duplicate(*, hub_id, person_id, service_id, need_id) -> Referral | None:
    """An open referral of the hub for the same person to the same service for the same need
    (for the service's double-submission check, inside its transaction)."""
    return (
        _qs()
        .filter(
            sender_organisation_id=hub_id,
            person_id=person_id,
            service_id=service_id,
            need_id=need_id,
            status__in=rules.OPEN_STATUSES,
        )
        .order_by("created_at")
        .first()
    )


def by_idempotency_key(*, actor: Actor, key: str) -> Referral | None:
    if not key or actor.user is None:
        return None
    return Referral.objects.filter(created_by=actor.user, idempotency_key=key).first()


# --- picking a service ----------------------------------------------------------------------


def needs_active() -> QuerySet[Need]:
    return Need.objects.filter(active=True)


def services_for_referral(*, actor: Actor, need_code: str | None = None) -> QuerySet[Service]:
    """Services a hub worker may refer to: those the directory lets the actor see (staff-only
    services of the communities their grants cover, published ones of anyone), active, of
    active organisations, those answering the need when one is given, those accepting
    referrals first, then by organisation and name."""
    policies.require(actor, Perm.REFERRALS_SEND)
    qs = (
        directory.services_visible(actor=actor)
        .filter(status=ServiceStatus.ACTIVE, organisation__is_active=True)
        .select_related("organisation", "organisation__community")
    )
    if need_code:
        qs = qs.filter(needs__need_code=need_code)
    return qs.annotate(
        not_accepting=Case(
            When(accepting_referrals=True, then=Value(False)),
            default=Value(True),
            output_field=BooleanField(),
        )
    ).order_by("not_accepting", "organisation__name", "name")


def sending_hubs(actor: Actor) -> list[Organisation]:
    hubs = Organisation.objects.filter(kind=OrganisationKind.HUB, is_active=True)
    return [
        hub
        for hub in hubs.select_related("community")
        if policies.covers(actor, Perm.REFERRALS_SEND, community=hub.community, organisation=hub)
    ]


# --- the scheduler's readers (no actor: nothing is shown, only counted and noticed) ---------


def overdue_without_notice(*, today: date, stale_before: datetime) -> list[tuple[Referral, str]]:
    """Every overdue referral with the deadline it missed, unless that deadline's notice was
    sent already or is going out now (one still being sent since before ``stale_before`` was
    left by a run that died: it counts as not sent)."""

    def noticed(notice: ReferralNotice, deadline: str) -> bool:
        return notice.deadline == deadline and (
            notice.recipients is not None or notice.sent_at >= stale_before
        )

    found = []
    qs = _qs().filter(overdue_q(today)).prefetch_related("notices").order_by("respond_by", "pk")
    for referral in qs:
        deadline = rules.overdue_deadline(
            referral.status, referral.respond_by, referral.complete_by, today
        )
        if deadline and not any(noticed(n, deadline) for n in referral.notices.all()):
            found.append((referral, deadline))
    return found


def notice_exists(*, referral: Referral, deadline: str) -> bool:
    return ReferralNotice.objects.filter(referral=referral, deadline=deadline).exists()


def notice_recipients(referral: Referral) -> list:
    """The worker who sent the referral (if still active) and the sending hub's coordinators,
    each once, those with an e-mail address only."""
    hub = referral.sender_organisation
    coordinators = User.objects.filter(
        Q(memberships__organisation=hub)
        | Q(memberships__organisation__isnull=True, memberships__community=hub.community_id),
        memberships__role=Role.COORDINATOR,
        is_active=True,
    )
    users = list(coordinators.distinct().order_by("pk"))
    sender = referral.created_by
    if sender is not None and sender.is_active and all(u.pk != sender.pk for u in users):
        users.insert(0, sender)
    return [u for u in users if u.email]


def expiring(*, today: date) -> QuerySet[Referral]:
    """Sent referrals nobody answered long past their deadline (``rules.expires_on``)."""
    return Referral.objects.filter(status=Status.SENT, respond_by__isnull=False).filter(
        pk__in=[
            pk
            for pk, respond_by in Referral.objects.filter(status=Status.SENT)
            .exclude(respond_by=None)
            .values_list("pk", "respond_by")
            if today > rules.expires_on(respond_by)
        ]
    )
