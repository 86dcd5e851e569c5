"""Referrals' pages through the Django client: sending from the card (consent explained and
recorded on the way), the partner inbox with only the shared data, the moves, the overdue list
and the person card's section."""

import re
from datetime import timedelta
from io import BytesIO
from urllib.parse import quote

import pytest
from django.utils.html import escape
from pypdf import PdfReader

from apps.access.actor import actor_for
from apps.audit.models import AuditEvent
from apps.referrals import rules
from apps.referrals.models import Referral
from apps.registry.models import Consent

pytestmark = pytest.mark.django_db


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_sending_explains_missing_consent_and_comes_back_after_recording_it(
    signed_in, cast, olena, jobs, counselling
):
    client = signed_in(cast.specialist_a)
    url = f"/referrals/new/{olena.pk}/?need=employment"
    html = page(client.get(url))
    assert "Потрібна згода особи" in html
    consent_link = f"/persons/{olena.pk}/consents/new/?next={quote(url, safe='')}"
    assert consent_link.replace("&", "&amp;") in html
    assert jobs.name in html and "відповідь до" in html

    response = client.post(
        url,
        {"need": "employment", "service": jobs.pk, "note": "Бухгалтерка", "idempotency_key": "k1"},
    )
    html = page(response)
    assert "потрібна чинна згода" in html
    assert not Referral.objects.exists()

    response = client.post(
        f"/persons/{olena.pk}/consents/new/",
        {"purpose": "Направлення до центру зайнятості", "scope": "partners", "next": url},
    )
    assert response.status_code == 302 and response["Location"] == url
    assert Consent.objects.filter(person=olena, scope="partners").exists()

    html = page(client.get(url))
    assert "Потрібна згода особи" not in html
    response = client.post(
        url,
        {
            "need": "employment",
            "service": jobs.pk,
            "note": "Бухгалтерка",
            "share_contact": "on",
            "idempotency_key": "k2",
        },
    )
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/referrals/{referral.pk}/"
    assert referral.shared == ["name", "contact", "need", "note"]
    # The same form sent twice: still one referral.
    again = client.post(
        url,
        {"need": "employment", "service": jobs.pk, "note": "Бухгалтерка", "idempotency_key": "k2"},
    )
    assert again["Location"] == f"/referrals/{referral.pk}/" and Referral.objects.count() == 1


def test_an_unsafe_next_is_ignored(signed_in, cast, olena):
    client = signed_in(cast.registrar_a)
    response = client.post(
        f"/persons/{olena.pk}/consents/new/",
        {"purpose": "Згода", "scope": "hub", "next": "https://evil.example/"},
    )
    assert response["Location"] == f"/persons/{olena.pk}/"


def test_a_service_not_accepting_asks_for_the_confirmation(signed_in, cast, olena, jobs, consent):
    consent(olena)
    jobs.accepting_referrals = False
    jobs.save()
    client = signed_in(cast.specialist_a)
    url = f"/referrals/new/{olena.pk}/?need=employment"
    html = page(client.get(url))
    assert "зараз не приймає направлень" in html and 'name="confirm_not_accepting"' in html
    html = page(client.post(url, {"need": "employment", "service": jobs.pk}))
    assert "Підтвердьте" in html and not Referral.objects.exists()
    response = client.post(
        url, {"need": "employment", "service": jobs.pk, "confirm_not_accepting": "on"}
    )
    assert response.status_code == 302 and Referral.objects.count() == 1


def test_the_partner_inbox_shows_only_its_referrals_and_shared_data(
    signed_in, cast, olena, taras, jobs, shelter, consent, send
):
    consent(olena)
    consent(taras)
    mine = send(
        cast.specialist_a, olena, jobs, note="Шукає роботу", shared=["name", "need", "note"]
    )
    other = send(cast.specialist_a, taras, shelter, need="housing")
    client = signed_in(cast.partner_staff_a)
    html = page(client.get("/referrals/inbox/"))
    assert mine.reference in html and other.reference not in html
    assert taras.last_name not in html

    html = page(client.get(f"/referrals/{mine.pk}/"))
    assert olena.full_name in html and "Шукає роботу" in html
    assert f"/persons/{olena.pk}/" not in html  # no way to the card
    assert "Прийняти" in html and "Скасувати направлення" not in html

    assert client.get(f"/referrals/{other.pk}/").status_code == 404
    assert client.get(f"/persons/{olena.pk}/").status_code in {403, 404}
    assert client.get(f"/referrals/new/{olena.pk}/").status_code == 403
    assert client.get("/requests/triage/").status_code == 403


