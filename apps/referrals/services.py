"""Write workflows of referrals: one transaction each, audited inside.

Refusals: ``ValidationError`` keyed by field (every problem at once, nothing saved), with the
codes ``consent_required`` (field ``consent``) and ``service_not_accepting_referrals`` (field
``confirm_not_accepting``) for the two things the sender can put right; ``PermissionDenied``
or ``Http404`` from the access policy; ``EditConflict`` when a version sent is not the current
one; ``TransitionRefused`` for a move the current status does not allow.
"""

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access import policies
from apps.access.actor import Actor
from apps.access.roles import Perm
from apps.audit import services as audit
from apps.delivery import services as delivery
from apps.directory import selectors as directory
from apps.directory.models import Organisation, Service, ServiceStatus
from apps.intake import selectors as intake
from apps.registry import selectors as registry
from apps.registry.models import ConsentScope, Person

from . import rules, selectors
from .models import (
    MINIMUM_SHARED,
    Outcome,
    Referral,
    ReferralEvent,
    ReferralSequence,
    Shared,
    Status,
)

NOTE_MAX = 2000
REASON_MAX = 2000
CONSENT_REQUIRED = "consent_required"
NOT_ACCEPTING = "service_not_accepting_referrals"


class EditConflict(Exception):
    def __init__(self, yours: int, theirs: int) -> None:
        super().__init__("edit_conflict")
        self.yours, self.theirs = yours, theirs

    @property
    def message(self) -> str:
        """What the person is told, on a page or in the API."""
        return _("Направлення щойно змінив хтось інший. Перегляньте його й повторіть дію.")


class TransitionRefused(Exception):
    def __init__(self, from_status: str, to_status: str) -> None:
        super().__init__(f"{from_status} → {to_status}")
        self.from_status, self.to_status = from_status, to_status

    @property
    def message(self) -> str:
        """What the person is told, on a page or in the API."""
        return _("Такий перехід стану не дозволено: направлення зараз «%(status)s».") % {
            "status": Status(self.from_status).label
        }


# --- reading the input ----------------------------------------------------------------------


def _text(data: dict, name: str) -> str:
    value = data.get(name)
    return value.strip() if isinstance(value, str) else ""


def _add(errors: dict, field: str, message: str, code: str) -> None:
    errors.setdefault(field, []).append(ValidationError(message, code=code))


def _required() -> str:
    return _("Обов'язкове поле.")


def _long(errors: dict, field: str, text: str, limit: int) -> str:
    if len(text) > limit:
        _add(errors, field, _("Максимальна довжина: %(max)s.") % {"max": limit}, "too_long")
    return text


def _person(actor: Actor, value: Any, errors: dict) -> Person | None:
    if not value:
        _add(errors, "person", _required(), "required")
        return None
    try:
        UUID(str(value))
        return registry.person_for_write(actor=actor, person_id=value)
    except (ValueError, Http404):
        _add(errors, "person", _("Особу не знайдено."), "not_found")
        return None


def _service(actor: Actor, value: Any, errors: dict) -> Service | None:
    """By its number or its HSDS id (uuid), among the services the directory shows the actor:
    one they may not see is not found, like an unknown one."""
    if value in (None, ""):
        _add(errors, "service", _required(), "required")
        return None
    qs = directory.services_visible(actor=actor).select_related(
        "organisation", "organisation__community"
    )
    text = str(value).strip()
    try:
        service = (
            qs.filter(pk=int(text)).first()
            if text.isdigit()
            else qs.filter(uuid=UUID(text)).first()
        )
    except ValueError:
        service = None
    if service is None:
        _add(errors, "service", _("Послугу не знайдено."), "not_found")
        return None
    if service.status != ServiceStatus.ACTIVE or not service.organisation.is_active:
        _add(errors, "service", _("Ця послуга зараз не надається."), "inactive")
        return None
    return service


def _need(data: dict, errors: dict):
    code = _text(data, "need")
    if not code:
        _add(errors, "need", _required(), "required")
        return None
    need = selectors.needs_active().filter(code=code).first()
    if need is None:
        _add(errors, "need", _("Немає такої потреби в переліку."), "unknown_need")
    return need


