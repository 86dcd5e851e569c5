"""Reading КАТОТТГ tables from the files the ministry publishes (and their public copies).

The codifier is one table of seven columns::

    Перший рівень | Другий рівень | Третій рівень | Четвертий рівень | Додатковий рівень
    | Категорія об’єкта | Назва об’єкта

Every row repeats the codes of all its parents in the level columns; the row's own code is the
deepest non-empty one. Kyiv and Sevastopol repeat their own code at levels 1–4 above their city
districts. Codes are ``UA`` + 17 digits (see DOMAIN.md §3).

Two layouts are read:

* **CSV** — ``;``-separated; UTF-8 with or without a BOM, or Windows-1251 (cp1251);
* **XLSX** — the ministry's workbook, which has a few title rows above the header row.

In both the header row is looked for among the first ``HEADER_SEARCH_ROWS`` rows and the columns
are found by name, so their order and any extra columns do not matter. Line numbers in
``SourceRow`` and in errors are the file's own: the CSV line or the spreadsheet row.

This module only reads cells; checking codes and categories is ``apps.geo.services``' job.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import islice
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import load_workbook

LEVEL_COLUMNS = (
    "Перший рівень",
    "Другий рівень",
    "Третій рівень",
    "Четвертий рівень",
    "Додатковий рівень",
)
CATEGORY_COLUMN = "Категорія об’єкта"
NAME_COLUMN = "Назва об’єкта"
COLUMNS = (*LEVEL_COLUMNS, CATEGORY_COLUMN, NAME_COLUMN)

HEADER_SEARCH_ROWS = 20
# A row naming at least this many of the seven columns is taken for the header row.
HEADER_MIN_MATCHES = 3
CSV_DELIMITER = ";"
ZIP_MAGIC = b"PK\x03\x04"

_DATE_IN_NAME = (
    (re.compile(r"(?<!\d)(\d{4})[-_.](\d{2})[-_.](\d{2})(?!\d)"), (1, 2, 3)),
    (re.compile(r"(?<!\d)(\d{2})[-_.](\d{2})[-_.](\d{4})(?!\d)"), (3, 2, 1)),
)


class KatottgFormatError(Exception):
    """The input is not a well-formed КАТОТТГ table; ``line`` points at the offending line."""

    def __init__(self, message: str, *, line: int | None = None):
        self.message = message
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return _("Рядок %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass(frozen=True)
class SourceRow:
    """One data row as read: cells stripped of surrounding spaces, empty cells as ``""``."""

    line: int
    levels: tuple[str, ...]
    category: str
    name: str


def read_katottg(path: Path) -> list[SourceRow]:
    """All data rows of a КАТОТТГ file (CSV or XLSX, told apart by content, not by name)."""
    path = Path(path)
    with path.open("rb") as file:
        is_zip = file.read(len(ZIP_MAGIC)) == ZIP_MAGIC
    lines = _xlsx_lines(path) if is_zip else _csv_lines(path.read_bytes())
    return list(_table_rows(lines))


def edition_date(path: Path, explicit: date | None = None) -> date:
    """The edition date: ``explicit`` if given, else the date in the file name
    (``kodifikator-2025-05-16.csv``, ``kodifikator-16-05-2025.xlsx``, ``16.05.2025``)."""
    if explicit is not None:
        return explicit
    found = edition_date_from_name(Path(path).name)
    if found is None:
        raise KatottgFormatError(
            _(
                "у назві файлу немає дати редакції (РРРР-ММ-ДД або ДД-ММ-РРРР); "
                "вкажіть її параметром --edition РРРР-ММ-ДД"
            )
        )
    return found


def edition_date_from_name(name: str) -> date | None:
    """The first valid date in a file name, or None."""
    for pattern, (year, month, day) in _DATE_IN_NAME:
        for match in pattern.finditer(name):
            try:
                return date(int(match[year]), int(match[month]), int(match[day]))
            except ValueError:
                continue
    return None


# --- reading cells ------------------------------------------------------------------------------


def _csv_lines(data: bytes) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of a ``;``-separated text file."""
    reader = csv.reader(io.StringIO(_decode(data), newline=""), delimiter=CSV_DELIMITER)
    try:
        for cells in reader:
            yield reader.line_num, cells
    except csv.Error as error:
        raise KatottgFormatError(str(error), line=reader.line_num) from error