def test_the_partner_accepts_and_completes_on_the_page(signed_in, cast, olena, jobs, consent, send):
    consent(olena)
    referral = send(cast.specialist_a, olena, jobs)
    client = signed_in(cast.partner_staff_a)
    url = f"/referrals/{referral.pk}/"
    client.post(url, {"to": "accepted", "version": 1})
    response = client.post(url, {"to": "completed", "version": 2})  # no outcome
    html = page(client.get(url))
    assert "Оберіть результат" in html
    client.post(url, {"to": "completed", "version": 2, "outcome": "met", "note": "Працює"})
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == ("completed", "met")
    html = page(signed_in(cast.specialist_a).get(url))
    assert "Потребу задоволено" in html and "Працює" in html
    assert response.status_code == 302


def test_a_stale_page_is_told_not_obeyed(signed_in, cast, olena, jobs, consent, send):
    consent(olena)
    referral = send(cast.specialist_a, olena, jobs)
    client = signed_in(cast.partner_staff_a)
    url = f"/referrals/{referral.pk}/"
    client.post(url, {"to": "accepted", "version": 1})
    client.post(url, {"to": "declined", "version": 1, "reason": "Немає місць"})
    html = page(client.get(url))
    assert "щойно змінив хтось інший" in html
    referral.refresh_from_db()
    assert referral.status == "accepted"


def test_the_overdue_list_of_the_hub(signed_in, cast, olena, taras, jobs, consent, send):
    consent(olena)
    consent(taras)
    late = send(cast.specialist_a, olena, jobs)
    fine = send(cast.specialist_a, taras, jobs)
    Referral.objects.filter(pk=late.pk).update(respond_by=rules.local_today() - timedelta(days=1))
    for user in (cast.specialist_a, cast.coordinator_a):
        html = page(signed_in(user).get("/referrals/?overdue=1"))
        assert late.reference in html and fine.reference not in html
        assert "прострочено" in html
    html = page(signed_in(cast.coordinator_a).get("/referrals/"))
    assert late.reference in html and fine.reference in html


def test_the_person_card_lists_the_referrals(signed_in, cast, olena, jobs, consent, send):
    consent(olena)
    referral = send(cast.specialist_a, olena, jobs)
    html = page(signed_in(cast.specialist_a).get(f"/persons/{olena.pk}/"))
    assert referral.reference in html and f"/referrals/new/{olena.pk}/" in html


def test_sending_from_a_request_takes_its_need(signed_in, cast, olena, jobs, consent, needs):
    from apps.intake import services as intake

    consent(olena)
    request = intake.request_create(
        actor=actor_for(cast.registrar_a),
        data={"person": str(olena.pk), "needs": ["employment"], "channel": "walk_in"},
    )
    client = signed_in(cast.specialist_a)
    assert f"/referrals/new/{olena.pk}/?request={request.pk}" in page(
        client.get(f"/requests/{request.pk}/")
    )
    html = page(client.get(f"/referrals/new/{olena.pk}/?request={request.pk}"))
    assert jobs.name in html
    client.post(
        f"/referrals/new/{olena.pk}/",
        {"need": "employment", "request": str(request.pk), "service": jobs.pk},
    )
    assert Referral.objects.get().request_id == request.pk


def _letter_text(response) -> str:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)


def test_the_letter_holds_only_the_shared_data_for_either_side(
    signed_in, cast, olena, taras, jobs, shelter, consent, send
):
    consent(olena)
    consent(taras)
    referral = send(
        cast.specialist_a, olena, jobs, note="Шукає роботу", shared=["name", "need", "note"]
    )
    other = send(cast.specialist_a, taras, shelter, need="housing")
    url = f"/referrals/{referral.pk}/letter.pdf"
    assert url in page(signed_in(cast.specialist_a).get(f"/referrals/{referral.pk}/"))

    partner = signed_in(cast.partner_staff_a)
    reads_before = AuditEvent.objects.filter(object_id=str(referral.pk)).count()
    text = _letter_text(partner.get(url))
    assert f"Направлення № {referral.reference}" in text
    assert olena.full_name in text and "Шукає роботу" in text
    assert jobs.name in text and referral.respond_by.strftime("%d.%m.%Y") in text
    assert str(olena.birth_date.year) not in text  # not shared, not printed
    assert AuditEvent.objects.filter(object_id=str(referral.pk)).count() == reads_before + 1

    assert partner.get(f"/referrals/{other.pk}/letter.pdf").status_code == 404
    assert signed_in(cast.registrar_b).get(url).status_code == 404
    assert olena.full_name in _letter_text(signed_in(cast.specialist_a).get(url))


