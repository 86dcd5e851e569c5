"""Transfers of access: a displaced person registered by hub A turns up at hub B. B's registrar
finds only "held by A" and an opaque reference, asks; A's coordinator sees who asks and why and
decides; on a grant the record moves to B and A loses it. Nothing personal crosses before."""

import base64
from datetime import timedelta

import pytest

from apps.access.actor import actor_for
from apps.access.roles import Role
from apps.access.tests.factories import MembershipFactory
from apps.api.tests.helpers import error_of
from apps.audit.models import AuditEvent
from apps.directory.tests.factories import OrganisationFactory
from apps.registry import selectors, services
from apps.registry.models import AccessTransfer, Person, TransferStatus

from .conftest import json_call

pytestmark = pytest.mark.django_db

URL = "/api/v1/persons/transfers"
REASON = "Переїхала до Вінниці, звернулася по допомогу"


def ref_found_by(client, q="Шевчук Марія", birth_date="1985-03-14") -> str:
    (result,) = client.get("/api/v1/persons/search", {"q": q, "birth_date": birth_date}).json()[
        "results"
    ]
    assert result["id"] is None
    return result["transfer_ref"]


def ask(client, ref, reason=REASON):
    return json_call(client, "POST", URL, {"transfer_ref": ref, "reason": reason})


def decide(client, transfer_id, grant, note=""):
    return json_call(
        client, "POST", f"{URL}/{transfer_id}/decision", {"grant": grant, "note": note}
    )


@pytest.fixture
def asked(signed_in, cast, maria_person, client):
    """B's registrar has asked for Марія; returns the request's id."""
    b = signed_in(cast.registrar_b)
    response = ask(b, ref_found_by(b))
    assert response.status_code == 201, response.content
    return response.json()["id"]


def test_the_reference_does_not_carry_the_id(signed_in, cast, maria_person):
    ref = ref_found_by(signed_in(cast.registrar_b))

    payload = base64.urlsafe_b64decode(ref.split(":")[0] + "==")
    assert maria_person.pk.hex not in ref and str(maria_person.pk) not in ref
    assert maria_person.pk.bytes not in payload and maria_person.pk.hex.encode() not in payload
    assert ref != ref_found_by(signed_in(cast.registrar_b))  # a new reference each time


def test_a_request_shows_the_requester_only_the_holder_and_the_status(
    signed_in, cast, maria_person, asked
):
    response = signed_in(cast.registrar_b).get(URL)

    assert response.status_code == 200
    (request,) = response.json()["results"]
    assert request["status"] == "requested" and request["held_by"] == cast.hub_a.name
    assert request["person_id"] is None and request["person"] is None
    assert request["reason"] is None
    body = response.content.decode()
    assert "Шевчук" not in body and str(maria_person.pk) not in body and "1985" not in body


def test_the_holders_coordinator_sees_who_asks_and_why(signed_in, cast, maria_person, asked):
    response = signed_in(cast.coordinator_a).get(URL, {"direction": "incoming"})

    (request,) = response.json()["results"]
    assert request["requested_by_hub"] == cast.hub_b.name and request["reason"] == REASON
    assert request["person"]["last_name"] == "Шевчук"
    assert cast.registrar_b.username not in response.content.decode()


def test_the_request_is_audited_on_both_sides(cast, maria_person, asked):
    holder = AuditEvent.objects.get(event="registry.person.transfer_requested")
    requester = AuditEvent.objects.get(event="registry.transfer.requested")

    assert (holder.object_id, holder.community_id) == (str(maria_person.pk), cast.community_a.pk)
    assert (requester.object_id, requester.organisation_id) == (asked, cast.hub_b.pk)
    assert REASON not in holder.reason + requester.reason


def test_a_grant_moves_the_person_to_the_requesting_hub(
    signed_in, client, cast, maria_person, asked
):
    response = decide(signed_in(cast.coordinator_a), asked, grant=True, note="Передаємо")

    assert response.status_code == 200, response.content
    person = Person.objects.get(pk=maria_person.pk)
    assert (person.community, person.organisation) == (cast.community_b, cast.hub_b)
    assert person.version == 2
    assert signed_in(cast.registrar_a).get(f"/api/v1/persons/{person.pk}").status_code == 404
    b = signed_in(cast.registrar_b)
    (request,) = b.get(URL).json()["results"]
    assert request["status"] == "granted" and request["person_id"] == str(person.pk)
    assert b.get(f"/api/v1/persons/{person.pk}").json()["last_name"] == "Шевчук"
    holder = AuditEvent.objects.get(event="registry.person.transfer_granted")
    requester = AuditEvent.objects.get(event="registry.transfer.granted")
    assert holder.community_id == cast.community_a.pk
    assert requester.community_id == cast.community_b.pk


def test_after_a_grant_the_old_holder_no_longer_sees_the_person_in_its_requests(
    signed_in, cast, maria_person, asked
):
    coordinator = signed_in(cast.coordinator_a)
    decide(coordinator, asked, grant=True)

    (request,) = coordinator.get(URL, {"direction": "incoming"}).json()["results"]

    assert request["status"] == "granted" and request["person"] is None


