"""Intake's pages through the Django test client: the queue, the form of a new request, the
request page's actions, booking; the scope and the conflicts users would notice."""

from datetime import datetime

import pytest
from django.urls import reverse

from apps.audit.models import Action, AuditEvent
from apps.intake.models import Appointment, AppointmentStatus, Request, Status

from .conftest import at, next_monday

pytestmark = pytest.mark.django_db


@pytest.fixture
def a_request(cast, olena, make_request):
    return make_request(cast.registrar_a, olena, urgency="urgent", description="Потрібне житло.")


def detail(r) -> str:
    return reverse("intake:request-detail", args=[r.pk])


def test_triage_lists_the_hubs_open_requests(signed_in, cast, olena, taras, make_request):
    make_request(cast.registrar_a, olena, urgency="normal")
    make_request(cast.registrar_a, taras, urgency="critical")

    response = signed_in(cast.specialist_a).get(reverse("intake:triage"))

    body = response.content.decode()
    assert response.status_code == 200
    assert body.index("Мельник Тарас") < body.index("Ковальчук Олена")  # critical first
    assert "Черга звернень" in body and 'aria-current="page"' in body


def test_partner_and_analyst_have_no_queue_and_no_link(signed_in, cast):
    for who in ("partner_staff_a", "analyst_a"):
        client = signed_in(getattr(cast, who))
        assert client.get(reverse("intake:triage")).status_code == 403
        assert reverse("intake:triage") not in client.get("/").content.decode()


def test_record_a_request_from_the_form(signed_in, cast, olena, needs):
    client = signed_in(cast.registrar_a)
    url = reverse("intake:request-new", args=[olena.pk])
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "needs": ["housing", "employment", "psychological_support"],
            "channel": "walk_in",
            "urgency": "normal",
            "description": "Родина з двома дітьми.",
        },
    )

    request = Request.objects.get()
    assert response.status_code == 302 and response.url == detail(request)
    assert request.person == olena and request.organisation == cast.hub_a
    page = client.get(response.url).content.decode()
    assert "Звернення записано." in page and "Психологічна підтримка" in page


def test_the_form_shows_errors_by_field_and_saves_nothing(signed_in, cast, olena, needs):
    response = signed_in(cast.registrar_a).post(
        reverse("intake:request-new", args=[olena.pk]),
        {"channel": "", "urgency": "normal", "due_date": "2000-01-01"},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_needs"' in body and 'href="#id_channel"' in body
    assert 'href="#id_due_date"' in body and "Строк не може бути в минулому." in body
    assert not Request.objects.exists()


def test_a_person_of_another_community_has_no_form(signed_in, cast, bohdana, needs):
    response = signed_in(cast.registrar_a).get(reverse("intake:request-new", args=[bohdana.pk]))
    assert response.status_code == 404


def test_the_request_page_shows_history_and_acts(signed_in, cast, a_request):
    client = signed_in(cast.coordinator_a)
    page = client.get(detail(a_request)).content.decode()
    assert "Потрібне житло." in page and "Звернення записано" in page

    client.post(
        detail(a_request),
        {"action": "assign", "assigned_to": cast.specialist_a.pk, "version": 1},
    )
    client.post(detail(a_request), {"action": "transition", "to": "in_work", "version": 2})
    response = client.post(
        detail(a_request),
        {"action": "transition", "to": "closed", "reason": "resolved", "version": 3},
    )

    a_request.refresh_from_db()
    assert (a_request.status, a_request.assigned_to) == (Status.CLOSED, cast.specialist_a)
    page = client.get(response.url).content.decode()
    assert "Стан звернення змінено." in page and "Потребу задоволено" in page
    assert "Відкрити знову" in page


def test_a_stale_page_does_not_overwrite(signed_in, cast, a_request):
    client = signed_in(cast.coordinator_a)
    client.post(detail(a_request), {"action": "transition", "to": "triaged", "version": 1})

    response = client.post(
        detail(a_request),
        {"action": "transition", "to": "closed", "reason": "duplicate", "version": 1},
        follow=True,
    )

    a_request.refresh_from_db()
    assert a_request.status == Status.TRIAGED
    assert "щойно змінив хтось інший" in response.content.decode()


def test_another_community_cannot_open_or_act(signed_in, cast, a_request):
    client = signed_in(cast.registrar_b)
    assert client.get(detail(a_request)).status_code == 404
    response = client.post(detail(a_request), {"action": "transition", "to": "triaged"})
    assert response.status_code == 404
    assert Request.objects.get(pk=a_request.pk).status == Status.NEW


def test_book_a_primary_consultation(signed_in, cast, a_request):
    client = signed_in(cast.registrar_a)
    url = reverse("intake:appointment-book", args=[a_request.pk])
    day = next_monday()
    page = client.get(url, {"specialist": cast.specialist_a.pk, "date": day.isoformat()})
    assert page.status_code == 200 and "09:00–09:45" in page.content.decode()
    slot = page.context["book"].fields["slot"].choices[1][0]

    response = client.post(
        url, {"specialist": cast.specialist_a.pk, "date": day.isoformat(), "slot": slot}
    )

    assert response.status_code == 302 and response.url == detail(a_request)
    appointment = Appointment.objects.get()
    assert appointment.starts_at == datetime.fromisoformat(slot)
    assert appointment.request == a_request
    taken = client.post(
        url, {"specialist": cast.specialist_a.pk, "date": day.isoformat(), "slot": slot}
    )
    assert taken.status_code == 200 and Appointment.objects.count() == 1
    assert "Цей час уже зайнятий або минув. Оберіть інший." in taken.content.decode()

    client.post(detail(a_request), {"action": "cancel", "appointment": appointment.pk})
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED


def reads_of(*objects) -> int:
    ids = [str(o.pk) for o in objects]
    return AuditEvent.objects.filter(action=Action.READ, object_id__in=ids).count()


def test_the_new_request_form_shows_the_person_after_an_audited_read(signed_in, cast, olena, needs):
    client = signed_in(cast.registrar_a)
    before = reads_of(olena)

    page = client.get(reverse("intake:request-new", args=[olena.pk]))

    assert page.status_code == 200 and "Ковальчук Олена" in page.content.decode()
    assert reads_of(olena) == before + 1


def test_the_booking_page_shows_the_person_after_an_audited_read(signed_in, cast, a_request):
    client = signed_in(cast.registrar_a)
    before = reads_of(a_request)

    page = client.get(reverse("intake:appointment-book", args=[a_request.pk]))

    assert page.status_code == 200 and "Ковальчук Олена" in page.content.decode()
    assert reads_of(a_request) == before + 1


def test_the_request_page_cancels_only_its_own_appointments(
    signed_in, cast, olena, taras, make_request, book, a_request
):
    other = make_request(cast.registrar_a, taras)
    elsewhere = book(
        cast.registrar_a, cast.specialist_a, at(next_monday(), 10), request=str(other.pk)
    )
    client = signed_in(cast.registrar_a)

    response = client.post(detail(a_request), {"action": "cancel", "appointment": elsewhere.pk})

    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.status == AppointmentStatus.BOOKED
