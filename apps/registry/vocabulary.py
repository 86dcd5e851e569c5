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
(``Remembered.written``; ``withdrawn`` when its savepoint rolls them back): they are scored
against every remembered key and join its closest when close enough, so a person the same batch
created a moment ago is still found under a similar spelling. Names other writers add during
the batch are seen from the next batch on.
"""

from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

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


Scored = list[tuple[str, float]]  # keys with their rapidfuzz ratio, best first


class Remembered:
    """The answers of ``similar_keys`` while ``remembered()`` is active (see the module)."""

    def __init__(self) -> None:
        self.closest: dict[Wanted, Scored] = {}
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
        missing = sorted(item for item in wanted if item not in self.closest)
        if missing:
            for (part, key), keys in _neighbours(set(missing), self.vocabulary).items():
                self.closest[(part, key)] = _scored_closest(part, key, keys)
        return {item: self._with_added(*item) for item in wanted}

    def _with_added(self, part: str, key: str) -> set[str]:
        scored = self.closest[(part, key)]
        added = [k for k, count in self.added[part].items() if count > 0]
        if not added:
            return {match for match, _score in scored}
        best = dict(scored)
        for match, score in _scored_closest(part, key, added):
            best[match] = max(score, best.get(match, 0.0))
        _cutoff, limit = CLOSEST[part]
        ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))[:limit]
        return {match for match, _score in ranked}


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
        (part, key): {match for match, _score in _scored_closest(part, key, keys)}
        for (part, key), keys in _neighbours(wanted).items()
    }


def _neighbours(wanted: set[Wanted], vocabulary: dict | None = None) -> dict[Wanted, list[str]]:
    if connection.vendor == "postgresql":
        return _trigram_neighbours(sorted(wanted))
    return _whole_vocabulary(wanted, {} if vocabulary is None else vocabulary)


def _scored_closest(part: str, key: str, keys: list[str]) -> Scored:
    cutoff, limit = CLOSEST[part]
    best = process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=cutoff, limit=limit)
    return [(match, score) for match, score, _index in best]


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
