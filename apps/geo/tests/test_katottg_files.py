"""Reading КАТОТТГ files: CSV encodings, the ministry's XLSX with title rows, edition dates from
file names, and files that are not КАТОТТГ tables at all."""

import zipfile
from datetime import date

import pytest

from apps.geo.katottg_files import (
    COLUMNS,
    KatottgFormatError,
    edition_date,
    edition_date_from_name,
    read_katottg,
)

from .conftest import SAMPLE


def _as_read(rows):
    """What the reader should return for ``rows``: stripped cells, in SourceRow shape."""
    return [(tuple(cell.strip() for cell in row[:5]), row[5], row[6].strip()) for row in rows]


def _shape(source_rows):
    return [(row.levels, row.category, row.name) for row in source_rows]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
def test_csv_in_each_encoding(write_csv, encoding):
    rows = read_katottg(write_csv(encoding=encoding))

    assert _shape(rows) == _as_read(SAMPLE)
    assert [row.line for row in rows] == list(range(2, 2 + len(SAMPLE)))


def test_csv_columns_found_by_name_whatever_their_order(write_csv):
    order = [6, 5, 0, 1, 2, 3, 4]
    path = write_csv(
        [[row[index] for index in order] for row in SAMPLE],
        header=[COLUMNS[index] for index in order],
    )

    assert _shape(read_katottg(path)) == _as_read(SAMPLE)


def test_xlsx_header_row_is_found_below_the_title_rows(write_xlsx):
    path = write_xlsx(
        title_rows=[
            "Кодифікатор адміністративно-територіальних одиниць",
            "та територій територіальних громад",
        ]
    )

    rows = read_katottg(path)

    assert _shape(rows) == _as_read(SAMPLE)
    assert rows[0].line == 5  # two title rows, an empty row, the header on row 4


def test_blank_lines_are_skipped(write_csv):
    path = write_csv([SAMPLE[0], ("",) * 7, SAMPLE[1]])

    assert [row.line for row in read_katottg(path)] == [2, 4]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("kodifikator-2025-05-16.csv", date(2025, 5, 16)),
        ("kodifikator-16-05-2025.csv", date(2025, 5, 16)),
        ("Kodyfikator_16.05.2025.xlsx", date(2025, 5, 16)),
        ("katottg-2024-01-19-final.xlsx", date(2024, 1, 19)),
        ("kodifikator-2025-13-45.csv", None),
        ("kodifikator.csv", None),
        ("20250516.csv", None),
    ],
)
def test_edition_date_from_file_name(name, expected):
    assert edition_date_from_name(name) == expected


def test_explicit_edition_date_wins_over_the_file_name(tmp_path):
    path = tmp_path / "kodifikator-2025-05-16.csv"

    assert edition_date(path, date(2025, 9, 1)) == date(2025, 9, 1)


def test_no_edition_date_is_a_clear_error(tmp_path):
    with pytest.raises(KatottgFormatError, match="--edition"):
        edition_date(tmp_path / "kodifikator.csv")


def test_missing_column_is_named_with_the_header_line(write_csv):
    header = [column for column in COLUMNS if column != "Категорія об’єкта"]
    path = write_csv([row[:5] + row[6:] for row in SAMPLE], header=header)

    with pytest.raises(KatottgFormatError, match=r"Рядок 1: .*«Категорія об’єкта»"):
        read_katottg(path)


def test_binary_garbage_is_refused_with_its_line(tmp_path):
    path = tmp_path / "kodifikator-2025-05-16.csv"
    path.write_bytes(b"\xff\xfe\x89garbage\n\x01\x02\n\x00\x13\x37" + bytes(range(256)))

    with pytest.raises(KatottgFormatError, match="Рядок 3: двійкові дані"):
        read_katottg(path)


def test_text_without_a_header_row_is_refused(tmp_path):
    path = tmp_path / "kodifikator-2025-05-16.csv"
    path.write_bytes("\n".join(f"рядок {n};без;заголовка" for n in range(40)).encode("cp1251"))

    with pytest.raises(KatottgFormatError, match="у рядках 1–20 немає рядка заголовка"):
        read_katottg(path)


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "kodifikator-2025-05-16.csv"
    path.write_bytes(b"")

    with pytest.raises(KatottgFormatError, match="порожній"):
        read_katottg(path)


def test_zip_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "kodifikator-2025-05-16.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")

    with pytest.raises(KatottgFormatError, match="не книга XLSX"):
        read_katottg(path)


def test_text_in_no_known_encoding_is_refused_with_its_line(tmp_path):
    path = tmp_path / "kodifikator-2025-05-16.csv"
    path.write_bytes(";".join(COLUMNS).encode("cp1251") + b"\r\nUA\x98;;\r\n")

    with pytest.raises(KatottgFormatError, match="Рядок 2: текст не в кодуванні"):
        read_katottg(path)
