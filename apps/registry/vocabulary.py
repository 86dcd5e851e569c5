"""The keys of the name vocabulary (``NameKey``) similar to a typed key: the fuzzy step of the
search, over a few thousand distinct keys instead of a million persons.

Two steps. Trigrams find the neighbourhood; rapidfuzz (edit similarity) picks the best keys in
it, as many and as close as ``CLOSEST`` says for the part. Trigram similarity alone is a
poor judge of short names: a transposed pair (ivanov/ivnaov) keeps only 0.27 of its trigrams and
ranks below a dozen keys that merely share "iv" and "ov", while its edit similarity is 0.83.
The edit similarity is the better of the Latin keys' and of their ``names.typing_key``s' (one
symbol per Cyrillic letter): Сащук typed Саук is "sashchuk" against "sauk", 0.67 of the Latin
letters but 0.89 of the typed ones.

PostgreSQL: the ``pg_trgm`` ``%`` operator at ``TRIGRAM_THRESHOLD`` on the GIN trigram index of
the part (one partial index per part: with one index over all parts the planner walks the
(key, part) index and compares every key), the ``TRIGRAM_CANDIDATES`` best by trigram
similarity, every wanted key in one statement. The threshold is set on the session before the
statement (``SET`` takes no parameter; only this module uses ``%``). A short given name the
trigrams see nothing close to is compared with the part's whole vocabulary instead.

SQLite has no trigram index: the whole vocabulary of each part is read (in the order the keys
were added) and compared with rapidfuzz. Correct, slower at a large vocabulary.

A writer of many persons at once (the import, per batch) runs its duplicate checks inside
``remembered()``: each (part, key) is then looked up in the vocabulary once — and each part's
whole vocabulary, when one is needed, is read once — and what was read is kept. The vocabulary
grows meanwhile by the writer's own new names (the triggers add them), which the writer tells
(``Remembered.written``; ``withdrawn`` when its savepoint rolls them back): a remembered answer
takes them in exactly as a fresh lookup would (on PostgreSQL through pg_trgm's own similarity,
computed in Python, its threshold and its candidate limit; in a whole vocabulary after the keys
read, as they were added later), so a person the same batch created a moment ago is still found
under a similar spelling and the answers do not change. Names other writers add during the
batch are seen from the next batch on.
"""

import bisect
import re
import struct
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connection
from rapidfuzz import fuzz, process

from .models import NameKey
from .names import typing_key

TRIGRAM_THRESHOLD = 0.2
TRIGRAM_CANDIDATES = 200
#: Per part: (rapidfuzz ratio cutoff 0-100, at most this many keys). Each key more multiplies
#: the (surname x given name x patronymic) lookups of the name block; narrower given names
#: (75, 5) measured no faster on the benchmark and lost typos in short names (ivan/ivna).
CLOSEST = {NameKey.LAST: (70, 15), NameKey.FIRST: (70, 15), NameKey.PATRONYMIC: (70, 15)}
#: How many similar keys (at the same cutoff) are looked up when the other words of the query are
#: taken exactly: one lookup per key, not a product, so many more keys are affordable. In a dense
#: vocabulary a typo has dozens of neighbours closer than the right key (Ничук for Нидук: nichuk
#: is one letter from Нічук, Нимчук, Нитчук… and two from Нидук).
WIDER = 60
_PART_LITERALS = {part: f"'{part}'" for part in (NameKey.LAST, NameKey.FIRST, NameKey.PATRONYMIC)}

Wanted = tuple[str, str]  # (part, key): part is NameKey.LAST, FIRST or PATRONYMIC
_WORDS = re.compile(r"[^\W_]+")  # pg_trgm's words: runs of letters and digits

#: Positions in a list of keys with their rapidfuzz ratio, best first (ties: the earlier first).
Scored = list[tuple[int, float]]


