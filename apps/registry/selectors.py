"""Readers of the registry, always for an acting user.

Duplicate search and person search (ARCHITECTURE.md "Search and duplicates"): an exact
identifier (a personal document number or a phone) first; then blocks — the birth date, and
the birth year with the sound of the surname — ranked by the similarity of the Latin name keys
(the first and last names also compared swapped) plus a small bonus for the same birth date.

Duplicates are looked for in every community (a registrar must not register again a person
another hub holds), but a match outside the actor's scope carries no personal details: only
that it exists and which hub holds it (``Match.visible`` is false, ``Match.person`` is not to be
shown). To ask for such a person, a registrar gets an opaque ``transfer_ref``
(``transfer_ref_for``): the person's id hidden (XOR with an HMAC-SHA256 pad of a random nonce and
the requesting user, under ``SECRET_KEY``), then signed with a timestamp by ``django.core.signing``
— it cannot be read, forged, used by another user, or used after ``TRANSFER_REF_MAX_AGE``.

Households show their members; a member the actor may not read shows as a membership only (its
relationship and dates), never as a person.
"""

import re
import secrets
from base64 import urlsafe_b64decode, urlsafe_b64encode
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, timedelta
from difflib import SequenceMatcher
from itertools import permutations
from uuid import UUID

from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from apps.access import policies
from apps.access.actor import Actor
from apps.access.roles import Perm
from apps.directory.models import Organisation, OrganisationKind
from apps.geo.models import Unit

from .identifiers import DocumentType, IdentifierError, validate_document, validate_phone
from .models import (
    AccessTransfer,
    Consent,
    ConsentScope,
    Document,
    Household,
    HouseholdMember,
    OutgoingTransfer,
    Person,
    PersonPhone,
)
from .names import PersonKeys, person_keys

# Documents whose number names one person: the same number is the same person.
IDENTIFYING_DOCUMENTS = (
    DocumentType.RNOKPP,
    DocumentType.UNZR,
    DocumentType.PASSPORT,
    DocumentType.ID_CARD,
)
# Name similarity (0–1) from which a candidate of a block counts as a likely duplicate.
DUPLICATE_SAME_DATE_THRESHOLD = 0.8
DUPLICATE_SAME_YEAR_THRESHOLD = 0.9
# Name similarity from which a candidate is a search result.
SEARCH_THRESHOLD = 0.6
SAME_BIRTH_DATE_BONUS = 0.05
# At most this many candidates of one block are ranked (a bounded search).
BLOCK_LIMIT = 500
MAX_LIMIT = 50

_WORD = re.compile(r"[^\s,]+")
_PHONE_LIKE = re.compile(r"^[\d\s()+\-.]{7,}$")


@dataclass
class Match:
    """A likely match. ``visible``: the actor may see ``person``; when false, only ``score``,
    ``reasons`` and ``held_by`` may leave the server."""

    person: Person
    score: float
    reasons: list[str] = field(default_factory=list)
    visible: bool = False

    @property
    def held_by(self) -> str:
        holder = self.person.organisation or self.person.community
        return getattr(holder, "name", "")


# --- reading one person ---------------------------------------------------------------------


def _survivor_id(person_id: UUID | str) -> UUID | str:
    """The id a merged person's id now answers with (the chain followed, bounded)."""
    current = person_id
    for _hop in range(10):
        merged_into = (
            Person.objects.filter(pk=current).values_list("merged_into_id", flat=True).first()
        )
        if merged_into is None:
            return current
        current = merged_into
    return current


def _person_qs() -> QuerySet[Person]:
    return Person.objects.select_related(
        "community", "organisation", "origin_unit", "current_unit"
    ).prefetch_related("phones", "documents", "categories")


def person_get(*, actor: Actor, person_id: UUID | str) -> Person:
    """The person (the survivor of a merge), or ``Http404`` for missing and not-yours alike."""
    return policies.get_for(actor, Perm.PERSONS_READ, _person_qs(), pk=_survivor_id(person_id))


def person_read(*, actor: Actor, person_id: UUID | str) -> Person:
    """``person_get`` for showing the card: one READ event in the transaction of the read."""
    return policies.read_for(actor, Perm.PERSONS_READ, _person_qs(), pk=_survivor_id(person_id))


# --- matching -------------------------------------------------------------------------------


def _ratio(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b).ratio()


