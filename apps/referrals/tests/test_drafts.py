"""Drafts: a referral the hub writes now and sends later (for instance once the person has
given consent). The receiver never sees a draft; consent, the service's intake and the
deadlines count from the day it is sent."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from apps.access.actor import actor_for
from apps.audit.models import AuditEvent
from apps.referrals import rules, selectors, services
from apps.referrals.models import Referral, Status
from apps.registry.models import PersonPhone

pytestmark = pytest.mark.django_db


def draft(user, person, service, need="employment", **data):
    data = {"person": str(person.pk), "service": service.pk, "need": need, **data}
    referral, created = services.referral_send(actor=actor_for(user), data=data, draft=True)
    assert created
    return referral


def test_a_draft_needs_no_consent_yet_and_starts_no_clock(cast, olena, jobs):
    saved = draft(cast.specialist_a, olena, jobs, note="Шукає роботу.")
    assert saved.status == Status.DRAFT
    assert (saved.sent_at, saved.respond_by, saved.complete_by) == (None, None, None)
    assert saved.shared_person == {}  # nothing is copied for the receiver before sending
    assert saved.events.get().to_status == Status.DRAFT
    assert AuditEvent.objects.filter(
        event="referrals.referral.drafted", object_id=str(saved.pk)
    ).exists()


def test_the_receiver_never_sees_a_draft(cast, olena, jobs):
    saved = draft(cast.specialist_a, olena, jobs)
    partner = actor_for(cast.partner_staff_a)
    assert list(selectors.incoming(actor=partner)) == []
    assert list(selectors.referral_list(actor=partner)) == []
    assert list(selectors.referral_list(actor=partner, status=Status.DRAFT)) == []
    with pytest.raises(Http404):
        selectors.referral_read(actor=partner, referral_id=saved.pk)
    with pytest.raises(Http404):
        services.referral_transition(actor=partner, referral_id=saved.pk, to=Status.ACCEPTED)
    # The hub sees its draft among its outgoing referrals.
    hub = actor_for(cast.coordinator_a)
    assert list(selectors.outgoing(actor=hub, status=Status.DRAFT)) == [saved]


def test_sending_a_draft_checks_consent_then_starts_the_deadlines(
    cast, olena, jobs, consent, monkeypatch
):
    PersonPhone.objects.create(person=olena, number="+380671234567")
    saved = draft(cast.specialist_a, olena, jobs)
    specialist = actor_for(cast.specialist_a)
    with pytest.raises(ValidationError) as refused:
        services.draft_send(actor=specialist, referral_id=saved.pk)
    assert [e.code for e in refused.value.error_dict["consent"]] == [services.CONSENT_REQUIRED]
    assert Referral.objects.get(pk=saved.pk).status == Status.DRAFT
    with pytest.raises(ValidationError) as refused:  # nor may the contact go without it
        services.draft_send(actor=specialist, referral_id=saved.pk, shared=["contact"])
    assert Referral.objects.get(pk=saved.pk).shared == ["name", "need", "note"]

    consent(olena)
    later = rules.local_today() + timedelta(days=7)
    monkeypatch.setattr(rules, "local_today", lambda: later)
    sent = services.referral_transition(
        actor=specialist, referral_id=saved.pk, to=Status.SENT, shared=["contact"]
    )
    assert sent.status == Status.SENT and sent.sent_at is not None
    assert (sent.respond_by, sent.complete_by) == rules.deadlines(later, 3, 30)
    # Chosen now that the person has consented; copied at sending.
    assert sent.shared == ["name", "contact", "need", "note"]
    assert sent.shared_person == {"name": olena.full_name, "phone": "+380671234567"}
    moves = [(e.from_status, e.to_status) for e in sent.events.all()]
    assert moves == [("", Status.DRAFT), (Status.DRAFT, Status.SENT)]
    partner = actor_for(cast.partner_staff_a)
    assert list(selectors.incoming(actor=partner)) == [sent]

    again = services.draft_send(actor=specialist, referral_id=saved.pk)  # a double click
    assert again.version == sent.version
    services.referral_transition(actor=partner, referral_id=saved.pk, to=Status.ACCEPTED)
    with pytest.raises(services.TransitionRefused):
        services.draft_send(actor=specialist, referral_id=saved.pk)


def test_a_draft_to_a_service_not_accepting_referrals_needs_the_confirmation_when_sent(
    cast, olena, counselling
):
    counselling.accepting_referrals = False
    counselling.save()
    saved = draft(cast.specialist_a, olena, counselling, need="psychological_support")
    specialist = actor_for(cast.specialist_a)
    with pytest.raises(ValidationError) as refused:
        services.draft_send(actor=specialist, referral_id=saved.pk)
    assert list(refused.value.error_dict) == ["confirm_not_accepting"]
    sent = services.draft_send(actor=specialist, referral_id=saved.pk, confirm_not_accepting=True)
    assert sent.status == Status.SENT


def test_sending_the_same_referral_again_sends_the_hubs_draft(cast, olena, jobs, consent, send):
    saved = draft(cast.specialist_a, olena, jobs, note="Чернетка")
    consent(olena)
    sent = send(cast.specialist_a, olena, jobs, note="Остаточна примітка")
    assert sent.pk == saved.pk
    assert (sent.status, sent.note) == (Status.SENT, "Остаточна примітка")
    assert Referral.objects.count() == 1
    # Saving a draft of what is sent already gives the sent referral back.
    data = {"person": str(olena.pk), "service": jobs.pk, "need": "employment"}
    same, created = services.referral_send(
        actor=actor_for(cast.specialist_a), data=data, draft=True
    )
    assert (same.pk, same.status, created) == (saved.pk, Status.SENT, False)


def test_a_draft_is_discarded_without_a_reason_and_only_by_its_hub(cast, olena, jobs):
    saved = draft(cast.specialist_a, olena, jobs)
    with pytest.raises(Http404):
        services.referral_transition(
            actor=actor_for(cast.coordinator_b), referral_id=saved.pk, to=Status.CANCELLED
        )
    gone = services.referral_transition(
        actor=actor_for(cast.specialist_a), referral_id=saved.pk, to=Status.CANCELLED
    )
    assert gone.status == Status.CANCELLED and gone.reason == ""
    with pytest.raises(services.TransitionRefused):
        services.draft_send(actor=actor_for(cast.specialist_a), referral_id=saved.pk)


def test_a_draft_is_not_sent_to_a_service_that_stopped_or_an_organisation_gone(
    cast, olena, jobs, consent
):
    consent(olena)
    saved = draft(cast.specialist_a, olena, jobs)
    jobs.status = "defunct"
    jobs.save()
    with pytest.raises(ValidationError) as refused:
        services.draft_send(actor=actor_for(cast.specialist_a), referral_id=saved.pk)
    assert [e.code for e in refused.value.error_dict["service"]] == ["inactive"]
    jobs.status = "active"
    jobs.save()
    cast.partner_a.is_active = False
    cast.partner_a.save()
    with pytest.raises(ValidationError):
        services.draft_send(actor=actor_for(cast.specialist_a), referral_id=saved.pk)
    assert Referral.objects.get(pk=saved.pk).status == Status.DRAFT


def test_a_discarded_draft_never_reaches_the_receiver(client, cast, olena, jobs):
    from apps.access.services import token_create
    from apps.api.tests.helpers import bearer

    saved = draft(cast.specialist_a, olena, jobs, note="Особисте: ще без згоди")
    services.referral_transition(
        actor=actor_for(cast.specialist_a), referral_id=saved.pk, to=Status.CANCELLED
    )
    partner = actor_for(cast.partner_staff_a)
    assert list(selectors.incoming(actor=partner)) == []
    assert list(selectors.referral_list(actor=partner, status=Status.CANCELLED)) == []
    with pytest.raises(Http404):
        selectors.referral_read(actor=partner, referral_id=saved.pk)
    _token, raw = token_create(actor=partner, name="Партнер")
    listed = client.get("/api/v1/referrals", **bearer(raw)).json()
    assert listed["count"] == 0
    # The probe is on the trail like any refusal.
    assert AuditEvent.objects.filter(
        event="referrals.referral.denied", actor=cast.partner_staff_a, object_id=str(saved.pk)
    ).exists()


def test_the_receiver_sees_the_history_from_sending_and_only_the_note_sent(
    cast, olena, jobs, consent
):
    saved = draft(cast.specialist_a, olena, jobs, note="Стара чернетка: особисте")
    consent(olena)
    data = {"person": str(olena.pk), "service": jobs.pk, "need": "employment", "note": "Нова"}
    services.referral_send(actor=actor_for(cast.specialist_a), data=data)
    partner = actor_for(cast.partner_staff_a)
    shown, sides = selectors.referral_read(actor=partner, referral_id=saved.pk)
    events = selectors.history(shown, sides)
    assert [(e.from_status, e.to_status, e.note) for e in events] == [
        (Status.DRAFT, Status.SENT, "Нова")
    ]
    assert "Стара чернетка" not in str([e.note for e in shown.events.all()])
    sent = AuditEvent.objects.get(event="referrals.referral.sent", object_id=str(saved.pk))
    assert "note" in sent.changed_fields


def test_sending_with_the_key_that_saved_a_draft_sends_that_draft(cast, olena, jobs, consent):
    consent(olena)
    data = {"person": str(olena.pk), "service": jobs.pk, "need": "employment"}
    specialist = actor_for(cast.specialist_a)
    saved, _ = services.referral_send(actor=specialist, data=data, idempotency_key="K", draft=True)
    sent, created = services.referral_send(actor=specialist, data=data, idempotency_key="K")
    assert (sent.pk, sent.status, created) == (saved.pk, Status.SENT, True)
    again, created = services.referral_send(actor=specialist, data=data, idempotency_key="K")
    assert (again.pk, again.status, created) == (saved.pk, Status.SENT, False)