def similar_keys(wanted: set[Wanted]) -> dict[Wanted, list[str]]:
    """For each (part, key): the vocabulary keys of that part most like it, best first, at the
    part's ``CLOSEST`` cutoff, at most ``WIDER`` (the key itself is among them when someone
    carries it; the first ``CLOSEST`` limit of them are the closest ones)."""
    wanted = {(part, key) for part, key in wanted if key}
    if not wanted:
        return {}
    memory = _remembered.get()
    if memory is not None:
        return memory.lookup(wanted)
    if connection.vendor != "postgresql":
        return _all_closest(_whole_vocabulary(wanted), whole=True)
    found = _all_closest(_trigram_neighbours(sorted(wanted)))
    lost = {item for item, keys in found.items() if not keys and _trigrams_blind(*item)}
    if lost:
        found.update(_all_closest(_whole_vocabulary(lost), whole=True))
    return found


# --- remembered for a batch of writes -------------------------------------------------------


@dataclass
class _Answer:
    """What one lookup of a (part, key) read, and its answer while the added keys stay the same.
    On PostgreSQL: the trigram neighbourhood as read, with each key's similarity as pg_trgm
    computes it (of the neighbours compared and the added keys); in a whole vocabulary: the best
    positions by each of the two edit similarities."""

    neighbours: list[str] = field(default_factory=list)
    similarity: dict[str, float] = field(default_factory=dict)
    whole: tuple[Scored, Scored] | None = None
    version: int = -1
    found: list[str] = field(default_factory=list)


class Remembered:
    """The answers of ``similar_keys`` while ``remembered()`` is active (see the module).

    An answer with the batch's added keys is the one the vocabulary would give now: on
    PostgreSQL an added key joins the trigram neighbourhood when pg_trgm's threshold and
    candidate limit would let it (its similarity is computed as pg_trgm does), and the closest
    keys are picked from that neighbourhood again (the whole vocabulary for a short given name
    the neighbourhood has nothing close to); in a whole vocabulary the added keys come after the
    keys read, in the order they were added, and compete with the best ones read."""

    def __init__(self) -> None:
        self.answers: dict[Wanted, _Answer] = {}
        self.vocabulary: dict[str, list[str]] = {}  # each part's whole vocabulary, read once
        self.known: dict[str, set[str]] = {}  # the same, as sets
        # Keys the batch carries, in the order the vocabulary got them (a key withdrawn and
        # written again is added again, last).
        self.added: dict[str, Counter[str]] = {part: Counter() for part in CLOSEST}
        self.version = 0  # changes with the added keys

    def written(self, keys: Iterable[Wanted]) -> None:
        """Keys the writer's new persons carry (the vocabulary has them now)."""
        for part, key in keys:
            if key:
                self.added[part][key] += 1
                self.version += 1

    def withdrawn(self, keys: Iterable[Wanted]) -> None:
        """Keys of new persons rolled back again."""
        for part, key in keys:
            if key and self.added[part][key] > 0:
                self.added[part][key] -= 1
                if not self.added[part][key]:
                    del self.added[part][key]
                self.version += 1

    def lookup(self, wanted: set[Wanted]) -> dict[Wanted, list[str]]:
        missing = {item for item in wanted if item not in self.answers}
        if missing:
            if connection.vendor == "postgresql":
                for item, keys in _trigram_neighbours(sorted(missing)).items():
                    self.answers[item] = _Answer(neighbours=keys)
            else:
                self.answers.update((item, _Answer()) for item in missing)
        return {item: self._now(*item) for item in wanted}

    def _now(self, part: str, key: str) -> list[str]:
        answer = self.answers[(part, key)]
        if answer.version != self.version:
            added = list(self.added[part])
            if connection.vendor == "postgresql":
                keys = self._neighbourhood(answer, key, added)
                found = _closest(part, key, keys, list(map(_typing_key, keys)))
                if not found and _trigrams_blind(part, key):
                    found = self._in_whole(answer, part, key, added)
            else:
                found = self._in_whole(answer, part, key, added)
            answer.version, answer.found = self.version, found
        return list(answer.found)

    def _in_whole(self, answer: _Answer, part: str, key: str, added: list[str]) -> list[str]:
        """``_closest`` in the part's whole vocabulary with the added keys after it: the best
        positions read once, the added keys' scores merged in as ``process.extract`` orders
        them (best first, the earlier first on equal scores)."""
        if part not in self.vocabulary:
            self.vocabulary.update(_read_vocabularies({part}))
            self.known[part] = set(self.vocabulary[part])
        vocabulary = self.vocabulary[part]
        if answer.whole is None:
            answer.whole = _extracted(part, key, vocabulary, _typed(part, vocabulary, whole=True))
        latin, typed = answer.whole
        new = [other for other in added if other not in self.known[part]]
        if new:
            cutoff, _limit = CLOSEST[part]
            read, typed_key = len(vocabulary), _typing_key(key)
            more_latin, more_typed = [], []
            for position, other in enumerate(new, start=read):
                if (score := fuzz.ratio(key, other)) >= cutoff:
                    more_latin.append((position, score))
                if (score := fuzz.ratio(typed_key, _typing_key(other))) >= cutoff:
                    more_typed.append((position, score))
            latin, typed = _best(latin + more_latin), _best(typed + more_typed)
        return [
            vocabulary[i] if i < len(vocabulary) else new[i - len(vocabulary)]
            for i in _picked(latin, typed)
        ]

    def _neighbourhood(self, answer: _Answer, key: str, added: list[str]) -> list[str]:
        """The trigram neighbourhood as the query would read it now: the one read, with the
        added keys over the threshold put where the query's order (similarity, then key) puts
        them, cut at the query's limit. Similarities are computed only for the added keys and
        the few read keys the placing compares them with."""
        similarity, grams = answer.similarity, _trigrams(key)

        def rank(other: str) -> tuple[float, str]:
            value = similarity.get(other)
            if value is None:
                value = similarity[other] = trigram_similarity(grams, _trigrams(other))
            return (-value, other)

        read = answer.neighbours
        known = set(read)
        entering = sorted(
            (k for k in added if k not in known and -rank(k)[0] >= TRIGRAM_THRESHOLD), key=rank
        )
        if not entering:
            return read
        places = [bisect.bisect_left(read, rank(k), key=rank) for k in entering]
        merged, start = [], 0
        for place, other in zip(places, entering, strict=True):
            merged.extend(read[start:place])
            merged.append(other)
            start = place
        merged.extend(read[start:])
        return merged[:TRIGRAM_CANDIDATES]


