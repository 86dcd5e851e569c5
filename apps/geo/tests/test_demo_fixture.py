"""The shipped demo subset ``katottg_demo.json``: reproducible from the official file, true to
it, complete (parents included) and loadable any number of times."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from apps.geo.demo_fixture import DEMO_SETTLEMENTS, demo_units
from apps.geo.katottg_files import KatottgFormatError, SourceRow
from apps.geo.models import Category, Edition, Unit
from apps.geo.services import katottg_parse

from .conftest import SAMPLE

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "katottg_demo.json"
DEMO_HROMADAS = {
    "UA56060470000086729",  # Рівненська
    "UA07020130000036300",  # Нововолинська
    "UA46020090000057315",  # Трускавецька
    "UA05020030000031457",  # Вінницька
    "UA46020030000019252",  # Дрогобицька
    "UA46060250000025047",  # Львівська
}


def fixture_units() -> dict[str, dict]:
    return {
        item["pk"]: item["fields"]
        for item in json.loads(FIXTURE.read_text(encoding="utf-8"))
        if item["model"] == "geo.unit"
    }


def test_the_command_reproduces_the_committed_fixture(official_file, tmp_path):
    out = tmp_path / "katottg_demo.json"

    call_command("make_katottg_fixture", str(official_file), str(out), stdout=None)

    assert out.read_bytes() == FIXTURE.read_bytes()


def test_every_fixture_row_is_in_the_official_edition(official_rows):
    official = {unit.code: unit for unit in katottg_parse(official_rows)}

    for code, fields in fixture_units().items():
        unit = official[code]
        assert (fields["name"], fields["category"], fields["parent"]) == (
            unit.name,
            unit.category,
            unit.parent,
        ), code
        assert (fields["level"], fields["oblast"], fields["raion"], fields["hromada"]) == (
            unit.level,
            unit.oblast,
            unit.raion,
            unit.hromada,
        ), code


def test_the_fixture_holds_the_top_level_and_the_demo_places_with_their_parents():
    units = fixture_units()

    top = [code for code, fields in units.items() if fields["category"] in {"О", "К"}]
    assert len(top) == 27
    assert units.keys() >= DEMO_SETTLEMENTS.keys() | DEMO_HROMADAS
    assert all(fields["parent"] in units for fields in units.values() if fields["parent"])
    assert len(units) == 27 + 5 + 6 + 6  # five raions: Drohobych and Truskavets share one


@pytest.mark.django_db
def test_loaddata_twice_gives_the_same_rows():
    call_command("loaddata", "katottg_demo", verbosity=0)
    first = list(Unit.objects.values_list())

    call_command("loaddata", "katottg_demo", verbosity=0)

    assert list(Unit.objects.values_list()) == first
    assert Edition.objects.count() == 1
    assert Unit.objects.get(code="UA56060470010041018").hromada.category == Category.HROMADA


def test_a_file_without_the_demo_places_cannot_make_the_fixture():
    rows = [SourceRow(line, tuple(row[:5]), row[5], row[6]) for line, row in enumerate(SAMPLE, 2)]

    with pytest.raises(KatottgFormatError, match="Нововолинськ"):
        demo_units(katottg_parse(rows))
