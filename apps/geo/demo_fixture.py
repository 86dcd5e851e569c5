"""The demo subset of КАТОТТГ, shipped as ``apps/geo/fixtures/katottg_demo.json``.

It holds every oblast and special-status city (categories О and К) and the settlements the demo
hubs and their partners stand in, each with its whole parent chain (hromada, raion, oblast), and
the ``Edition`` they come from. The file is generated, never edited by hand::

    manage.py make_katottg_fixture ../shared/data/katottg/kodifikator-2025-05-16.csv \\
        apps/geo/fixtures/katottg_demo.json

Units are keyed by their codes and the edition by its date (a natural key), so
``loaddata katottg_demo`` can run any number of times, also over a fully loaded edition.
"""

from datetime import UTC, date, datetime, time

from django.core import serializers
from django.utils.translation import gettext as _

from .katottg_files import KatottgFormatError
from .models import Category, Edition
from .services import ParsedUnit

FIXTURE_NAME = "katottg_demo"
TOP_CATEGORIES = frozenset({Category.OBLAST, Category.SPECIAL_CITY})
# Code → name as checked against the source file (a renamed or vanished code stops the build).
DEMO_SETTLEMENTS = {
    "UA56060470010041018": "Рівне",  # hub: Рівненська громада, Рівненська обл.
    "UA07020130010041880": "Нововолинськ",  # hub: Нововолинська громада, Волинська обл.
    "UA46020090010062870": "Трускавець",  # hub: Трускавецька громада, Львівська обл.
    "UA05020030010063857": "Вінниця",  # hub: Вінницька громада, Вінницька обл.
    "UA46020030010069501": "Дрогобич",  # partners
    "UA46060250010015970": "Львів",  # partners
}


def demo_units(units: list[ParsedUnit]) -> list[ParsedUnit]:
    """Oblasts, special cities and the demo settlements with their ancestors, parents first."""
    by_code = {unit.code: unit for unit in units}
    wanted = {unit.code for unit in units if unit.category in TOP_CATEGORIES}
    for code, name in DEMO_SETTLEMENTS.items():
        settlement = by_code.get(code)
        if settlement is None or settlement.name != name:
            raise KatottgFormatError(
                _("у файлі немає населеного пункту %(name)s з кодом %(code)s")
                % {"name": name, "code": code}
            )
        wanted.update((code, *settlement.ancestors))
    return sorted((by_code[code] for code in wanted), key=lambda unit: (unit.level, unit.code))


def fixture_json(
    units: list[ParsedUnit], *, edition_date: date, source: str, edition_rows: int
) -> str:
    """The fixture text: the edition (described as the loader would: its file and its row
    count), then the units. The same input gives the same bytes."""
    edition = Edition(
        date=edition_date,
        source=source,
        rows=edition_rows,
        loaded_at=datetime.combine(edition_date, time(), tzinfo=UTC),
    )
    objects = [edition, *(unit.as_unit(edition) for unit in units)]
    text = serializers.serialize(
        "json", objects, indent=2, use_natural_foreign_keys=True, use_natural_primary_keys=True
    )
    return text.rstrip("\n") + "\n"
