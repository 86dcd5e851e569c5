"""Merging a duplicate record into the kept one: everything moves, nothing of the kept person is
recomputed, both histories stay, the old id answers with the kept one."""

import pytest

from apps.access.actor import actor_for
from apps.access.roles import ROLE_PERMISSIONS, Perm, Role
from apps.api.tests.helpers import error_of
from apps.audit.models import AuditEvent
from apps.registry import services, signals
from apps.registry.models import Consent, Document, HouseholdMember, Person

from .conftest import json_call

pytestmark = pytest.mark.django_db


def merge(client, keep, duplicate, reason="Та сама особа: збігаються паспорт і телефон"):
    return json_call(
        client,
        "POST",
        f"/api/v1/persons/{keep.pk}/merge",
        {"duplicate": str(duplicate.pk), "reason": reason},
    )


@pytest.fixture
def duplicate(cast, maria, register):
    """Марія registered again by mistake: another spelling, a passport, the same phone, a second
    phone, the same category and one more, a consent and a household."""
    data = {
        **maria,
        "first_name": "Мария",
        "phone": "+380501112233",
        "documents": [{"type": "passport", "number": "СН123456"}],
        "categories": ["IDP", "UBD"],
    }
    person = register(cast.registrar_a, data, confirm_not_duplicate=True)
    actor = actor_for(cast.registrar_a)
    Document.objects.create(person=person, type="id_card", number="123456789")
    person.phones.create(number="+380671234567", is_primary=False)
    services.consent_record(actor=actor, person_id=person.pk, purpose="Послуги", scope="hub")
    services.household_create(actor=actor, head_id=person.pk)
    return person


def test_only_coordinators_and_administrators_merge():
    assert [r for r in Role if Perm.PERSONS_MERGE in ROLE_PERMISSIONS[r]] == [
        Role.COORDINATOR,
        Role.ADMIN,
    ]


def test_a_merge_moves_everything_and_keeps_both_records(signed_in, cast, maria_person, duplicate):
    Document.objects.create(person=maria_person, type="id_card", number="123456789")

    response = merge(signed_in(cast.coordinator_a), maria_person, duplicate)

    assert response.status_code == 200, response.content
    kept = Person.objects.get(pk=maria_person.pk)
    assert response.json()["id"] == str(kept.pk) and kept.version == 2
    assert (kept.first_name, kept.first_name_latin) == ("Марія", "Mariia")
    assert sorted(kept.documents.values_list("type", "number")) == [
        ("id_card", "123456789"),
        ("passport", "СН123456"),
        ("rnokpp", maria_person.documents.get(type="rnokpp").number),
    ]
    phones = list(kept.phones.order_by("-is_primary").values_list("number", "is_primary"))
    assert phones == [("+380671234567", True), ("+380501112233", False)]
    assert sorted(kept.categories.values_list("code", flat=True)) == ["IDP", "UBD"]
    assert Consent.objects.get().person == kept
    assert HouseholdMember.objects.get(left_on__isnull=True).person == kept
    merged = Person.objects.get(pk=duplicate.pk)
    assert merged.merged_into == kept and merged.first_name == "Мария"
    assert not merged.documents.exists() and not merged.phones.exists()
    for person, event in (
        (kept, "registry.person.merged"),
        (merged, "registry.person.merged_into"),
    ):
        (record,) = AuditEvent.objects.filter(event=event, object_id=str(person.pk))
        assert str(duplicate.pk) in record.reason and "паспорт" in record.reason
    assert AuditEvent.objects.filter(object_id=str(duplicate.pk)).count() > 1


@pytest.fixture
def merged_signal():
    """What ``signals.person_merged`` carried, and a switch to make its receiver fail."""

    class Receiver:
        calls: list = []
        fail = False

        def __call__(self, *, actor, person, duplicate, **_signal):
            # Sent inside the merge: the duplicate already points to the kept record.
            merged_into = Person.objects.get(pk=duplicate.pk).merged_into_id
            self.calls.append((actor.user, person.pk, duplicate.pk, merged_into))
            if self.fail:
                raise RuntimeError("a context above could not move its rows")

    receiver = Receiver()
    receiver.calls = []
    signals.person_merged.connect(receiver, dispatch_uid="test.merged")
    yield receiver
    signals.person_merged.disconnect(dispatch_uid="test.merged")


