"""The keys of the name vocabulary (``NameKey``) similar to a typed key: the fuzzy step of the
search, over a few thousand distinct keys instead of a million persons.

Two steps. Trigrams find the neighbourhood; rapidfuzz (edit similarity) picks the best keys in
it, as many and as close as ``CLOSEST`` says for the part. Trigram similarity alone is a
poor judge of short names: a transposed pair (ivanov/ivnaov) keeps only 0.27 of its trigrams and
ranks below a dozen keys that merely share "iv" and "ov", while its edit similarity is 0.83.

PostgreSQL: the ``pg_trgm`` ``%`` operator at ``TRIGRAM_THRESHOLD`` on the GIN trigram index of
the part (one partial index per part: with one index over all parts the planner walks the
(key, part) index and compares every key), the ``TRIGRAM_CANDIDATES`` best by trigram
similarity, every wanted key in one statement. The threshold is set on the session before the
statement (``SET`` takes no parameter; only this module uses ``%``).

SQLite has no trigram index: the whole vocabulary of each part is read and compared with
rapidfuzz. Correct, slower at a large vocabulary.

A writer of many persons at once (the import, per batch) runs its duplicate checks inside
``remembered()``: each (part, key) is then looked up in the vocabulary once — and on SQLite each
part's vocabulary is read once — and the answer kept with its scores. The vocabulary grows
meanwhile by the writer's own new names (the triggers add them), which the writer tells
(``Remembered.written``; ``withdrawn`` when its savepoint rolls them back): a remembered answer
takes them in exactly as a fresh lookup would (on PostgreSQL through pg_trgm's own similarity,
computed in Python, its threshold and its candidate limit), so a person the same batch created
a moment ago is still found under a similar spelling and the answers do not change. Names other
writers add during the batch are seen from the next batch on.
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

TRIGRAM_THRESHOLD = 0.2
TRIGRAM_CANDIDATES = 200
#: Per part: (rapidfuzz ratio cutoff 0-100, at most this many keys). Each key more multiplies
#: the (surname x given name x patronymic) lookups of the name block; narrower given names
#: (75, 5) measured no faster on the benchmark and lost typos in short names (ivan/ivna).
CLOSEST = {NameKey.LAST: (70, 15), NameKey.FIRST: (70, 15), NameKey.PATRONYMIC: (70, 15)}
_PART_LITERALS = {part: f"'{part}'" for part in (NameKey.LAST, NameKey.FIRST, NameKey.PATRONYMIC)}

Wanted = tuple[str, str]  # (part, key): part is NameKey.LAST, FIRST or PATRONYMIC
_WORDS = re.compile(r"[^\W_]+")  # pg_trgm's words: runs of letters and digits


Scored = list[tuple[str, float, int]]  # keys with their rapidfuzz ratio and position, best first


@dataclass
class _Answer:
    """What one lookup of a (part, key) read: its closest keys and, on PostgreSQL, the trigram
    neighbourhood they were picked from (with each key's similarity, as pg_trgm computes it)."""

    closest: Scored
    neighbours: list[str] = field(default_factory=list)
    similarity: dict[str, float] = field(default_factory=dict)  # of neighbours and added keys


class Remembered:
    """The answers of ``similar_keys`` while ``remembered()`` is active (see the module).

    An answer with the batch's added keys is the one the vocabulary would give now: on
    PostgreSQL an added key joins the trigram neighbourhood when pg_trgm's threshold and
    candidate limit would let it (its similarity is computed as pg_trgm does), and the closest
    keys are picked from that neighbourhood again; on SQLite (the whole vocabulary) the added
    keys compete with the closest ones, after them on equal scores as they come later."""

    def __init__(self) -> None:
        self.answers: dict[Wanted, _Answer] = {}
        self.vocabulary: dict[str, list[str]] = {}  # SQLite: each part's keys, read once
        self.added: dict[str, Counter[str]] = {part: Counter() for part in CLOSEST}

    def written(self, keys: Iterable[Wanted]) -> None:
        """Keys the writer's new persons carry (the vocabulary has them now)."""
        for part, key in keys:
            if key:
                self.added[part][key] += 1

    def withdrawn(self, keys: Iterable[Wanted]) -> None:
        """Keys of new persons rolled back again."""
        for part, key in keys:
            if key and self.added[part][key] > 0:
                self.added[part][key] -= 1

    def lookup(self, wanted: set[Wanted]) -> dict[Wanted, set[str]]:
        missing = {item for item in wanted if item not in self.answers}
        if missing:
            pg = connection.vendor == "postgresql"
            for (part, key), keys in _neighbours(missing, self.vocabulary).items():
                answer = _Answer(_scored_closest(part, key, keys))
                if pg:
                    answer.neighbours = keys
                self.answers[(part, key)] = answer
        return {item: self._now(*item) for item in wanted}

    def _now(self, part: str, key: str) -> set[str]:
        answer = self.answers[(part, key)]
        added = [k for k, count in self.added[part].items() if count > 0]
        if not added:
            return {match for match, _score, _index in answer.closest}
        if connection.vendor == "postgresql":
            return _closest_in(part, key, self._neighbourhood(answer, key, added))
        cutoff, limit = CLOSEST[part]
        later = len(self.vocabulary.get(part, ()))
        scored = {match: (score, index) for match, score, index in answer.closest}
        for index, match in enumerate(added, start=later):
            score = fuzz.ratio(key, match)
            if score >= cutoff and match not in scored:
                scored[match] = (score, index)
        ranked = sorted(scored.items(), key=lambda item: (-item[1][0], item[1][1]))
        return {match for match, _rank in ranked[:limit]}

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


def similar_keys(wanted: set[Wanted]) -> dict[Wanted, set[str]]:
    """For each (part, key): the vocabulary keys of that part most like it (``CLOSEST``; the
    key itself is among them when someone carries it)."""
    wanted = {(part, key) for part, key in wanted if key}
    if not wanted:
        return {}
    memory = _remembered.get()
    if memory is not None:
        return memory.lookup(wanted)
    return {
        (part, key): _closest_in(part, key, keys)
        for (part, key), keys in _neighbours(wanted).items()
    }


def _neighbours(wanted: set[Wanted], vocabulary: dict | None = None) -> dict[Wanted, list[str]]:
    if connection.vendor == "postgresql":
        return _trigram_neighbours(sorted(wanted))
    return _whole_vocabulary(wanted, {} if vocabulary is None else vocabulary)


def _scored_closest(part: str, key: str, keys: list[str]) -> Scored:
    cutoff, limit = CLOSEST[part]
    return process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=cutoff, limit=limit)


def _closest_in(part: str, key: str, keys: list[str]) -> set[str]:
    return {match for match, _score, _index in _scored_closest(part, key, keys)}


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


def _whole_vocabulary(wanted: set[Wanted], read: dict[str, list[str]]) -> dict[Wanted, list[str]]:
    """Each part's whole vocabulary for its wanted keys; ``read`` keeps the parts read (a
    remembered batch reads each once)."""
    found: dict[Wanted, list[str]] = {}
    for part in sorted({part for part, _key in wanted}):
        if part not in read:
            read[part] = list(NameKey.objects.filter(part=part).values_list("key", flat=True))
        for item in wanted:
            if item[0] == part:
                found[item] = read[part]
    return found
