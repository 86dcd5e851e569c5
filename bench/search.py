"""Benchmark of the person search at scale (not a test: it prints figures, it asserts nothing).

    .venv/bin/python bench/search.py [--persons 1000000] [--backend pg|sqlite|both]
                                     [--queries 1000] [--reuse] [--pg postgres://…/postgres]
                                     [--pg-database prostir_bench] [--import-rows 20000]

For each backend, in a dedicated database (PostgreSQL: ``--pg-database``, created and dropped
here; SQLite: ``var/bench/prostir_bench.sqlite3``):

1. migrate, load the demo hubs (not the demo's own persons: another seed), generate N
   synthetic persons (rows/s of that bulk path);
   then the same rows of a sample written again by a raw ``COPY`` (SQLite: ``executemany``)
   into bare tables — no index, constraint nor trigger — the floor any importer can reach;
2. a query set of variants of known persons: Latin by several transliteration systems, other
   apostrophes, Russian spellings of the given name and patronymic, one typo, swapped order;
   each with the birth date (two words) and without it (three words, with the patronymic);
3. the project's search (``selectors.person_search``, not HTTP) and a raw SQL baseline — exact
   key equality on the indexed (latin_last, latin_first) [+ birth_date] — on the same queries;
4. p50/p95/p99 latency and recall@10 for both, per variant and overall. "recall@10" counts the
   known person among the first 10; "tie-aware" also counts a query whose 10 results all carry
   the known person's name keys (over the parts typed) with one and the same score — exact
   namesakes, tied with the known person, as good an answer as it (``_tied_namesakes``);
   "namesakes aside" leaves out the queries without a birth date whose person has 10 or more
   namesakes over the name parts typed (same keys), where no ranking by name can choose;
5. the CSV importer (``imports.services``) on ``--import-rows`` persons new to the database,
   in the template's format, into a demo hub as its registrar: rows/s, the counts of imported,
   flagged and refused rows, next to the raw ``COPY`` of step 1 per person. Run after the
   searches, and what it imported is deleted again, so a rerun with ``--reuse`` searches the
   same persons.

``--backend both`` runs each backend in its own process (Django reads the database once).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_DATABASE = "prostir_bench"  # the default of --pg-database
SQLITE_PATH = ROOT / "var" / "bench" / "prostir_bench.sqlite3"
SEED = 1
RESULTS = ROOT / "var" / "bench"


# --- setting up -------------------------------------------------------------------------------


def _pg_admin_url(args) -> str:
    return args.pg


def _database_url(args) -> str:
    if args.backend == "pg":
        return args.pg.rsplit("/", 1)[0] + f"/{args.pg_database}"
    return f"sqlite:///{SQLITE_PATH}"


def _fresh_database(args) -> None:
    if args.reuse:
        return
    if args.backend == "sqlite":
        SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        return
    import psycopg
    from psycopg import sql

    name = sql.Identifier(args.pg_database)
    with psycopg.connect(_pg_admin_url(args), autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(name))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(name))


def _django(args) -> None:
    os.environ["DATABASE_URL"] = _database_url(args)
    os.environ["PROSTIR_DEMO"] = "true"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prostir.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- import throughput ------------------------------------------------------------------------


def _generate(persons: int) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from apps.demo.services import demo_load
    from apps.registry import synthetic

    call_command("migrate", verbosity=0)
    # The demo hubs and their users, without the demo's own synthetic persons (another seed:
    # the generator does not mix seeds in one database).
    demo_load()
    _importer_cleanup()  # what an interrupted run left (the generator refuses other persons)
    summary = synthetic.generate(persons=persons, seed=SEED)
    if connection.vendor == "postgresql":  # as autovacuum would after a bulk load
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "persons_added": summary.persons,
        "persons_there": summary.skipped,
        "rows": summary.rows,
        "seconds": round(summary.seconds, 1),
        "rows_per_s": round(summary.rows_per_second),
    }


def _raw_copy(sample_batches: int = 5) -> dict:
    """The rows of ``sample_batches`` batches written by a raw COPY (SQLite: executemany) into
    bare copies of the tables: no index, no constraint, no trigger, rows built beforehand."""
    from django.db import connection, transaction
    from django.utils import timezone

    from apps.registry import synthetic

    tables = synthetic._tables()
    places = synthetic._places()
    built = synthetic._Rows(tables, timezone.now(), connection.vendor == "postgresql")
    persons = 0
    for number in range(sample_batches):
        batch = synthetic.make_batch(SEED + 1, number, synthetic.BATCH_SIZE, places)
        for household_id, place in batch.households:
            built.household(household_id, place)
        for person in batch.persons:
            built.person(person)
        persons += len(batch.persons)
    total = sum(len(rows) for rows in built.rows.values())
    with transaction.atomic(), connection.cursor() as cursor:
        bare = {}
        for name, table in tables.items():
            bare[name] = f"bench_bare_{name}"
            cursor.execute(f"DROP TABLE IF EXISTS {bare[name]}")
            cursor.execute(
                f"CREATE TABLE {bare[name]} AS SELECT * FROM {table.model._meta.db_table} LIMIT 0"
            )
        started = time.perf_counter()
        for name, table in tables.items():
            columns = ", ".join(table.columns)
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {bare[name]} ({columns}) FROM STDIN") as copy:
                    for row in built.rows[name]:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(table.columns))
                cursor.executemany(
                    f"INSERT INTO {bare[name]} ({columns}) VALUES ({marks})", built.rows[name]
                )
        seconds = time.perf_counter() - started
        for name in bare.values():
            cursor.execute(f"DROP TABLE {name}")
    return {
        "persons": persons,
        "rows": total,
        "seconds": round(seconds, 2),
        "rows_per_s": round(total / seconds),
        "persons_per_s": round(persons / seconds),
    }


# --- the importer's throughput ----------------------------------------------------------------

#: The demo hub the importer's file goes to, and its registrar (made by the demo's loader).
IMPORT_HUB_USER = "registrar.rivne"


def _import_batch_numbers(persons: int, rows: int) -> range:
    """The synthetic batches of the import file: the ones right after those stored, so its
    persons (and their РНОКПП, УНЗР and phone numbers, allocated per batch and index) are new
    to the database."""
    from apps.registry import synthetic

    first = -(-persons // synthetic.BATCH_SIZE)
    count = -(-rows // synthetic.BATCH_SIZE)
    if first + count > synthetic.MAX_BATCHES:
        raise SystemExit(
            f"--persons {persons:,} and --import-rows {rows:,} together exceed the "
            f"{synthetic.MAX_PERSONS:,} persons a seed can hold."
        )
    return range(first, first + count)


def _fresh_persons(persons: int, rows: int, place) -> list:
    """``rows`` new synthetic persons of the seed, in households, all served by ``place``."""
    from apps.registry import synthetic

    fresh = []
    for number in _import_batch_numbers(persons, rows):
        size = min(synthetic.BATCH_SIZE, rows - len(fresh))
        fresh += synthetic.make_batch(SEED, number, size, [place]).persons
    return fresh


def _import_row(person, household_keys: dict) -> dict[str, str]:
    """One person as the template's row (column key → cell). The file has no columns for the
    ID card and the passport: those documents of the generator stay out."""
    from apps.registry.identifiers import DocumentType

    documents = dict(person.documents)
    household = ""
    if person.household_id is not None:
        household = household_keys.setdefault(person.household_id, f"Д{len(household_keys) + 1}")
    return {
        "household": household,
        "relationship": str(person.relationship) if household else "",
        "last_name": person.last_name,
        "first_name": person.first_name,
        "patronymic": person.patronymic,
        "birth_date": f"{person.birth_date:%d.%m.%Y}",
        "sex": str(person.sex),
        "phone": person.phone,
        "rnokpp": documents.get(DocumentType.RNOKPP, ""),
        "unzr": documents.get(DocumentType.UNZR, ""),
        "idp_certificate_number": documents.get(DocumentType.IDP_CERTIFICATE, ""),
        "categories": ";".join(str(code) for code in person.categories),
    }


def import_csv(persons: list) -> bytes:
    """The import file of ``persons``: the template's header, ``;``-separated, UTF-8 with a
    BOM, one row per person, a household's members under one key."""
    import csv
    import io

    from apps.registry.imports import columns, template
    from apps.registry.imports.reading import UTF8_BOM

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=template.CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(template.headers())
    household_keys: dict = {}
    for person in persons:
        row = _import_row(person, household_keys)
        writer.writerow([row.get(column.key, "") for column in columns.COLUMNS])
    return UTF8_BOM + buffer.getvalue().encode("utf-8")