def test_the_send_page_offers_no_staff_only_service_of_another_community(
    signed_in, cast, olena, jobs, needs
):
    from apps.directory.models import Visibility
    from apps.referrals.tests.conftest import make_service

    hidden = make_service(cast.hub_b, "Вінницька служба зайнятості", "employment")
    public = make_service(
        cast.hub_b, "Вінницький публічний центр", "employment", visibility=Visibility.PUBLIC
    )
    client = signed_in(cast.specialist_a)
    url = f"/referrals/new/{olena.pk}/?need=employment"
    html = page(client.get(url))
    assert jobs.name in html and public.name in html
    assert hidden.name not in html
    html = page(client.post(url, {"need": "employment", "service": hidden.pk, "note": "x"}))
    assert not Referral.objects.exists()
    assert hidden.name not in html


def test_the_history_names_the_other_sides_organisation_not_its_workers(
    signed_in, cast, olena, jobs, consent, send
):
    from apps.referrals import services

    consent(olena)
    referral = send(cast.specialist_a, olena, jobs)
    services.referral_transition(
        actor=actor_for(cast.partner_staff_a), referral_id=referral.pk, to="accepted"
    )
    hub_name = escape(cast.specialist_a.get_full_name())
    partner_name = escape(cast.partner_staff_a.get_full_name())

    html = page(signed_in(cast.partner_staff_a).get(f"/referrals/{referral.pk}/"))
    history = html[html.index('id="history-heading"') :]
    assert hub_name not in html and cast.hub_a.name in history
    assert partner_name in history
    html = page(signed_in(cast.specialist_a).get(f"/referrals/{referral.pk}/"))
    history = html[html.index('id="history-heading"') :]
    assert hub_name in history and partner_name not in history
    assert cast.partner_a.name in history


def test_long_lists_are_paged_and_the_overdue_filter_stays_on_every_page(
    signed_in, cast, olena, jobs, shelter, counselling, consent, send, monkeypatch
):
    from apps.referrals import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    consent(olena)
    late = [
        send(cast.specialist_a, olena, jobs),
        send(cast.specialist_a, olena, jobs, need="retraining"),
        send(cast.specialist_a, olena, shelter, need="housing"),
    ]
    fine = send(cast.specialist_a, olena, counselling, need="psychological_support")
    Referral.objects.filter(pk__in=[r.pk for r in late]).update(
        respond_by=rules.local_today() - timedelta(days=1)
    )
    client = signed_in(cast.coordinator_a)
    first = page(client.get("/referrals/?overdue=on"))
    assert re.search(r"\b3 направлен", first) and "Сторінка 1 з 2" in first
    assert 'href="?overdue=on&amp;page=2"' in first
    second = page(client.get("/referrals/?overdue=on&page=2"))
    shown = [r.reference for r in late if r.reference in first + second]
    assert sorted(shown) == sorted(r.reference for r in late)
    assert sum(r.reference in second for r in late) == 1
    assert fine.reference not in first + second
    assert 'rel="prev"' in second

    inbox = signed_in(cast.partner_staff_a).get("/referrals/inbox/")
    assert "Сторінка 1 з 1" not in page(inbox)  # two of them: one page, no links


def test_after_the_consent_is_withdrawn_the_partner_no_longer_sees_the_contact(
    signed_in, cast, olena, jobs, consent, send
):
    from apps.registry.models import PersonPhone

    PersonPhone.objects.create(person=olena, number="+380671234567", is_primary=True)
    recorded = consent(olena)
    referral = send(cast.specialist_a, olena, jobs)
    partner = signed_in(cast.partner_staff_a)
    assert "+380671234567" in page(partner.get(f"/referrals/{referral.pk}/"))

    hub = signed_in(cast.registrar_a)
    response = hub.post(f"/persons/{olena.pk}/consents/{recorded.pk}/withdraw/")
    assert response.status_code in (302, 303), response.status_code
    partner = signed_in(cast.partner_staff_a)
    html = page(partner.get(f"/referrals/{referral.pk}/"))
    assert "+380671234567" not in html
    assert "відкликала згоду" in html and cast.hub_a.name in html
    assert escape(cast.registrar_a.get_full_name()) not in html