def test_a_refusal_reveals_nothing_more(signed_in, cast, maria_person, asked):
    decide(signed_in(cast.coordinator_a), asked, grant=False, note="Особа не переїжджала")

    response = signed_in(cast.registrar_b).get(URL)

    (request,) = response.json()["results"]
    assert request["status"] == "refused" and request["person_id"] is None
    assert "переїжджала" not in response.content.decode()
    assert Person.objects.get(pk=maria_person.pk).community == cast.community_a
    assert AuditEvent.objects.filter(event__endswith="transfer_refused").count() == 1


def test_a_decision_is_made_once(signed_in, cast, maria_person, asked):
    coordinator = signed_in(cast.coordinator_a)
    decide(coordinator, asked, grant=False)

    error_of(decide(coordinator, asked, grant=True), 409, "transfer_already_decided")
    assert Person.objects.get(pk=maria_person.pk).community == cast.community_a


def test_only_the_holders_coordinator_decides(signed_in, cast, maria_person, asked):
    assert decide(signed_in(cast.registrar_a), asked, grant=True).status_code == 403
    assert decide(signed_in(cast.coordinator_b), asked, grant=True).status_code == 404
    assert signed_in(cast.registrar_a).get(URL, {"direction": "incoming"}).status_code == 403
    assert AccessTransfer.objects.get().status == TransferStatus.REQUESTED


def test_the_requester_may_cancel_and_then_nobody_decides(signed_in, cast, maria_person, asked):
    cancelled = signed_in(cast.registrar_b).post(f"{URL}/{asked}/cancel")

    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    error_of(
        decide(signed_in(cast.coordinator_a), asked, grant=True), 409, "transfer_already_decided"
    )


def test_a_grant_cancels_the_other_open_requests(cast, maria_person, asked):
    second_hub = OrganisationFactory(name="Другий хаб", slug="hub-b2", community=cast.community_b)
    registrar = MembershipFactory(
        role=Role.REGISTRAR, community=cast.community_b, organisation=second_hub
    ).user
    actor = actor_for(registrar)
    ref = selectors.transfer_ref_for(actor=actor, match=selectors.Match(maria_person, 1.0))
    other = services.transfer_request(actor=actor, transfer_ref=ref, reason="Інший запит")

    services.transfer_decide(actor=actor_for(cast.coordinator_a), transfer_id=asked, grant=True)

    other.refresh_from_db()
    assert other.status == TransferStatus.CANCELLED
    assert AuditEvent.objects.filter(event="registry.transfer.cancelled").count() == 1


def test_the_same_hub_cannot_ask_twice(signed_in, cast, maria_person, asked):
    b = signed_in(cast.registrar_b)

    error_of(ask(b, ref_found_by(b)), 409, "transfer_already_requested")
    assert AccessTransfer.objects.count() == 1


def _ref(user, person):
    return selectors.transfer_ref_for(actor=actor_for(user), match=selectors.Match(person, 1.0))


@pytest.mark.parametrize("problem", ["another user's", "tampered", "expired", "no reason"])
def test_a_bad_request_is_refused_by_field(signed_in, cast, maria_person, monkeypatch, problem):
    ref, reason, field = _ref(cast.registrar_b, maria_person), REASON, "transfer_ref"
    if problem == "another user's":
        ref = _ref(cast.coordinator_b, maria_person)
    elif problem == "tampered":
        ref = "A" + ref[1:]
    elif problem == "expired":
        monkeypatch.setattr(selectors, "TRANSFER_REF_MAX_AGE", timedelta(seconds=-1))
    else:
        reason, field = " ", "reason"

    response = ask(signed_in(cast.registrar_b), ref, reason)

    error = error_of(response, 422, "validation_error")
    assert [d["field"] for d in error["details"]] == [field]
    assert error["details"][0]["message"]
    assert not AccessTransfer.objects.exists()
    assert not AuditEvent.objects.filter(event__contains="transfer").exists()


def test_a_person_already_in_scope_is_not_asked_for(signed_in, cast, maria_person):
    response = ask(signed_in(cast.registrar_a), _ref(cast.registrar_a, maria_person))

    assert error_of(response, 422, "validation_error")["details"][0]["code"] == "already_yours"


def test_a_match_in_scope_or_for_a_reader_only_has_no_reference(signed_in, cast, maria_person):
    mine = signed_in(cast.registrar_a).get("/api/v1/persons/search", {"q": "Шевчук Марія"})

    assert mine.json()["results"][0]["transfer_ref"] is None
    no_write = actor_for(cast.analyst_a)
    assert (
        selectors.transfer_ref_for(actor=no_write, match=selectors.Match(maria_person, 1.0)) is None
    )


def test_roles_without_person_data_have_no_transfer_lists(signed_in, cast):
    for who in ("partner_staff_a", "analyst_a"):
        assert signed_in(getattr(cast, who)).get(URL).status_code == 403