def name_similarity(query: PersonKeys, person: Person) -> float:
    """0–1: the Latin keys compared part by part, first and last names also swapped."""
    best = 0.0
    for last, first in (
        (query.last_latin, query.first_latin),
        (query.first_latin, query.last_latin),
    ):
        parts = [(0.5, _ratio(last, person.latin_last)), (0.35, _ratio(first, person.latin_first))]
        if query.patronymic_latin and person.latin_patronymic:
            parts.append((0.15, _ratio(query.patronymic_latin, person.latin_patronymic)))
        weight = sum(w for w, _ in parts)
        best = max(best, sum(w * r for w, r in parts) / weight)
    return best


def _identifier_matches(
    documents: list[tuple[str, str]], phones: list[str]
) -> dict[UUID, list[str]]:
    reasons: dict[UUID, list[str]] = {}
    q = Q(pk__in=[])
    for doc_type, number in documents:
        if doc_type in IDENTIFYING_DOCUMENTS and number:
            q |= Q(type=doc_type, number=number)
    if q != Q(pk__in=[]):
        for person_id, doc_type in Document.objects.filter(q).values_list("person_id", "type"):
            code = "same_rnokpp" if doc_type == DocumentType.RNOKPP else "same_document"
            reasons.setdefault(person_id, []).append(code)
    if phones:
        for person_id in PersonPhone.objects.filter(number__in=phones).values_list(
            "person_id", flat=True
        ):
            reasons.setdefault(person_id, []).append("same_phone")
    return reasons


def _visible_ids(actor: Actor, ids) -> set:
    if not ids:
        return set()
    qs = policies.scoped(Person.objects.filter(pk__in=list(ids)), actor, Perm.PERSONS_READ)
    return set(qs.values_list("pk", flat=True))


def _living(qs: QuerySet[Person]) -> QuerySet[Person]:
    return qs.filter(merged_into__isnull=True).select_related("organisation", "community")


def _rank(
    actor: Actor,
    *,
    key_sets: list[PersonKeys],
    birth_date: date | None,
    identifiers: dict[UUID, list[str]],
    date_threshold: float,
    year_threshold: float,
    limit: int,
) -> list[Match]:
    matches: dict[UUID, Match] = {}
    if identifiers:
        for person in _living(Person.objects.filter(pk__in=list(identifiers))):
            matches[person.pk] = Match(person, 1.0, sorted(set(identifiers[person.pk])))

    candidates: dict[UUID, Person] = {}
    if birth_date is not None:
        for person in _living(Person.objects.filter(birth_date=birth_date))[:BLOCK_LIMIT]:
            candidates[person.pk] = person
        sounds = {k.surname_sound for k in key_sets if k.surname_sound}
        sounds |= {k.first_latin and person_keys(k.first_latin, "").surname_sound for k in key_sets}
        sounds.discard("")
        if sounds:
            block = Person.objects.filter(birth_year=birth_date.year, surname_sound__in=sounds)
            for person in _living(block)[:BLOCK_LIMIT]:
                candidates.setdefault(person.pk, person)
    else:
        lasts = {k.last_latin for k in key_sets} | {k.first_latin for k in key_sets}
        lasts.discard("")
        if lasts:
            for person in _living(Person.objects.filter(latin_last__in=lasts))[:BLOCK_LIMIT]:
                candidates[person.pk] = person

    for person in candidates.values():
        if person.pk in matches:
            continue
        similarity = max(name_similarity(keys, person) for keys in key_sets)
        same_date = birth_date is not None and person.birth_date == birth_date
        same_year = birth_date is not None and person.birth_year == birth_date.year
        if same_date and similarity >= date_threshold:
            reason = "similar_name_same_birth_date"
        elif same_year and similarity >= year_threshold:
            reason = "similar_name_same_birth_year"
        elif birth_date is None and similarity >= date_threshold:
            reason = "similar_name"
        else:
            continue
        score = min(similarity * 0.95 + (SAME_BIRTH_DATE_BONUS if same_date else 0.0), 0.99)
        matches[person.pk] = Match(person, round(score, 3), [reason])

    ranked = sorted(
        matches.values(), key=lambda m: (-m.score, m.person.last_name, str(m.person.pk))
    )[:limit]
    visible = _visible_ids(actor, [m.person.pk for m in ranked])
    for match in ranked:
        match.visible = match.person.pk in visible
    return ranked


