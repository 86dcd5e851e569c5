"""The downloadable import templates: CSV (UTF-8 with a BOM, so that Excel opens the
Cyrillic right; ``;``-separated, as Excel saves CSV in Ukraine) and XLSX (the "Особи" sheet
with text-formatted cells, so that leading zeros and long numbers survive, and a "Довідка"
sheet describing every column and its allowed values). Both have the header row and one
example row, which imports cleanly into the hub whose community code it carries."""

import csv
import io
from typing import Any

from django.utils.translation import gettext as _

from . import columns
from .reading import UTF8_BOM, max_bytes

CSV_DELIMITER = ";"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def example_row(community_code: str = "") -> list[str]:
    return [
        community_code if column.key == "community" else str(column.example)
        for column in columns.COLUMNS
    ]


def headers() -> list[str]:
    return [column.header for column in columns.COLUMNS]


def template_csv(community_code: str = "") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(headers())
    writer.writerow(example_row(community_code))
    return UTF8_BOM + buffer.getvalue().encode("utf-8")


def _allowed_values(column: columns.Column) -> str:
    if column.choices is None:
        return ""
    return "\n".join(f"{code} — {label}" for code, label in column.choices())


def _reference_rows() -> list[list[Any]]:
    rows = [[_("Стовпець"), _("Ключ"), _("Обов'язковий"), _("Що вписати"), _("Допустимі значення")]]
    for column in columns.COLUMNS:
        rows.append(
            [
                str(column.title),
                column.key,
                _("так") if column.required else _("ні"),
                str(column.help),
                _allowed_values(column),
            ]
        )
    rows.append([])
    rows.append(
        [
            _("Загальні правила"),
            "",
            "",
            _(
                "Перший рядок — заголовок (назви стовпців як у шаблоні, або лише ключі). Дати: "
                "%(dates)s Значення зі списків — код або назва. Файл до %(mb)s МБ: XLSX або "
                "CSV (UTF-8 чи Windows-1251, роздільник «;» або «,»)."
            )
            % {"dates": columns.DATE_FORMATS_HELP, "mb": _max_megabytes()},
        ]
    )
    return rows


def _max_megabytes() -> int:
    return max_bytes() // (1024 * 1024)


def template_xlsx(community_code: str = "") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    persons = workbook.active
    persons.title = _("Особи")
    persons.append(headers())
    persons.append(example_row(community_code))
    for index, column in enumerate(columns.COLUMNS, start=1):
        letter = persons.cell(row=1, column=index).column_letter
        persons.column_dimensions[letter].width = max(14, len(column.header) + 2)
        persons.cell(row=1, column=index).font = Font(bold=True)
        for row in range(2, 1002):  # text cells: Excel keeps leading zeros and long numbers
            persons.cell(row=row, column=index).number_format = "@"
    persons.freeze_panes = "A2"

    reference = workbook.create_sheet(_("Довідка"))
    for row in _reference_rows():
        reference.append(row)
    for cell in reference[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDE", (32, 24, 14, 60, 60), strict=True):
        reference.column_dimensions[letter].width = width
    for row in reference.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
