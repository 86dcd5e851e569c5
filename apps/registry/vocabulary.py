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
"""

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


def similar_keys(wanted: set[Wanted]) -> dict[Wanted, set[str]]:
    """For each (part, key): the vocabulary keys of that part most like it (``CLOSEST``; the
    key itself is among them when someone carries it)."""
    wanted = {(part, key) for part, key in wanted if key}
    if not wanted:
        return {}
    if connection.vendor == "postgresql":
        neighbours = _trigram_neighbours(sorted(wanted))
    else:
        neighbours = _whole_vocabulary(wanted)
    return {(part, key): _closest(part, key, keys) for (part, key), keys in neighbours.items()}


def _closest(part: str, key: str, keys: list[str]) -> set[str]:
    cutoff, limit = CLOSEST[part]
    best = process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=cutoff, limit=limit)
    return {match for match, _score, _index in best}


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
