"""Intake through the API: status codes, the one error shape (422 by field, 409 with a code),
the scope and the audit trail."""

from datetime import timedelta

import pytest

from apps.audit.models import Action, AuditEvent
from apps.intake.models import Appointment, Request

from .conftest import at, next_monday

pytestmark = pytest.mark.django_db


def post(client, url, data):
    return client.post(url, data=data, content_type="application/json")


def error_of(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code and error["message"] and "request_id" in error
    return error


@pytest.fixture
def recorded(signed_in, cast, olena, needs):
    response = post(
        signed_in(cast.registrar_a),
        "/api/v1/requests",
        {
            "person": str(olena.pk),
            "needs": ["housing", "employment", "psychological_support"],
            "channel": "walk_in",
            "urgency": "urgent",
            "description": "Шукає житло й роботу.",
        },
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_record_a_request_and_read_it(signed_in, cast, recorded, olena):
    assert recorded["status"] == "new" and recorded["version"] == 1
    assert recorded["person"] == {"id": str(olena.pk), "name": "Ковальчук Олена"}
    assert recorded["needs"] == ["housing", "employment", "psychological_support"]
    assert [e["kind"] for e in recorded["history"]] == ["created"]

    response = signed_in(cast.specialist_a).get(f"/api/v1/requests/{recorded['id']}")

    assert response.status_code == 200 and response.json()["urgency"] == "urgent"
    reads = AuditEvent.objects.filter(action=Action.READ, object_id=recorded["id"])
    assert set(reads.values_list("actor__username", flat=True)) == {"registrar.a", "specialist.a"}


def test_bad_input_answers_422_by_field(signed_in, cast, olena, needs):
    response = post(
        signed_in(cast.registrar_a),
        "/api/v1/requests",
        {"person": str(olena.pk), "needs": ["housing", "nope"], "channel": "fax"},
    )
    error = error_of(response, 422, "validation_error")
    assert {d["field"] for d in error["details"]} == {"needs[1]", "channel"}
    assert not Request.objects.exists()


def test_list_filters_and_needs(signed_in, cast, recorded, olena):
    client = signed_in(cast.registrar_a)
    listed = client.get(f"/api/v1/requests?person={olena.pk}&status=new").json()
    assert [r["id"] for r in listed["results"]] == [recorded["id"]] and listed["count"] == 1
    assert client.get("/api/v1/requests?status=closed").json()["count"] == 0
    codes = [n["code"] for n in client.get("/api/v1/needs").json()]
    assert {"housing", "employment", "psychological_support", "legal_aid"} <= set(codes)


def test_a_stale_patch_gets_409_with_both_values(signed_in, cast, recorded):
    url = f"/api/v1/requests/{recorded['id']}"
    first = signed_in(cast.specialist_a).patch(
        url, data={"version": 1, "urgency": "critical"}, content_type="application/json"
    )
    assert first.status_code == 200 and first.json()["version"] == 2

    second = signed_in(cast.registrar_a).patch(
        url, data={"version": 1, "urgency": "normal"}, content_type="application/json"
    )

    error = error_of(second, 409, "edit_conflict")
    assert error["details"] == [
        {"field": "urgency", "yours": "normal", "theirs": "critical"},
        {"field": "version", "yours": 1, "theirs": 2},
    ]
    assert Request.objects.get(pk=recorded["id"]).urgency == "critical"


def test_transitions_and_assign(signed_in, cast, recorded):
    client = signed_in(cast.coordinator_a)
    url = f"/api/v1/requests/{recorded['id']}"

    refused = post(client, f"{url}/transitions", {"to": "new", "version": 1})
    error_of(refused, 409, "transition_not_allowed")
    assigned = post(client, f"{url}/assign", {"assigned_to": cast.specialist_a.pk, "version": 1})
    assert assigned.status_code == 200, assigned.content
    assert assigned.json()["status"] == "triaged"
    assert assigned.json()["assigned_to"]["id"] == str(cast.specialist_a.pk)
    no_reason = post(client, f"{url}/transitions", {"to": "closed", "version": 2})
    assert [d["field"] for d in error_of(no_reason, 422, "validation_error")["details"]] == [
        "reason"
    ]
    closed = post(
        client, f"{url}/transitions", {"to": "closed", "reason": "referred", "version": 2}
    )
    assert closed.json()["status"] == "closed" and closed.json()["close_reason"] == "referred"


def test_slots_book_and_slot_taken(signed_in, cast, recorded, taras):
    client = signed_in(cast.registrar_a)
    day = next_monday()
    slots = client.get(f"/api/v1/appointments/slots?specialist={cast.specialist_a.pk}&date={day}")
    assert slots.status_code == 200 and len(slots.json()["slots"]) == 12
    first_slot = slots.json()["slots"][0]["starts_at"]

    booked = post(
        client,
        "/api/v1/appointments",
        {"specialist": cast.specialist_a.pk, "starts_at": first_slot, "request": recorded["id"]},
    )
    assert booked.status_code == 201, booked.content
    assert booked.json()["kind"] == "primary_consultation"

    taken = post(
        client,
        "/api/v1/appointments",
        {"specialist": cast.specialist_a.pk, "starts_at": first_slot, "person": str(taras.pk)},
    )
    error = error_of(taken, 409, "slot_taken")
    assert [d["field"] for d in error["details"]] == ["specialist"]

    cancelled = post(client, f"/api/v1/appointments/{booked.json()['id']}/cancel", {})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = post(client, f"/api/v1/appointments/{booked.json()['id']}/cancel", {})
    error_of(again, 409, "not_booked")


def test_bad_booking_input_answers_422(signed_in, cast, olena):
    response = post(
        signed_in(cast.registrar_a),
        "/api/v1/appointments",
        {
            "specialist": cast.registrar_a.pk,
            "person": str(olena.pk),
            "starts_at": (at(next_monday(), 9) - timedelta(days=30)).isoformat(),
        },
    )
    error = error_of(response, 422, "validation_error")
    assert {d["field"] for d in error["details"]} == {"starts_at"}
    assert not Appointment.objects.exists()


def test_community_b_gets_404_and_partner_and_analyst_403(signed_in, cast, recorded):
    url = f"/api/v1/requests/{recorded['id']}"
    error_of(signed_in(cast.registrar_b).get(url), 404, "not_found")
    error_of(
        post(signed_in(cast.registrar_b), f"{url}/transitions", {"to": "triaged", "version": 1}),
        404,
        "not_found",
    )
    for who in ("partner_staff_a", "analyst_a"):
        error_of(signed_in(getattr(cast, who)).get("/api/v1/requests"), 403, "permission_denied")
        error_of(signed_in(getattr(cast, who)).get(url), 404, "not_found")
    assert Request.objects.get(pk=recorded["id"]).status == "new"


@pytest.mark.parametrize(
    ("action", "body"),
    [("assign", {"assigned_to": None}), ("transitions", {"to": "triaged"})],
)
def test_a_change_without_its_version_is_refused_by_field(signed_in, cast, recorded, action, body):
    response = post(
        signed_in(cast.coordinator_a), f"/api/v1/requests/{recorded['id']}/{action}", body
    )

    error = error_of(response, 422, "validation_error")
    assert [d["field"] for d in error["details"]] == ["version"]
    assert Request.objects.get(pk=recorded["id"]).version == 1


def test_the_second_of_two_assignments_made_on_the_same_version_gets_409(
    signed_in, cast, staff, recorded
):
    client = signed_in(cast.coordinator_a)
    url = f"/api/v1/requests/{recorded['id']}/assign"
    first = post(client, url, {"assigned_to": cast.specialist_a.pk, "version": 1})
    assert first.status_code == 200, first.content

    second = post(client, url, {"assigned_to": cast.psychologist_a.pk, "version": 1})

    error = error_of(second, 409, "edit_conflict")
    assert error["details"][-1] == {"field": "version", "yours": 1, "theirs": 2}
    assert Request.objects.get(pk=recorded["id"]).assigned_to == cast.specialist_a
