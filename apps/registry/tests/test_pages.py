"""The registry's pages over the test client: search, card, two-step registration."""

from datetime import date

import pytest
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.registry.models import Person

from .conftest import rnokpp_of

pytestmark = pytest.mark.django_db

IDENTITY = {
    "last_name": "Коваленко",
    "first_name": "Олексій",
    "patronymic": "Петрович",
    "birth_date": "1979-06-02",
    "sex": "male",
    "phone": "050 111 22 33",
    "rnokpp": "",
}


def _details(cast, **extra):
    return {
        **IDENTITY,
        "step": "details",
        "community": cast.community_a.code,
        "idp_certificate": "0000-123456789",
        "idp_certificate_issued_on": "2023-04-01",
        "idp_certificate_issuer": "Рівненська міська рада",
        "categories": ["IDP", "UBD"],
        **extra,
    }


def test_search_finds_latin_spelling_and_links_the_card(signed_in, cast, register, maria):
    person = register(cast.registrar_a, maria)
    client = signed_in(cast.registrar_a)
    response = client.get(reverse("registry:search"), {"q": "Mariia Shevchuk"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Шевчук Марія Іванівна" in body
    assert reverse("registry:person-detail", args=[person.pk]) in body


def test_search_shows_only_the_hub_for_another_communitys_match(signed_in, cast, register, maria):
    maria_b = {**maria, "community": cast.community_b.code}
    register(cast.registrar_b, maria_b)
    body = signed_in(cast.registrar_a).get(reverse("registry:search"), {"q": "Шевчук Марія"})
    text = body.content.decode()
    assert cast.hub_b.name in text
    assert "Іванівна" not in text and "Shevchuk" not in text


def test_search_without_query_shows_just_the_form(signed_in, cast):
    response = signed_in(cast.registrar_a).get(reverse("registry:search"))
    assert response.status_code == 200
    assert "Знайдено" not in response.content.decode()


def test_card_is_a_read_audited(signed_in, cast, register, maria):
    person = register(cast.registrar_a, maria)
    client = signed_in(cast.specialist_a)
    response = client.get(reverse("registry:person-detail", args=[person.pk]))
    assert response.status_code == 200
    assert "Shevchuk" in response.content.decode()
    assert AuditEvent.objects.filter(
        event="registry.person.read", object_id=str(person.pk), actor=cast.specialist_a
    ).exists()


def test_card_of_another_community_is_not_found(signed_in, cast, register, maria):
    person = register(cast.registrar_b, {**maria, "community": cast.community_b.code})
    response = signed_in(cast.registrar_a).get(reverse("registry:person-detail", args=[person.pk]))
    assert response.status_code == 404


def test_registration_in_two_steps(signed_in, cast):
    client = signed_in(cast.registrar_a)
    url = reverse("registry:register")
    first = client.post(url, {**IDENTITY, "step": "identity"})
    assert first.status_code == 200
    body = first.content.decode()
    assert "Схожих записів не знайдено" in body
    assert 'name="community"' in body
    response = client.post(url, _details(cast))
    person = Person.objects.get(last_name="Коваленко")
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:person-detail", args=[person.pk])
    assert person.organisation == cast.hub_a
    assert sorted(person.categories.values_list("code", flat=True)) == ["IDP", "UBD"]
    idp = person.documents.get(type="idp_certificate")
    assert (idp.issued_on, idp.issuer) == (date(2023, 4, 1), "Рівненська міська рада")
    assert person.phones.get().number == "+380501112233"


def test_identity_errors_name_the_field_and_keep_the_step(signed_in, cast):
    response = signed_in(cast.registrar_a).post(
        reverse("registry:register"),
        {**IDENTITY, "step": "identity", "birth_date": "2999-01-01", "phone": "12", "rnokpp": "1"},
    )
    body = response.content.decode()
    assert "Дата народження не може бути в майбутньому." in body
    assert 'href="#id_phone"' in body and 'href="#id_rnokpp"' in body
    assert 'name="community"' not in body
    assert not Person.objects.exists()


def test_likely_duplicate_needs_confirmation(signed_in, cast, register, maria):
    register(cast.registrar_a, maria)
    client = signed_in(cast.registrar_a)
    url = reverse("registry:register")
    identity = {
        **IDENTITY,
        "last_name": "Shevchuk",
        "first_name": "Mariia",
        "patronymic": "",
        "birth_date": "1985-03-14",
        "sex": "female",
        "phone": "",
    }
    first = client.post(url, {**identity, "step": "identity"}).content.decode()
    assert "Шевчук Марія Іванівна" in first
    assert "схоже ім&#x27;я, та сама дата народження" in first
    refused = client.post(url, {**_details(cast), **identity})
    assert refused.status_code == 200
    assert "Схоже, цю особу вже зареєстровано" in refused.content.decode()
    assert Person.objects.count() == 1
    confirmed = client.post(url, {**_details(cast), **identity, "confirm_not_duplicate": "on"})
    assert confirmed.status_code == 302
    assert Person.objects.count() == 2


def test_same_rnokpp_cannot_be_confirmed_away(signed_in, cast, register, maria):
    register(cast.registrar_a, maria)
    client = signed_in(cast.registrar_a)
    identity = {**IDENTITY, "rnokpp": rnokpp_of(date(1985, 3, 14))}
    first = client.post(reverse("registry:register"), {**identity, "step": "identity"})
    body = first.content.decode()
    assert "новий запис створити не можна" in body
    assert 'value="details"' not in body


def test_service_errors_land_on_their_fields(signed_in, cast):
    response = signed_in(cast.registrar_a).post(
        reverse("registry:register"),
        _details(cast, document_type="passport", document_number="12"),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_document_number"' in body
    assert not Person.objects.exists()


def test_communities_offered_are_those_of_the_users_hub(signed_in, cast):
    body = (
        signed_in(cast.registrar_a)
        .post(reverse("registry:register"), {**IDENTITY, "step": "identity"})
        .content.decode()
    )
    assert cast.community_a.code in body
    assert cast.community_b.code not in body


@pytest.mark.parametrize("who", ["partner_staff_a", "analyst_a"])
def test_roles_without_the_registry_are_refused(signed_in, cast, who):
    client = signed_in(getattr(cast, who))
    assert client.get(reverse("registry:search")).status_code == 403
    assert client.get(reverse("registry:register")).status_code == 403


def test_registration_records_consent_and_contacts(signed_in, cast):
    response = signed_in(cast.registrar_a).post(
        reverse("registry:register"),
        _details(
            cast,
            email="o.kovalenko@example.org",
            current_address="вул. Соборна, 5",
            preferred_language="uk",
            consent="on",
            consent_purpose="Надання соціальних послуг та супровід",
            consent_scope="partners",
        ),
    )
    assert response.status_code == 302
    person = Person.objects.get(last_name="Коваленко")
    assert (person.email, person.current_address) == ("o.kovalenko@example.org", "вул. Соборна, 5")
    assert person.current_unit == cast.community_a
    assert person.consents.get().scope == "partners"


def test_a_member_is_registered_into_the_household(signed_in, cast, maria_person):
    from apps.access.actor import actor_for
    from apps.registry import services

    household = services.household_create(
        actor=actor_for(cast.registrar_a), head_id=maria_person.pk
    )
    client = signed_in(cast.registrar_a)
    url = reverse("registry:register")
    page = client.get(url, {"member_of": household.pk}).content.decode()
    assert "Шевчук Марія Іванівна" in page and 'value="Шевчук"' in page
    child = {
        **IDENTITY,
        "last_name": "Шевчук",
        "first_name": "Тарас",
        "patronymic": "",
        "birth_date": "2016-02-03",
        "member_of": str(household.pk),
    }
    second = client.post(url, {**child, "step": "identity"}).content.decode()
    assert 'name="relationship"' in second
    response = client.post(
        url,
        {**_details(cast, idp_certificate=""), **child, "relationship": "child"},
    )
    assert response.status_code == 302
    taras = Person.objects.get(first_name="Тарас")
    assert taras.households.get().relationship == "child"


def test_a_household_of_another_community_is_not_found(signed_in, cast, bohdana):
    from apps.access.actor import actor_for
    from apps.registry import services

    household = services.household_create(actor=actor_for(cast.registrar_b), head_id=bohdana.pk)
    client = signed_in(cast.registrar_a)
    url = reverse("registry:register")
    assert client.get(url, {"member_of": household.pk}).status_code == 404
    assert client.get(url, {"member_of": "not-a-uuid"}).status_code == 404


def test_every_person_a_search_shows_is_an_audited_read(signed_in, cast, register, maria):
    mine = register(cast.registrar_a, maria)
    theirs = register(
        cast.registrar_b,
        {**maria, "community": cast.community_b.code, "documents": [], "phone": ""},
        confirm_not_duplicate=True,
    )
    client = signed_in(cast.registrar_a)
    client.get(reverse("registry:search"), {"q": "Шевчук Марія"})
    client.get("/api/v1/persons/search", {"q": "Shevchuk Mariia"})
    found = AuditEvent.objects.filter(event="registry.person.found", actor=cast.registrar_a)
    assert list(found.values_list("object_id", flat=True)) == [str(mine.pk)] * 2
    assert not AuditEvent.objects.filter(
        event="registry.person.found", object_id=str(theirs.pk)
    ).exists()
