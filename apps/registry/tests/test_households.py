"""Households: one current household per person with its history, one head, edits at the version
read, members outside the reader's scope shown only as memberships."""

import pytest
from django.utils import timezone

from apps.access.actor import actor_for
from apps.api.tests.helpers import error_of
from apps.audit.models import AuditEvent
from apps.registry import services
from apps.registry.models import Household, HouseholdMember

from .conftest import json_call

pytestmark = pytest.mark.django_db

URL = "/api/v1/households"


def household_events(household, event=None):
    events = AuditEvent.objects.filter(object_id=str(household.pk))
    return events.filter(event=event) if event else events


@pytest.fixture
def family(cast, maria_person, relative):
    """Марія heads a household with her son Петро."""
    actor = actor_for(cast.registrar_a)
    household = services.household_create(actor=actor, head_id=maria_person.pk)
    son = relative("Петро", "2010-05-05")
    member = services.household_member_add(
        actor=actor, household_id=household.pk, version=1, person_id=son.pk, relationship="child"
    )
    household.refresh_from_db()
    return household, son, member


def test_a_household_is_created_with_its_head_and_read(signed_in, cast, maria_person):
    client = signed_in(cast.registrar_a)

    response = json_call(client, "POST", URL, {"head": str(maria_person.pk)})

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["version"] == 1 and body["held_by"] == cast.hub_a.name
    (head,) = body["members"]
    assert head["relationship"] == "head" and head["person"]["last_name"] == "Шевчук"
    household = Household.objects.get(pk=body["id"])
    assert household.community == cast.community_a
    assert household_events(household, "registry.household.created").count() == 1

    read = client.get(f"{URL}/{household.pk}")

    assert read.status_code == 200 and read.json()["members"][0]["id"] == head["id"]
    assert household_events(household, "registry.household.read").count() == 1


def test_a_member_is_added_and_the_card_shows_the_household(signed_in, cast, family):
    household, son, _member = family
    client = signed_in(cast.specialist_a)

    card = client.get(f"/api/v1/persons/{son.pk}").json()

    summary = card["household"]
    assert summary["id"] == str(household.pk) and summary["relationship"] == "child"
    assert summary["version"] == 2
    assert {m["relationship"] for m in summary["members"]} == {"head", "child"}
    assert household_events(household, "registry.household.member_added").count() == 1


def test_adding_someone_to_another_household_closes_the_old_membership(
    signed_in, cast, family, relative
):
    household, son, member = family
    grandfather = relative("Іван", "1950-01-01")
    other = services.household_create(actor=actor_for(cast.registrar_a), head_id=grandfather.pk)

    response = json_call(
        signed_in(cast.registrar_a),
        "POST",
        f"{URL}/{other.pk}/members",
        {"version": 1, "person": str(son.pk), "relationship": "grandchild"},
    )

    assert response.status_code == 201, response.content
    member.refresh_from_db()
    assert member.left_on == timezone.localdate()
    current = HouseholdMember.objects.get(person=son, left_on__isnull=True)
    assert current.household == other and current.relationship == "grandchild"
    history = signed_in(cast.registrar_a).get(f"{URL}/{household.pk}").json()["members"]
    assert [m["left_on"] for m in history if m["relationship"] == "child"] == [
        timezone.localdate().isoformat()
    ]
    assert household_events(household, "registry.household.member_left").count() == 1
    assert household_events(other, "registry.household.member_added").count() == 1


def test_a_stale_household_version_is_a_conflict_and_writes_nothing(
    signed_in, cast, family, relative
):
    household, _son, _member = family
    daughter = relative("Олена", "2012-02-02", sex="female")

    response = json_call(
        signed_in(cast.registrar_a),
        "POST",
        f"{URL}/{household.pk}/members",
        {"version": 1, "person": str(daughter.pk), "relationship": "child"},
    )

    error_of(response, 409, "edit_conflict")
    assert response.json()["version"] == 2
    assert not HouseholdMember.objects.filter(person=daughter).exists()
    assert household_events(household, "registry.household.member_added").count() == 1