def _imported_persons():
    """What the importer added: every person that is not synthetic (the generator refuses a
    database with any other), as a queryset."""
    from apps.registry import synthetic
    from apps.registry.models import Person

    low, high = synthetic._id_range()
    return Person.objects.exclude(pk__gte=low, pk__lte=high)


def _imported_rows() -> dict[str, int]:
    """The rows the importer wrote, per table (audit events aside)."""
    from apps.registry.models import (
        Consent,
        Document,
        Household,
        HouseholdMember,
        PersonCategory,
        PersonPhone,
    )

    persons = _imported_persons()
    counts = {"person": persons.count()}
    for name, model in (
        ("document", Document),
        ("phone", PersonPhone),
        ("category", PersonCategory),
        ("member", HouseholdMember),
        ("consent", Consent),
    ):
        counts[name] = model.objects.filter(person__in=persons).count()
    counts["household"] = Household.objects.filter(members__person__in=persons).distinct().count()
    return counts


def _importer_cleanup() -> int:
    """Deletes what the importer added — its jobs (with their issues), the persons and the
    households — so the bench database holds the generator's persons only, as before: a rerun
    with ``--reuse`` then generates nothing and searches the same data. The audit trail is
    append-only and keeps the import's events; the name vocabulary keeps its keys (the file's
    names come from the generator's tables, so it gains next to none). Returns the persons
    deleted."""
    from django.db import connection, transaction

    from apps.registry.imports.models import ImportJob
    from apps.registry.models import Household

    with transaction.atomic():
        ImportJob.objects.filter(uploaded_by__username=IMPORT_HUB_USER).delete()
        persons = _imported_persons()
        households = list(
            Household.objects.filter(members__person__in=persons).values_list("pk", flat=True)
        )
        deleted = persons.count()
        persons.delete()
        Household.objects.filter(pk__in=households).delete()
    if deleted and connection.vendor == "postgresql":  # as autovacuum would, but now
        with connection.cursor() as cursor:
            cursor.execute(
                "VACUUM (ANALYZE) registry_person, registry_document, registry_personphone, "
                "registry_personcategory, registry_householdmember, registry_household"
            )
    return deleted


