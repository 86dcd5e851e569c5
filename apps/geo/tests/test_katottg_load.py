"""``load_katottg`` on small tables: what a row becomes, re-runs, newer and older editions, and
bad rows refused with their line number and nothing written."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.geo.models import Category, Edition, Unit

from .conftest import HOLOSIIVSKYI, KVASYLIV, KYIV, RIVNE, SAMPLE

pytestmark = pytest.mark.django_db


def load(path, *args) -> str:
    out = StringIO()
    call_command("load_katottg", str(path), *args, stdout=out)
    return out.getvalue()


def replaced(rows, index, column, value):
    """``rows`` with one cell changed."""
    row = list(rows[index])
    row[column] = value
    return [*rows[:index], tuple(row), *rows[index + 1 :]]


def test_rows_become_units_with_their_ancestors(write_csv):
    output = load(write_csv())

    assert "створено 7, оновлено 0, позначено нечинними 0, усього в редакції 7" in output
    rivne = Unit.objects.get(code=RIVNE)
    assert (rivne.name, rivne.category, rivne.level) == ("Рівне", Category.CITY, 4)
    assert rivne.parent.code == rivne.hromada.code == "UA56060470000086729"
    assert rivne.raion.code == "UA56060000000041446"
    assert rivne.oblast.code == "UA56000000000066151"
    assert rivne.hromada.name == "Рівненська"  # trailing space stripped
    assert rivne.last_edition == Edition.objects.get(date=date(2025, 5, 16))
    oblast = Unit.objects.get(code="UA56000000000066151")
    assert (oblast.parent, oblast.oblast, oblast.level) == (None, None, 1)


def test_latin_category_letters_become_cyrillic(write_csv):
    load(write_csv())

    assert set(Unit.objects.values_list("category", flat=True)) == {
        "О",
        "Р",
        "Н",
        "М",
        "Х",
        "К",
        "В",
    }


def test_kyiv_districts_hang_under_kyiv(write_csv):
    load(write_csv())

    district = Unit.objects.get(code=HOLOSIIVSKYI)
    assert (district.category, district.level) == (Category.CITY_DISTRICT, 5)
    assert district.parent_id == district.oblast_id == district.raion_id == KYIV
    assert district.hromada_id == KYIV
    assert Unit.objects.get(code=KYIV).parent is None


def test_the_same_edition_twice_changes_nothing(write_csv):
    path = write_csv()
    load(path)
    before = list(Unit.objects.values_list())

    output = load(path)

    assert "створено 0, оновлено 0, позначено нечинними 0, усього в редакції 7" in output
    assert list(Unit.objects.values_list()) == before
    assert Edition.objects.count() == 1


def test_newer_edition_renames_and_retires_and_older_one_is_refused(write_csv):
    load(write_csv())
    newer = replaced([row for row in SAMPLE if row[3] != KVASYLIV], 3, 6, "Рівне-Нове")

    output = load(write_csv(newer, name="kodifikator-2025-09-01.csv"))

    assert "створено 0, оновлено 1, позначено нечинними 1, усього в редакції 6" in output
    assert Unit.objects.get(code=RIVNE).name == "Рівне-Нове"
    retired = Unit.objects.get(code=KVASYLIV)
    assert not retired.is_active
    assert retired.last_edition.date == date(2025, 5, 16)
    assert set(
        Unit.objects.filter(is_active=True).values_list("last_edition__date", flat=True)
    ) == {date(2025, 9, 1)}
    with pytest.raises(CommandError, match="новішу редакцію 2025-09-01"):
        load(write_csv())


def test_a_retired_code_that_returns_is_active_again(write_csv):
    load(write_csv([row for row in SAMPLE if row[3] != KVASYLIV]), "--edition", "2025-01-01")

    output = load(write_csv(SAMPLE[:5], name="kodifikator-2025-02-01.csv"))
    load(write_csv(name="kodifikator-2025-03-01.csv"))

    assert "створено 1, оновлено 0, позначено нечинними 2, усього в редакції 5" in output
    assert Unit.objects.filter(is_active=False).count() == 0


def test_xlsx_and_cp1251_load_like_utf8(write_csv, write_xlsx):
    load(write_xlsx(title_rows=["Кодифікатор"]))
    expected = list(Unit.objects.values_list("code", "name", "category", "parent"))

    output = load(write_csv(encoding="cp1251"))

    assert "створено 0, оновлено 0" in output
    assert list(Unit.objects.values_list("code", "name", "category", "parent")) == expected


def test_edition_date_is_required(write_csv):
    with pytest.raises(CommandError, match="--edition"):
        load(write_csv(name="kodifikator.csv"))


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (replaced(SAMPLE, 2, 5, "Z"), "Рядок 4: невідома категорія «Z»"),
        (replaced(SAMPLE, 1, 1, "UA5606000000004144"), "Рядок 3: хибний код «UA5606000000004144»"),
        (replaced(SAMPLE, 1, 1, "UA56O6000000004144б"), "Рядок 3: хибний код"),
        (replaced(SAMPLE, 3, 5, "H"), "Рядок 5: категорія «Н»"),
        (replaced(SAMPLE, 4, 6, "  "), "Рядок 6: назва"),
        ([*SAMPLE, SAMPLE[3]], "Рядок 9: код UA56060470010041018 уже був у рядку 5"),
        (SAMPLE[1:], "Рядок 2: батьківського коду UA56000000000066151 немає"),
        (replaced(SAMPLE, 3, 2, "UA56060470000000001"), "Рядок 5: батьківського коду UA5606047"),
        (replaced(SAMPLE, 3, 0, "UA80000000000093317"), "Рядок 5: коди вищих рівнів"),
        ([("", "", "", "", "", "O", "Без коду")], "Рядок 2: у рядку немає жодного коду"),
    ],
    ids=[
        "unknown-category",
        "short-code",
        "letters-in-code",
        "category-on-wrong-level",
        "empty-name",
        "duplicate-code",
        "missing-parent",
        "unknown-hromada",
        "ancestors-disagree",
        "no-code",
    ],
)
def test_bad_rows_are_refused_with_their_line_and_nothing_is_written(write_csv, rows, message):
    with pytest.raises(CommandError, match=message):
        load(write_csv(rows))

    assert Unit.objects.count() == 0
    assert Edition.objects.count() == 0


def test_a_bad_newer_edition_leaves_the_loaded_one_untouched(write_csv):
    load(write_csv())
    before = list(Unit.objects.values_list())

    with pytest.raises(CommandError, match="Рядок 8: невідома категорія"):
        load(write_csv(replaced(SAMPLE, 6, 5, "Q"), name="kodifikator-2025-09-01.csv"))

    assert list(Unit.objects.values_list()) == before
    assert list(Edition.objects.values_list("date", flat=True)) == [date(2025, 5, 16)]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "Рядок 3: двійкові дані"),
        ("Перший рівень;Назва об’єкта;Категорія об’єкта\n".encode(), "Рядок 1: у заголовку бракує"),
        ("якийсь;інший;файл\n1;2;3\n".encode(), "у рядках 1–2 немає рядка заголовка"),
    ],
    ids=["binary", "missing-columns", "no-header"],
)
def test_files_that_are_not_katottg_tables_are_refused(tmp_path, content, message):
    path = tmp_path / "kodifikator-2025-05-16.csv"
    path.write_bytes(content)

    with pytest.raises(CommandError, match=message) as error:
        load(path)

    assert str(path) in str(error.value)
    assert Unit.objects.count() == Edition.objects.count() == 0


def test_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="не вдається прочитати файл"):
        load(tmp_path / "kodifikator-2025-05-16.csv")