@lru_cache(maxsize=65536)
def _trigrams(key: str) -> frozenset[str]:
    """pg_trgm's trigrams of ``key``: each word lower-cased, padded with two blanks before and
    one after."""
    grams: set[str] = set()
    for word in _WORDS.findall(key.lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def trigram_similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """pg_trgm's ``similarity`` of two trigram sets: shared / all, as a 4-byte float."""
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return struct.unpack("f", struct.pack("f", shared / (len(a) + len(b) - shared)))[0]


_remembered: ContextVar[Remembered | None] = ContextVar("vocabulary_remembered", default=None)


@contextmanager
def remembered() -> Iterator[Remembered]:
    """``similar_keys`` remembers its answers inside (see the module); one per batch of writes."""
    memory = Remembered()
    token = _remembered.set(memory)
    try:
        yield memory
    finally:
        _remembered.reset(token)


# --- the closest keys -----------------------------------------------------------------------

#: part → (its whole vocabulary as last read, their typing keys): reused while the vocabulary
#: read is the same list of keys (compared whole, which costs far less than the typing keys).
_typed_vocabulary: dict[str, tuple[list[str], list[str]]] = {}


def _typed(part: str, keys: list[str], *, whole: bool) -> list[str]:
    if not whole:
        return list(map(_typing_key, keys))
    cached = _typed_vocabulary.get(part)
    if cached is not None and cached[0] == keys:
        return cached[1]
    typed = list(map(_typing_key, keys))
    _typed_vocabulary[part] = (keys, typed)
    return typed


def _all_closest(
    neighbours: dict[Wanted, list[str]], *, whole: bool = False
) -> dict[Wanted, list[str]]:
    """``_closest`` of each; the typing keys of a list shared by several (a whole vocabulary)
    computed once."""
    typed: dict[int, list[str]] = {}
    found = {}
    for (part, key), keys in neighbours.items():
        if id(keys) not in typed:
            typed[id(keys)] = _typed(part, keys, whole=whole)
        found[(part, key)] = _closest(part, key, keys, typed[id(keys)])
    return found


#: A given name this short with two letters swapped (oleg/oelg) may share no trigram with its
#: own spelling; the vocabulary of given names is small (a few thousand at most), so it is read
#: whole when trigrams found nothing close.
SHORT_GIVEN_NAME = 5


def _trigrams_blind(part: str, key: str) -> bool:
    return part == NameKey.FIRST and len(key) <= SHORT_GIVEN_NAME


_typing_key = lru_cache(maxsize=262144)(typing_key)


def _closest(part: str, key: str, keys: list[str], typed: list[str]) -> list[str]:
    """The ``WIDER`` keys most like ``key``, best first, by the better of the two edit
    similarities (``typed``: the typing keys of ``keys``): the best of each kind taken, then
    the best of those (which holds the best by the better one)."""
    return [keys[i] for i in _picked(*_extracted(part, key, keys, typed))]


def _extracted(part: str, key: str, keys: list[str], typed: list[str]) -> tuple[Scored, Scored]:
    """The ``WIDER`` best positions in ``keys`` by the Latin keys' edit similarity and by the
    typing keys', each over the part's cutoff."""
    cutoff, _limit = CLOSEST[part]
    latin = process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=cutoff, limit=WIDER)
    typing = process.extract(
        _typing_key(key), typed, scorer=fuzz.ratio, score_cutoff=cutoff, limit=WIDER
    )
    return [(i, score) for _k, score, i in latin], [(i, score) for _k, score, i in typing]