def _issue_codes(job) -> dict[str, int]:
    from collections import Counter

    return dict(Counter(job.issues.values_list("code", flat=True)).most_common())


def _duplicate_reasons(job) -> dict[str, int]:
    """Why the flagged rows looked registered: the reasons of each row's best match."""
    from collections import Counter

    from apps.registry.imports.models import IssueKind

    best = (
        "+".join(matches[0]["reasons"]) if matches else "-"
        for matches in job.issues.filter(kind=IssueKind.DUPLICATE).values_list("matches", flat=True)
    )
    return dict(Counter(best).most_common())


def _importer_throughput(persons: int, rows: int, raw: dict) -> dict | None:
    """The CSV importer's rows/s: ``rows`` persons new to the database (synthetic batches
    beyond those stored, in households, with documents, phones and categories) written as the
    template's CSV and imported into a demo hub through ``import_job_create`` and
    ``import_job_run`` — what the background task runs — as that hub's registrar. The time
    counts both (reading and checking the upload, then importing: every row validated,
    checked for duplicates in every community and registered with its audit event). Next to
    it, the raw ``COPY`` of the same kind of rows per person. What was imported is deleted
    afterwards (``_importer_cleanup``)."""
    if rows <= 0:
        return None
    from apps.access.actor import actor_for
    from apps.access.models import User
    from apps.registry import synthetic
    from apps.registry.imports import services as imports

    _importer_cleanup()  # what an interrupted run left
    user = User.objects.get(username=IMPORT_HUB_USER)
    hub = user.memberships.get(organisation__isnull=False).organisation
    place = next(p for p in synthetic._places() if p.organisation_id == hub.pk)
    content = import_csv(_fresh_persons(persons, rows, place))
    actor = actor_for(user)
    started = time.perf_counter()
    job = imports.import_job_create(
        actor=actor, organisation_id=hub.pk, filename="bench.csv", content=content
    )
    uploaded = time.perf_counter()
    job = imports.import_job_run(job_id=job.pk)
    seconds = time.perf_counter() - started
    written = _imported_rows()
    result = {
        "hub": hub.name,
        "rows": rows,
        "file_bytes": len(content),
        "status": job.status,
        "imported": job.imported_count,
        "flagged_as_duplicates": job.duplicate_count,
        "errors": job.error_count,
        "issue_codes": _issue_codes(job),
        "duplicate_reasons": _duplicate_reasons(job),
        "upload_seconds": round(uploaded - started, 2),
        "seconds": round(seconds, 1),
        "rows_per_s": round(rows / seconds),
        "database_rows": sum(written.values()),
        "database_rows_per_table": written,
        "database_rows_per_s": round(sum(written.values()) / seconds),
        "raw_copy_persons_per_s": raw["persons_per_s"],
        "raw_copy_times_faster": round(raw["persons_per_s"] / (rows / seconds), 1),
    }
    result["deleted_after"] = _importer_cleanup()
    return result


