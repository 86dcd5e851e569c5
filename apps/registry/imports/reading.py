"""Reading an import file, without the database: what it is, whether it can be read, and its
rows as ``{column key: value}`` with the line the user sees (the header is line 1).

- **Format by content**, not by name: a ZIP container is XLSX (the first worksheet is read,
  through openpyxl's read-only mode), an OLE2 container (old XLS, or any password-protected
  Office file) is refused, and anything else must be CSV text.
- **CSV encoding**: a UTF-8 BOM means UTF-8; else strict UTF-8; else cp1251 (what Excel writes
  for "CSV" on a Ukrainian Windows); else the file is refused. NUL bytes or other control
  characters mean a binary file, whatever its name. UTF-16 (Excel's "Unicode text") is refused
  with a hint rather than guessed at.
- **CSV delimiter**: ``;`` or ``,``, whichever the header line has more of (Excel writes ``;``
  where the decimal separator is a comma, as in Ukraine).
- **Lines**: a CSV record's line is the physical line it starts on; an XLSX row's is its row
  number. Empty rows are skipped (their lines still count).
- The whole CSV is parsed before the job is queued (so a broken quote is refused at once, with
  its line, and the row count is known); an XLSX's rows are counted by the worker.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import columns
from .models import ImportFormat, in_every_language

XLSX_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
DEFAULT_MAX_ROWS = 50_000
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


class FileProblem(Exception):
    """A file that cannot be imported: ``code`` for programs, ``message`` for people. Params
    may hold lazy translations and lists of them, rendered in the active language."""

    def __init__(self, code: str, template: Any, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.template = template
        self.params = params

    @property
    def message(self) -> str:
        rendered = {
            key: ", ".join(f"«{item}»" for item in value)
            if isinstance(value, list | tuple)
            else str(value)
            for key, value in self.params.items()
        }
        return str(self.template) % rendered if rendered else str(self.template)

    def messages(self) -> dict[str, str]:
        """The message in every language of the site."""
        return in_every_language(lambda: self.message)


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, Any]


@dataclass
class Layout:
    format: str
    encoding: str = ""
    delimiter: str = ""
    keys: tuple[str | None, ...] = ()
    ignored: list[str] = field(default_factory=list)
    rows: int | None = None  # known before the job runs for CSV only


def max_bytes() -> int:
    """The largest file accepted (``IMPORT_MAX_BYTES``)."""
    return getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def too_large_message() -> str:
    megabytes = max_bytes() // (1024 * 1024)
    return str(_("Файл завеликий: можна завантажити не більше %(mb)s МБ.") % {"mb": megabytes})


def max_rows() -> int:
    return getattr(settings, "IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


# --- the header -------------------------------------------------------------------------------


def _header_keys(cells: list[Any]) -> tuple[tuple[str | None, ...], list[str]]:
    keys: list[str | None] = []
    ignored: list[str] = []
    for cell in cells:
        key = columns.key_of(cell)
        if key is not None and key in keys:
            raise FileProblem(
                "repeated_column",
                _("Стовпець %(column)s у заголовку повторюється: залиште один."),
                column=[columns.BY_KEY[key].title],
            )
        keys.append(key)
        text = "" if cell is None else str(cell).strip()
        if key is None and text:
            ignored.append(text)
    missing = [columns.BY_KEY[k].title for k in columns.REQUIRED_KEYS if k not in keys]
    if missing:
        raise FileProblem(
            "missing_columns",
            _(
                "У першому рядку файлу бракує обов'язкових стовпців: %(columns)s. Візьміть "
                "заголовок із шаблону."
            ),
            columns=missing,
        )
    return tuple(keys), ignored


def _values(keys: tuple[str | None, ...], cells: Any) -> dict[str, Any]:
    return {key: cell for key, cell in zip(keys, cells, strict=False) if key is not None}


def _is_empty(cells: Any) -> bool:
    return all(cell is None or str(cell).strip() == "" for cell in cells)


# --- CSV --------------------------------------------------------------------------------------


def _decode(content: bytes) -> tuple[str, str]:
    if content.startswith(UTF16_BOMS):
        raise FileProblem(
            "utf16",
            _(
                "Файл у кодуванні UTF-16 («Текст Юнікод»). Збережіть його як «CSV UTF-8» "
                "або як XLSX."
            ),
        )
    if b"\x00" in content:
        raise FileProblem("binary", _("Це не текстовий CSV-файл: він містить двійкові дані."))
    candidates = ("utf-8-sig",) if content.startswith(UTF8_BOM) else ("utf-8", "cp1251")
    for encoding in candidates:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _CONTROL.search(text):
            raise FileProblem("binary", _("Це не текстовий CSV-файл: він містить двійкові дані."))
        return text, encoding
    raise FileProblem(
        "encoding",
        _("Не вдалося прочитати текст файлу: збережіть його як CSV у кодуванні UTF-8."),
    )


def _delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _csv_records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    while True:
        line = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise FileProblem(
                "csv_malformed",
                _(
                    "Рядок %(line)s: файл CSV пошкоджено (незакриті лапки або задовге поле). "
                    "Перевірте цей рядок."
                ),
                line=line,
            ) from None
        yield line, record


def _inspect_csv(content: bytes) -> Layout:
    text, encoding = _decode(content)
    delimiter = _delimiter(text)
    records = _csv_records(text, delimiter)
    _line, header = next(records, (1, []))
    keys, ignored = _header_keys(header)
    count = sum(1 for _line, record in records if not _is_empty(record))
    layout = Layout(ImportFormat.CSV, encoding, delimiter, keys, ignored, rows=count)
    _check_count(count)
    return layout


def _csv_rows(content: bytes, layout: Layout) -> Iterator[Row]:
    text, _encoding = _decode(content)
    records = _csv_records(text, layout.delimiter)
    next(records, None)
    for line, record in records:
        if not _is_empty(record):
            yield Row(line, {k: v.strip() for k, v in _values(layout.keys, record).items()})


# --- XLSX -------------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return str(value)
    return str(value).strip()


def _open_xlsx(content: bytes):
    import openpyxl  # imported when needed: the page and the API start faster
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        if not workbook.worksheets:
            raise KeyError("no worksheet")
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise FileProblem(
            "xlsx_invalid",
            _("Файл XLSX пошкоджено або це не XLSX. Відкрийте його в Excel і збережіть знову."),
        ) from None
    return workbook


def _xlsx_records(content: bytes) -> Iterator[tuple[int, tuple]]:
    workbook = _open_xlsx(content)
    try:
        yield from enumerate(workbook.worksheets[0].iter_rows(values_only=True), 1)
    finally:
        workbook.close()


def _inspect_xlsx(content: bytes) -> Layout:
    records = _xlsx_records(content)
    _line, header = next(records, (1, ()))
    keys, ignored = _header_keys(list(header))
    has_rows = any(not _is_empty(cells) for _line, cells in records)
    records.close()
    if not has_rows:
        _check_count(0)
    return Layout(ImportFormat.XLSX, keys=keys, ignored=ignored)


def _xlsx_rows(content: bytes, layout: Layout) -> Iterator[Row]:
    records = _xlsx_records(content)
    next(records, None)
    for line, cells in records:
        if not _is_empty(cells):
            yield Row(line, {k: _cell(v) for k, v in _values(layout.keys, cells).items()})


# --- the entry points -------------------------------------------------------------------------


def _check_count(count: int) -> None:
    if count == 0:
        raise FileProblem("no_rows", _("У файлі немає жодного рядка з даними під заголовком."))
    if count > max_rows():
        raise FileProblem(
            "too_many_rows",
            _("У файлі %(rows)s рядків, а за один раз можна імпортувати не більше %(max)s."),
            rows=count,
            max=max_rows(),
        )


def inspect(content: bytes) -> Layout:
    """What the file is and how to read it; ``FileProblem`` when it cannot be imported: empty,
    binary, old XLS, undecodable, without the required columns or without rows."""
    if not content.strip():
        raise FileProblem("empty", _("Файл порожній."))
    if content.startswith(OLE2_MAGIC):
        raise FileProblem(
            "xls",
            _(
                "Це файл старого формату XLS або захищений паролем: збережіть його як XLSX "
                "або CSV без пароля."
            ),
        )
    if content.startswith(XLSX_MAGIC):
        return _inspect_xlsx(content)
    return _inspect_csv(content)


def read(content: bytes) -> tuple[Layout, list[Row]]:
    """The layout and every non-empty row (``FileProblem`` as ``inspect``, and for too many
    rows in an XLSX)."""
    layout = inspect(content)
    if layout.format == ImportFormat.XLSX:
        rows = list(_xlsx_rows(content, layout))
        _check_count(len(rows))
    else:
        rows = list(_csv_rows(content, layout))
    return layout, rows
