"""Loading editions of КАТОТТГ into ``Unit`` and ``Edition``.

``katottg_parse`` turns the rows read by ``apps.geo.katottg_files`` into units and checks the
whole table before anything is written:

* every code is ``UA`` + 17 digits; the row's own code is its deepest non-empty level column,
  and that column is the unit's ``level`` (1 oblast/special city … 4 settlement, 5 city district);
* the parent is the previous *different* code — Kyiv's and Sevastopol's districts repeat the
  city's code at levels 1–4, so their parent is the city, and so are their denormalised
  ``oblast``, ``raion`` and ``hromada`` (which are simply the level 1–3 columns, never the unit
  itself);
* category letters are normalised from Latin look-alikes (O K P H M T C X B) to the official
  Cyrillic ones and must fit the level (``LEVEL_OF_CATEGORY``); names lose surrounding spaces;
* codes are unique, every parent is in the table, and each row's parent codes agree with the
  parent's own row.

The first problem raises ``KatottgFormatError`` with the line number.

``katottg_load`` writes a full edition in one transaction with a handful of bulk queries:
new and changed units are upserted, units missing from the edition are kept (other rows and
addresses point at them) but marked ``is_active=False``, and every unit of the edition gets
``last_edition``. Loading the same edition again changes nothing; an edition older than one
already loaded is refused.
"""

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from .katottg_files import LEVEL_COLUMNS, KatottgFormatError, SourceRow
from .models import LEVEL_OF_CATEGORY, Category, Edition, Unit

CODE = re.compile(r"UA\d{17}")
LATIN_LOOKALIKES = str.maketrans("OKPHMTCXB", "ОКРНМТСХВ")
BATCH_SIZE = 1000
# The unit's content as stored; a unit is "updated" when any of these differ.
STATE_FIELDS = ("name", "category", "level", "parent", "oblast", "raion", "hromada", "is_active")
STATE_COLUMNS = tuple(Unit._meta.get_field(field).attname for field in STATE_FIELDS)


@dataclass(frozen=True)
class ParsedUnit:
    """One checked row of an edition; codes refer to other units by their КАТОТТГ code."""

    line: int
    code: str
    name: str
    category: str
    level: int
    ancestors: tuple[str, ...]  # distinct codes above this unit, the oblast first
    oblast: str | None
    raion: str | None
    hromada: str | None

    @property
    def parent(self) -> str | None:
        return self.ancestors[-1] if self.ancestors else None

    def state(self) -> tuple:
        """Values of ``STATE_FIELDS`` (foreign keys as codes) this unit should have."""
        return (
            self.name,
            self.category,
            self.level,
            self.parent,
            self.oblast,
            self.raion,
            self.hromada,
            True,
        )

    def as_unit(self, edition: Edition) -> Unit:
        """An unsaved ``Unit`` with this row's values, active, stamped with ``edition``."""
        values = dict(zip(STATE_COLUMNS, self.state(), strict=True))
        return Unit(code=self.code, last_edition=edition, **values)


@dataclass(frozen=True)
class LoadReport:
    edition: date
    created: int
    updated: int
    retired: int
    total: int


def katottg_parse(rows: Iterable[SourceRow]) -> list[ParsedUnit]:
    """Checked units of a whole table (see the module docstring for the rules)."""
    units = [_parse_row(row) for row in rows]
    if not units:
        raise KatottgFormatError(_("у таблиці немає жодного рядка з даними"))
    _check_tree(units)
    return units


def katottg_load(*, rows: Iterable[SourceRow], edition_date: date, source: str) -> LoadReport:
    """Loads a full edition: creates, updates and retires units; idempotent."""
    units = katottg_parse(rows)
    with transaction.atomic():
        edition = _edition_save(edition_date, source=source, rows=len(units))
        existing = _existing_states()
        created = [unit for unit in units if unit.code not in existing]
        updated = [
            unit for unit in units if unit.code in existing and existing[unit.code] != unit.state()
        ]
        _upsert(created + updated, edition)
        in_edition = {unit.code for unit in units}
        retired = _retire(existing.keys() - in_edition)
        _stamp_active(edition)
    return LoadReport(
        edition=edition_date,
        created=len(created),
        updated=len(updated),
        retired=retired,
        total=len(units),
    )


# --- parsing ------------------------------------------------------------------------------------


def _parse_row(row: SourceRow) -> ParsedUnit:
    _check_codes(row)
    filled = [(depth, code) for depth, code in enumerate(row.levels, start=1) if code]
    if not filled:
        raise KatottgFormatError(_("у рядку немає жодного коду"), line=row.line)
    level, code = filled[-1]
    chain = _distinct_chain([code for _depth, code in filled], line=row.line)
    category = _category(row, level)
    oblast, raion, hromada = (
        column if column and column != code else None for column in row.levels[:3]
    )
    return ParsedUnit(
        line=row.line,
        code=code,
        name=_name(row),
        category=category,
        level=level,
        ancestors=tuple(chain[:-1]),
        oblast=oblast,
        raion=raion,
        hromada=hromada,
    )