# --- the query set ----------------------------------------------------------------------------

_BGN = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ye", "ж": "zh",
    "з": "z", "и": "y", "і": "i", "ї": "yi", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "yu", "я": "ya", "'": "",
}  # fmt: skip
#: Old Soviet-era and Russian-style spellings: г as g, и as i, й as j, ц as c (х stays kh: an
#: "h" for х reads as г, see README).
_RUSSIAN_STYLE = {
    **_BGN, "г": "g", "и": "i", "і": "i", "ї": "i", "й": "j", "є": "je", "ю": "ju", "я": "ja",
    "ц": "c", "щ": "sch",
}  # fmt: skip
APOSTROPHES = ("'", "\u2019", "\u02bc", "`", "")


def _romanise(text: str, table: dict[str, str]) -> str:
    out = []
    for char in unicodedata.normalize("NFC", text):
        lower = char.lower()
        latin = table.get(lower, "" if lower in "'\u2019\u02bc`" else char)
        out.append(latin.capitalize() if char.isupper() else latin)
    return "".join(out)


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("substitute", "delete", "transpose", "insert"))
    letters = "абвгдеєжзиіїйклмнопрстуфхцчшщьюя"
    if kind == "substitute":
        return word[:i] + rng.choice(letters) + word[i + 1 :]
    if kind == "delete":
        return word[:i] + word[i + 1 :]
    if kind == "transpose":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice(letters) + word[i:]


def _russian(first: str, patronymic: str) -> tuple[str, str] | None:
    from apps.registry.names import GIVEN_NAMES, PATRONYMICS

    given = GIVEN_NAMES.get(first)
    if not given:
        return None
    middle = PATRONYMICS.get(patronymic) or (patronymic,)
    return given[0], middle[0] if middle else patronymic


