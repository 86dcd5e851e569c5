"""The keys of the name vocabulary (``NameKey``) similar to a typed key: the fuzzy step of the
search, over a few thousand distinct keys instead of a million persons.

PostgreSQL: the ``pg_trgm`` ``%`` operator on the GIN trigram index, at
``TRIGRAM_THRESHOLD`` (lower than pg_trgm's 0.3: a typo in a short given name — ivan/ivna —
keeps only 0.25 of its trigrams), best ``KEYS_PER_WORD`` by trigram similarity, every wanted
key in one statement. The threshold is set on the session before the statement (``SET``
cannot take a parameter and only this module uses ``%``).

SQLite has no trigram index: the vocabulary of each part is read and compared in Python with
rapidfuzz (``process.extract``), at ``RATIO_CUTOFF``. Correct, slower at a large vocabulary.
"""

from django.db import connection
from rapidfuzz import fuzz, process

from .models import NameKey

TRIGRAM_THRESHOLD = 0.2
RATIO_CUTOFF = 60  # rapidfuzz ratio, 0-100
KEYS_PER_WORD = 10

Wanted = tuple[str, str]  # (part, key): part is NameKey.LAST or NameKey.FIRST


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
    branch = (
        "(SELECT %s AS n, key FROM registry_namekey WHERE part = %s AND key %% %s "
        "ORDER BY similarity(key, %s) DESC, key LIMIT %s)"
    )
    sql = " UNION ALL ".join([branch] * len(wanted))
    params: list = []
    for number, (part, key) in enumerate(wanted):
        params += [number, part, key, key, KEYS_PER_WORD]
    found: dict[Wanted, set[str]] = {item: set() for item in wanted}
    with connection.cursor() as cursor:
        cursor.execute(f"SET pg_trgm.similarity_threshold = {TRIGRAM_THRESHOLD:.2f}")
        cursor.execute(sql, params)
        for number, key in cursor.fetchall():
            found[wanted[number]].add(key)
    return found


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