def _request(actor: Actor, value: Any, person: Person | None, errors: dict):
    if not value:
        return None
    try:
        UUID(str(value))
        found = intake.request_get(actor=actor, request_id=value)
    except (ValueError, Http404):
        _add(errors, "request", _("Звернення не знайдено."), "not_found")
        return None
    if person is not None and found.person_id != person.pk:
        _add(errors, "request", _("Це звернення іншої особи."), "other_person")
        return None
    return found


def _shared(data: dict, errors: dict) -> list[str] | None:
    """The items the sender chose, with the minimum always in; ``None`` when not given."""
    value = data.get("shared")
    if value is None:
        return None
    if not isinstance(value, list | tuple) or any(v not in Shared.values for v in value):
        _add(errors, "shared", _("Неприпустиме значення."), "invalid_choice")
        return None
    return [s for s in Shared.values if s in value or s in MINIMUM_SHARED]


def _sending_hub(actor: Actor, person: Person) -> Organisation:
    """The actor's own hub covering the person, else the hub holding the person."""
    grants = policies.covering_grants(
        actor, Perm.REFERRALS_SEND, community=person.community, organisation=person.organisation_id
    )
    if not grants:
        policies.deny(actor, reason=f"{Perm.REFERRALS_SEND} {person.pk}")
    hub_id = next((g.organisation_id for g in grants if g.organisation_id), None)
    hub_id = hub_id or person.organisation_id
    if hub_id is None:
        raise ValidationError(
            {"person": [ValidationError(_("Особа не належить до жодного хабу."), code="no_hub")]}
        )
    return Organisation.objects.select_related("community").get(pk=hub_id)


def consent_covers(person: Person, hub: Organisation, receiver: Organisation) -> bool:
    """Whether the person's consent lets the hub share their data with ``receiver``: a partners
    consent for another organisation, any consent within the hub itself."""
    scope = ConsentScope.HUB if receiver.pk == hub.pk else ConsentScope.PARTNERS
    return registry.consent_allows(person, scope, organisation=hub)


def send_terms(*, actor: Actor, person: Person) -> dict[str, Any]:
    """What sending now would mean (for the page before sending): the sending hub, whether the
    person's consent covers partners and the hub itself, and the deadlines of each service
    (``deadlines(service)`` → ``(respond_by, complete_by)``)."""
    hub = _sending_hub(actor, person)
    today = rules.local_today()
    return {
        "hub": hub,
        "partners_consent": registry.consent_allows(
            person, ConsentScope.PARTNERS, organisation=hub
        ),
        "hub_consent": registry.consent_allows(person, ConsentScope.HUB, organisation=hub),
        "deadlines": lambda s: rules.deadlines(today, s.response_days, s.completion_days),
    }


def _snapshot(person: Person, shared: list[str]) -> dict[str, str]:
    data: dict[str, str] = {}
    if Shared.NAME in shared:
        data["name"] = person.full_name
    if Shared.CONTACT in shared:
        phones = sorted(person.phones.all(), key=lambda p: not p.is_primary)
        if phones:
            data["phone"] = phones[0].number
        if person.email:
            data["email"] = person.email
    return data


