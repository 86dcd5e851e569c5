"""Two people changing the same records at once: merges of the same pair cannot cross, a change
made outside the edit form keeps what another change wrote to the person's versions, and adding
the same person to two households at once is a conflict, not an error page.

The interleavings are what two clicks at the same moment produce: the other change is made at
the point where the first has read its records and not yet written (a hook on a step of the
service, the database itself real)."""

import pytest

from apps.access.actor import actor_for
from apps.api.tests.helpers import error_of
from apps.registry import fields, services
from apps.registry.models import HouseholdMember, Person

from .conftest import json_call

pytestmark = pytest.mark.django_db


def run_first(monkeypatch, module, name: str, other_change) -> None:
    """Makes ``other_change()`` happen once, right after ``module.name`` first runs."""
    real = getattr(module, name)
    done = []

    def step(*args, **kwargs):
        out = real(*args, **kwargs)
        if not done:
            done.append(True)
            other_change()
        return out

    monkeypatch.setattr(module, name, step)


# --- merges --------------------------------------------------------------------------------------


@pytest.fixture
def twins(relative):
    """The same Петро registered twice."""
    return relative("Петро", "1970-01-01"), relative("Петро", "1970-01-01")


def test_crossed_merges_of_one_pair_leave_one_living_record(signed_in, cast, twins, monkeypatch):
    a, b = twins
    coordinator = actor_for(cast.coordinator_a)
    run_first(
        monkeypatch,
        services,
        "_clean_merge",
        lambda: services.person_merge(
            actor=coordinator, keep_id=b.pk, duplicate_id=a.pk, reason="x"
        ),
    )

    response = json_call(
        signed_in(cast.coordinator_a),
        "POST",
        f"/api/v1/persons/{a.pk}/merge",
        {"duplicate": str(b.pk), "reason": "Та сама особа"},
    )

    error_of(response, 409, "merge_changed")
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.merged_into_id, b.merged_into_id) == (b.pk, None)
    assert Person.objects.filter(merged_into__isnull=True, pk__in=[a.pk, b.pk]).count() == 1


def test_a_merge_into_a_record_merged_meanwhile_is_refused(cast, twins, relative, monkeypatch):
    a, b = twins
    third = relative("Петро", "1970-01-01")
    coordinator = actor_for(cast.coordinator_a)
    run_first(
        monkeypatch,
        services,
        "_clean_merge",
        lambda: services.person_merge(
            actor=coordinator, keep_id=third.pk, duplicate_id=a.pk, reason="x"
        ),
    )

    with pytest.raises(services.RegistryConflict) as refused:
        services.person_merge(actor=coordinator, keep_id=a.pk, duplicate_id=b.pk, reason="y")

    assert refused.value.code == "merge_changed"
    assert Person.objects.get(pk=b.pk).merged_into is None


def test_the_merge_page_says_the_records_changed(signed_in, cast, twins, monkeypatch):
    a, b = twins
    coordinator = actor_for(cast.coordinator_a)
    run_first(
        monkeypatch,
        services,
        "_clean_merge",
        lambda: services.person_merge(
            actor=coordinator, keep_id=b.pk, duplicate_id=a.pk, reason="x"
        ),
    )

    page = signed_in(cast.coordinator_a).post(
        f"/persons/{a.pk}/merge/", {"duplicate": str(b.pk), "reason": "Та сама особа"}
    )

    assert page.status_code == 200
    assert "щойно об&#x27;єднав хтось інший" in page.content.decode()
    assert Person.objects.get(pk=b.pk).merged_into is None


# --- versions of a person ------------------------------------------------------------------------


def test_adding_and_deleting_a_document_are_new_versions(signed_in, cast, maria_person):
    client = signed_in(cast.registrar_a)
    url = f"/api/v1/persons/{maria_person.pk}/documents"

    added = json_call(client, "POST", url, {"type": "passport", "number": "КВ123456"})
    maria_person.refresh_from_db()
    assert added.status_code == 201, added.content
    assert maria_person.version == 2 and maria_person.field_versions == {"documents": 2}

    document = maria_person.documents.get(type="passport")
    deleted = client.delete(f"{url}/{document.pk}")
    maria_person.refresh_from_db()
    assert deleted.status_code == 204, deleted.content
    assert maria_person.version == 3 and maria_person.field_versions == {"documents": 3}


def test_a_change_made_meanwhile_keeps_its_field_versions(cast, maria_person, monkeypatch):
    registrar = actor_for(cast.registrar_a)
    run_first(
        monkeypatch,
        fields,
        "clean_document",
        lambda: services.person_update(
            actor=registrar, person_id=maria_person.pk, version=1, changes={"phones": []}
        ),
    )

    services.document_add(
        actor=registrar,
        person_id=maria_person.pk,
        data={"type": "passport", "number": "КВ123456"},
    )

    maria_person.refresh_from_db()
    assert maria_person.version == 3
    assert maria_person.field_versions == {"phones": 2, "documents": 3}


# --- households ----------------------------------------------------------------------------------


def test_adding_one_person_to_two_households_at_once_is_a_conflict(
    signed_in, cast, relative, monkeypatch
):
    registrar = actor_for(cast.registrar_a)
    son = relative("Іван", "2010-01-01")
    mother = services.household_create(actor=registrar, head_id=relative("Олена", "1980-01-01").pk)
    father = services.household_create(actor=registrar, head_id=relative("Петро", "1979-01-01").pk)
    run_first(
        monkeypatch,
        services,
        "_leave_current",
        lambda: services.household_member_add(
            actor=registrar,
            household_id=father.pk,
            version=1,
            person_id=son.pk,
            relationship="child",
        ),
    )

    response = json_call(
        signed_in(cast.registrar_a),
        "POST",
        f"/api/v1/households/{mother.pk}/members",
        {"version": 1, "person": str(son.pk), "relationship": "child"},
    )

    error_of(response, 409, "joined_elsewhere")
    assert HouseholdMember.objects.filter(person=son, left_on__isnull=True).count() <= 1
    assert not mother.members.filter(person=son).exists()
