"""Fixtures for the КАТОТТГ tests: the official edition from ../shared (never copied into the
repository) and writers of small CSV/XLSX tables in the ministry's layout."""

from pathlib import Path

import pytest
from django.conf import settings
from openpyxl import Workbook

from apps.geo.katottg_files import COLUMNS, read_katottg

OFFICIAL_FILE = (
    settings.BASE_DIR.parent / "shared" / "data" / "katottg" / "kodifikator-2025-05-16.csv"
)

# Real rows of the 16.05.2025 edition, Latin category letters and a trailing space as in the
# public copy. In a written file they are lines 2–8 (line 1 is the header).
SAMPLE = (
    ("UA56000000000066151", "", "", "", "", "O", "Рівненська"),
    ("UA56000000000066151", "UA56060000000041446", "", "", "", "P", "Рівненський"),
    (
        "UA56000000000066151",
        "UA56060000000041446",
        "UA56060470000086729",
        "",
        "",
        "H",
        "Рівненська ",
    ),
    (
        "UA56000000000066151",
        "UA56060000000041446",
        "UA56060470000086729",
        "UA56060470010041018",
        "",
        "M",
        "Рівне",
    ),
    (
        "UA56000000000066151",
        "UA56060000000041446",
        "UA56060470000086729",
        "UA56060470020082951",
        "",
        "X",
        "Квасилів",
    ),
    ("UA80000000000093317", "", "", "", "", "K", "Київ"),
    (
        "UA80000000000093317",
        "UA80000000000093317",
        "UA80000000000093317",
        "UA80000000000093317",
        "UA80000000000126643",
        "B",
        "Голосіївський",
    ),
)
RIVNE = "UA56060470010041018"
KVASYLIV = "UA56060470020082951"
KYIV = "UA80000000000093317"
HOLOSIIVSKYI = "UA80000000000126643"


@pytest.fixture(scope="session")
def official_file() -> Path:
    if not OFFICIAL_FILE.is_file():
        pytest.fail(f"The official КАТОТТГ edition is expected at {OFFICIAL_FILE}")
    return OFFICIAL_FILE


@pytest.fixture(scope="session")
def official_rows(official_file):
    """The official edition's rows, read once per test session (no database involved)."""
    return read_katottg(official_file)


@pytest.fixture
def write_csv(tmp_path):
    """``write_csv(rows, name=..., encoding=..., header=...)`` → path of a ``;``-separated file."""

    def write(rows=SAMPLE, *, name="kodifikator-2025-05-16.csv", encoding="utf-8", header=COLUMNS):
        lines = [";".join(header), *(";".join(row) for row in rows)]
        path = tmp_path / name
        path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
        return path

    return write


@pytest.fixture
def write_xlsx(tmp_path):
    """``write_xlsx(rows, title_rows=[...], name=...)`` → path of a workbook laid out like the
    ministry's: title rows, an empty row, the header row, the data."""

    def write(rows=SAMPLE, *, title_rows=(), name="kodifikator-16-05-2025.xlsx"):
        workbook = Workbook()
        sheet = workbook.active
        for title in title_rows:
            sheet.append([title])
        if title_rows:
            sheet.append([])
        sheet.append(list(COLUMNS))
        for row in rows:
            sheet.append([cell or None for cell in row])
        path = tmp_path / name
        workbook.save(path)
        return path

    return write
