"""Editing a person at the version one read: fields checked like at registration, Latin names and
search keys kept in step, conflicts reported field by field, nothing half-saved."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from apps.access.actor import actor_for
from apps.api.tests.helpers import error_of
from apps.audit.models import Action, AuditEvent
from apps.geo.models import Category as UnitCategory
from apps.geo.tests.factories import UnitFactory
from apps.registry import services
from apps.registry.models import Person

from .conftest import json_call

pytestmark = pytest.mark.django_db

RIVNE_CITY = "UA56060470010041018"


def url(person) -> str:
    return f"/api/v1/persons/{person.pk}"


def patch(client, person, **data):
    return json_call(client, "PATCH", url(person), data)


def updates(person):
    return AuditEvent.objects.filter(event="registry.person.updated", object_id=str(person.pk))


@pytest.fixture
def rivne_city(cast):
    return UnitFactory(
        code=RIVNE_CITY, name="Рівне", category=UnitCategory.CITY, level=4, parent=cast.community_a
    )


def test_an_edit_saves_every_field_recomputes_keys_and_audits_the_names(
    signed_in, cast, maria_person, rivne_city
):
    response = patch(
        signed_in(cast.specialist_a),
        maria_person,
        version=1,
        last_name="Коваленко",
        birth_date="1985-03-15",
        email="maria@example.org",
        preferred_language="crh",
        current_unit=RIVNE_CITY,
        current_address="вул. Соборна, 1, кв. 2",
        origin_unit=cast.community_b.code,
        phones=["+380 50 111 22 33", "067 123 45 67"],
        categories=[{"code": "IDP", "valid_from": "2024-03-01"}, "UBD"],
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == 2 and body["last_name_latin"] == "Kovalenko"
    assert body["current_unit"] == RIVNE_CITY and body["current_address"].startswith("вул.")
    assert [p["number"] for p in body["phones"]] == ["+380501112233", "+380671234567"]
    assert body["phones"][0]["is_primary"] and not body["phones"][1]["is_primary"]
    assert {(c["code"], c["valid_from"]) for c in body["category_periods"]} == {
        ("IDP", "2024-03-01"),
        ("UBD", None),
    }
    person = Person.objects.get(pk=maria_person.pk)
    assert (person.key_last, person.latin_last, person.birth_year) == (
        "коваленко",
        "kovalenko",
        1985,
    )
    assert person.surname_sound != maria_person.surname_sound
    (event,) = updates(person)
    assert event.actor == cast.specialist_a and event.action == Action.UPDATE
    assert event.changed_fields == sorted(
        [
            "last_name",
            "last_name_latin",
            "birth_date",
            "email",
            "preferred_language",
            "current_unit",
            "current_address",
            "origin_unit",
            "phones",
            "categories",
        ]
    )
    assert "Коваленко" not in str(event.changed_fields)


def test_the_new_name_is_found_by_search(signed_in, cast, maria_person):
    client = signed_in(cast.registrar_a)
    patch(client, maria_person, version=1, last_name="Коваленко")

    results = client.get("/api/v1/persons/search", {"q": "Kovalenko Mariia"}).json()["results"]

    assert results[0]["id"] == str(maria_person.pk)


def test_a_passport_spelling_stays_until_the_national_one_is_asked_for(
    signed_in, cast, maria_person
):
    client = signed_in(cast.registrar_a)

    edited = patch(client, maria_person, version=1, last_name_latin="Shevchouk").json()
    renamed = patch(client, maria_person, version=2, first_name="Марина").json()
    national = patch(client, maria_person, version=3, latin_edited=False).json()

    assert (edited["last_name_latin"], edited["latin_edited"]) == ("Shevchouk", True)
    assert (renamed["last_name_latin"], renamed["first_name_latin"]) == ("Shevchouk", "Mariia")
    assert (national["last_name_latin"], national["first_name_latin"]) == ("Shevchuk", "Maryna")
    assert national["latin_edited"] is False


def test_a_stale_version_names_only_the_fields_both_changed_and_writes_nothing(
    signed_in, client, cast, maria_person
):
    first = patch(signed_in(cast.specialist_a), maria_person, version=1, last_name="Коваленко")
    assert first.status_code == 200

    late = patch(
        signed_in(cast.registrar_a),
        maria_person,
        version=1,
        last_name="Бондар",
        email="late@example.org",
    )

    error = error_of(late, 409, "edit_conflict")
    assert error["details"] == [
        {"field": "last_name", "yours": "Бондар", "theirs": "Коваленко"},
    ]
    assert late.json()["version"] == 2
    person = Person.objects.get(pk=maria_person.pk)
    assert (person.last_name, person.email, person.version) == ("Коваленко", "", 2)
    assert updates(person).count() == 1


def test_a_conflict_reports_lists_and_dates_as_json(signed_in, cast, maria_person):
    patch(signed_in(cast.specialist_a), maria_person, version=1, phones=["+380501112233"])

    late = patch(signed_in(cast.registrar_a), maria_person, version=1, phones=[])

    assert error_of(late, 409, "edit_conflict")["details"] == [
        {"field": "phones", "yours": [], "theirs": ["+380501112233"]}
    ]


def test_no_change_writes_nothing(signed_in, cast, maria_person):
    response = patch(signed_in(cast.registrar_a), maria_person, version=1, last_name="Шевчук")

    assert response.status_code == 200 and response.json()["changed"] == []
    assert Person.objects.get(pk=maria_person.pk).version == 1
    assert not updates(maria_person).exists()


def test_a_birth_date_the_rnokpp_contradicts_comes_back_as_a_warning(signed_in, cast, maria_person):
    response = patch(signed_in(cast.registrar_a), maria_person, version=1, birth_date="1985-03-20")

    assert response.status_code == 200
    assert [w["code"] for w in response.json()["warnings"]] == ["rnokpp_birth_date_mismatch"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"last_name": ""}, "last_name"),
        ({"last_name": "Ш" * 151}, "last_name"),
        ({"last_name_latin": "Шевчук"}, "last_name_latin"),
        ({"birth_date": (timezone.localdate() + timedelta(days=1)).isoformat()}, "birth_date"),
        ({"sex": "x"}, "sex"),
        ({"email": "not-an-address"}, "email"),
        ({"preferred_language": "xx"}, "preferred_language"),
        ({"current_unit": "UA56000000000066151"}, "current_unit"),  # an oblast
        ({"origin_unit": "UA00000000000000000"}, "origin_unit"),
        ({"phones": ["+380671234567", "не телефон"]}, "phones[1]"),
        ({"categories": [{"code": "NOPE"}]}, "categories[0].code"),
        (
            {"categories": [{"code": "IDP", "valid_from": "2024-02-01", "valid_to": "2024-01-01"}]},
            "categories[0].valid_to",
        ),
        ({"nickname": "Маша"}, "nickname"),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_changes(
    signed_in, cast, maria_person, change, field
):
    response = patch(signed_in(cast.registrar_a), maria_person, version=1, **change)

    error = error_of(response, 422, "validation_error")
    (detail,) = [d for d in error["details"] if d["field"] == field]
    assert detail["message"]
    person = Person.objects.get(pk=maria_person.pk)
    assert person.version == 1 and person.last_name == "Шевчук"
    assert [p.number for p in person.phones.all()] == ["+380671234567"]
    assert not updates(person).exists()


def test_messages_are_in_the_users_language(signed_in, cast, maria_person):
    client = signed_in(cast.registrar_a)

    uk = patch(client, maria_person, version=1, sex="x").json()["error"]["details"][0]["message"]
    client.cookies["django_language"] = "en"
    en = patch(client, maria_person, version=1, sex="x").json()["error"]["details"][0]["message"]

    assert uk == "Стать: оберіть жіночу або чоловічу."
    assert en != uk


def test_another_communitys_person_cannot_be_edited(signed_in, cast, maria_person):
    response = patch(signed_in(cast.registrar_b), maria_person, version=1, last_name="Злам")

    error_of(response, 404, "not_found")
    assert Person.objects.get(pk=maria_person.pk).last_name == "Шевчук"
    assert AuditEvent.objects.filter(
        action=Action.PERMISSION_DENIED, actor=cast.registrar_b, object_id=str(maria_person.pk)
    ).exists()


@pytest.mark.parametrize("who", ["partner_staff_a", "analyst_a"])
def test_roles_that_do_not_write_persons_cannot_edit(signed_in, cast, maria_person, who):
    response = patch(signed_in(getattr(cast, who)), maria_person, version=1, last_name="Злам")

    assert response.status_code in {403, 404}
    assert Person.objects.get(pk=maria_person.pk).last_name == "Шевчук"


def test_two_editors_of_one_version_one_wins_in_the_service(cast, maria_person):
    a, b = actor_for(cast.registrar_a), actor_for(cast.specialist_a)

    services.person_update(actor=a, person_id=maria_person.pk, version=1, changes={"sex": "male"})
    with pytest.raises(services.EditConflict) as conflict:
        services.person_update(
            actor=b, person_id=maria_person.pk, version=1, changes={"sex": "female"}
        )

    assert conflict.value.version == 2
    assert conflict.value.conflicts == [{"field": "sex", "yours": "female", "theirs": "male"}]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers: no race to run"
)
def test_two_editors_at_the_same_moment_cannot_both_win(cast, maria_person):
    actors = [actor_for(cast.registrar_a), actor_for(cast.specialist_a)]
    barrier, outcomes = threading.Barrier(2), []

    def edit(actor, name):
        try:
            barrier.wait()
            services.person_update(
                actor=actor, person_id=maria_person.pk, version=1, changes={"last_name": name}
            )
            outcomes.append("won")
        except services.EditConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=edit, args=(actor, name))
        for actor, name in zip(actors, ("Бондар", "Коваленко"), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["conflict", "won"]
    assert Person.objects.get(pk=maria_person.pk).version == 2
    assert updates(maria_person).count() == 1


def test_a_category_period_keeps_who_verified_it(cast, maria_person):
    category = maria_person.categories.get()
    category.verified_by = cast.coordinator_a
    category.save()

    services.person_update(
        actor=actor_for(cast.registrar_a),
        person_id=maria_person.pk,
        version=1,
        changes={"categories": ["IDP", {"code": "UBD", "valid_to": date(2030, 1, 1)}]},
    )

    kept = maria_person.categories.get(code="IDP")
    assert kept.pk == category.pk and kept.verified_by == cast.coordinator_a
    assert maria_person.categories.count() == 2
