"""A person's documents (added with the identifier rules, a disagreeing РНОКПП only with a reason,
a personal number held once; removed when entered by mistake) and consents (recorded, withdrawn
and kept; ``consent_allows`` for the features that share data)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from apps.api.tests.helpers import error_of
from apps.audit.models import Action, AuditEvent
from apps.registry.models import Consent, Document
from apps.registry.selectors import consent_allows

from .conftest import json_call, rnokpp_of

pytestmark = pytest.mark.django_db


def documents_url(person) -> str:
    return f"/api/v1/persons/{person.pk}/documents"


def consents_url(person) -> str:
    return f"/api/v1/persons/{person.pk}/consents"


def events(name, person):
    return AuditEvent.objects.filter(event=name, object_id=str(person.pk))


# --- documents ----------------------------------------------------------------------------------


def test_a_document_is_added_listed_and_audited(signed_in, cast, maria_person):
    client = signed_in(cast.registrar_a)

    response = json_call(
        client,
        "POST",
        documents_url(maria_person),
        {
            "type": "idp_certificate",
            "number": "0101-1234567",
            "issued_on": "2022-04-01",
            "issuer": "Рівненське УСЗН",
        },
    )

    assert response.status_code == 201, response.content
    assert response.json()["warnings"] == []
    listed = client.get(documents_url(maria_person)).json()
    assert [(d["type"], d["issuer"]) for d in listed] == [
        ("rnokpp", ""),
        ("idp_certificate", "Рівненське УСЗН"),
    ]
    (added,) = events("registry.document.added", maria_person)
    assert added.action == Action.CREATE and added.changed_fields == ["documents"]
    assert "0101" not in added.reason
    assert events("registry.person.read", maria_person).count() == 1


def test_a_rnokpp_that_disagrees_is_saved_only_with_a_reason(signed_in, cast, relative):
    son = relative("Петро", "2010-05-05")
    client = signed_in(cast.registrar_a)
    disagreeing = {"type": "rnokpp", "number": rnokpp_of(date(2010, 5, 6), female=False)}

    refused = json_call(client, "POST", documents_url(son), disagreeing)

    error = error_of(refused, 422, "validation_error")
    assert {d["code"] for d in error["details"]} == {
        "rnokpp_birth_date_mismatch",
        "override_reason_required",
    }
    assert {d["field"] for d in error["details"]} == {"override_reason"}
    assert not son.documents.exists()

    accepted = json_call(
        client,
        "POST",
        documents_url(son),
        disagreeing | {"override_reason": "Так у картці платника податків"},
    )

    assert accepted.status_code == 201, accepted.content
    assert [w["code"] for w in accepted.json()["warnings"]] == ["rnokpp_birth_date_mismatch"]
    assert son.documents.get().override_reason == "Так у картці платника податків"


def test_a_personal_number_of_someone_else_is_a_clear_conflict(
    signed_in, cast, maria_person, bohdana
):
    taken = {"type": "rnokpp", "number": maria_person.documents.get().number}

    response = json_call(signed_in(cast.registrar_b), "POST", documents_url(bohdana), taken)

    error = error_of(response, 409, "document_exists")
    assert "Шевчук" not in response.content.decode()
    assert "об'єднайте" in error["message"]
    assert not bohdana.documents.exists()


def test_the_same_document_twice_is_refused(signed_in, cast, maria_person):
    again = {"type": "rnokpp", "number": maria_person.documents.get().number}

    response = json_call(signed_in(cast.registrar_a), "POST", documents_url(maria_person), again)

    error = error_of(response, 422, "validation_error")
    assert [(d["field"], d["code"]) for d in error["details"]] == [("number", "repeated")]


@pytest.mark.parametrize(
    ("document", "field"),
    [
        ({"type": "passport", "number": "12345"}, "number"),
        ({"type": "card", "number": "1"}, "type"),
        ({"type": "id_card", "number": "123456789", "issued_on": "2999-01-01"}, "issued_on"),
        ({"type": "other", "number": "1", "issuer": "x" * 300}, "issuer"),
    ],
)
def test_bad_documents_are_refused_by_field(signed_in, cast, maria_person, document, field):
    response = json_call(signed_in(cast.registrar_a), "POST", documents_url(maria_person), document)

    error = error_of(response, 422, "validation_error")
    assert field in {d["field"] for d in error["details"]}
    assert maria_person.documents.count() == 1
    assert not events("registry.document.added", maria_person).exists()


def test_a_document_entered_by_mistake_is_removed_and_that_audited(signed_in, cast, maria_person):
    document = maria_person.documents.get()

    response = signed_in(cast.registrar_a).delete(f"{documents_url(maria_person)}/{document.pk}")

    assert response.status_code == 204
    assert not Document.objects.filter(pk=document.pk).exists()
    (deleted,) = events("registry.document.deleted", maria_person)
    assert deleted.action == Action.DELETE and deleted.reason == "rnokpp"


def test_a_document_is_reached_only_through_its_own_person(signed_in, cast, maria_person, relative):
    other = relative("Петро", "2010-05-05")
    document = maria_person.documents.get()

    response = signed_in(cast.registrar_a).delete(f"{documents_url(other)}/{document.pk}")

    error_of(response, 404, "not_found")
    assert Document.objects.filter(pk=document.pk).exists()


def test_another_communitys_documents_are_out_of_reach(signed_in, cast, maria_person):
    client = signed_in(cast.registrar_b)
    document = maria_person.documents.get()

    listed = client.get(documents_url(maria_person))
    added = json_call(
        client, "POST", documents_url(maria_person), {"type": "id_card", "number": "123456789"}
    )
    deleted = client.delete(f"{documents_url(maria_person)}/{document.pk}")

    assert {listed.status_code, added.status_code, deleted.status_code} == {404}
    assert document.number not in listed.content.decode()
    assert maria_person.documents.count() == 1


# --- consents -----------------------------------------------------------------------------------


def test_a_consent_is_recorded_for_the_hub_and_listed(signed_in, cast, maria_person):
    client = signed_in(cast.registrar_a)

    response = json_call(
        client,
        "POST",
        consents_url(maria_person),
        {"purpose": "Надання соціальних послуг", "scope": "hub"},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["scope"] == "hub" and body["active"] is True
    assert body["organisation"] == cast.hub_a.name
    assert [c["id"] for c in client.get(consents_url(maria_person)).json()] == [body["id"]]
    (event,) = events("registry.consent.recorded", maria_person)
    assert event.changed_fields == ["consents"] and event.reason == "hub"


def test_what_a_consent_allows(signed_in, cast, maria_person):
    client = signed_in(cast.registrar_a)
    assert not consent_allows(maria_person, "hub")

    json_call(client, "POST", consents_url(maria_person), {"purpose": "Послуги", "scope": "hub"})

    assert consent_allows(maria_person, "hub")
    assert consent_allows(maria_person, "hub", organisation=cast.hub_a)
    assert not consent_allows(maria_person, "hub", organisation=cast.hub_b)
    assert not consent_allows(maria_person, "partners")

    json_call(
        client, "POST", consents_url(maria_person), {"purpose": "Направлення", "scope": "partners"}
    )

    assert consent_allows(maria_person, "partners", organisation=cast.hub_a.pk)
    assert not consent_allows(maria_person, "partners", on=date(2000, 1, 1))


def test_a_withdrawn_consent_is_kept_and_allows_nothing_from_that_day(
    signed_in, cast, maria_person
):
    client = signed_in(cast.registrar_a)
    consent_id = json_call(
        client, "POST", consents_url(maria_person), {"purpose": "Послуги", "scope": "partners"}
    ).json()["id"]
    Consent.objects.filter(pk=consent_id).update(recorded_at=timezone.now() - timedelta(days=10))

    response = client.post(f"{consents_url(maria_person)}/{consent_id}/withdraw")

    assert response.status_code == 200, response.content
    assert response.json()["active"] is False
    consent = Consent.objects.get(pk=consent_id)
    assert consent.withdrawn_by == cast.registrar_a
    assert not consent_allows(maria_person, "hub")
    assert consent_allows(maria_person, "hub", on=timezone.localdate() - timedelta(days=1))
    assert events("registry.consent.withdrawn", maria_person).count() == 1

    again = client.post(f"{consents_url(maria_person)}/{consent_id}/withdraw")

    error_of(again, 409, "consent_already_withdrawn")
    assert events("registry.consent.withdrawn", maria_person).count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"purpose": "Послуги", "scope": "everyone"}, "scope"),
        ({"purpose": " ", "scope": "hub"}, "purpose"),
    ],
)
def test_bad_consents_are_refused_by_field(signed_in, cast, maria_person, data, field):
    response = json_call(signed_in(cast.registrar_a), "POST", consents_url(maria_person), data)

    error = error_of(response, 422, "validation_error")
    assert [d["field"] for d in error["details"]] == [field]
    assert not Consent.objects.exists()
    assert not events("registry.consent.recorded", maria_person).exists()


def test_another_communitys_consents_are_out_of_reach(signed_in, cast, maria_person):
    consent = Consent.objects.create(person=maria_person, purpose="Послуги", scope="hub")
    client = signed_in(cast.registrar_b)

    assert client.get(consents_url(maria_person)).status_code == 404
    recorded = json_call(
        client, "POST", consents_url(maria_person), {"purpose": "Злам", "scope": "partners"}
    )
    withdrawn = client.post(f"{consents_url(maria_person)}/{consent.pk}/withdraw")

    assert recorded.status_code == 404 and withdrawn.status_code == 404
    assert Consent.objects.get().withdrawn_at is None
    assert Consent.objects.count() == 1