def _next_reference(year: int) -> str:
    """``НП-<year>-<6 digits>``, the next of the year, under the year's row lock."""
    ReferralSequence.objects.get_or_create(year=year)
    sequence = ReferralSequence.objects.select_for_update().get(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"НП-{year}-{sequence.last:06d}"


def _event(referral: Referral, actor: Actor | None, to: str, **fields) -> ReferralEvent:
    return ReferralEvent.objects.create(
        referral=referral,
        actor=getattr(actor, "user", None),
        from_status=referral.status if referral.pk and referral.status != to else "",
        to_status=to,
        **fields,
    )


def _consent_message(external: bool) -> str:
    if external:
        return _(
            "Щоб направити особу до іншої організації, потрібна чинна згода особи на "
            "передавання даних партнерам. Запишіть згоду й повторіть."
        )
    return _("Контакт особи можна передати лише за її згодою.")


# --- sending --------------------------------------------------------------------------------


def referral_send(
    *, actor: Actor, data: dict[str, Any], idempotency_key: str = "", draft: bool = False
) -> tuple[Referral, bool]:
    """Sends a referral of ``data["person"]`` to ``data["service"]`` for ``data["need"]``
    (a need code) with ``note``, optionally for ``request``; ``shared`` (optional) names what
    the receiver sees beyond the minimum; ``confirm_not_accepting`` confirms a referral to a
    service not accepting referrals. Returns ``(referral, created)``: a double submission
    gives the first referral back with ``created`` false.

    With ``draft`` the referral is kept as a draft of the sending hub (the receiver does not see
    it; consent and the service's intake are checked when it is sent). Sending what an open
    draft of the hub already holds (same person, service and need) sends that draft."""
    policies.require(actor, Perm.REFERRALS_SEND)
    idempotency_key = (idempotency_key or "").strip()[:100]
    earlier = selectors.by_idempotency_key(actor=actor, key=idempotency_key)
    if earlier is not None and earlier.sent_at is None and not draft and earlier.is_open:
        # The key saved a draft; this call sends: the draft it named is sent.
        sent = draft_send(
            actor=actor,
            referral_id=earlier.pk,
            confirm_not_accepting=data.get("confirm_not_accepting") is True,
            shared=data.get("shared"),
        )
        return sent, True
    if earlier is not None:
        return selectors.referral_get(actor=actor, referral_id=earlier.pk), False

    errors: dict[str, list] = {}
    person = _person(actor, data.get("person"), errors)
    service = _service(actor, data.get("service"), errors)
    need = _need(data, errors)
    request = _request(actor, data.get("request"), person, errors)
    note = _long(errors, "note", _text(data, "note"), NOTE_MAX)
    shared = _shared(data, errors)
    if errors:
        raise ValidationError(errors)
    hub = _sending_hub(actor, person)
    confirmed = data.get("confirm_not_accepting") is True

    def reuse(same: Referral) -> tuple[Referral, bool]:
        """The hub's open referral of the same person, service and need: given back — or,
        when it is a draft and this call sends, sent as now written."""
        if same.status != Status.DRAFT or draft:
            return same, False
        same.note, same.request = note, request
        if shared is not None:
            same.shared = shared
        return _dispatch_draft(actor, same, hub, confirmed=confirmed, given=shared is not None)

    same = selectors.open_duplicate(
        hub_id=hub.pk, person_id=person.pk, service_id=service.pk, need_id=need.pk
    )
    if same is not None:
        return reuse(same)

    consented = consent_covers(person, hub, service.organisation)
    if shared is None:
        shared = _default_shared(consented)
    if not draft:
        _check_sending(service, hub, shared, consented=consented, confirmed=confirmed)

    with transaction.atomic():
        if idempotency_key:  # a concurrent twin with the same key
            earlier = selectors.by_idempotency_key(actor=actor, key=idempotency_key)
            if earlier is not None:
                return selectors.referral_get(actor=actor, referral_id=earlier.pk), False
        _lock(person)
        if not draft:
            _recheck_consent(person, hub, service.organisation, shared)
        same = selectors.open_duplicate(
            hub_id=hub.pk, person_id=person.pk, service_id=service.pk, need_id=need.pk
        )
        if same is not None:  # written by someone else meanwhile
            return reuse(same)
        referral = Referral(
            reference=_next_reference(timezone.now().astimezone(rules.HUB_TIME_ZONE).year),
            person=person,
            request=request,
            service=service,
            need=need,
            note=note,
            shared=shared,
            sender_organisation=hub,
            sender_community=hub.community,
            receiver_organisation=service.organisation,
            receiver_community=service.organisation.community,
            status=Status.DRAFT,
            created_by=actor.user,
            idempotency_key=idempotency_key,
        )
        if draft:
            referral.save(force_insert=True)
            _event(referral, actor, Status.DRAFT)  # the note travels with sending
        else:
            _mark_sent(referral)
            referral.save(force_insert=True)
            _event(referral, actor, Status.SENT, note=note)
        audit.record(
            actor=actor,
            action=audit.Action.CREATE,
            event="referrals.referral.drafted" if draft else "referrals.referral.sent",
            target=referral,
            changed_fields=["person", "service", "need", "shared", "status"]
            + (["note"] if note else [])
            + (["request"] if request else []),
        )
    return referral, True


def _default_shared(consented: bool) -> list[str]:
    """The minimum, and the contact when the person's consent covers the receiver."""
    chosen = [*MINIMUM_SHARED, *([Shared.CONTACT] if consented else [])]
    return [s for s in Shared.values if s in chosen]


def _check_sending(
    service: Service, hub: Organisation, shared: list[str], *, consented: bool, confirmed: bool
) -> None:
    """Everything the sender must put right before a referral leaves, all at once."""
    errors: dict[str, list] = {}
    external = service.organisation_id != hub.pk
    if not service.accepting_referrals and not confirmed:
        _add(
            errors,
            "confirm_not_accepting",
            _(
                "Ця послуга зараз не приймає направлень. Підтвердьте, що все одно надсилаєте "
                "направлення (наприклад, домовилися телефоном)."
            ),
            NOT_ACCEPTING,
        )
    if external and not consented:
        _add(errors, "consent", _consent_message(external=True), CONSENT_REQUIRED)
    elif Shared.CONTACT in shared and not consented:
        _add(errors, "shared", _consent_message(external=False), CONSENT_REQUIRED)
    if errors:
        raise ValidationError(errors)


def _lock(person: Person) -> None:
    list(Person.objects.select_for_update().filter(pk=person.pk).values("pk"))


def _recheck_consent(
    person: Person, hub: Organisation, receiver: Organisation, shared: list[str]
) -> None:
    """Again under the person's lock: a consent withdrawn since the first check counts."""
    external = receiver.pk != hub.pk
    if (external or Shared.CONTACT in shared) and not consent_covers(person, hub, receiver):
        field = "consent" if external else "shared"
        raise ValidationError(
            {field: [ValidationError(_consent_message(external), code=CONSENT_REQUIRED)]}
        )


def _mark_sent(referral: Referral) -> None:
    """What sending sets: the time, the deadlines from today, and the person's data the
    receiver will see, copied now."""
    referral.status = Status.SENT
    referral.sent_at = timezone.now()
    referral.respond_by, referral.complete_by = rules.deadlines(
        rules.local_today(), referral.service.response_days, referral.service.completion_days
    )
    referral.shared_person = _snapshot(referral.person, referral.shared)


def _dispatch_draft(
    actor: Actor, draft: Referral, hub: Organisation, *, confirmed: bool, given: bool = True
) -> tuple[Referral, bool]:
    """Sends the hub's ``draft`` (checks as for a new referral); ``given`` false: the sender
    named nothing to share, so the default for the consent of today applies."""
    receiver = draft.receiver_organisation
    consented = consent_covers(draft.person, hub, receiver)
    if not given:
        draft.shared = _default_shared(consented)
    _check_sending(draft.service, hub, draft.shared, consented=consented, confirmed=confirmed)
    with transaction.atomic():
        _lock(draft.person)
        referral = Referral.objects.select_for_update().get(pk=draft.pk)
        if referral.status != Status.DRAFT:
            return referral, False  # sent (or discarded) meanwhile
        _recheck_consent(draft.person, hub, receiver, draft.shared)
        rewritten = [
            name
            for name in ("note", "request_id", "shared")
            if getattr(referral, name) != getattr(draft, name)
        ]
        referral.note, referral.request, referral.shared = draft.note, draft.request, draft.shared
        _event(referral, actor, Status.SENT, note=referral.note)
        _mark_sent(referral)
        referral.version += 1
        referral.save()
        audit.record(
            actor=actor,
            action=audit.Action.UPDATE,
            event="referrals.referral.sent",
            target=referral,
            changed_fields=["status", "sent_at", "respond_by", "complete_by", "shared_person"]
            + [name.removesuffix("_id") for name in rewritten],
            reason=Status.SENT,
        )
    return referral, True


def draft_send(
    *,
    actor: Actor,
    referral_id: UUID | str,
    confirm_not_accepting: bool = False,
    shared: list[str] | None = None,
    version=None,
) -> Referral:
    """Sends a draft of the actor's hub as it was saved, sharing ``shared`` when given (what
    the sender chooses now, e.g. the contact once the person has consented) — else what the
    draft named. ``TransitionRefused`` for anything that is not a draft; a draft sent a moment
    ago is returned as it is."""
    errors: dict[str, list] = {}
    chosen = _shared({"shared": shared}, errors)
    if errors:
        raise ValidationError(errors)
    found = selectors.referral_get(actor=actor, referral_id=referral_id)
    _check_side(actor, found, Status.SENT)
    if found.status == Status.SENT:
        return found
    if found.status != Status.DRAFT:
        raise TransitionRefused(found.status, Status.SENT)
    if version is not None and version != found.version:
        raise EditConflict(version, found.version)
    _service(actor, found.service_id, errors)  # still given, by an active organisation
    if errors:
        raise ValidationError(errors)
    if chosen is not None:
        found.shared = chosen
    referral, _sent = _dispatch_draft(
        actor, found, found.sender_organisation, confirmed=confirm_not_accepting
    )
    return referral


# --- moving along ---------------------------------------------------------------------------


def _check_side(actor: Actor, referral: Referral, to: str) -> None:
    """``PermissionDenied`` (audited) unless the actor acts on the side that makes this move."""
    sides = selectors.sides_of(actor, referral)
    if (to in rules.SENDER_MOVES and not sides.can_send) or (
        to in rules.RECEIVER_MOVES and not sides.can_respond
    ):
        policies.deny(actor, reason=f"referrals:{to} {referral.pk}", event="referrals.denied")


def referral_transition(
    *,
    actor: Actor,
    referral_id: UUID | str,
    to: str,
    reason: str = "",
    outcome: str = "",
    note: str = "",
    version: int | None = None,
    confirm_not_accepting: bool = False,
    shared: list[str] | None = None,
) -> Referral:
    """Moves a referral to ``to`` (``sent``: a draft is sent, see ``draft_send``). Declining
    and cancelling need a ``reason`` (discarding a draft does not); completing an ``outcome``
    (``Outcome``). ``version``, when given, must be the current one. A repeat of the move just
    made (a double click, a retried request: the status is ``to`` already, and for completing
    the outcome is the same) changes nothing and returns the referral as it is. A completed
    referral counts as a service delivered, with its outcome."""
    errors: dict[str, list] = {}
    to = (to or "").strip()
    if not to:
        _add(errors, "to", _required(), "required")
    elif to not in rules.REQUESTED_MOVES:
        _add(errors, "to", _("Неприпустиме значення."), "invalid_choice")
    reason = _long(errors, "reason", (reason or "").strip(), REASON_MAX)
    note = _long(errors, "note", (note or "").strip(), NOTE_MAX)
    outcome = (outcome or "").strip()
    if errors:
        raise ValidationError(errors)

    if to == Status.SENT:
        return draft_send(
            actor=actor,
            referral_id=referral_id,
            confirm_not_accepting=confirm_not_accepting,
            shared=shared,
            version=version,
        )
    found = selectors.referral_get(actor=actor, referral_id=referral_id)
    _check_side(actor, found, to)
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=found.pk)
        if referral.status == to and (to != Status.COMPLETED or referral.outcome == outcome):
            return referral  # already done: a repeat, not a conflict
        if version is not None and version != referral.version:
            raise EditConflict(version, referral.version)
        if not rules.allowed(referral.status, to):
            raise TransitionRefused(referral.status, to)
        discarding_draft = referral.status == Status.DRAFT and to == Status.CANCELLED
        if to in (Status.DECLINED, Status.CANCELLED) and not reason and not discarding_draft:
            message = (
                _("Вкажіть, чому направлення відхилено.")
                if to == Status.DECLINED
                else _("Вкажіть, чому направлення скасовано.")
            )
            _add(errors, "reason", message, "required")
        if to == Status.COMPLETED and outcome not in Outcome.values:
            _add(
                errors,
                "outcome",
                _("Оберіть результат: потребу задоволено, частково чи ні."),
                "required" if not outcome else "invalid_choice",
            )
        if errors:
            raise ValidationError(errors)
        _apply(referral, actor, to, reason=reason, outcome=outcome, note=note)
        if to == Status.COMPLETED:
            delivery.record_delivery(
                actor=actor,
                person=referral.person,
                service=referral.service,
                organisation=referral.receiver_organisation,
                worker=actor.user,
                delivered_on=rules.local_today(),
                source_kind=delivery.SourceKind.REFERRAL,
                source_id=referral.pk,
                requested_by=referral.sender_organisation,
                outcome=outcome,
            )
    return referral