def person_duplicates(
    *,
    actor: Actor,
    last_name: str,
    first_name: str,
    patronymic: str = "",
    birth_date: date | None,
    documents: list[tuple[str, str]] = (),
    phone: str = "",
    limit: int = 10,
) -> list[Match]:
    """Likely duplicates of a person about to be registered, best first, in every community.
    ``documents`` are (type, normalised number) pairs, ``phone`` in E.164."""
    keys = person_keys(last_name, first_name, patronymic)
    return _rank(
        actor,
        key_sets=[keys],
        birth_date=birth_date,
        identifiers=_identifier_matches(list(documents), [phone] if phone else []),
        date_threshold=DUPLICATE_SAME_DATE_THRESHOLD,
        year_threshold=DUPLICATE_SAME_YEAR_THRESHOLD,
        limit=limit,
    )


def _query_identifiers(q: str) -> tuple[list[tuple[str, str]], list[str]]:
    compact = q.strip()
    documents: list[tuple[str, str]] = []
    for doc_type in IDENTIFYING_DOCUMENTS:
        try:
            documents.append((doc_type, validate_document(doc_type, compact).normalised))
        except IdentifierError:
            continue
    phones: list[str] = []
    if _PHONE_LIKE.match(compact):
        with suppress(IdentifierError):
            phones.append(validate_phone(compact))
    return documents, phones


def _query_key_sets(q: str) -> list[PersonKeys]:
    words = _WORD.findall(q)
    if not words or any(ch.isdigit() for ch in q):
        return []
    if len(words) > 3:
        words = [words[0], words[1], " ".join(words[2:])]
    sets = []
    for order in permutations(words):
        last, first, *rest = (*order, "") if len(order) == 1 else order
        sets.append(person_keys(last, first, rest[0] if rest else ""))
    return sets


def person_search(
    *, actor: Actor, q: str, birth_date: date | None = None, limit: int = 10
) -> list[Match]:
    """People matching ``q`` — a name in any script and order, a phone or a document number —
    best first. Matches outside the actor's scope come back with ``visible`` false."""
    policies.require(actor, Perm.PERSONS_READ)
    limit = max(1, min(limit, MAX_LIMIT))
    documents, phones = _query_identifiers(q)
    key_sets = _query_key_sets(q)
    if not key_sets and not documents and not phones:
        return []
    return _rank(
        actor,
        key_sets=key_sets or [person_keys("", "")],
        birth_date=birth_date,
        identifiers=_identifier_matches(documents, phones),
        date_threshold=SEARCH_THRESHOLD,
        year_threshold=SEARCH_THRESHOLD,
        limit=limit,
    )


# --- writing one person, merging ------------------------------------------------------------


def person_for_write(*, actor: Actor, person_id: UUID | str) -> Person:
    """The person (the survivor of a merge) the actor may change, or ``Http404``."""
    return policies.get_for(actor, Perm.PERSONS_WRITE, _person_qs(), pk=_survivor_id(person_id))


def person_read_for_write(*, actor: Actor, person_id: UUID | str) -> Person:
    """The person (the survivor of a merge) the actor may change, for showing in an edit form:
    one READ event, or ``Http404``."""
    return policies.read_for(actor, Perm.PERSONS_WRITE, _person_qs(), pk=_survivor_id(person_id))


def person_read_for_merge(*, actor: Actor, person_id: UUID | str) -> Person:
    """Exactly this record, for showing beside its likely duplicate before a merge: one READ
    event, or ``Http404`` unless the actor may merge it."""
    return policies.read_for(actor, Perm.PERSONS_MERGE, _person_qs(), pk=person_id)


def person_for_merge(*, actor: Actor, person_id: UUID | str) -> Person:
    """Exactly this record (a merged one too: merging it again is refused by the service) if
    the actor may merge it, or ``Http404``."""
    return policies.get_for(actor, Perm.PERSONS_MERGE, _person_qs(), pk=person_id)


def person_documents(*, actor: Actor, person_id: UUID | str) -> tuple[Person, list[Document]]:
    """The person's documents; the read is audited as a read of the person."""
    person = person_read(actor=actor, person_id=person_id)
    return person, list(person.documents.order_by("pk"))


def person_is_visible(*, actor: Actor, person_id: UUID | str) -> bool:
    """Whether the actor may read the person (no read is audited: nothing is shown)."""
    return bool(_visible_ids(actor, [person_id]))


