"""Registering, finding and reading persons through the API, with the access policy and the
audit trail."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from apps.audit.models import Action, AuditEvent
from apps.registry.models import Document, Person

from .conftest import rnokpp_of

pytestmark = pytest.mark.django_db

URL = "/api/v1/persons"
_VALID = rnokpp_of(date(1985, 3, 14))
BAD_CHECKSUM = _VALID[:9] + str((int(_VALID[9]) + 1) % 10)


def post(client, data, **extra):
    return client.post(URL, data={**data, **extra}, content_type="application/json")


def fields_of(response) -> set[str]:
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    return {d["field"] for d in error["details"]}


def test_registration_computes_keys_and_latin_and_audits_field_names(signed_in, cast, maria):
    response = post(signed_in(cast.registrar_a), maria)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["warnings"] == []
    person = Person.objects.get(pk=body["id"])
    assert (person.last_name_latin, person.first_name_latin) == ("Shevchuk", "Mariia")
    assert (person.latin_last, person.latin_first) == ("shevchuk", "maria")
    assert person.key_last == "шевчук" and person.surname_sound and person.birth_year == 1985
    assert person.community == cast.community_a and person.organisation == cast.hub_a
    assert person.created_by == cast.registrar_a
    assert [p.number for p in person.phones.all()] == ["+380671234567"]
    assert [c.code for c in person.categories.all()] == ["IDP"]
    (event,) = AuditEvent.objects.filter(event="registry.person.created")
    assert event.action == Action.CREATE and event.object_id == str(person.pk)
    assert event.community_id == cast.community_a.code and event.organisation_id == cast.hub_a.pk
    assert "documents" in event.changed_fields and "phone" in event.changed_fields
    assert "Шевчук" not in str(event.changed_fields) and "+380" not in str(event.changed_fields)


def test_a_document_warning_does_not_block(signed_in, cast, maria):
    maria["documents"] = [{"type": "rnokpp", "number": rnokpp_of(date(1984, 1, 2))}]

    response = post(signed_in(cast.registrar_a), maria)

    assert response.status_code == 201, response.content
    assert response.json()["warnings"][0]["code"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"documents": [{"type": "rnokpp", "number": BAD_CHECKSUM}]}, "documents[0].number"),
        ({"birth_date": (timezone.localdate() + timedelta(days=1)).isoformat()}, "birth_date"),
        ({"birth_date": "1899-12-31"}, "birth_date"),
        ({"phone": "не телефон"}, "phone"),
        ({"phone": "+380 00 000"}, "phone"),
        ({"community": "UA99999999999999999"}, "community"),
        ({"community": "UA56000000000066151"}, "community"),  # an oblast, not a hromada
        ({"last_name": " "}, "last_name"),
        ({"sex": "other"}, "sex"),
        ({"categories": ["IDP", "NOPE"]}, "categories[1]"),
        ({"documents": [{"type": "card", "number": "1"}]}, "documents[0].type"),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_saved(signed_in, cast, maria, change, field):
    response = post(signed_in(cast.registrar_a), {**maria, **change})

    assert field in fields_of(response)
    assert not Person.objects.exists() and not Document.objects.exists()
    assert not AuditEvent.objects.filter(event="registry.person.created").exists()


def test_every_problem_is_reported_at_once(signed_in, cast, maria):
    bad = {**maria, "first_name": "", "phone": "x", "community": "UA0", "sex": ""}

    assert fields_of(post(signed_in(cast.registrar_a), bad)) >= {
        "first_name",
        "phone",
        "community",
        "sex",
    }


def test_a_latin_spelling_of_a_registered_person_is_a_suspected_duplicate(
    signed_in, cast, maria, register
):
    first = register(cast.registrar_a, maria)
    client = signed_in(cast.registrar_a)
    latin = {
        **maria,
        "last_name": "Shevchuk",
        "first_name": "Mariia",
        "patronymic": "",
        "phone": "",
        "documents": [],
    }

    response = post(client, latin)

    assert response.status_code == 409, response.content
    body = response.json()
    assert body["error"]["code"] == "duplicate_suspected" and body["error"]["message"]
    assert body["error"]["request_id"] == response["X-Request-ID"]
    (duplicate,) = body["duplicates"]
    assert duplicate["id"] == str(first.pk)
    assert duplicate["reasons"] == ["similar_name_same_birth_date"]
    assert duplicate["held_by"] == cast.hub_a.name
    assert Person.objects.count() == 1

    confirmed = post(client, latin, confirm_not_duplicate=True)

    assert confirmed.status_code == 201, confirmed.content
    assert Person.objects.count() == 2


def test_a_person_held_elsewhere_is_reported_without_details(signed_in, cast, maria, register):
    register(cast.registrar_a, maria)
    in_b = {
        **maria,
        "last_name": "Коваленко",
        "first_name": "Олена",
        "patronymic": "",
        "birth_date": "1990-06-01",
        "phone": "",
        "community": cast.community_b.code,
    }

    response = post(signed_in(cast.registrar_b), in_b, confirm_not_duplicate=True)

    assert response.status_code == 409, response.content
    (duplicate,) = response.json()["duplicates"]
    assert duplicate.pop("transfer_ref")  # to ask the holding hub, see test_transfers
    assert duplicate == {
        "id": None,
        "score": 1.0,
        "reasons": ["same_rnokpp"],
        "held_by": cast.hub_a.name,
    }
    assert "Шевчук" not in response.content.decode()
    assert Person.objects.count() == 1


def test_same_phone_is_a_suspected_duplicate(signed_in, cast, maria, register):
    register(cast.registrar_a, maria)
    other = {**maria, "last_name": "Бондар", "first_name": "Петро", "sex": "male"}
    other |= {"patronymic": "", "birth_date": "1970-01-01", "documents": []}

    response = post(signed_in(cast.registrar_a), other)

    assert response.status_code == 409
    assert response.json()["duplicates"][0]["reasons"] == ["same_phone"]


def test_registering_outside_ones_community_is_refused(signed_in, cast, maria):
    response = post(signed_in(cast.registrar_b), maria)

    assert response.status_code == 403
    assert not Person.objects.exists()
    assert AuditEvent.objects.filter(
        action=Action.PERMISSION_DENIED, actor=cast.registrar_b
    ).exists()


@pytest.mark.parametrize("who", ["partner_staff_a", "analyst_a"])
def test_roles_without_the_permission_cannot_register(signed_in, cast, maria, who):
    assert post(signed_in(getattr(cast, who)), maria).status_code == 403
    assert not Person.objects.exists()


# --- search -----------------------------------------------------------------------------------


def test_search_in_latin_finds_the_cyrillic_person_first(signed_in, cast, maria, register):
    maria_person = register(cast.registrar_a, maria)
    register(
        cast.registrar_a,
        {**maria, "first_name": "Марина", "birth_date": "1985-07-01", "phone": "", "documents": []},
        confirm_not_duplicate=True,
    )
    client = signed_in(cast.registrar_a)

    results = client.get(f"{URL}/search", {"q": "Mariia Shevchuk"}).json()["results"]

    assert results[0]["id"] == str(maria_person.pk)
    assert results[0]["last_name"] == "Шевчук" and results[0]["birth_year"] == 1985
    with_date = client.get(f"{URL}/search", {"q": "Шевчук Марія", "birth_date": "1985-03-14"})
    assert with_date.json()["results"][0]["id"] == str(maria_person.pk)


def test_search_by_phone_and_by_document(signed_in, cast, maria, register):
    person = register(cast.registrar_a, maria)
    client = signed_in(cast.registrar_a)

    by_phone = client.get(f"{URL}/search", {"q": "+380 67 123 45 67"}).json()["results"]
    by_rnokpp = client.get(f"{URL}/search", {"q": maria["documents"][0]["number"]}).json()

    assert by_phone[0]["id"] == str(person.pk) and by_phone[0]["reasons"] == ["same_phone"]
    assert by_rnokpp["results"][0]["reasons"] == ["same_rnokpp"]


def test_search_outside_ones_scope_says_only_who_holds_the_person(signed_in, cast, maria, register):
    register(cast.registrar_a, maria)

    response = signed_in(cast.registrar_b).get(
        f"{URL}/search", {"q": "Шевчук Марія", "birth_date": "1985-03-14"}
    )

    (result,) = response.json()["results"]
    assert result["id"] is None and result["last_name"] is None and result["birth_year"] is None
    assert result["held_by"] == cast.hub_a.name
    assert "Шевчук" not in response.content.decode()


def test_partner_cannot_search(signed_in, cast):
    assert signed_in(cast.partner_staff_a).get(f"{URL}/search", {"q": "x"}).status_code == 403


# --- the card ---------------------------------------------------------------------------------


def test_reading_a_person_leaves_one_read_event(signed_in, cast, maria, register):
    person = register(cast.registrar_a, maria)

    response = signed_in(cast.specialist_a).get(f"{URL}/{person.pk}")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == str(person.pk) and body["merged_from"] is None
    assert body["last_name_latin"] == "Shevchuk" and body["community"] == cast.community_a.code
    assert body["documents"][0]["type"] == "rnokpp" and body["categories"] == ["IDP"]
    assert body["phones"] == [{"number": "+380671234567", "is_primary": True}]
    reads = AuditEvent.objects.filter(action=Action.READ, object_id=str(person.pk))
    assert reads.count() == 1 and reads.get().actor == cast.specialist_a


def test_a_merged_id_answers_with_the_survivor(signed_in, cast, maria, register):
    survivor = register(cast.registrar_a, maria)
    merged = register(
        cast.registrar_a,
        {**maria, "documents": [], "phone": "", "first_name": "Марiя"},
        confirm_not_duplicate=True,
    )
    merged.merged_into = survivor
    merged.save(update_fields=["merged_into"])

    body = signed_in(cast.registrar_a).get(f"{URL}/{merged.pk}").json()

    assert body["id"] == str(survivor.pk) and body["merged_from"] == str(merged.pk)


def test_another_communitys_person_is_not_found_and_the_attempt_audited(
    signed_in, cast, maria, register
):
    person = register(cast.registrar_a, maria)

    response = signed_in(cast.registrar_b).get(f"{URL}/{person.pk}")

    assert response.status_code == 404
    assert "Шевчук" not in response.content.decode()
    assert AuditEvent.objects.filter(
        action=Action.PERMISSION_DENIED, actor=cast.registrar_b, object_id=str(person.pk)
    ).exists()
    assert not AuditEvent.objects.filter(action=Action.READ, object_id=str(person.pk)).exists()


@pytest.mark.parametrize("who", ["partner_staff_a", "analyst_a"])
def test_roles_without_person_data_get_nothing(signed_in, cast, maria, register, who):
    person = register(cast.registrar_a, maria)

    response = signed_in(getattr(cast, who)).get(f"{URL}/{person.pk}")

    assert response.status_code in {403, 404}
    assert "Шевчук" not in response.content.decode()


def test_an_unknown_id_is_not_found(signed_in, cast):
    response = signed_in(cast.registrar_a).get(f"{URL}/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