def test_a_community_wide_specialist_cannot_answer_for_a_partner(
    signed_in, cast, olena, jobs, consent, send
):
    from apps.access.roles import Role
    from apps.access.tests.factories import MembershipFactory

    MembershipFactory(user=cast.specialist_a, role=Role.SPECIALIST, community=cast.community_a)
    consent(olena)
    referral = send(cast.specialist_a, olena, jobs)
    client = signed_in(cast.specialist_a)
    url = f"/referrals/{referral.pk}/"
    html = page(client.get(url))
    assert 'value="accepted"' not in html and 'value="cancelled"' in html
    response = client.post(url, {"to": "accepted", "version": 1})
    assert response.status_code == 403
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_a_draft_is_saved_without_consent_and_sent_from_its_page_once_consent_is_recorded(
    signed_in, cast, olena, jobs
):
    from django.test import Client

    from conftest import sign_in

    client = signed_in(cast.specialist_a)
    url = f"/referrals/new/{olena.pk}/?need=employment"
    assert "Зберегти чернетку" in page(client.get(url))
    response = client.post(
        url,
        {"need": "employment", "service": jobs.pk, "idempotency_key": "d1", "save_draft": "1"},
    )
    draft = Referral.objects.get()
    assert response.status_code == 302 and draft.status == "draft"
    html = page(client.get(f"/referrals/{draft.pk}/"))
    assert "Це чернетка" in html and "Потрібна згода особи" in html
    assert "Лист-направлення (PDF)" not in html
    assert client.get(f"/referrals/{draft.pk}/letter.pdf").status_code == 302
    partner = sign_in(Client(), cast.partner_staff_a)  # the partner does not see it
    assert draft.reference not in page(partner.get("/referrals/inbox/"))
    assert partner.get(f"/referrals/{draft.pk}/").status_code == 404

    client.post(
        f"/persons/{olena.pk}/consents/new/",
        {"purpose": "Направлення до центру зайнятості", "scope": "partners"},
    )
    html = page(client.get(f"/referrals/{draft.pk}/"))
    assert "Потрібна згода особи" not in html and 'name="share_contact"' in html
    response = client.post(
        f"/referrals/{draft.pk}/",
        {"to": "sent", "version": draft.version, "share_contact": "on"},
    )
    draft.refresh_from_db()
    assert (draft.status, "contact" in draft.shared) == ("sent", True)
    assert draft.reference in page(partner.get("/referrals/inbox/"))


def test_a_list_page_records_a_read_of_each_referral_it_shows(
    signed_in, cast, olena, taras, jobs, send, consent
):
    consent(olena)
    consent(taras)
    shown = {send(cast.specialist_a, olena, jobs).pk, send(cast.specialist_a, taras, jobs).pk}
    page(signed_in(cast.partner_staff_a).get("/referrals/inbox/"))
    listed = AuditEvent.objects.filter(event="referrals.referral.listed")
    assert {e.object_id for e in listed} == {str(pk) for pk in shown}
    assert {e.actor for e in listed} == {cast.partner_staff_a}


def test_the_send_page_says_when_a_service_may_not_suit_the_person(
    signed_in, cast, olena, jobs, counselling
):
    """A service only for combatants, or only for people under 35: the specialist is told
    before sending, not refused."""
    jobs.eligible_categories = ["UBD"]
    jobs.save()
    html = page(signed_in(cast.specialist_a).get(f"/referrals/new/{olena.pk}/?need=employment"))
    assert html.count("особа може не підходити") == 1
    jobs.eligible_categories = []
    jobs.maximum_age = olena.age_on(rules.local_today()) - 1
    jobs.save()
    html = page(signed_in(cast.specialist_a).get(f"/referrals/new/{olena.pk}/?need=employment"))
    assert html.count("особа може не підходити") == 1
    jobs.maximum_age = None
    jobs.save()
    html = page(signed_in(cast.specialist_a).get(f"/referrals/new/{olena.pk}/?need=employment"))
    assert "особа може не підходити" not in html
