"""The card's sections and the pages that change a person: the edit form (with its conflict),
documents and consents — over the test client, as a user would use them."""

import json
from datetime import date

import pytest
from django.urls import reverse

from apps.access.actor import actor_for
from apps.audit.models import AuditEvent
from apps.registry import services
from apps.registry.models import Consent, Document, Person

from .conftest import rnokpp_of

pytestmark = pytest.mark.django_db


def edit_url(person):
    return reverse("registry:person-edit", args=[person.pk])


def card_of(client, person) -> str:
    response = client.get(reverse("registry:person-detail", args=[person.pk]))
    assert response.status_code == 200
    return response.content.decode()


def form_data(response) -> dict:
    """The edit form's fields as the page gives them (what a browser would send back)."""
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    data["original"] = form["original"].value()
    return data


# --- the card -----------------------------------------------------------------------------------


def test_the_card_shows_every_section_in_one_audited_read(signed_in, cast, maria_person):
    actor = actor_for(cast.registrar_a)
    services.consent_record(
        actor=actor, person_id=maria_person.pk, purpose="Соціальний супровід", scope="hub"
    )
    services.person_update(
        actor=actor,
        person_id=maria_person.pk,
        version=1,
        changes={"email": "maria@example.org", "current_address": "вул. Соборна, 1"},
    )
    client = signed_in(cast.specialist_a)

    body = card_of(client, maria_person)

    assert "maria@example.org" in body and "вул. Соборна, 1" in body
    assert "Соціальний супровід" in body and "Лише цей хаб" in body
    assert "Створити домогосподарство" in body
    reads = AuditEvent.objects.filter(event="registry.person.read", object_id=str(maria_person.pk))
    assert reads.count() == 1


def test_actions_follow_the_users_permissions(signed_in, cast, maria_person):
    registrar = card_of(signed_in(cast.registrar_a), maria_person)
    assert edit_url(maria_person) in registrar
    assert reverse("registry:person-merge", args=[maria_person.pk]) not in registrar
    coordinator = card_of(signed_in(cast.coordinator_a), maria_person)
    assert reverse("registry:person-merge", args=[maria_person.pk]) in coordinator


def test_a_household_member_of_another_hub_is_shown_without_a_name(
    signed_in, cast, maria_person, bohdana
):
    admin = actor_for(cast.admin)
    household = services.household_create(actor=admin, head_id=maria_person.pk)
    services.household_member_add(
        actor=admin,
        household_id=household.pk,
        version=1,
        person_id=bohdana.pk,
        relationship="sibling",
    )

    body = card_of(signed_in(cast.registrar_a), maria_person)

    assert "член домогосподарства, якого веде інший хаб" in body
    assert "Вінничук" not in body and str(bohdana.pk) not in body
    assert reverse("registry:household-detail", args=[household.pk]) in body


# --- the edit form ------------------------------------------------------------------------------


def test_an_edit_saves_what_changed(signed_in, cast, maria_person):
    client = signed_in(cast.registrar_a)
    opened = client.get(edit_url(maria_person))
    assert opened.status_code == 200
    data = form_data(opened) | {
        "email": "maria@example.org",
        "phones": "067 123 45 67\n050 111 22 33",
        "category_1": "UBD",
        "category_1_from": "2023-01-01",
    }

    response = client.post(edit_url(maria_person), data)

    assert response.status_code == 302
    person = Person.objects.get(pk=maria_person.pk)
    assert person.email == "maria@example.org" and person.version == 2
    assert list(person.phones.order_by("-is_primary").values_list("number", flat=True)) == [
        "+380671234567",
        "+380501112233",
    ]
    ubd = person.categories.get(code="UBD")
    assert ubd.valid_from == date(2023, 1, 1)
    event = AuditEvent.objects.get(event="registry.person.updated")
    assert event.changed_fields == ["categories", "email", "phones"]


def test_a_latin_spelling_typed_is_kept_as_the_passports(signed_in, cast, maria_person):
    client = signed_in(cast.registrar_a)
    data = form_data(client.get(edit_url(maria_person))) | {"last_name_latin": "Schewtschuk"}

    client.post(edit_url(maria_person), data)

    person = Person.objects.get(pk=maria_person.pk)
    assert person.last_name_latin == "Schewtschuk" and person.latin_edited
    assert "як у паспорті" in card_of(client, person)


