"""The keys of the name vocabulary (``NameKey``) similar to a typed key: the fuzzy step of the
search, over a few thousand distinct keys instead of a million persons.

PostgreSQL: the ``pg_trgm`` ``%`` operator on the GIN trigram index of the part (one partial
index per part: with one index over all parts the planner walks the (part, key) index and
compares every key), best ``KEYS_PER_WORD`` by trigram similarity, one statement per
threshold. Surnames at pg_trgm's usual 0.3; given names and patronymics — few distinct keys,
short ones — at 0.2, where a typo in a short name (ivan/ivna keeps 0.25 of its trigrams) is
still found. The threshold is set on the session before each statement (``SET`` takes no
parameter; only this module uses ``%``).

SQLite has no trigram index: the vocabulary of each part is read and compared in Python with
rapidfuzz (``process.extract``), at ``RATIO_CUTOFF``. Correct, slower at a large vocabulary.
"""

from django.db import connection
from rapidfuzz import fuzz, process

from .models import NameKey

#: pg_trgm similarity threshold per part.
TRIGRAM_THRESHOLDS = {NameKey.LAST: 0.3, NameKey.FIRST: 0.2, NameKey.PATRONYMIC: 0.2}
RATIO_CUTOFF = 60  # rapidfuzz ratio, 0-100
KEYS_PER_WORD = 10
_PART_LITERALS = {part: f"'{part}'" for part in TRIGRAM_THRESHOLDS}

Wanted = tuple[str, str]  # (part, key): part is NameKey.LAST, FIRST or PATRONYMIC


def similar_keys(wanted: set[Wanted]) -> dict[Wanted, set[str]]:
    """For each (part, key): the vocabulary keys of that part similar to it, best first, at most
    ``KEYS_PER_WORD`` (the key itself is among them when someone carries it)."""
    wanted = {(part, key) for part, key in wanted if key}
    if not wanted:
        return {}
    if connection.vendor == "postgresql":
        return _trigram(sorted(wanted))
    return _compared(wanted)


def _trigram(wanted: list[Wanted]) -> dict[Wanted, set[str]]:
    found: dict[Wanted, set[str]] = {item: set() for item in wanted}
    by_threshold: dict[float, list[Wanted]] = {}
    for item in wanted:
        by_threshold.setdefault(TRIGRAM_THRESHOLDS[item[0]], []).append(item)
    with connection.cursor() as cursor:
        for threshold, items in sorted(by_threshold.items()):
            cursor.execute(f"SET pg_trgm.similarity_threshold = {threshold:.2f}")
            cursor.execute(*_trigram_sql(items))
            for number, key in cursor.fetchall():
                found[items[number]].add(key)
    return found


def _trigram_sql(items: list[Wanted]) -> tuple[str, list]:
    """One ``UNION ALL`` branch per wanted key; the part is a literal of the SQL text (never
    user input) so that the planner picks that part's partial index."""
    branches, params = [], []
    for number, (part, key) in enumerate(items):
        literal = _PART_LITERALS[part]  # one of three constants, never what a user typed
        branches.append(
            f"(SELECT %s AS n, key FROM registry_namekey WHERE part = {literal} "  # noqa: S608
            "AND key %% %s ORDER BY similarity(key, %s) DESC, key LIMIT %s)"
        )
        params += [number, key, key, KEYS_PER_WORD]
    return " UNION ALL ".join(branches), params


def _compared(wanted: set[Wanted]) -> dict[Wanted, set[str]]:
    found: dict[Wanted, set[str]] = {}
    for part in sorted({part for part, _key in wanted}):
        vocabulary = list(NameKey.objects.filter(part=part).values_list("key", flat=True))
        for wanted_part, key in wanted:
            if wanted_part != part:
                continue
            best = process.extract(
                key, vocabulary, scorer=fuzz.ratio, score_cutoff=RATIO_CUTOFF, limit=KEYS_PER_WORD
            )
            found[(part, key)] = {match for match, _score, _index in best}
    return found