def _best(scored: Scored) -> Scored:
    """The ``WIDER`` best, as ``process.extract`` orders them: best first, the earlier first."""
    return sorted(scored, key=lambda item: (-item[1], item[0]))[:WIDER]


def _picked(latin: Scored, typed: Scored) -> list[int]:
    """The positions of both, each by its better score, best first (the earlier first: the
    trigram order breaks ties), at most ``WIDER``."""
    scores: dict[int, float] = dict(latin)
    for index, score in typed:
        scores[index] = max(score, scores.get(index, 0.0))
    return sorted(scores, key=lambda i: (-scores[i], i))[:WIDER]


# --- reading the vocabulary -----------------------------------------------------------------


def _trigram_neighbours(wanted: list[Wanted]) -> dict[Wanted, list[str]]:
    branches, params = [], []
    for number, (part, key) in enumerate(wanted):
        literal = _PART_LITERALS[part]  # one of three constants, never what a user typed
        branches.append(
            f"(SELECT %s AS n, key FROM registry_namekey WHERE part = {literal} "  # noqa: S608
            "AND key %% %s ORDER BY similarity(key, %s) DESC, key LIMIT %s)"
        )
        params += [number, key, key, TRIGRAM_CANDIDATES]
    found: dict[Wanted, list[str]] = {item: [] for item in wanted}
    with connection.cursor() as cursor:
        cursor.execute(f"SET pg_trgm.similarity_threshold = {TRIGRAM_THRESHOLD:.2f}")
        cursor.execute(" UNION ALL ".join(branches), params)
        for number, key in cursor.fetchall():
            found[wanted[number]].append(key)
    return found


def _read_vocabularies(parts: set[str]) -> dict[str, list[str]]:
    """Each part's whole vocabulary, in the order its keys were added (a key the batch adds
    comes after those read)."""
    return {
        part: list(NameKey.objects.filter(part=part).order_by("pk").values_list("key", flat=True))
        for part in sorted(parts)
    }


def _whole_vocabulary(wanted: set[Wanted]) -> dict[Wanted, list[str]]:
    vocabularies = _read_vocabularies({part for part, _key in wanted})
    return {(part, key): vocabularies[part] for part, key in wanted}
