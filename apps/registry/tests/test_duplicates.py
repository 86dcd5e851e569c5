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