def persons_visible(*, actor: Actor, person_ids) -> set[str]:
    """Which of ``person_ids`` the actor may read, as text (ids kept elsewhere, e.g. in an
    import's report, are shown only to the readers who may see those persons)."""
    ids = [i for i in {str(i) for i in person_ids if i} if _is_uuid(i)]
    return {str(pk) for pk in _visible_ids(actor, ids)}


def _is_uuid(value: str) -> bool:
    try:
        UUID(value)
    except ValueError:
        return False
    return True


# --- consents -------------------------------------------------------------------------------


def person_consents(*, actor: Actor, person_id: UUID | str) -> tuple[Person, list[Consent]]:
    """Every consent of the person, withdrawn ones too (newest first); an audited read."""
    person = person_read(actor=actor, person_id=person_id)
    return person, list(person.consents.select_related("organisation"))


def consents_of(*, person: Person) -> list[Consent]:
    """The consents of a person already read through the policy (for the card: no second
    audited read), withdrawn ones too, newest first."""
    return list(person.consents.select_related("organisation", "recorded_by", "withdrawn_by"))


def consent_allows(
    person: Person, scope: str, organisation: object = None, on: date | None = None
) -> bool:
    """Whether the person's consent on day ``on`` (today by default) covers sharing with
    ``scope``: ``hub`` is covered by a hub or a partners consent, ``partners`` only by a partners
    consent. With ``organisation``, only that hub's consents (and those naming no hub) count.
    Withdrawn consents count only for the days before their withdrawal."""
    on = on or timezone.localdate()
    scopes = [ConsentScope.PARTNERS] if scope == ConsentScope.PARTNERS else list(ConsentScope)
    consents = Consent.objects.filter(person=person, scope__in=scopes)
    if organisation is not None:
        organisation_id = getattr(organisation, "pk", organisation)
        consents = consents.filter(
            Q(organisation_id=organisation_id) | Q(organisation__isnull=True)
        )
    return any(
        timezone.localdate(c.recorded_at) <= on
        and (c.withdrawn_at is None or timezone.localdate(c.withdrawn_at) > on)
        for c in consents
    )


# --- households -----------------------------------------------------------------------------


@dataclass
class MemberView:
    """A membership; ``person`` is ``None`` when the actor may not read that person."""

    member: HouseholdMember
    person: Person | None


def _household_qs() -> QuerySet[Household]:
    return Household.objects.select_related("community", "organisation")


def household_for_write(*, actor: Actor, household_id: UUID | str) -> Household:
    return policies.get_for(actor, Perm.PERSONS_WRITE, _household_qs(), pk=household_id)


def household_read(*, actor: Actor, household_id: UUID | str) -> Household:
    """The household for showing (its members are persons): one READ event, or ``Http404``."""
    return policies.read_for(actor, Perm.PERSONS_READ, _household_qs(), pk=household_id)


def household_members(
    *, actor: Actor, household: Household, current_only: bool = False
) -> list[MemberView]:
    """The household's memberships (current first, then by joining), each with its person
    only when the actor may read that person."""
    rows = household.members.select_related("person").order_by(
        F("left_on").asc(nulls_first=True), "joined_on", "pk"
    )
    if current_only:
        rows = rows.filter(left_on__isnull=True)
    rows = list(rows)
    visible = _visible_ids(actor, {m.person_id for m in rows})
    return [MemberView(m, m.person if m.person_id in visible else None) for m in rows]


def person_household(
    *, actor: Actor, person: Person
) -> tuple[HouseholdMember, list[MemberView]] | None:
    """The person's current membership and the household's current members, or ``None``."""
    membership = (
        HouseholdMember.objects.select_related("household")
        .filter(person=person, left_on__isnull=True)
        .first()
    )
    if membership is None:
        return None
    members = household_members(actor=actor, household=membership.household, current_only=True)
    return membership, members


# --- transfers of access --------------------------------------------------------------------

TRANSFER_REF_SALT = "apps.registry.transfer-ref"
TRANSFER_REF_MAX_AGE = timedelta(hours=24)
_NONCE_BYTES = 12


def _pad(nonce: bytes, user_id: object) -> bytes:
    return salted_hmac(
        TRANSFER_REF_SALT, nonce + str(user_id).encode(), algorithm="sha256"
    ).digest()[:16]


