"""Referrals through the API, as the issue fixes it: send (201, 200 for a repeat, 422 naming
consent or the confirmation), list by direction and status, read, and move (200, 409) — the
partner with a personal access token."""

import json

import pytest

from apps.access.actor import actor_for
from apps.access.services import token_create
from apps.api.tests.helpers import bearer, error_of
from apps.audit.models import Action, AuditEvent
from apps.delivery.models import ServiceDelivery
from apps.referrals.models import Referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(cast):
    """``token(user)`` → the ``Authorization`` header of a fresh personal access token."""

    def make(user):
        _token, raw = token_create(actor=actor_for(user), name="Інтеграція")
        return bearer(raw)

    return make


def post(client, url, data, **headers):
    return client.post(url, data=json.dumps(data), content_type="application/json", **headers)


def body(person, service, **more):
    return {
        "person": str(person.pk),
        "service": service.pk,
        "need": "employment",
        "note": "Шукає роботу",
        **more,
    }


def test_send_without_consent_is_422_naming_consent(client, cast, olena, jobs, token):
    response = post(client, "/api/v1/referrals", body(olena, jobs), **token(cast.specialist_a))
    error = error_of(response, 422, "consent_required")
    assert "згод" in error["message"]
    assert [d["field"] for d in error["details"]] == ["consent"]
    assert not Referral.objects.exists()


def test_send_to_a_service_not_accepting_needs_the_confirmation(
    client, cast, olena, jobs, consent, token
):
    consent(olena)
    jobs.accepting_referrals = False
    jobs.save()
    auth = token(cast.specialist_a)
    response = post(client, "/api/v1/referrals", body(olena, jobs), **auth)
    error_of(response, 422, "service_not_accepting_referrals")
    confirmed = body(olena, jobs, confirm_not_accepting=True)
    response = post(client, "/api/v1/referrals", confirmed, **auth)
    assert response.status_code == 201, response.content


def test_bad_fields_are_422_by_field(client, cast, token):
    response = post(
        client,
        "/api/v1/referrals",
        {"person": "nobody", "service": "no-such", "need": ""},
        **token(cast.specialist_a),
    )
    error = error_of(response, 422, "validation_error")
    assert {d["field"] for d in error["details"]} == {"person", "service", "need"}


def test_the_closed_loop_through_the_api(client, cast, olena, jobs, consent, token):
    consent(olena)
    hub, partner = token(cast.specialist_a), token(cast.partner_staff_a)
    key = {"HTTP_IDEMPOTENCY_KEY": "crm-4711"}
    response = post(client, "/api/v1/referrals", body(olena, jobs), **hub, **key)
    assert response.status_code == 201, response.content
    sent = response.json()
    assert sent["status"] == "sent" and sent["reference"].startswith("НП-")
    assert sent["person_id"] == str(olena.pk) and sent["direction"] == "outgoing"
    assert sent["respond_by"] and sent["complete_by"]

    again = post(client, "/api/v1/referrals", body(olena, jobs), **hub, **key)
    assert again.status_code == 200 and again.json()["id"] == sent["id"]
    assert Referral.objects.count() == 1

    inbox = client.get("/api/v1/referrals?direction=incoming&status=sent", **partner).json()
    assert inbox["count"] == 1
    seen = inbox["results"][0]
    assert seen["id"] == sent["id"] and seen["direction"] == "incoming"
    assert seen["person"]["name"] == "Ковальчук Олена"
    one = client.get(f"/api/v1/referrals/{sent['id']}", **partner).json()
    assert one["person_id"] is None and one["request"] is None  # only what was shared
    assert one["note"] == "Шукає роботу"

    url = f"/api/v1/referrals/{sent['id']}/transitions"
    response = post(client, url, {"to": "completed", "outcome": "met"}, **partner)
    error = error_of(response, 409, "transition_not_allowed")
    assert error["details"] == [{"field": "to", "from": "sent", "to": "completed"}]

    accepted = post(client, url, {"to": "accepted"}, **partner)
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    done = post(client, url, {"to": "completed", "outcome": "met", "note": "Працює"}, **partner)
    assert done.status_code == 200, done.content
    assert (done.json()["status"], done.json()["outcome"]) == ("completed", "met")
    assert [h["to_status"] for h in done.json()["history"]] == ["sent", "accepted", "completed"]
    assert ServiceDelivery.objects.filter(source_id=sent["id"]).count() == 1

    closed = client.get(f"/api/v1/referrals/{sent['id']}", **hub).json()
    assert closed["status"] == "completed" and closed["outcome_note"] == "Працює"
    reads = AuditEvent.objects.filter(action=Action.READ, object_id=sent["id"])
    assert {e.actor for e in reads} == {cast.specialist_a, cast.partner_staff_a}