@pytest.mark.parametrize(
    ("relationship", "field"), [("head", "relationship"), ("cousin", "relationship")]
)
def test_a_bad_relationship_is_refused(signed_in, cast, family, relative, relationship, field):
    household, _son, _member = family
    daughter = relative("Олена", "2012-02-02", sex="female")

    response = json_call(
        signed_in(cast.registrar_a),
        "POST",
        f"{URL}/{household.pk}/members",
        {"version": 2, "person": str(daughter.pk), "relationship": relationship},
    )

    error = error_of(response, 422, "validation_error")
    assert [d["field"] for d in error["details"]] == [field]
    assert "spouse" in error["details"][0]["message"]
    assert Household.objects.get(pk=household.pk).version == 2


def test_a_current_member_cannot_join_again(signed_in, cast, family):
    household, son, _member = family

    response = json_call(
        signed_in(cast.registrar_a),
        "POST",
        f"{URL}/{household.pk}/members",
        {"version": 2, "person": str(son.pk), "relationship": "child"},
    )

    assert [d["field"] for d in error_of(response, 422, "validation_error")["details"]] == [
        "person"
    ]


def test_ending_a_membership_keeps_it_as_history(signed_in, cast, family):
    household, son, member = family
    client = signed_in(cast.registrar_a)

    response = json_call(
        client, "POST", f"{URL}/{household.pk}/members/{member.pk}/end", {"version": 2}
    )

    assert response.status_code == 200, response.content
    assert response.json()["version"] == 3
    member.refresh_from_db()
    assert member.left_on == timezone.localdate()
    assert client.get(f"/api/v1/persons/{son.pk}").json()["household"] is None

    again = json_call(
        client, "POST", f"{URL}/{household.pk}/members/{member.pk}/end", {"version": 3}
    )

    assert [d["code"] for d in error_of(again, 422, "validation_error")["details"]] == [
        "already_ended"
    ]


def test_the_head_leaves_only_after_another_head_is_named(signed_in, cast, family):
    household, _son, member = family
    head = household.members.get(relationship="head")
    client = signed_in(cast.registrar_a)

    refused = json_call(
        client, "POST", f"{URL}/{household.pk}/members/{head.pk}/end", {"version": 2}
    )
    missing = json_call(
        client, "POST", f"{URL}/{household.pk}/head", {"version": 2, "member": member.pk}
    )
    changed = json_call(
        client,
        "POST",
        f"{URL}/{household.pk}/head",
        {"version": 2, "member": member.pk, "previous_head_relationship": "parent"},
    )

    assert error_of(refused, 422, "validation_error")["details"][0]["code"] == "head_cannot_leave"
    assert error_of(missing, 422, "validation_error")["details"][0]["field"] == (
        "previous_head_relationship"
    )
    assert changed.status_code == 200, changed.content
    roles = {m["id"]: m["relationship"] for m in changed.json()["members"]}
    assert roles == {member.pk: "head", head.pk: "parent"}
    assert household_events(household, "registry.household.head_changed").count() == 1


def test_members_outside_the_readers_scope_show_as_memberships_only(
    signed_in, cast, family, bohdana
):
    household, _son, _member = family
    services.household_member_add(
        actor=actor_for(cast.admin),
        household_id=household.pk,
        version=2,
        person_id=bohdana.pk,
        relationship="other",
    )
    client = signed_in(cast.registrar_a)

    household_body = client.get(f"{URL}/{household.pk}")
    card = client.get(f"/api/v1/persons/{household.members.get(relationship='head').person_id}")

    for response in (household_body, card):
        assert response.status_code == 200
        assert "Вінничук" not in response.content.decode()
        assert str(bohdana.pk) not in response.content.decode()
    others = [m for m in household_body.json()["members"] if m["relationship"] == "other"]
    assert others[0]["person"] is None


def test_another_communitys_household_is_out_of_reach(signed_in, cast, family, bohdana):
    household, son, member = family
    client = signed_in(cast.registrar_b)

    responses = [
        client.get(f"{URL}/{household.pk}"),
        json_call(
            client,
            "POST",
            f"{URL}/{household.pk}/members",
            {"version": 2, "person": str(bohdana.pk), "relationship": "other"},
        ),
        json_call(client, "POST", f"{URL}/{household.pk}/members/{member.pk}/end", {"version": 2}),
        json_call(client, "POST", URL, {"head": str(son.pk)}),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert "Шевчук" not in "".join(r.content.decode() for r in responses)
    assert Household.objects.get(pk=household.pk).version == 2
    assert HouseholdMember.objects.filter(left_on__isnull=True).count() == 2
