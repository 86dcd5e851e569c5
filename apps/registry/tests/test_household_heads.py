"""A household is never left without a head: moving its head elsewhere (a new household, joining
another, a merge) is refused while other members remain — the head alone leaving simply ends it —
and only a hub that may write a household closes a membership in it."""

import pytest

from apps.access.actor import actor_for
from apps.api.tests.helpers import error_of
from apps.registry import services
from apps.registry.models import HouseholdMember, Person

from .conftest import json_call

pytestmark = pytest.mark.django_db


def current_head(household):
    return household.members.filter(left_on__isnull=True, relationship="head").first()


@pytest.fixture
def petro_family(cast, relative):
    """Петро heads a household with his son Іван: (household, Петро, Іван)."""
    actor = actor_for(cast.registrar_a)
    father, son = relative("Петро", "1970-01-01"), relative("Іван", "2010-01-01")
    household = services.household_create(actor=actor, head_id=father.pk)
    services.household_member_add(
        actor=actor, household_id=household.pk, version=1, person_id=son.pk, relationship="child"
    )
    household.refresh_from_db()
    return household, father, son


def test_a_head_with_members_cannot_join_another_household(signed_in, cast, relative, petro_family):
    household, father, _son = petro_family
    olha = relative("Ольга", "1972-02-02", sex="female")
    other = services.household_create(actor=actor_for(cast.registrar_a), head_id=olha.pk)

    response = json_call(
        signed_in(cast.registrar_a),
        "POST",
        f"/api/v1/households/{other.pk}/members",
        {"version": 1, "person": str(father.pk), "relationship": "spouse"},
    )

    (detail,) = error_of(response, 422, "validation_error")["details"]
    assert (detail["field"], detail["code"]) == ("person", "head_cannot_leave")
    assert "іншого голову" in detail["message"]
    assert current_head(household).person == father
    assert not other.members.filter(person=father).exists()
    other.refresh_from_db()
    assert other.version == 1


def test_a_head_with_members_cannot_start_a_new_household(signed_in, cast, petro_family):
    household, father, _son = petro_family

    response = json_call(
        signed_in(cast.registrar_a), "POST", "/api/v1/households", {"head": str(father.pk)}
    )

    (detail,) = error_of(response, 422, "validation_error")["details"]
    assert (detail["field"], detail["code"]) == ("head", "head_cannot_leave")
    assert current_head(household).person == father
    assert HouseholdMember.objects.filter(person=father).count() == 1


def test_the_page_says_why_a_new_household_was_not_created(signed_in, cast, petro_family):
    _household, father, _son = petro_family

    page = signed_in(cast.registrar_a).post(f"/persons/{father.pk}/household/new/", follow=True)

    assert page.status_code == 200
    assert "спершу призначте там іншого голову" in page.content.decode()
    assert HouseholdMember.objects.filter(person=father).count() == 1


def test_a_head_alone_moves_and_the_old_household_ends(cast, relative):
    actor = actor_for(cast.registrar_a)
    father, olha = relative("Петро", "1970-01-01"), relative("Ольга", "1972-02-02", sex="female")
    alone = services.household_create(actor=actor, head_id=father.pk)
    other = services.household_create(actor=actor, head_id=olha.pk)

    services.household_member_add(
        actor=actor, household_id=other.pk, version=1, person_id=father.pk, relationship="spouse"
    )

    assert not alone.members.filter(left_on__isnull=True).exists()
    assert other.members.get(person=father, left_on__isnull=True).relationship == "spouse"


def test_a_member_of_another_hubs_household_is_not_moved_by_this_hub(
    signed_in, cast, petro_family, bohdana
):
    household, _father, _son = petro_family  # community A's household
    services.household_member_add(
        actor=actor_for(cast.admin),
        household_id=household.pk,
        version=household.version,
        person_id=bohdana.pk,
        relationship="other",
    )

    response = json_call(
        signed_in(cast.registrar_b), "POST", "/api/v1/households", {"head": str(bohdana.pk)}
    )

    (detail,) = error_of(response, 422, "validation_error")["details"]
    assert (detail["field"], detail["code"]) == ("head", "household_out_of_scope")
    assert "Шевчук" not in response.content.decode()
    assert household.members.get(person=bohdana).left_on is None


# --- merges --------------------------------------------------------------------------------------


def merge(client, keep, duplicate):
    return json_call(
        client,
        "POST",
        f"/api/v1/persons/{keep.pk}/merge",
        {"duplicate": str(duplicate.pk), "reason": "Та сама особа"},
    )


def test_a_merge_hands_the_head_role_to_the_kept_record_in_its_own_household(
    signed_in, cast, relative, petro_family
):
    household, father, son = petro_family
    again = relative("Петро", "1970-01-01")  # Петро registered twice, added as "other"
    services.household_member_add(
        actor=actor_for(cast.registrar_a),
        household_id=household.pk,
        version=household.version,
        person_id=again.pk,
        relationship="other",
    )

    response = merge(signed_in(cast.coordinator_a), again, father)

    assert response.status_code == 200, response.content
    current = {m.person_id: m.relationship for m in household.members.filter(left_on__isnull=True)}
    assert current == {again.pk: "head", son.pk: "child"}
    assert Person.objects.get(pk=father.pk).merged_into_id == again.pk


def test_a_merge_gives_the_kept_record_without_a_household_the_head_role(
    signed_in, cast, relative, petro_family
):
    household, father, son = petro_family
    again = relative("Петро", "1970-01-01")

    response = merge(signed_in(cast.coordinator_a), again, father)

    assert response.status_code == 200, response.content
    assert current_head(household).person_id == again.pk
    assert household.members.get(person=son).left_on is None


def test_a_merge_that_would_behead_a_household_is_refused(signed_in, cast, relative, petro_family):
    household, father, _son = petro_family
    again = relative("Петро", "1970-01-01")
    olha = relative("Ольга", "1972-02-02", sex="female")
    other = services.household_create(actor=actor_for(cast.registrar_a), head_id=olha.pk)
    services.household_member_add(
        actor=actor_for(cast.registrar_a),
        household_id=other.pk,
        version=1,
        person_id=again.pk,
        relationship="spouse",
    )

    response = merge(signed_in(cast.coordinator_a), again, father)

    (detail,) = error_of(response, 422, "validation_error")["details"]
    assert (detail["field"], detail["code"]) == ("duplicate", "head_cannot_leave")
    assert current_head(household).person == father
    assert Person.objects.get(pk=father.pk).merged_into is None