def test_a_merge_tells_the_contexts_above_in_its_transaction(
    signed_in, cast, maria_person, duplicate, merged_signal
):
    response = merge(signed_in(cast.coordinator_a), maria_person, duplicate)

    assert response.status_code == 200, response.content
    assert merged_signal.calls == [
        (cast.coordinator_a, maria_person.pk, duplicate.pk, maria_person.pk)
    ]


def test_a_merge_whose_followers_fail_is_not_made(cast, maria_person, duplicate, merged_signal):
    """A context that cannot move what it holds of the duplicate (the requests, say) rolls the
    whole merge back: nothing is left half-merged."""
    merged_signal.fail = True

    with pytest.raises(RuntimeError):
        services.person_merge(
            actor=actor_for(cast.coordinator_a),
            keep_id=maria_person.pk,
            duplicate_id=duplicate.pk,
            reason="Та сама особа",
        )

    assert Person.objects.get(pk=duplicate.pk).merged_into is None
    assert duplicate.documents.filter(type="passport").exists()
    assert not AuditEvent.objects.filter(event="registry.person.merged").exists()


def test_the_merged_id_answers_with_the_kept_record(signed_in, cast, maria_person, duplicate):
    merge(signed_in(cast.coordinator_a), maria_person, duplicate)

    body = signed_in(cast.registrar_a).get(f"/api/v1/persons/{duplicate.pk}").json()

    assert body["id"] == str(maria_person.pk) and body["merged_from"] == str(duplicate.pk)


def test_a_kept_person_already_in_a_household_keeps_it(signed_in, cast, maria_person, duplicate):
    own = services.household_create(actor=actor_for(cast.registrar_a), head_id=maria_person.pk)

    merge(signed_in(cast.coordinator_a), maria_person, duplicate)

    current = HouseholdMember.objects.get(person=maria_person, left_on__isnull=True)
    assert current.household == own
    assert HouseholdMember.objects.filter(person=maria_person).count() == 2


@pytest.mark.parametrize(
    ("case", "field"),
    [("itself", "duplicate"), ("merged duplicate", "duplicate"), ("merged keep", "")],
)
def test_a_merge_that_makes_no_sense_is_refused(
    signed_in, cast, maria_person, duplicate, relative, case, field
):
    third = relative("Петро", "2010-05-05")
    client = signed_in(cast.coordinator_a)
    merge(client, maria_person, duplicate)
    keep, other = {
        "itself": (maria_person, maria_person),
        "merged duplicate": (third, duplicate),
        "merged keep": (duplicate, third),
    }[case]

    response = merge(client, keep, other)

    error = error_of(response, 422, "validation_error")
    assert [d["field"] for d in error["details"]] == [field]
    assert Person.objects.get(pk=third.pk).merged_into is None


def test_a_merge_needs_a_reason(signed_in, cast, maria_person, duplicate):
    response = merge(signed_in(cast.coordinator_a), maria_person, duplicate, reason="")

    assert error_of(response, 422, "validation_error")["details"][0]["field"] == "reason"
    assert Person.objects.get(pk=duplicate.pk).merged_into is None


def test_a_registrar_cannot_merge(signed_in, cast, maria_person, duplicate):
    error_of(merge(signed_in(cast.registrar_a), maria_person, duplicate), 403, "permission_denied")
    assert Person.objects.get(pk=duplicate.pk).merged_into is None


def test_another_communitys_records_cannot_be_merged(
    signed_in, cast, maria_person, duplicate, bohdana
):
    client = signed_in(cast.coordinator_b)

    into_a = merge(client, maria_person, duplicate)
    a_into_b = merge(client, bohdana, duplicate)

    assert into_a.status_code == 404 and a_into_b.status_code == 404
    assert "Шевчук" not in into_a.content.decode() + a_into_b.content.decode()
    assert Person.objects.filter(merged_into__isnull=False).count() == 0


def test_an_edit_begun_before_a_merge_is_told(signed_in, cast, maria_person, duplicate):
    merge(signed_in(cast.coordinator_a), maria_person, duplicate)

    late = json_call(
        signed_in(cast.registrar_a),
        "PATCH",
        f"/api/v1/persons/{maria_person.pk}",
        {"version": 1, "phones": ["+380671234567"]},
    )

    details = error_of(late, 409, "edit_conflict")["details"]
    assert details[0]["field"] == "phones" and len(details[0]["theirs"]) == 2
