"""Readers of the registry, always for an acting user.

Duplicate search and person search (ARCHITECTURE.md "Search and duplicates"), built to hold at
a million persons (figures in ``bench/README.md``):

1. An exact identifier (a personal document number or a phone) first, score 1.
2. Candidates from blocks, read as narrow rows (the keys only, no model instances):
   with a birth date — the persons born that day, and those born that year whose surname
   sounds alike (``surname_sound``, the two first words also swapped); the birth date narrows:
   nobody of another birth year is offered. Without one — the name block: the vocabulary keys
   similar to each word (``vocabulary.similar_keys``: pg_trgm on PostgreSQL, rapidfuzz over the
   vocabulary on SQLite) as surname × as given name, every order of the words, looked up on the
   (latin_last, latin_first) index; the exact pairs separately first, so a crowd of similar
   names cannot push them past the block limit; then, when nobody carries the name as typed
   but someone the given name (and patronymic), a wider neighbourhood of the surname with them
   exactly (a typo in a dense tail of surnames has dozens of closer neighbours than the right
   one). When a birth
   date is given but its blocks hold nobody similar enough, the name block runs narrowed to
   that birth year. A word typed in Latin is also looked up in its other readings
   (``names.latin_readings``: "h" as Х, "c" as Ц).
3. Ranking by rapidfuzz similarity of the Latin keys (first and last names also swapped;
   patronymic when both have one; each distinct pair of keys compared once; the better of the
   Latin keys and their ``names.typing_key``s, so a typo on Щ or Ж counts as one letter; a word
   with other readings by the best of them), plus a small bonus for the same birth date —
   sorting exact birth dates first would fill the top with strangers born that day. Only the
   best ``limit`` become ``Person`` instances.

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
from functools import lru_cache
from itertools import permutations
from typing import NamedTuple
from uuid import UUID

from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from apps.access import policies
from apps.access.actor import Actor
from apps.access.roles import Perm
from apps.audit import services as audit
from apps.directory.models import Organisation, OrganisationKind
from apps.geo.models import Unit

from .identifiers import DocumentType, IdentifierError, validate_document, validate_phone
from .models import (
    AccessTransfer,
    Consent,
    ConsentScope,
    Document,
    DocumentAttachment,
    Household,
    HouseholdMember,
    NameKey,
    OutgoingTransfer,
    Person,
    PersonPhone,
)
from .names import PersonKeys, latin_key, latin_readings, person_keys, typing_key
from .vocabulary import CLOSEST, similar_keys

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
NAME_BLOCK_LIMIT = 2000
MAX_LIMIT = 50

_WORD = re.compile(r"[^\s,]+")
_PHONE_LIKE = re.compile(r"^[\d\s()+\-.]{7,}$")


class Candidate(NamedTuple):
    """What ranking needs of a person: one narrow row."""

    pk: UUID
    latin_last: str
    latin_first: str
    latin_patronymic: str
    birth_date: date
    birth_year: int | None


_CANDIDATE_FIELDS = Candidate._fields


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
    ).prefetch_related("phones", "documents__attachments", "categories")


def person_get(*, actor: Actor, person_id: UUID | str) -> Person:
    """The person (the survivor of a merge), or ``Http404`` for missing and not-yours alike."""
    return policies.get_for(actor, Perm.PERSONS_READ, _person_qs(), pk=_survivor_id(person_id))


def person_read(*, actor: Actor, person_id: UUID | str) -> Person:
    """``person_get`` for showing the card: one READ event in the transaction of the read."""
    return policies.read_for(actor, Perm.PERSONS_READ, _person_qs(), pk=_survivor_id(person_id))


# --- matching -------------------------------------------------------------------------------


_typing_key = lru_cache(maxsize=65536)(typing_key)


def _ratio(a: str, b: str) -> float:
    """Edit similarity of two Latin keys, also counted on their ``typing_key``s (one Cyrillic
    letter mistyped is one edit, whatever its Latin length); the better of the two."""
    if not a or not b:
        return 0.0
    typed_a, typed_b = _typing_key(a), _typing_key(b)
    if typed_a == a and typed_b == b:
        return fuzz.ratio(a, b) / 100
    return max(fuzz.ratio(a, b), fuzz.ratio(typed_a, typed_b)) / 100


def name_similarity(query: PersonKeys, person, ratio=_ratio) -> float:
    """0–1: the Latin keys compared part by part (the parts the query has), first and last
    names also swapped.
    ``person`` is a ``Person`` or a ``Candidate``; ``ratio`` compares two keys."""
    best = 0.0
    for last, first in (
        (query.last_latin, query.first_latin),
        (query.first_latin, query.last_latin),
    ):
        parts = [(0.5, ratio(last, person.latin_last))]
        if query.first_latin:  # a query of one word is compared on that word alone
            parts.append((0.35, ratio(first, person.latin_first)))
        if query.patronymic_latin and person.latin_patronymic:
            parts.append((0.15, ratio(query.patronymic_latin, person.latin_patronymic)))
        weight = sum(w for w, _ in parts)
        best = max(best, sum(w * r for w, r in parts) / weight)
    return best


#: A key of the query → the other Latin keys its word may stand for (``names.latin_readings``).
Readings = dict[str, tuple[str, ...]]


class _Scorer:
    """``name_similarity`` against every key set of the query, each pair of keys compared once
    (candidates share a handful of distinct keys). A query key with other readings compares as
    the best of them."""

    def __init__(self, key_sets: list[PersonKeys], readings: Readings | None = None) -> None:
        self.key_sets = key_sets
        self.readings = readings or {}
        self.seen: dict[tuple[str, str], float] = {}

    def ratio(self, a: str, b: str) -> float:
        pair = (a, b)
        value = self.seen.get(pair)
        if value is None:
            value = _ratio(a, b)
            for other in self.readings.get(a, ()):
                value = max(value, _ratio(other, b))
            self.seen[pair] = value
        return value

    def __call__(self, candidate: Candidate) -> float:
        return max(name_similarity(keys, candidate, self.ratio) for keys in self.key_sets)


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


def _rows(q: Q, limit: int) -> list[Candidate]:
    """Living persons matching ``q``, unordered. Merged ones are dropped here rather than in
    SQL: without statistics SQLite would walk the ``merged_into`` index for "IS NULL"."""
    qs = Person.objects.filter(q).order_by().values_list(*_CANDIDATE_FIELDS, "merged_into_id")
    return [Candidate(*row[:-1]) for row in qs[:limit] if row[-1] is None]


def _birth_blocks(key_sets: list[PersonKeys], birth_date: date) -> list[Candidate]:
    """The persons born that day, and those born that year whose surname sounds alike."""
    rows = _rows(Q(birth_date=birth_date), BLOCK_LIMIT)
    sounds = {k.surname_sound for k in key_sets}
    sounds |= {k.first_latin and _cached_keys(k.first_latin, "").surname_sound for k in key_sets}
    sounds.discard("")
    if sounds:
        rows += _rows(Q(birth_year=birth_date.year, surname_sound__in=sounds), BLOCK_LIMIT)
    return rows


_NAME_COLUMNS = ("latin_last__in", "latin_first__in", "latin_patronymic__in")


def _names_q(combinations: set[tuple[frozenset, ...]]) -> Q:
    """Any of the (surnames, given names, patronymics) combinations; an empty set of a part
    does not narrow that part."""
    q = Q(pk__in=[])
    for combination in combinations:
        q |= Q(**{c: keys for c, keys in zip(_NAME_COLUMNS, combination, strict=True) if keys})
    return q


def _name_block(
    key_sets: list[PersonKeys], birth_year: int | None = None, readings: Readings | None = None
) -> list[Candidate]:
    """Persons whose name keys are the query's (or one of their other ``readings``), exactly and
    then similar, in every order of the query's words; a patronymic in the query also lets
    persons without one through (a foreign passport has none). Narrowed to ``birth_year`` when
    given."""
    readings = readings or {}

    def read(key: str) -> tuple[str, ...]:
        return (key, *readings.get(key, ())) if key else ()

    wanted = set()
    for k in key_sets:
        for part, key in (
            (NameKey.LAST, k.last_latin),
            (NameKey.FIRST, k.first_latin),
            (NameKey.PATRONYMIC, k.patronymic_latin),
        ):
            wanted |= {(part, reading) for reading in read(key)}
    similar = similar_keys(wanted)

    def keys(part: str, key: str, *, blank_too: bool = False, wider: bool = False) -> frozenset:
        count = None if wider else CLOSEST[part][1]
        found = set().union(*(similar.get((part, reading), [])[:count] for reading in read(key)))
        return frozenset(found | ({""} if blank_too and key else set()))

    exact, fuzzy, wide = set(), set(), set()
    for k in key_sets:
        middle = frozenset([*read(k.patronymic_latin), ""]) if k.patronymic_latin else frozenset()
        first = frozenset(read(k.first_latin))
        last = frozenset(read(k.last_latin))
        exact.add((last, first, middle))
        lasts = keys(NameKey.LAST, k.last_latin)
        firsts = keys(NameKey.FIRST, k.first_latin)
        middles = keys(NameKey.PATRONYMIC, k.patronymic_latin, blank_too=True)
        if lasts and (firsts or not k.first_latin):
            fuzzy.add((lasts, firsts, middles or middle))
        # The surname mistyped, the other words exact: more of its neighbours, when someone
        # carries the given name (and the patronymic) as typed and nobody the whole name.
        carried = frozenset(key for key in first if key in similar.get((NameKey.FIRST, key), ()))
        if carried and (not middle or any(m in middles for m in middle if m)):
            wider = keys(NameKey.LAST, k.last_latin, wider=True) - lasts - last
            wide.add((wider, carried, middle))
    year = Q(birth_year=birth_year) if birth_year is not None else Q()
    rows = _rows(_names_q(exact) & year, BLOCK_LIMIT)
    carried_as_typed = bool(rows)
    if fuzzy:
        rows += _rows(_names_q(fuzzy) & year, NAME_BLOCK_LIMIT)
    wide = {combination for combination in wide if all(combination[:2])}
    if wide and not carried_as_typed:  # nobody carries the name as typed: a typo is likely
        rows += _rows(_names_q(wide) & year, BLOCK_LIMIT)
    return rows


@dataclass(frozen=True)
class _Thresholds:
    same_date: float
    same_year: float


def _reason(
    candidate: Candidate, similarity: float, birth_date: date | None, thresholds: _Thresholds
) -> str:
    """Why a candidate is a match, or "" when it is not one."""
    if birth_date is None:
        return "similar_name" if similarity >= thresholds.same_date else ""
    if candidate.birth_date == birth_date and similarity >= thresholds.same_date:
        return "similar_name_same_birth_date"
    if candidate.birth_year == birth_date.year and similarity >= thresholds.same_year:
        return "similar_name_same_birth_year"
    return ""


def _scored(
    candidates: list[Candidate],
    scorer: _Scorer,
    birth_date: date | None,
    thresholds: _Thresholds,
    skip: set[UUID],
) -> dict[UUID, tuple[float, str, str]]:
    """pk → (score, reason, surname key) of the candidates that match."""
    scored: dict[UUID, tuple[float, str, str]] = {}
    for candidate in candidates:
        if candidate.pk in skip or candidate.pk in scored:
            continue
        similarity = scorer(candidate)
        reason = _reason(candidate, similarity, birth_date, thresholds)
        if reason:
            bonus = SAME_BIRTH_DATE_BONUS if candidate.birth_date == birth_date else 0.0
            score = round(min(similarity * 0.95 + bonus, 0.99), 3)
            scored[candidate.pk] = (score, reason, candidate.latin_last)
    return scored


def _rank(
    actor: Actor,
    *,
    key_sets: list[PersonKeys],
    birth_date: date | None,
    identifiers: dict[UUID, list[str]],
    thresholds: _Thresholds,
    limit: int,
    readings: Readings | None = None,
) -> list[Match]:
    found: dict[UUID, tuple[float, list[str]]] = {
        pk: (1.0, sorted(set(reasons))) for pk, reasons in identifiers.items()
    }
    surnames: dict[UUID, str] = {}
    named = [k for k in key_sets if k.last_latin]
    if named:
        named_matches = _named(named, birth_date, thresholds, set(found), readings or {})
        for pk, (score, reason, last) in named_matches.items():
            found[pk], surnames[pk] = (score, [reason]), last
    return _matches(actor, found, surnames, limit)


def _named(
    key_sets: list[PersonKeys],
    birth_date: date | None,
    thresholds: _Thresholds,
    skip: set[UUID],
    readings: Readings,
) -> dict[UUID, tuple[float, str, str]]:
    """The name matches: the birth blocks (the name block of that year when they hold nobody
    similar enough), or the name block when no birth date is given."""
    scorer = _Scorer(key_sets, readings)
    if birth_date is None:
        return _scored(_name_block(key_sets, None, readings), scorer, None, thresholds, skip)
    scored = _scored(_birth_blocks(key_sets, birth_date), scorer, birth_date, thresholds, skip)
    if not scored:
        block = _name_block(key_sets, birth_date.year, readings)
        scored = _scored(block, scorer, birth_date, thresholds, skip)
    return scored


def _matches(
    actor: Actor, found: dict[UUID, tuple[float, list[str]]], surnames: dict[UUID, str], limit: int
) -> list[Match]:
    """The best ``limit`` as ``Match``es, best first; ties by the surname key, then id, so the
    order is stable. Only those become ``Person`` instances (merged ones are left out)."""
    if not found:  # most new persons: no query to build
        return []
    ranked_ids = sorted(found, key=lambda pk: (-found[pk][0], surnames.get(pk, ""), str(pk)))
    wanted = ranked_ids[: limit + len(found) - len(surnames)]  # identifier matches may be merged
    qs = Person.objects.filter(pk__in=wanted).select_related("organisation", "community")
    # Merged ones dropped here, not in SQL (see ``_rows``).
    persons = {p.pk: p for p in qs.order_by() if p.merged_into_id is None}
    ranked = [Match(persons[pk], *found[pk]) for pk in wanted if pk in persons][:limit]
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
    keys = _cached_keys(last_name, first_name, patronymic)
    return _rank(
        actor,
        key_sets=[keys],
        birth_date=birth_date,
        identifiers=_identifier_matches(list(documents), [phone] if phone else []),
        thresholds=_Thresholds(DUPLICATE_SAME_DATE_THRESHOLD, DUPLICATE_SAME_YEAR_THRESHOLD),
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


#: The keys of the words people type repeat a lot (common names): computed once per process.
_cached_keys = lru_cache(maxsize=8192)(person_keys)
_cached_readings = lru_cache(maxsize=8192)(latin_readings)
_cached_latin_key = lru_cache(maxsize=8192)(latin_key)
_PARTS = ("surname", "given", "patronymic")


def _query_words(q: str) -> list[str]:
    words = _WORD.findall(q)
    if not words or any(ch.isdigit() for ch in q):
        return []
    if len(words) > 3:
        words = [words[0], words[1], " ".join(words[2:])]
    return words


def _query_key_sets(q: str) -> list[PersonKeys]:
    words = _query_words(q)
    if not words:
        return []
    sets = []
    for order in permutations(words):
        last, first, *rest = (*order, "") if len(order) == 1 else order
        sets.append(_cached_keys(last, first, rest[0] if rest else ""))
    return sets


def _query_readings(q: str) -> Readings:
    """The other readings of the words typed in Latin, by the key of each word as each part."""
    readings: Readings = {}
    for word in _query_words(q):
        for part in _PARTS:
            others = _cached_readings(word, part)
            if others:
                key = _cached_latin_key(word, part)
                readings[key] = tuple(dict.fromkeys((*readings.get(key, ()), *others)))
    return readings


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
        key_sets=key_sets,
        birth_date=birth_date,
        identifiers=_identifier_matches(documents, phones),
        thresholds=_Thresholds(SEARCH_THRESHOLD, SEARCH_THRESHOLD),
        limit=limit,
        readings=_query_readings(q),
    )


def record_shown(*, actor: Actor, matches: list[Match]) -> None:
    """A list of matches shown to the actor is a read of every person it names: one READ event
    each, in one transaction. Matches outside the actor's scope name nobody and are not
    recorded. Pages and the API call this for what they show (the search itself stays a pure
    read, which the benchmark measures)."""
    audit.record_reads(
        actor=actor,
        targets=[match.person for match in matches if match.visible],
        event="registry.person.found",
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


def attachment_read(
    *, actor: Actor, person_id: UUID | str, document_id: int, attachment_id: int
) -> DocumentAttachment:
    """A scan of a document of a person the actor may read, for download: one READ event on
    the person's trail naming the scan, or ``Http404`` (for a person out of scope, its denial
    audited) — no event for a scan that is not there."""
    person = person_get(actor=actor, person_id=person_id)
    attachment = (
        DocumentAttachment.objects.select_related("document")
        .filter(pk=attachment_id, document_id=document_id, document__person=person)
        .first()
    )
    if attachment is None:
        raise Http404
    audit.record(
        actor=actor,
        action=audit.Action.READ,
        event="registry.document.attachment_read",
        target=person,
        reason=attachment.audit_note,
    )
    return attachment


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