def _decode(data: bytes) -> str:
    """UTF-8 (BOM or not), else Windows-1251; binary data is refused with its line number."""
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise KatottgFormatError(
            _("двійкові дані замість тексту: це не таблиця КАТОТТГ у CSV чи XLSX"), line=line
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1251")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise KatottgFormatError(
            _("текст не в кодуванні UTF-8 чи Windows-1251"), line=line
        ) from error


def _xlsx_lines(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) of the first worksheet with a header row (else of the first one)."""
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise KatottgFormatError(
            _("файл схожий на ZIP, але це не книга XLSX (%(error)s)") % {"error": error}
        ) from error
    try:
        sheets = workbook.worksheets
        sheet = next((sheet for sheet in sheets if _has_header(_sheet_rows(sheet))), sheets[0])
        yield from _sheet_rows(sheet)
    finally:
        workbook.close()


def _sheet_rows(sheet) -> Iterator[tuple[int, list[str]]]:
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        yield number, ["" if value is None else str(value) for value in values]


# --- finding the header and the columns ---------------------------------------------------------


def _table_rows(lines: Iterable[tuple[int, list[str]]]) -> Iterator[SourceRow]:
    lines = iter(lines)
    positions = _header_positions(lines)
    width = max(positions.values()) + 1
    for number, cells in lines:
        cells = [cell.strip() for cell in cells] + [""] * (width - len(cells))
        if not any(cells):
            continue
        yield SourceRow(
            line=number,
            levels=tuple(cells[positions[column]] for column in LEVEL_COLUMNS),
            category=cells[positions[CATEGORY_COLUMN]],
            name=cells[positions[NAME_COLUMN]],
        )


def _header_positions(lines: Iterator[tuple[int, list[str]]]) -> dict[str, int]:
    """Consumes lines up to the header row and returns each column's index."""
    last = 0
    for number, cells in islice(lines, HEADER_SEARCH_ROWS):
        if _is_header(cells):
            return _positions(number, cells)
        last = number
    if not last:
        raise KatottgFormatError(_("файл порожній: це не таблиця КАТОТТГ"))
    raise KatottgFormatError(
        _("у рядках 1–%(last)s немає рядка заголовка «%(header)s»: це не таблиця КАТОТТГ")
        % {"last": last, "header": " | ".join(COLUMNS)}
    )


def _positions(number: int, cells: list[str]) -> dict[str, int]:
    found = {_normal(cell): index for index, cell in reversed(list(enumerate(cells)))}
    missing = [column for column in COLUMNS if _normal(column) not in found]
    if missing:
        raise KatottgFormatError(
            _("у заголовку бракує стовпців: %(columns)s")
            % {"columns": ", ".join(f"«{column}»" for column in missing)},
            line=number,
        )
    return {column: found[_normal(column)] for column in COLUMNS}


def _has_header(lines: Iterator[tuple[int, list[str]]]) -> bool:
    return any(_is_header(cells) for _, cells in islice(lines, HEADER_SEARCH_ROWS))


def _is_header(cells: list[str]) -> bool:
    names = {_normal(column) for column in COLUMNS}
    return sum(_normal(cell) in names for cell in cells) >= HEADER_MIN_MATCHES


def _normal(text: str) -> str:
    """Header cells compared loosely: case, runs of spaces/line breaks, apostrophe variants."""
    text = " ".join(text.split()).casefold()
    return text.replace("'", "’").replace("ʼ", "’").replace("`", "’")