def _apply(
    referral: Referral, actor: Actor | None, to: str, *, reason="", outcome="", note=""
) -> None:
    now = timezone.now()
    changed = ["status"]
    if to in (Status.ACCEPTED, Status.DECLINED):
        referral.answered_at = now
        changed.append("answered_at")
    if to in rules.CLOSED_STATUSES:
        referral.closed_at = now
        changed.append("closed_at")
    if reason and to in (Status.DECLINED, Status.CANCELLED):  # the reason of a refusal only
        referral.reason = reason
        changed.append("reason")
    if to == Status.COMPLETED:
        referral.outcome, referral.outcome_note = outcome, note
        changed += ["outcome", *(["outcome_note"] if note else [])]
    _event(referral, actor, to, reason=reason, outcome=outcome, note=note)
    referral.status = to
    referral.version += 1
    referral.save()
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        event="referrals.referral.status_changed",
        target=referral,
        changed_fields=changed,
        reason=to,
    )


def stop_sharing_withdrawn_contact(*, actor: Actor, person: Person, **_kwargs) -> None:
    """The receiver of ``apps.registry.signals.consent_withdrawn``, in the transaction of the
    withdrawal (the person's row locked): open referrals of the person to other organisations
    that the remaining consents no longer cover stop sharing the contact — the phone and e-mail
    leave what the receiver sees, the history says so, the change is audited."""
    referrals = (
        Referral.objects.select_for_update()
        .select_related("sender_organisation", "receiver_organisation")
        .filter(person=person, status__in=rules.OPEN_STATUSES)
        .exclude(receiver_organisation=F("sender_organisation"))
        .order_by("pk")
    )
    for referral in referrals:
        if Shared.CONTACT not in referral.shared and not (
            {"phone", "email"} & set(referral.shared_person)
        ):
            continue
        if consent_covers(person, referral.sender_organisation, referral.receiver_organisation):
            continue
        referral.shared = [s for s in referral.shared if s != Shared.CONTACT]
        referral.shared_person = {
            k: v for k, v in referral.shared_person.items() if k not in ("phone", "email")
        }
        referral.version += 1
        referral.save(update_fields=["shared", "shared_person", "version", "updated_at"])
        ReferralEvent.objects.create(
            referral=referral,
            actor=getattr(actor, "user", None),
            from_status=referral.status,
            to_status=referral.status,
            note=_("Особа відкликала згоду: її контакт більше не передається організації."),
        )
        audit.record(
            actor=actor,
            action=audit.Action.UPDATE,
            event="referrals.referral.contact_withdrawn",
            target=referral,
            changed_fields=["shared", "shared_person"],
            reason="consent_withdrawn",
        )


def expire_unanswered() -> int:
    """Marks expired the sent referrals nobody answered long past their deadline (the
    scheduler's move); returns how many."""
    count = 0
    for referral in selectors.expiring(today=rules.local_today()):
        with transaction.atomic():
            locked = Referral.objects.select_for_update().get(pk=referral.pk)
            if locked.status == Status.SENT:
                _apply(locked, None, Status.EXPIRED)
                count += 1
    return count


__all__ = [
    "CONSENT_REQUIRED",
    "NOT_ACCEPTING",
    "EditConflict",
    "TransitionRefused",
    "consent_covers",
    "draft_send",
    "expire_unanswered",
    "referral_send",
    "referral_transition",
    "send_terms",
    "stop_sharing_withdrawn_contact",
]