def test_each_side_and_nobody_else(client, cast, olena, jobs, consent, send, token):
    consent(olena)
    referral = send(cast.specialist_a, olena, jobs)
    url = f"/api/v1/referrals/{referral.pk}/transitions"
    error_of(
        post(client, url, {"to": "cancelled", "reason": "?"}, **token(cast.partner_staff_a)),
        403,
        "permission_denied",
    )
    error_of(
        post(client, url, {"to": "accepted"}, **token(cast.specialist_a)), 403, "permission_denied"
    )
    error_of(
        client.get(f"/api/v1/referrals/{referral.pk}", **token(cast.registrar_b)), 404, "not_found"
    )
    assert client.get("/api/v1/referrals", **token(cast.registrar_b)).json()["count"] == 0
    error_of(
        post(client, url, {"to": "expired"}, **token(cast.specialist_a)), 422, "validation_error"
    )
    error_of(
        client.get("/api/v1/referrals?status=lost", **token(cast.specialist_a)),
        422,
        "validation_error",
    )
    # An analyst has no referrals at all.
    error_of(client.get("/api/v1/referrals", **token(cast.analyst_a)), 403, "permission_denied")


def test_a_partner_reaches_no_person_and_no_request(
    client, cast, olena, jobs, consent, send, token
):
    consent(olena)
    send(cast.specialist_a, olena, jobs)
    partner = token(cast.partner_staff_a)
    assert client.get(f"/api/v1/persons/{olena.pk}", **partner).status_code in {403, 404}
    assert client.get(f"/api/v1/persons/{olena.pk}/consents", **partner).status_code in {403, 404}
    assert client.get("/api/v1/requests", **partner).status_code == 403
    outgoing = client.get("/api/v1/referrals?direction=outgoing", **partner).json()
    assert outgoing["count"] == 0


def test_another_communitys_staff_only_service_is_not_found_like_an_unknown_one(
    client, cast, olena, consent, token, needs
):
    from apps.directory.models import Visibility
    from apps.referrals.tests.conftest import make_service

    consent(olena)
    hidden = make_service(cast.hub_b, "Вінницька служба (лише для працівників)", "employment")
    public = make_service(
        cast.hub_b, "Вінницька публічна служба", "employment", visibility=Visibility.PUBLIC
    )
    auth = token(cast.specialist_a)
    for service in (hidden.pk, str(hidden.uuid)):
        response = post(
            client, "/api/v1/referrals", {**body(olena, hidden), "service": service}, **auth
        )
        error = error_of(response, 422, "validation_error")
        assert [(d["field"], d["code"]) for d in error["details"]] == [("service", "not_found")]
    assert not Referral.objects.exists()
    # A published service of another community stays open to referrals.
    response = post(client, "/api/v1/referrals", body(olena, public), **auth)
    assert response.status_code == 201


