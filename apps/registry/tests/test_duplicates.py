"""Duplicate search and person search, on the selectors: blocks, ranking, scope."""

from datetime import date

import pytest

from apps.access.actor import actor_for
from apps.registry import selectors

pytestmark = pytest.mark.django_db


def person(register, user, form, **change):
    data = {**form, "phone": "", "documents": [], "patronymic": "", **change}
    return register(user, data, confirm_not_duplicate=True)


def test_first_and_last_name_swapped_is_found(cast, maria, register):
    maria_person = register(cast.registrar_a, maria)

    (match,) = selectors.person_duplicates(
        actor=actor_for(cast.registrar_a),
        last_name="Марія",
        first_name="Шевчук",
        birth_date=date(1985, 3, 14),
    )

    assert match.person == maria_person and match.visible
    assert match.reasons == ["similar_name_same_birth_date"]


def test_a_wrong_birth_day_is_found_through_the_year_and_surname_sound(cast, maria, register):
    maria_person = register(cast.registrar_a, maria)

    (match,) = selectors.person_duplicates(
        actor=actor_for(cast.registrar_a),
        last_name="Шевчук",
        first_name="Марія",
        patronymic="Іванівна",
        birth_date=date(1985, 4, 13),
    )

    assert match.person == maria_person
    assert match.reasons == ["similar_name_same_birth_year"]


def test_strangers_born_the_same_day_are_not_duplicates(cast, maria, register):
    person(register, cast.registrar_a, maria, last_name="Бондаренко", first_name="Олег")

    assert not selectors.person_duplicates(
        actor=actor_for(cast.registrar_a),
        last_name="Шевчук",
        first_name="Марія",
        birth_date=date(1985, 3, 14),
    )


def test_the_same_birth_date_ranks_above_the_same_year(cast, maria, register):
    same_year = person(register, cast.registrar_a, maria, birth_date="1985-11-30")
    same_day = person(register, cast.registrar_a, maria)

    matches = selectors.person_duplicates(
        actor=actor_for(cast.registrar_a),
        last_name="Шевчук",
        first_name="Марія",
        birth_date=date(1985, 3, 14),
    )

    assert [m.person for m in matches] == [same_day, same_year]


def test_a_match_in_another_community_is_not_visible(cast, maria, register):
    register(cast.registrar_a, maria)

    (match,) = selectors.person_duplicates(
        actor=actor_for(cast.registrar_b),
        last_name="Шевчук",
        first_name="Марія",
        birth_date=date(1985, 3, 14),
    )

    assert not match.visible and match.held_by == cast.hub_a.name


def test_merged_persons_are_not_offered(cast, maria, register):
    survivor = register(cast.registrar_a, maria)
    merged = person(register, cast.registrar_a, maria)
    merged.merged_into = survivor
    merged.save(update_fields=["merged_into"])

    matches = selectors.person_search(actor=actor_for(cast.registrar_a), q="Шевчук Марія")

    assert [m.person for m in matches] == [survivor]


def test_search_takes_russian_spelling_and_any_order(cast, maria, register):
    person(register, cast.registrar_a, maria, first_name="Наталія", last_name="Ковальчук")

    (match,) = selectors.person_search(actor=actor_for(cast.registrar_a), q="Наталья Ковальчук")

    assert match.person.first_name == "Наталія"


# --- the search at scale: the name vocabulary and the name block ------------------------------


@pytest.fixture
def crowd(cast, maria, register):
    """Марія Іванівна Шевчук among namesakes and near-namesakes."""
    target = register(cast.registrar_a, maria)
    for last, first, born in (
        ("Шевчук", "Марина", "1985-03-14"),
        ("Шевченко", "Марія", "1990-01-01"),
        ("Шевчик", "Мирослава", "1970-05-05"),
        ("Коваль", "Марія", "1985-03-14"),
    ):
        person(register, cast.registrar_a, maria, last_name=last, first_name=first, birth_date=born)
    return target


@pytest.mark.parametrize(
    "q",
    [
        "Шевчук Марія Іванівна",
        "Марія Шевчук",
        "Mariia Shevchuk",
        "Shevchuk Mariya Ivanovna",
        "Шевчцк Марія",  # a typo in the surname
        "Шевчук Маріа",  # a typo in the given name
        "Мария Шевчук Ивановна",  # Russian spellings, swapped
    ],
)
def test_without_a_birth_date_the_name_block_finds_the_person_first(cast, crowd, q):
    matches = selectors.person_search(actor=actor_for(cast.registrar_a), q=q)

    assert matches[0].person == crowd
    assert matches[0].reasons == ["similar_name"]
    assert all(m.score <= matches[0].score for m in matches)


def test_a_typo_with_the_birth_date_is_found_and_strangers_of_that_day_rank_below(cast, crowd):
    matches = selectors.person_search(
        actor=actor_for(cast.registrar_a), q="Шевчцк Марія", birth_date=date(1985, 3, 14)
    )

    assert matches[0].person == crowd
    assert matches[0].reasons == ["similar_name_same_birth_date"]
    assert "Коваль" not in [m.person.last_name for m in matches]


def test_a_birth_date_narrows_to_its_year(cast, crowd):
    matches = selectors.person_search(
        actor=actor_for(cast.registrar_a), q="Шевченко Марія", birth_date=date(1985, 3, 14)
    )

    assert {m.person.birth_year for m in matches} == {1985}


def test_an_exact_identifier_comes_before_any_name(cast, crowd, maria, register):
    other = person(register, cast.registrar_a, maria, last_name="Бондар", phone="0501234567")

    matches = selectors.person_search(actor=actor_for(cast.registrar_a), q="050 123 45 67")

    assert [m.person for m in matches] == [other]
    assert matches[0].score == 1.0 and matches[0].reasons == ["same_phone"]


def test_the_vocabulary_learns_names_on_registration_and_on_change(cast, maria, register):
    from apps.registry.models import NameKey

    shevchuk = register(cast.registrar_a, maria)
    shevchuk.latin_last = "shevchuk-kovalska"
    shevchuk.save(update_fields=["latin_last"])

    keys = set(NameKey.objects.values_list("part", "key"))
    assert {("last", "shevchuk"), ("first", "maria"), ("last", "shevchuk-kovalska")} <= keys


def test_out_of_scope_name_matches_stay_hidden(cast, crowd):
    matches = selectors.person_search(actor=actor_for(cast.registrar_b), q="Шевчук Марія")

    assert matches and not any(m.visible for m in matches)
    assert {m.held_by for m in matches} == {cast.hub_a.name}
