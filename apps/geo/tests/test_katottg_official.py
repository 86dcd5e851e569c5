"""The official edition of 16.05.2025, whole: the counts in DOMAIN.md §3, the chain of м. Рівне,
re-runs and a newer edition. These load 31,748 rows and run on whichever database the suite
uses — SQLite and PostgreSQL in CI, where the suite runs once on each."""

import dataclasses
import time
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from apps.geo.models import Category, Edition, Unit
from apps.geo.services import katottg_load

from .conftest import RIVNE

pytestmark = pytest.mark.django_db

EDITION = date(2025, 5, 16)
COUNTS = {
    Category.OBLAST: 25,
    Category.SPECIAL_CITY: 2,
    Category.RAION: 136,
    Category.HROMADA: 1772,
    Category.CITY: 461,
    Category.URBAN_SETTLEMENT: 0,
    Category.SELYSHCHE: 2007,
    Category.VILLAGE: 27237,
    Category.CITY_DISTRICT: 108,
}
TOTAL = 31748
LOAD_SECONDS_LIMIT = 60


def load(rows, edition_date=EDITION):
    return katottg_load(rows=rows, edition_date=edition_date, source="test")


def test_the_command_loads_the_whole_edition_in_time(official_file):
    started = time.monotonic()
    out = StringIO()

    call_command("load_katottg", str(official_file), stdout=out)

    assert time.monotonic() - started < LOAD_SECONDS_LIMIT
    assert f"створено {TOTAL}, оновлено 0, позначено нечинними 0, усього в редакції {TOTAL}" in (
        out.getvalue()
    )
    edition = Edition.objects.get()
    assert (edition.date, edition.rows, edition.source) == (EDITION, TOTAL, official_file.name)
    assert_counts_match_the_domain_reference()
    assert_rivne_hangs_under_its_hromada_raion_and_oblast()


def assert_counts_match_the_domain_reference():
    counts = {category: Unit.objects.filter(category=category).count() for category in Category}
    assert counts == COUNTS
    assert Unit.objects.filter(is_active=True, last_edition__date=EDITION).count() == TOTAL
    assert not Unit.objects.filter(name__endswith=" ").exists()


def assert_rivne_hangs_under_its_hromada_raion_and_oblast():
    chain = []
    unit = Unit.objects.get(code=RIVNE)
    while unit is not None:
        chain.append((unit.code, unit.category, unit.name))
        unit = unit.parent

    assert chain == [
        (RIVNE, "М", "Рівне"),
        ("UA56060470000086729", "Н", "Рівненська"),
        ("UA56060000000041446", "Р", "Рівненський"),
        ("UA56000000000066151", "О", "Рівненська"),
    ]
    rivne = Unit.objects.get(code=RIVNE)
    assert [rivne.hromada_id, rivne.raion_id, rivne.oblast_id] == [code for code, *_ in chain[1:]]


def test_a_second_run_changes_nothing(official_rows):
    load(official_rows)

    report = load(official_rows)

    assert (report.created, report.updated, report.retired, report.total) == (0, 0, 0, TOTAL)
    assert Unit.objects.count() == TOTAL


def test_a_newer_edition_retires_a_removed_code_and_renames_another(official_rows):
    load(official_rows)
    removed = next(row for row in official_rows if row.category == "C")
    newer = [
        dataclasses.replace(row, name="Рівне-Нове") if row.levels[3] == RIVNE else row
        for row in official_rows
        if row is not removed
    ]

    report = load(newer, date(2025, 9, 1))

    assert (report.created, report.updated, report.retired, report.total) == (0, 1, 1, TOTAL - 1)
    assert Unit.objects.count() == TOTAL
    assert Unit.objects.get(code=RIVNE).name == "Рівне-Нове"
    retired = Unit.objects.get(code=removed.levels[3])
    assert not retired.is_active
    assert retired.last_edition.date == EDITION
    assert Unit.objects.filter(is_active=True, last_edition__date=date(2025, 9, 1)).count() == (
        TOTAL - 1
    )


def test_the_demo_fixture_then_the_whole_edition(official_rows):
    call_command("loaddata", "katottg_demo", verbosity=0)
    in_fixture = Unit.objects.count()

    report = load(official_rows)

    assert (report.created, report.updated, report.retired) == (TOTAL - in_fixture, 0, 0)
    assert Edition.objects.get().rows == TOTAL
