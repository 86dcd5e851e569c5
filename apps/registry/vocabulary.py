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
statement (``SET`` takes no parameter; only this module uses ``%``).

SQLite has no trigram index: the whole vocabulary of each part is read and compared with
rapidfuzz. Correct, slower at a large vocabulary.
"""

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


def similar_keys(wanted: set[Wanted]) -> dict[Wanted, list[str]]:
    """For each (part, key): the vocabulary keys of that part most like it, best first, at the
    part's ``CLOSEST`` cutoff, at most ``WIDER`` (the key itself is among them when someone
    carries it; the first ``CLOSEST`` limit of them are the closest ones)."""
    wanted = {(part, key) for part, key in wanted if key}
    if not wanted:
        return {}
    if connection.vendor != "postgresql":
        return _all_closest(_whole_vocabulary(wanted), whole=True)
    found = _all_closest(_trigram_neighbours(sorted(wanted)))
    lost = {item for item, keys in found.items() if not keys and _trigrams_blind(*item)}
    if lost:
        found.update(_all_closest(_whole_vocabulary(lost), whole=True))
    return found


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
    cutoff, _limit = CLOSEST[part]
    limit = WIDER
    scores: dict[int, float] = {}  # index in ``keys`` (the trigram order breaks ties) → score
    for _match, score, index in process.extract(
        key, keys, scorer=fuzz.ratio, score_cutoff=cutoff, limit=limit
    ):
        scores[index] = score
    for _typed, score, index in process.extract(
        _typing_key(key), typed, scorer=fuzz.ratio, score_cutoff=cutoff, limit=limit
    ):
        scores[index] = max(score, scores.get(index, 0.0))
    return [keys[index] for index in sorted(scores, key=lambda i: (-scores[i], i))[:limit]]


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


def _whole_vocabulary(wanted: set[Wanted]) -> dict[Wanted, list[str]]:
    found: dict[Wanted, list[str]] = {}
    for part in sorted({part for part, _key in wanted}):
        vocabulary = list(NameKey.objects.filter(part=part).values_list("key", flat=True))
        for item in wanted:
            if item[0] == part:
                found[item] = vocabulary
    return found