def _check_codes(row: SourceRow) -> None:
    for column, code in zip(LEVEL_COLUMNS, row.levels, strict=True):
        if code and not CODE.fullmatch(code):
            raise KatottgFormatError(
                _("хибний код «%(code)s» у стовпці «%(column)s»: має бути UA і 17 цифр")
                % {"code": code, "column": column},
                line=row.line,
            )


def _distinct_chain(codes: list[str], *, line: int) -> list[str]:
    """Codes with consecutive repeats collapsed (Kyiv fills levels 1–4 with its own code)."""
    chain = [code for index, code in enumerate(codes) if index == 0 or code != codes[index - 1]]
    if len(set(chain)) != len(chain):
        raise KatottgFormatError(
            _("той самий код стоїть на різних рівнях: %(codes)s") % {"codes": ", ".join(codes)},
            line=line,
        )
    return chain


def _category(row: SourceRow, level: int) -> str:
    letter = row.category.strip().upper().translate(LATIN_LOOKALIKES)
    if letter not in Category.values:
        raise KatottgFormatError(
            _("невідома категорія «%(category)s»; має бути одна з: %(known)s")
            % {"category": row.category, "known": ", ".join(Category.values)},
            line=row.line,
        )
    if LEVEL_OF_CATEGORY[letter] != level:
        raise KatottgFormatError(
            _("категорія «%(category)s» (%(label)s) не буває у стовпці «%(column)s»")
            % {
                "category": letter,
                "label": Category(letter).label,
                "column": LEVEL_COLUMNS[level - 1],
            },
            line=row.line,
        )
    return letter


def _name(row: SourceRow) -> str:
    name = row.name.strip()
    limit = Unit._meta.get_field("name").max_length
    if not name or len(name) > limit:
        raise KatottgFormatError(
            _("назва має містити від 1 до %(limit)s символів") % {"limit": limit},
            line=row.line,
        )
    return name


def _check_tree(units: Sequence[ParsedUnit]) -> None:
    """Unique codes; every parent present, with the same ancestors as the row claims."""
    by_code: dict[str, ParsedUnit] = {}
    for unit in units:
        if (first := by_code.setdefault(unit.code, unit)) is not unit:
            raise KatottgFormatError(
                _("код %(code)s уже був у рядку %(first)s")
                % {"code": unit.code, "first": first.line},
                line=unit.line,
            )
    for unit in units:
        if unit.parent is None:
            continue
        parent = by_code.get(unit.parent)
        if parent is None:
            raise KatottgFormatError(
                _("батьківського коду %(code)s немає в таблиці") % {"code": unit.parent},
                line=unit.line,
            )
        if (*parent.ancestors, parent.code) != unit.ancestors:
            raise KatottgFormatError(
                _("коди вищих рівнів не збігаються з рядком %(line)s (%(code)s)")
                % {"line": parent.line, "code": parent.code},
                line=unit.line,
            )


# --- writing ------------------------------------------------------------------------------------


def _edition_save(edition_date: date, *, source: str, rows: int) -> Edition:
    newer = Edition.objects.filter(date__gt=edition_date).order_by("-date").first()
    if newer is not None:
        raise KatottgFormatError(
            _("уже завантажено новішу редакцію %(newer)s; редакцію %(date)s не завантажено")
            % {"newer": newer.date.isoformat(), "date": edition_date.isoformat()}
        )
    edition, _created = Edition.objects.update_or_create(
        date=edition_date, defaults={"source": source[:255], "rows": rows}
    )
    return edition


def _existing_states() -> dict[str, tuple]:
    """Every stored unit's ``STATE_FIELDS`` by code, foreign keys as codes (one query)."""
    rows = Unit.objects.values_list("code", *STATE_COLUMNS)
    return {code: tuple(state) for code, *state in rows}


def _upsert(units: list[ParsedUnit], edition: Edition) -> None:
    """Inserts new units and overwrites changed ones, parents first."""
    Unit.objects.bulk_create(
        [unit.as_unit(edition) for unit in sorted(units, key=lambda unit: unit.level)],
        batch_size=BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=[*STATE_FIELDS, "last_edition"],
    )


def _retire(codes: set[str]) -> int:
    """Marks units that left the codifier inactive (they are never deleted); returns how many."""
    retired = 0
    for chunk in _chunks(sorted(codes), BATCH_SIZE):
        retired += Unit.objects.filter(code__in=chunk, is_active=True).update(is_active=False)
    return retired


def _stamp_active(edition: Edition) -> None:
    """After the upsert and the retirement the active units are exactly this edition's."""
    Unit.objects.filter(is_active=True).exclude(last_edition=edition).update(last_edition=edition)


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
