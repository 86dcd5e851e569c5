"""Registration takes, in its one transaction, contact and address details, the consents the
person gives at the desk and the household they join (the page registers children this way)."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from apps.access.actor import actor_for
from apps.audit.models import AuditEvent
from apps.registry import services
from apps.registry.models import HouseholdMember, Person

from .conftest import json_call

pytestmark = pytest.mark.django_db


def _child(cast, **extra):
    return {
        "last_name": "Шевчук",
        "first_name": "Тарас",
        "patronymic": "Андрійович",
        "birth_date": "2015-09-01",
        "sex": "male",
        "community": cast.community_a.code,
        **extra,
    }


def test_contact_address_and_consent_are_kept(cast, register, maria):
    person = register(
        cast.registrar_a,
        {
            **maria,
            "email": "maria@example.org",
            "preferred_language": "crh",
            "current_unit": cast.community_a.code,
            "current_address": "вул. Соборна, 1, кв. 2",
            "consents": [{"purpose": "Обробка даних для допомоги", "scope": "partners"}],
        },
    )
    assert (person.email, person.preferred_language) == ("maria@example.org", "crh")
    assert person.current_unit == cast.community_a
    consent = person.consents.get()
    assert (consent.scope, consent.organisation, consent.recorded_by) == (
        "partners",
        cast.hub_a,
        cast.registrar_a,
    )


def test_a_child_joins_the_household_at_registration(cast, register, maria_person):
    household = services.household_create(
        actor=actor_for(cast.registrar_a), head_id=maria_person.pk
    )
    child = register(
        cast.registrar_a,
        _child(cast, household={"id": str(household.pk), "relationship": "child"}),
    )
    member = HouseholdMember.objects.get(person=child)
    assert (member.household, member.relationship, member.left_on) == (household, "child", None)
    household.refresh_from_db()
    assert household.version == 2
    assert AuditEvent.objects.filter(
        event="registry.household.member_added", object_id=str(household.pk)
    ).exists()


def test_bad_extras_are_reported_by_field_and_nothing_is_saved(cast, register, maria):
    with pytest.raises(ValidationError) as caught:
        register(
            cast.registrar_a,
            {
                **maria,
                "email": "not-an-email",
                "current_unit": "UA00000000000000000",
                "consents": [{"purpose": "", "scope": "everyone"}],
                "household": {"id": "nope", "relationship": "head"},
            },
        )
    assert set(caught.value.message_dict) >= {
        "email",
        "current_unit",
        "consents[0].purpose",
        "consents[0].scope",
        "household.id",
        "household.relationship",
    }
    assert not Person.objects.exists()


def test_another_communitys_household_cannot_be_joined(cast, register, bohdana):
    household = services.household_create(actor=actor_for(cast.registrar_b), head_id=bohdana.pk)
    with pytest.raises(Http404):
        register(
            cast.registrar_a,
            _child(cast, household={"id": str(household.pk), "relationship": "child"}),
        )
    assert not Person.objects.filter(first_name="Тарас").exists()
    assert household.members.count() == 1


def test_api_registers_with_consent_and_household(signed_in, cast, maria_person):
    household = services.household_create(
        actor=actor_for(cast.registrar_a), head_id=maria_person.pk
    )
    client = signed_in(cast.registrar_a)
    response = json_call(
        client,
        "POST",
        "/api/v1/persons",
        _child(
            cast,
            consents=[{"purpose": "Допомога дитині", "scope": "hub"}],
            household={"id": str(household.pk), "relationship": "child"},
        ),
    )
    assert response.status_code == 201, response.content
    child = Person.objects.get(pk=response.json()["id"])
    assert child.consents.get().scope == "hub"
    assert child.households.get().household == household