def test_a_repeated_move_is_answered_200_with_the_referral_as_it_is(
    client, cast, olena, jobs, consent, send, token
):
    consent(olena)
    referral = send(cast.specialist_a, olena, jobs)
    partner = token(cast.partner_staff_a)
    url = f"/api/v1/referrals/{referral.pk}/transitions"
    first = post(client, url, {"to": "accepted", "version": 1}, **partner)
    assert first.status_code == 200
    again = post(client, url, {"to": "accepted", "version": 1}, **partner)  # a retried request
    assert again.status_code == 200, again.content
    assert (
        again.json()["status"] == "accepted" and again.json()["version"] == first.json()["version"]
    )
    assert [h["to_status"] for h in again.json()["history"]] == ["sent", "accepted"]

    done = {"to": "completed", "outcome": "met"}
    assert post(client, url, done, **partner).status_code == 200
    assert post(client, url, done, **partner).status_code == 200
    other = post(client, url, {"to": "completed", "outcome": "not_met"}, **partner)
    error_of(other, 409, "transition_not_allowed")
    history = client.get(f"/api/v1/referrals/{referral.pk}", **partner).json()["history"]
    assert [h["to_status"] for h in history] == ["sent", "accepted", "completed"]
    assert ServiceDelivery.objects.count() == 1


def test_each_side_sees_the_other_sides_workers_as_their_organisation_only(
    client, cast, olena, jobs, consent, send, token
):
    consent(olena)
    referral = send(cast.specialist_a, olena, jobs)
    partner, hub = token(cast.partner_staff_a), token(cast.specialist_a)
    post(client, f"/api/v1/referrals/{referral.pk}/transitions", {"to": "accepted"}, **partner)

    seen_by_partner = client.get(f"/api/v1/referrals/{referral.pk}", **partner).json()
    assert [h["actor"] for h in seen_by_partner["history"]] == [cast.hub_a.name, "partner.a"]
    assert "specialist.a" not in json.dumps(seen_by_partner)
    seen_by_hub = client.get(f"/api/v1/referrals/{referral.pk}", **hub).json()
    assert [h["actor"] for h in seen_by_hub["history"]] == ["specialist.a", cast.partner_a.name]


def test_a_community_wide_specialist_cannot_answer_for_a_partner(
    client, cast, olena, jobs, consent, send, token
):
    from apps.access.roles import Role
    from apps.access.tests.factories import MembershipFactory

    MembershipFactory(user=cast.specialist_a, role=Role.SPECIALIST, community=cast.community_a)
    consent(olena)
    referral = send(cast.specialist_a, olena, jobs)
    url = f"/api/v1/referrals/{referral.pk}/transitions"
    error_of(
        post(client, url, {"to": "accepted"}, **token(cast.specialist_a)), 403, "permission_denied"
    )
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_a_draft_through_the_api_is_the_hubs_until_sent(client, cast, olena, jobs, consent, token):
    specialist, partner = token(cast.specialist_a), token(cast.partner_staff_a)
    response = post(client, "/api/v1/referrals", body(olena, jobs, draft=True), **specialist)
    assert response.status_code == 201, response.content
    draft = response.json()
    assert (draft["status"], draft["respond_by"]) == ("draft", None)
    url = f"/api/v1/referrals/{draft['id']}"
    assert client.get(url, **partner).status_code == 404
    assert client.get("/api/v1/referrals?direction=incoming", **partner).json()["count"] == 0

    response = post(client, f"{url}/transitions", {"to": "sent"}, **specialist)
    assert error_of(response, 422, "consent_required")["details"][0]["field"] == "consent"
    consent(olena)
    response = post(
        client, f"{url}/transitions", {"to": "sent", "shared": ["contact"]}, **specialist
    )
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["respond_by"] is not None) == ("sent", True)
    assert client.get(url, **partner).json()["status"] == "sent"
    response = post(client, f"{url}/transitions", {"to": "sent"}, **partner)
    assert response.status_code == 403


def test_a_list_records_a_read_of_each_referral_on_the_page_only(
    client, cast, olena, taras, jobs, consent, send, token
):
    consent(olena)
    consent(taras)
    send(cast.specialist_a, olena, jobs)
    newest = send(cast.specialist_a, taras, jobs)
    response = client.get("/api/v1/referrals?limit=1", **token(cast.coordinator_a))
    assert response.json()["count"] == 2
    listed = AuditEvent.objects.filter(event="referrals.referral.listed", action=Action.READ)
    assert [e.object_id for e in listed] == [str(newest.pk)]