def test_bad_input_lands_on_its_fields_and_nothing_is_saved(signed_in, cast, maria_person):
    client = signed_in(cast.registrar_a)
    data = form_data(client.get(edit_url(maria_person))) | {
        "phones": "067 123 45 67\n12",
        "category_0_from": "2024-05-01",
        "category_0_to": "2024-01-01",
        "current_unit": "UA99",
    }

    response = client.post(edit_url(maria_person), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["phones"][0].startswith("Рядок 2:")
    assert form.errors["category_0_to"] == ["Кінець періоду не може бути раніше початку."]
    assert form.errors["current_unit"] == ["Немає одиниці з таким кодом КАТОТТГ."]
    body = response.content.decode()
    assert 'href="#id_category_0_to"' in body
    assert Person.objects.get(pk=maria_person.pk).version == 1


def test_a_conflict_shows_both_values_and_keeps_what_was_typed(signed_in, cast, maria_person):
    client = signed_in(cast.registrar_a)
    data = form_data(client.get(edit_url(maria_person))) | {"email": "mine@example.org"}
    services.person_update(
        actor=actor_for(cast.coordinator_a),
        person_id=maria_person.pk,
        version=1,
        changes={"email": "theirs@example.org"},
    )

    response = client.post(edit_url(maria_person), data)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Запис щойно змінив хтось інший" in body
    (row,) = response.context["conflicts"]
    assert row == {
        "label": "Електронна пошта",
        "yours": "mine@example.org",
        "theirs": "theirs@example.org",
    }
    form = response.context["form"]
    assert form["email"].value() == "mine@example.org"
    assert str(form["version"].value()) == "2"
    assert Person.objects.get(pk=maria_person.pk).email == "theirs@example.org"

    resubmitted = client.post(edit_url(maria_person), form_data(response))

    assert resubmitted.status_code == 302
    assert Person.objects.get(pk=maria_person.pk).email == "mine@example.org"


def test_a_field_left_alone_does_not_undo_anothers_change(signed_in, cast, maria_person):
    client = signed_in(cast.registrar_a)
    data = form_data(client.get(edit_url(maria_person))) | {"email": "mine@example.org"}
    services.person_update(
        actor=actor_for(cast.coordinator_a),
        person_id=maria_person.pk,
        version=1,
        changes={"phones": ["+380501112233"]},
    )

    first = client.post(edit_url(maria_person), data)
    assert first.status_code == 200 and first.context["conflicts"] == []
    client.post(edit_url(maria_person), form_data(first))

    person = Person.objects.get(pk=maria_person.pk)
    assert person.email == "mine@example.org"
    assert list(person.phones.values_list("number", flat=True)) == ["+380501112233"]


def test_editing_is_refused_without_the_right_and_out_of_scope(
    signed_in, cast, maria_person, bohdana
):
    assert signed_in(cast.partner_staff_a).get(edit_url(maria_person)).status_code == 403
    assert signed_in(cast.registrar_a).get(edit_url(bohdana)).status_code == 404
    response = signed_in(cast.registrar_a).post(edit_url(bohdana), {"email": "x@example.org"})
    assert response.status_code == 404
    assert Person.objects.get(pk=bohdana.pk).email == ""


# --- documents ----------------------------------------------------------------------------------


def add_url(person):
    return reverse("registry:document-add", args=[person.pk])


def test_a_document_is_added(signed_in, cast, maria_person):
    client = signed_in(cast.registrar_a)
    assert client.get(add_url(maria_person)).status_code == 200

    response = client.post(
        add_url(maria_person),
        {"type": "id_card", "number": "001234567", "issued_on": "2020-02-02", "issuer": "8001"},
    )

    assert response.status_code == 302
    document = maria_person.documents.get(type="id_card")
    assert (document.number, document.issued_on) == ("001234567", date(2020, 2, 2))


def test_a_disagreeing_rnokpp_needs_a_reason(signed_in, cast, relative):
    petro = relative("Петро", "2010-05-05")
    client = signed_in(cast.registrar_a)
    other_date = {"type": "rnokpp", "number": rnokpp_of(date(2011, 1, 1), female=False)}

    refused = client.post(add_url(petro), other_date)

    assert refused.status_code == 200
    body = refused.content.decode()
    assert 'name="override_reason"' in body
    assert "вкажіть, чому його приймаєте" in body
    assert not petro.documents.exists()

    accepted = client.post(add_url(petro), other_date | {"override_reason": "Звірено з карткою"})

    assert accepted.status_code == 302
    assert petro.documents.get().override_reason == "Звірено з карткою"


def test_a_number_another_person_holds_is_refused_on_the_field(
    signed_in, cast, maria_person, relative
):
    petro = relative("Петро", "2010-05-05")
    maria_rnokpp = maria_person.documents.get(type="rnokpp").number

    response = signed_in(cast.registrar_a).post(
        add_url(petro), {"type": "rnokpp", "number": maria_rnokpp, "override_reason": "так"}
    )

    assert response.status_code == 200
    assert "уже належить іншій особі" in response.context["form"].errors["number"][0]


def test_a_document_is_deleted_after_confirmation(signed_in, cast, maria_person):
    client = signed_in(cast.registrar_a)
    document = maria_person.documents.get()
    url = reverse("registry:document-delete", args=[maria_person.pk, document.pk])

    confirm = client.get(url)

    assert confirm.status_code == 200 and document.number in confirm.content.decode()
    assert client.post(url).status_code == 302
    assert not Document.objects.filter(pk=document.pk).exists()
    assert AuditEvent.objects.filter(event="registry.document.deleted").count() == 1


def test_documents_of_another_community_are_not_found(signed_in, cast, bohdana):
    client = signed_in(cast.registrar_a)
    assert client.get(add_url(bohdana)).status_code == 404
    services.document_add(
        actor=actor_for(cast.registrar_b),
        person_id=bohdana.pk,
        data={"type": "id_card", "number": "987654321"},
    )
    document = bohdana.documents.get()
    url = reverse("registry:document-delete", args=[bohdana.pk, document.pk])
    assert client.post(url).status_code == 404
    assert Document.objects.filter(pk=document.pk).exists()


# --- consents -----------------------------------------------------------------------------------


def test_a_consent_is_recorded_from_the_card_and_withdrawn(signed_in, cast, maria_person):
    client = signed_in(cast.registrar_a)
    url = reverse("registry:consent-record", args=[maria_person.pk])

    purpose = "Направлення до центру зайнятості"
    response = client.post(url, {"purpose": purpose, "scope": "partners"})

    assert response.status_code == 302
    consent = Consent.objects.get(person=maria_person)
    assert consent.organisation == cast.hub_a and consent.recorded_by == cast.registrar_a
    withdraw = reverse("registry:consent-withdraw", args=[maria_person.pk, consent.pk])
    assert client.post(withdraw).status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    again = client.post(withdraw, follow=True)
    assert "Цю згоду вже відкликано." in again.content.decode()


def test_a_consent_without_a_purpose_says_so_on_the_field(signed_in, cast, maria_person):
    response = signed_in(cast.registrar_a).post(
        reverse("registry:consent-record", args=[maria_person.pk]), {"purpose": " ", "scope": "x"}
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "purpose" in errors and "scope" in errors
    assert not Consent.objects.exists()


def test_consents_of_another_community_cannot_be_touched(signed_in, cast, bohdana):
    consent = services.consent_record(
        actor=actor_for(cast.registrar_b), person_id=bohdana.pk, purpose="Б", scope="hub"
    )
    client = signed_in(cast.registrar_a)
    url = reverse("registry:consent-withdraw", args=[bohdana.pk, consent.pk])
    assert client.post(url).status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
    record = reverse("registry:consent-record", args=[bohdana.pk])
    assert client.post(record, {"purpose": "А", "scope": "hub"}).status_code == 404


def test_the_original_values_travel_with_the_form(signed_in, cast, maria_person):
    opened = signed_in(cast.registrar_a).get(edit_url(maria_person))
    original = json.loads(opened.context["form"]["original"].value())
    assert original["phones"] == ["+380671234567"]
    assert original["categories"][0]["code"] == "IDP"
