"""Real import files for the tests, written with the csv module and openpyxl."""

import csv
import io
from datetime import date

from openpyxl import Workbook

from apps.registry.imports import columns

from .conftest import rnokpp_of

HEADER = [column.header for column in columns.COLUMNS]


def person_row(**values) -> dict:
    """One row by column key: a valid adult by default (no household, no documents)."""
    row = {
        "last_name": "Коваль",
        "first_name": "Олена",
        "patronymic": "Петрівна",
        "birth_date": "02.05.1979",
        "sex": "жіноча",
        "phone": "",
        "categories": "IDP",
    }
    row.update(values)
    return row


def rnokpp(year: int, month: int, day: int, **kwargs) -> str:
    return rnokpp_of(date(year, month, day), **kwargs)


def _table(rows: list[dict], header: list[str] | None = None) -> list[list]:
    keys = [column.key for column in columns.COLUMNS]
    if header is None:
        header = HEADER
    else:
        keys = [columns.key_of(cell) for cell in header]
    return [header, *[[row.get(key, "") if key else "" for key in keys] for row in rows]]


def csv_bytes(
    rows: list[dict],
    *,
    encoding: str = "utf-8",
    delimiter: str = ";",
    header: list[str] | None = None,
) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(_table(rows, header))
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[dict], *, header: list[str] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in _table(rows, header):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