@dataclass
class Query:
    variant: str
    target: object  # uuid
    q: str
    birth_date: date | None
    last: str
    first: str
    patronymic: str
    namesakes: int = 0


def _variants(person, rng: random.Random) -> dict[str, tuple[str, str, str]]:
    """variant → (last, first, patronymic) as typed."""
    last, first, middle = person.last_name, person.first_name, person.patronymic
    variants = {
        "exact": (last, first, middle),
        "latin_national": (person.last_name_latin, person.first_name_latin, ""),
        "latin_bgn": tuple(_romanise(w, _BGN) for w in (last, first, middle)),
        "latin_russian_style": tuple(_romanise(w, _RUSSIAN_STYLE) for w in (last, first, middle)),
        "typo": (_typo(last, rng), first, middle)
        if rng.random() < 0.6
        else (last, _typo(first, rng), middle),
    }
    russian = _russian(first, middle)
    if russian:
        variants["russian_given_name"] = (last, *russian)
    if any(mark in last + first for mark in "'\u2019\u02bc"):
        other = rng.choice([a for a in APOSTROPHES if a not in last + first])
        variants["apostrophe"] = tuple(
            w.replace("'", other).replace("\u2019", other).replace("\u02bc", other)
            for w in (last, first, middle)
        )
    return variants


