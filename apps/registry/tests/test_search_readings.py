"""Names typed in Latin that the national table reads otherwise, and typos on a letter the
table writes with several Latin letters: the person is still found, and first.

Each test puts the person among near-namesakes that a plain comparison of the Latin keys
prefers (the dense tail of real and synthetic surnames: Вадко, Валко, Вамко… beside Вахко)."""

import pytest

from apps.access.actor import actor_for
from apps.registry import selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def add(cast, register):
    """``add(last, first, patronymic)`` → a person of community A born 1980-02-02."""

    def make(last_name, first_name, patronymic, sex="male"):
        data = {
            "last_name": last_name,
            "first_name": first_name,
            "patronymic": patronymic,
            "birth_date": "1980-02-02",
            "sex": sex,
            "community": cast.community_a.code,
        }
        return register(cast.registrar_a, data, confirm_not_duplicate=True)

    return make


def search(cast, q):
    return [m.person for m in selectors.person_search(actor=actor_for(cast.registrar_a), q=q)]


def test_an_h_typed_for_kh_finds_the_kh_surname_among_near_namesakes(cast, add):
    """ "Vahko" is Вагко by the national table, but Вахко by Czech or German habit."""
    target = add("Вахко", "Іван", "Петрович")
    for surname in [
        "Вадко",
        "Валко",
        "Вамко",
        "Вапко",
        "Варко",
        "Васко",
        "Ватко",
        "Вабко",
        "Ванко",
        "Вазко",
        "Вафко",
    ]:
        add(surname, "Іван", "Петрович")

    found = search(cast, "Vahko Ivan Petrovych")

    assert found[0] == target


def test_an_h_typed_for_kh_still_finds_the_h_reading_too(cast, add):
    vakhko = add("Вахко", "Іван", "Петрович")
    vahko = add("Вагко", "Іван", "Петрович")
    add("Вадко", "Іван", "Петрович")

    found = search(cast, "Ivan Vahko")

    assert set(found[:2]) == {vakhko, vahko}


def test_a_c_typed_for_ts_finds_the_ts_surname_among_near_namesakes(cast, add):
    """Soviet-era and Russian-style spellings write ц as c: Цасишина as Casishina."""
    target = add("Цасишина", "Олена", "Богданівна", sex="female")
    starts = [
        "Ба",
        "Ва",
        "Га",
        "Да",
        "Ка",
        "Ла",
        "Ма",
        "На",
        "Па",
        "Ра",
        "Са",
        "Та",
        "Ха",
        "Ша",
        "Жа",
        "За",
        "Ча",
    ]
    for start in starts:
        add(start + "сишина", "Олена", "Богданівна", sex="female")

    found = search(cast, "Casishina Olena Bogdanivna")

    assert found[0] == target


@pytest.mark.parametrize(
    ("surname", "typed"),
    [
        ("Сащук", "Саук"),  # щ dropped: sashchuk against sauk
        ("Ющик", "Юик"),  # iushchik against iuik
        ("Пищук", "Пиук"),  # pishchuk against piuk
    ],
)
def test_a_typo_on_a_letter_of_several_latin_letters_is_one_typo(cast, add, surname, typed):
    target = add(surname, "Олена", "Петрівна", sex="female")
    add("Коваль", "Олена", "Петрівна", sex="female")

    found = search(cast, f"{typed} Олена Петрівна")

    assert found[0] == target


def test_a_typo_on_a_long_latin_group_ranks_above_surnames_only_latin_keys_find_close(cast, add):
    """Сащук typed Саук: one letter off in Cyrillic. Саукенко shares more Latin letters with
    "sauk" than "sashchuk" does, but it is four Cyrillic letters away."""
    target = add("Сащук", "Олена", "Петрівна", sex="female")
    for surname in ("Саукенко", "Саукович", "Саукевич", "Сауляк"):
        add(surname, "Олена", "Петрівна", sex="female")

    found = search(cast, "Саук Олена Петрівна")

    assert found[0] == target


def test_a_typo_in_a_surname_with_dozens_of_closer_neighbours_is_found(cast, add):
    """Нидук typed Ничук: "nichuk" is one letter from Нічук, Нимчук, Нитчук… (sixteen of them
    here, each of someone else) and two from "niduk"; the given name and patronymic, typed
    exactly, pick Нидук out of the wider neighbourhood."""
    target = add("Нидук", "Сергій", "Костянтинович")
    for middle in [
        "б",
        "в",
        "г",
        "д",
        "л",
        "м",
        "н",
        "р",
        "с",
        "т",
        "х",
        "ш",
        "ч",
        "щ",
        "ль",
        "рк",
        "ст",
    ]:
        add(f"Ни{middle}чук", "Олег", "Петрович")

    found = search(cast, "Ничук Сергій Костянтинович")

    assert found[0] == target


def test_a_short_given_name_with_two_letters_swapped_is_found(cast, add):
    """ "Оелг" shares no trigram with "Олег" (oelg/oleg): on PostgreSQL, whose vocabulary step
    starts from trigrams, the given names are then compared whole (SQLite always does)."""
    target = add("Бачан", "Олег", "Андрійович")
    add("Бачан", "Ольга", "Андріївна", sex="female")

    found = search(cast, "Оелг Бачан Андрійович")

    assert found[0] == target