def _xor(a: bytes, b: bytes) -> bytes:
    return bytes(x ^ y for x, y in zip(a, b, strict=True))


def transfer_ref_for(*, actor: Actor, match: Match) -> str | None:
    """The ``transfer_ref`` of a match outside the actor's scope, for an actor who may register
    persons (and so ask for one); ``None`` otherwise."""
    if match.visible or not actor.has_perm(Perm.PERSONS_WRITE):
        return None
    nonce = secrets.token_bytes(_NONCE_BYTES)
    hidden = _xor(match.person.pk.bytes, _pad(nonce, actor.user_id))
    sealed = urlsafe_b64encode(nonce + hidden).decode().rstrip("=")
    return signing.dumps({"s": sealed, "u": actor.user_id}, salt=TRANSFER_REF_SALT)


def _bad_ref(message, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def transfer_ref_person_id(*, actor: Actor, ref: str) -> UUID:
    """The person a ``transfer_ref`` names; ``ValidationError`` when it is not one of this
    user's refs or has expired."""
    invalid = _bad_ref(
        _("Недійсне посилання на особу: знайдіть особу через пошук ще раз."), "invalid"
    )
    try:
        data = signing.loads(ref, salt=TRANSFER_REF_SALT, max_age=TRANSFER_REF_MAX_AGE)
    except signing.SignatureExpired:
        raise _bad_ref(
            _("Посилання на особу застаріло: знайдіть особу через пошук ще раз."), "expired"
        ) from None
    except signing.BadSignature:
        raise invalid from None
    if not isinstance(data, dict) or data.get("u") != actor.user_id:
        raise invalid
    try:
        sealed = urlsafe_b64decode(data["s"] + "=" * (-len(data["s"]) % 4))
        nonce, hidden = sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:]
        return UUID(bytes=_xor(hidden, _pad(nonce, actor.user_id)))
    except (KeyError, TypeError, ValueError):
        raise invalid from None


def _transfer_qs(model) -> QuerySet:
    return model.objects.select_related(
        "person", "from_organisation", "from_community", "to_organisation", "to_community"
    )


def transfers_incoming(*, actor: Actor) -> QuerySet[AccessTransfer]:
    """Requests for persons the actor's hub holds, for those who decide them."""
    policies.require(actor, Perm.TRANSFERS_DECIDE)
    return policies.scoped(_transfer_qs(AccessTransfer), actor, Perm.TRANSFERS_DECIDE)


def transfers_outgoing(*, actor: Actor) -> QuerySet[OutgoingTransfer]:
    """Requests the actor's hub made."""
    policies.require(actor, Perm.PERSONS_WRITE)
    return policies.scoped(_transfer_qs(OutgoingTransfer), actor, Perm.PERSONS_WRITE)


def transfer_for_decision(*, actor: Actor, transfer_id: UUID | str) -> AccessTransfer:
    return policies.get_for(
        actor, Perm.TRANSFERS_DECIDE, _transfer_qs(AccessTransfer), pk=transfer_id
    )


def transfer_of_requester(*, actor: Actor, transfer_id: UUID | str) -> OutgoingTransfer:
    return policies.get_for(
        actor, Perm.PERSONS_WRITE, _transfer_qs(OutgoingTransfer), pk=transfer_id
    )


# --- where an actor registers -----------------------------------------------------------------


def registration_communities(*, actor: Actor) -> list[Unit]:
    """The hromadas the actor's hub may register persons in: a hub membership gives its hub's
    hromada; a community membership gives that hromada and the hromadas of the hubs it covers
    (a raion or an oblast); a global grant gives the hromadas of every hub."""
    hubs = Organisation.objects.filter(kind=OrganisationKind.HUB, is_active=True)
    hub_units = list(Unit.objects.filter(pk__in=hubs.values("community_id")))
    found: dict[str, Unit] = {}
    for grant in actor.grants_for(Perm.PERSONS_WRITE):
        if grant.organisation_id:
            units = Unit.objects.filter(
                pk__in=Organisation.objects.filter(pk=grant.organisation_id).values("community_id")
            )
        else:
            own = Unit.objects.filter(pk=grant.community_code).first()
            candidates = [*hub_units, *([own] if own is not None and own.is_community else [])]
            units = [u for u in candidates if policies.grant_covers(grant, community=u)]
        found |= {unit.pk: unit for unit in units}
    return sorted(found.values(), key=lambda unit: unit.name)