def _sample_persons(count: int, persons: int, rng: random.Random):
    from apps.registry import synthetic
    from apps.registry.models import Person

    ids = [synthetic.synthetic_id(SEED, 1, rng.randrange(persons)) for _ in range(count)]
    with_apostrophe = list(
        Person.objects.filter(last_name__contains="'").values_list("pk", flat=True)[:5000]
    )
    ids += rng.sample(with_apostrophe, min(len(with_apostrophe), count // 10))
    return list(Person.objects.filter(pk__in=ids))


def build_queries(count: int, persons: int) -> list[Query]:
    rng = random.Random(20260101)
    queries = []
    for person in _sample_persons(count, persons, rng):
        for variant, (last, first, middle) in _variants(person, rng).items():
            swapped = rng.random() < 0.5 and variant != "exact"
            words = [first, last] if swapped else [last, first]
            suffix = "+swapped" if swapped else ""
            queries.append(
                Query(
                    variant + suffix, person.pk, " ".join(words), person.birth_date, last, first, ""
                )
            )
            three = " ".join([*words, middle]) if middle else " ".join(words)
            queries.append(Query(variant + suffix, person.pk, three, None, last, first, middle))
    for query in queries:
        query.namesakes = _namesakes(query.target, with_patronymic=bool(query.patronymic))
    return queries


_NAMESAKES: dict = {}


def _namesakes(target, *, with_patronymic: bool) -> int:
    """How many persons carry the same name keys as the target, over the parts the query
    gives (surname and given name, and the patronymic when typed)."""
    from apps.registry.models import Person

    fields = ["latin_last", "latin_first"] + (["latin_patronymic"] if with_patronymic else [])
    if (target, with_patronymic) not in _NAMESAKES:
        keys = Person.objects.values(*fields).get(pk=target)
        _NAMESAKES[(target, with_patronymic)] = Person.objects.filter(**keys).count()
    return _NAMESAKES[(target, with_patronymic)]


# --- running ----------------------------------------------------------------------------------


def _project(actor):
    from apps.registry import selectors

    def search(query: Query) -> list:
        matches = selectors.person_search(
            actor=actor, q=query.q, birth_date=query.birth_date, limit=10
        )
        return [(m.person.pk, m.score) for m in matches]

    return search


def _baseline():
    """Exact key equality on the indexed pair, as typed (no swap, no fuzz)."""
    from django.db import connection

    from apps.registry.names import person_keys

    def search(query: Query) -> list:
        keys = person_keys(query.last, query.first, query.patronymic)
        sql = "SELECT id FROM registry_person WHERE latin_last = %s AND latin_first = %s"
        params: list = [keys.last_latin, keys.first_latin]
        if query.birth_date is not None:
            sql += " AND birth_date = %s"
            params.append(query.birth_date)
        with connection.cursor() as cursor:
            cursor.execute(sql + " LIMIT 10", params)
            return [(row[0], None) for row in cursor.fetchall()]  # exact keys: no ranking

    return search


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _measure(searches: dict, queries: list[Query]) -> dict:
    """Every search on every query, interleaved query by query, so that both meet the same
    load of the machine; per search and group: latency percentiles and recall@10."""
    from uuid import UUID

    for query in queries[:50]:  # warm the caches and the connection
        for search in searches.values():
            search(query)
    rows = {name: defaultdict(list) for name in searches}
    misses = []
    for query in queries:
        dated = "with birth date" if query.birth_date else "no birth date"
        groups = ["all", dated, query.variant.split("+")[0]]
        if query.variant.endswith("+swapped"):
            groups.append("swapped order")
        for name, search in searches.items():
            started = time.perf_counter()
            found = search(query)
            elapsed = (time.perf_counter() - started) * 1000
            hit = UUID(str(query.target)) in {UUID(str(pk)) for pk, _score in found}
            tied = hit or _tied_namesakes(query, found)
            for group in groups:
                rows[name][group].append((elapsed, hit, query, tied))
            if not hit and name == "project_search":
                misses.append({**_miss(query), "tied_namesakes": tied})
    return {**{name: _summary(groups) for name, groups in rows.items()}, "misses": misses}


RESULT_COUNT = 10
_KEYS: dict = {}


def _name_keys(person_ids, with_patronymic: bool) -> dict:
    from apps.registry.models import Person

    fields = ["latin_last", "latin_first"] + (["latin_patronymic"] if with_patronymic else [])
    wanted = [pk for pk in person_ids if (pk, with_patronymic) not in _KEYS]
    for row in Person.objects.filter(pk__in=wanted).values("pk", *fields):
        _KEYS[(row.pop("pk"), with_patronymic)] = tuple(row[f] for f in fields)
    return {pk: _KEYS.get((pk, with_patronymic)) for pk in person_ids}


def _tied_namesakes(query: Query, found: list) -> bool:
    """The tie-aware hit of a miss: the search returned ``RESULT_COUNT`` persons, every one with
    the known person's name keys over the parts the query gives (surname and given name, and
    the patronymic when typed) and all with the same score — the known person, whose keys
    are theirs, scores the same: it is tied with them, and any of them is as good an answer.
    (The baseline does not rank: equal keys are all it asks.)"""
    if len(found) < RESULT_COUNT:
        return False
    if len({score for _pk, score in found}) != 1:
        return False
    with_patronymic = bool(query.patronymic)
    keys = _name_keys([query.target, *(pk for pk, _score in found)], with_patronymic)
    return all(keys[pk] == keys[query.target] for pk, _score in found)


def _miss(query: Query) -> dict:
    """What a missed query was, for reading the misses afterwards (in the JSON only)."""
    from apps.registry.models import Person

    person = Person.objects.get(pk=query.target)
    return {
        "variant": query.variant,
        "q": query.q,
        "birth_date": query.birth_date,
        "person": f"{person.last_name} {person.first_name} {person.patronymic}",
        "namesakes": query.namesakes,
    }


def _summary(rows: dict) -> dict:
    report = {}
    for group, results in rows.items():
        times = [t for t, _hit, _q, _tied in results]
        decidable = [hit for _t, hit, q, _tied in results if q.birth_date or q.namesakes < 10]
        report[group] = {
            "queries": len(results),
            "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(_percentile(times, 0.95), 2),
            "p99_ms": round(_percentile(times, 0.99), 2),
            "recall@10": round(sum(hit for _t, hit, _q, _tied in results) / len(results), 4),
            "recall@10_tie_aware": round(
                sum(tied for _t, _hit, _q, tied in results) / len(results), 4
            ),
            "recall@10_namesakes_aside": round(sum(decidable) / max(1, len(decidable)), 4),
        }
    return report


def run_one(args) -> dict:
    _fresh_database(args)
    _django(args)
    from apps.access.actor import actor_for
    from apps.access.models import User

    print(f"[{args.backend}] generating {args.persons:,} persons …", flush=True)
    generated = _generate(args.persons)
    print(f"[{args.backend}] generated: {generated}", flush=True)
    raw = _raw_copy()
    print(f"[{args.backend}] raw bulk write of the same rows: {raw}", flush=True)
    queries = build_queries(args.queries, args.persons)
    print(f"[{args.backend}] {len(queries):,} queries", flush=True)
    actor = actor_for(User.objects.get(username="admin"))
    result = {
        "backend": args.backend,
        "persons": args.persons,
        "generate": generated,
        "raw_bulk_write": raw,
        **_measure({"project_search": _project(actor), "baseline_exact_sql": _baseline()}, queries),
        "load_average": os.getloadavg(),
    }
    # After the searches, so they never meet the imported persons; deleted again afterwards.
    print(f"[{args.backend}] importing {args.import_rows:,} new persons from a CSV …", flush=True)
    result["importer"] = _importer_throughput(args.persons, args.import_rows, raw)
    result["load_average_after_import"] = os.getloadavg()
    _print(result)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"search-{args.backend}-{args.persons}.json"
    out.write_text(json.dumps(result, indent=2, default=str))
    print(f"[{args.backend}] written to {out}")
    return result


def _print(result: dict) -> None:
    load = ", ".join(f"{value:.1f}" for value in result["load_average"])
    print(f"\n== {result['backend']}: {result['persons']:,} persons (load average {load}) ==")
    print(
        f"{'':<22}{'queries':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'recall':>9}"
        f"{'ties':>8}{'aside':>8}"
    )
    for name in ("project_search", "baseline_exact_sql"):
        print(name)
        for group, row in result[name].items():
            print(
                f"  {group:<20}{row['queries']:>8}{row['p50_ms']:>9}{row['p95_ms']:>9}"
                f"{row['p99_ms']:>9}{row['recall@10']:>9}{row['recall@10_tie_aware']:>8}"
                f"{row['recall@10_namesakes_aside']:>8}"
            )
    imported = result.get("importer")
    if imported:
        raw = result["raw_bulk_write"]
        print(
            f"CSV importer: {imported['rows']:,} rows in {imported['seconds']} s = "
            f"{imported['rows_per_s']:,} rows/s ({imported['database_rows_per_s']:,} database "
            f"rows/s); imported {imported['imported']:,}, flagged as duplicates "
            f"{imported['flagged_as_duplicates']:,}, errors {imported['errors']:,}; raw COPY "
            f"{raw['persons_per_s']:,} persons/s ({raw['rows_per_s']:,} rows/s), "
            f"{imported['raw_copy_times_faster']}x faster"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=("pg", "sqlite", "both"), default="both")
    parser.add_argument("--queries", type=int, default=500, help="known persons to vary")
    parser.add_argument("--reuse", action="store_true", help="keep the bench database")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument(
        "--pg-database", default=PG_DATABASE, help="the bench database (created and dropped)"
    )
    parser.add_argument(
        "--import-rows",
        type=int,
        default=20_000,
        help="persons in the CSV the importer imports (0: skip that measurement)",
    )
    args = parser.parse_args()
    if args.backend == "both":
        for backend in ("pg", "sqlite"):
            command = [sys.executable, __file__, "--backend", backend]
            command += ["--persons", str(args.persons), "--queries", str(args.queries)]
            command += ["--pg", args.pg, "--pg-database", args.pg_database]
            command += ["--import-rows", str(args.import_rows)]
            command += ["--reuse"] if args.reuse else []
            subprocess.run(command, check=True)  # noqa: S603
        return
    run_one(args)


if __name__ == "__main__":
    main()
