"""Sending a referral and moving it along, through the services: consent, confirmation,
double submissions, who may make which move, deadlines and the service delivered."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from apps.access.actor import actor_for
from apps.audit.models import Action, AuditEvent
from apps.delivery.models import ServiceDelivery
from apps.referrals import rules, selectors, services
from apps.referrals.models import Referral, ReferralEvent, Status
from apps.registry import selectors as registry
from apps.registry.models import PersonPhone

pytestmark = pytest.mark.django_db


def codes(exc: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in exc.error_dict.items()}


def test_a_referral_to_a_partner_needs_the_persons_consent(cast, olena, jobs, send, consent):
    with pytest.raises(ValidationError) as refused:
        send(cast.specialist_a, olena, jobs)
    assert codes(refused.value) == {"consent": [services.CONSENT_REQUIRED]}
    assert "згода" in refused.value.error_dict["consent"][0].messages[0]
    assert not Referral.objects.exists()

    consent(olena, "hub")  # a consent for the hub alone does not cover partners
    with pytest.raises(ValidationError):
        send(cast.specialist_a, olena, jobs)

    consent(olena, "partners")
    referral = send(cast.specialist_a, olena, jobs, note="Шукає роботу бухгалтеркою.")
    assert referral.status == Status.SENT
    assert referral.sender_organisation == cast.hub_a
    assert referral.receiver_organisation == cast.partner_a
    assert re.fullmatch(r"НП-\d{4}-\d{6}", referral.reference)


def test_a_referral_to_the_hubs_own_service_needs_no_partner_consent(
    cast, olena, counselling, send
):
    referral = send(cast.specialist_a, olena, counselling, need="psychological_support")
    assert referral.status == Status.SENT
    # Without any consent the contact is not shared, only the minimum.
    assert referral.shared == ["name", "need", "note"]
    assert referral.shared_person == {"name": olena.full_name}


def test_what_is_shared_is_copied_at_sending_and_contact_only_with_consent(
    cast, olena, jobs, counselling, send, consent
):
    PersonPhone.objects.create(person=olena, number="+380671234567")
    with pytest.raises(ValidationError) as refused:  # no consent yet: no contact either
        send(
            cast.specialist_a, olena, counselling, need="psychological_support", shared=["contact"]
        )
    assert codes(refused.value) == {"shared": [services.CONSENT_REQUIRED]}
    consent(olena)
    referral = send(cast.specialist_a, olena, jobs, shared=["name", "need", "note"])
    assert referral.shared == ["name", "need", "note"]
    assert referral.shared_person == {"name": olena.full_name}
    second = send(cast.specialist_a, olena, jobs, need="retraining")
    assert second.shared == ["name", "contact", "need", "note"]
    assert second.shared_person == {"name": olena.full_name, "phone": "+380671234567"}
    PersonPhone.objects.filter(person=olena).update(number="+380501112233")
    second.refresh_from_db()
    assert second.shared_contact == "+380671234567"  # as sent


def test_deadlines_follow_the_services_working_days(cast, olena, shelter, send, consent):
    consent(olena)
    referral = send(cast.specialist_a, olena, shelter, need="housing")
    today = rules.local_today()
    assert (referral.respond_by, referral.complete_by) == rules.deadlines(today, 2, 10)
    assert referral.respond_by > today


def test_a_service_not_accepting_referrals_needs_a_confirmation(cast, olena, jobs, send, consent):
    consent(olena)
    jobs.accepting_referrals = False
    jobs.save()
    with pytest.raises(ValidationError) as refused:
        send(cast.specialist_a, olena, jobs)
    assert codes(refused.value) == {"confirm_not_accepting": [services.NOT_ACCEPTING]}
    referral = send(cast.specialist_a, olena, jobs, confirm_not_accepting=True)
    assert referral.status == Status.SENT


def test_every_field_is_checked_at_once(cast, olena, send):
    with pytest.raises(ValidationError) as refused:
        services.referral_send(
            actor=actor_for(cast.specialist_a),
            data={"person": "", "service": "999999", "need": "no-such-need", "note": "x" * 2001},
        )
    assert codes(refused.value) == {
        "person": ["required"],
        "service": ["not_found"],
        "need": ["unknown_need"],
        "note": ["too_long"],
    }


def test_double_submissions_give_the_first_referral_back(cast, olena, jobs, send, consent):
    consent(olena)
    first = send(cast.specialist_a, olena, jobs, key="form-123")
    again = send(cast.specialist_a, olena, jobs, key="form-123")
    same_open = send(cast.specialist_a, olena, jobs, note="Ще раз")
    assert again.pk == first.pk == same_open.pk
    assert Referral.objects.count() == 1
    assert ReferralEvent.objects.count() == 1

    services.referral_transition(
        actor=actor_for(cast.specialist_a), referral_id=first.pk, to="cancelled", reason="Помилка"
    )
    renewed = send(cast.specialist_a, olena, jobs)
    assert renewed.pk != first.pk  # the first one is closed: a new referral


def test_reference_numbers_are_unique_and_counted_per_year(cast, olena, taras, jobs, send, consent):
    consent(olena)
    consent(taras)
    first = send(cast.specialist_a, olena, jobs)
    second = send(cast.specialist_a, taras, jobs)
    year = first.reference.split("-")[1]
    assert int(second.reference.rsplit("-", 1)[1]) == int(first.reference.rsplit("-", 1)[1]) + 1
    assert second.reference.split("-")[1] == year


def test_the_partner_accepts_and_completes_and_a_service_counts_as_delivered(
    cast, olena, jobs, send, consent
):
    consent(olena)
    referral = send(cast.specialist_a, olena, jobs)
    partner = actor_for(cast.partner_staff_a)
    services.referral_transition(actor=partner, referral_id=referral.pk, to="accepted")
    with pytest.raises(ValidationError) as no_outcome:
        services.referral_transition(actor=partner, referral_id=referral.pk, to="completed")
    assert codes(no_outcome.value) == {"outcome": ["required"]}
    done = services.referral_transition(
        actor=partner,
        referral_id=referral.pk,
        to="completed",
        outcome="met",
        note="Працевлаштована 12 березня.",
    )
    assert (done.status, done.outcome, done.outcome_note) == (
        "completed",
        "met",
        "Працевлаштована 12 березня.",
    )
    history = list(done.events.values_list("from_status", "to_status", "actor"))
    assert history == [
        ("", "sent", cast.specialist_a.pk),
        ("sent", "accepted", cast.partner_staff_a.pk),
        ("accepted", "completed", cast.partner_staff_a.pk),
    ]
    delivery = ServiceDelivery.objects.get()
    assert (delivery.person, delivery.service, delivery.organisation, delivery.worker) == (
        olena,
        jobs,
        cast.partner_a,
        cast.partner_staff_a,
    )
    assert (delivery.source_kind, delivery.source_id) == ("referral", str(referral.pk))
    assert AuditEvent.objects.filter(event="delivery.service_delivery.recorded").count() == 1


def test_a_need_not_met_is_still_a_service_delivered_with_its_outcome(
    cast, olena, jobs, send, consent
):
    consent(olena)
    referral = send(cast.specialist_a, olena, jobs)
    partner = actor_for(cast.partner_staff_a)
    services.referral_transition(actor=partner, referral_id=referral.pk, to="accepted")
    services.referral_transition(actor=partner, referral_id=referral.pk, to="in_progress")
    services.referral_transition(
        actor=partner, referral_id=referral.pk, to="completed", outcome="not_met"
    )
    delivery = ServiceDelivery.objects.get()
    assert (delivery.source_id, delivery.outcome) == (str(referral.pk), "not_met")


def test_moves_the_status_does_not_allow_are_refused(cast, olena, jobs, send, consent):
    consent(olena)
    referral = send(cast.specialist_a, olena, jobs)
    partner = actor_for(cast.partner_staff_a)
    with pytest.raises(services.TransitionRefused):
        services.referral_transition(
            actor=partner, referral_id=referral.pk, to="completed", outcome="met"
        )
    services.referral_transition(
        actor=partner, referral_id=referral.pk, to="declined", reason="Немає вакансій"
    )
    with pytest.raises(services.TransitionRefused):
        services.referral_transition(actor=partner, referral_id=referral.pk, to="accepted")
    referral.refresh_from_db()
    assert (referral.status, referral.reason) == ("declined", "Немає вакансій")


def test_declining_and_cancelling_need_a_reason(cast, olena, jobs, send, consent):
    consent(olena)
    referral = send(cast.specialist_a, olena, jobs)
    with pytest.raises(ValidationError) as refused:
        services.referral_transition(
            actor=actor_for(cast.partner_staff_a), referral_id=referral.pk, to="declined"
        )
    assert codes(refused.value) == {"reason": ["required"]}
    with pytest.raises(ValidationError):
        services.referral_transition(
            actor=actor_for(cast.specialist_a), referral_id=referral.pk, to="cancelled"
        )


def test_each_side_makes_only_its_own_moves(cast, olena, jobs, send, consent):
    consent(olena)
    referral = send(cast.specialist_a, olena, jobs)
    with pytest.raises(PermissionDenied):  # the hub cannot answer for the partner
        services.referral_transition(
            actor=actor_for(cast.specialist_a), referral_id=referral.pk, to="accepted"
        )
    with pytest.raises(PermissionDenied):  # the partner cannot cancel the hub's referral
        services.referral_transition(
            actor=actor_for(cast.partner_staff_a),
            referral_id=referral.pk,
            to="cancelled",
            reason="?",
        )
    assert AuditEvent.objects.filter(action=Action.PERMISSION_DENIED).count() == 2
    with pytest.raises(Http404):  # another hub does not even find it
        services.referral_transition(
            actor=actor_for(cast.registrar_b), referral_id=referral.pk, to="cancelled", reason="?"
        )


def test_a_stale_version_is_a_conflict(cast, olena, jobs, send, consent):
    consent(olena)
    referral = send(cast.specialist_a, olena, jobs)
    partner = actor_for(cast.partner_staff_a)
    services.referral_transition(actor=partner, referral_id=referral.pk, to="accepted", version=1)
    with pytest.raises(services.EditConflict):
        services.referral_transition(
            actor=partner, referral_id=referral.pk, to="in_progress", version=1
        )


def test_the_partner_sees_only_referrals_addressed_to_it_and_only_what_is_shared(
    cast, olena, taras, bohdana, jobs, shelter, counselling, send, consent
):
    consent(olena)
    consent(taras)
    to_partner = send(cast.specialist_a, olena, jobs)
    send(cast.specialist_a, taras, shelter, need="housing")
    send(cast.specialist_a, olena, counselling, need="psychological_support")
    partner = actor_for(cast.partner_staff_a)

    assert list(selectors.incoming(actor=partner)) == [to_partner]
    assert list(selectors.outgoing(actor=partner)) == []
    assert list(selectors.referral_list(actor=partner)) == [to_partner]
    shown, sides = selectors.referral_read(actor=partner, referral_id=to_partner.pk)
    assert (sides.sender, sides.receiver) == (False, True)
    assert shown.shared_name == olena.full_name
    with pytest.raises(Http404):  # never the person's card
        registry.person_read(actor=partner, person_id=olena.pk)
    others = Referral.objects.exclude(pk=to_partner.pk)
    for other in others:
        with pytest.raises(Http404):
            selectors.referral_read(actor=partner, referral_id=other.pk)


def test_the_hub_sees_its_outgoing_referrals_and_another_hub_nothing(
    cast, olena, jobs, counselling, send, consent
):
    consent(olena)
    to_partner = send(cast.specialist_a, olena, jobs)
    internal = send(cast.specialist_a, olena, counselling, need="psychological_support")
    hub_a = actor_for(cast.coordinator_a)
    assert set(selectors.outgoing(actor=hub_a)) == {to_partner, internal}
    assert list(selectors.incoming(actor=hub_a)) == [internal]
    assert list(selectors.referral_list(actor=actor_for(cast.coordinator_b))) == []


def test_reading_a_referral_is_audited(cast, olena, jobs, send, consent):
    consent(olena)
    referral = send(cast.specialist_a, olena, jobs)
    selectors.referral_read(actor=actor_for(cast.partner_staff_a), referral_id=referral.pk)
    read = AuditEvent.objects.get(action=Action.READ, object_id=str(referral.pk))
    assert read.actor == cast.partner_staff_a
    assert read.organisation_id == cast.hub_a.pk  # on the sending hub's trail
    sent = AuditEvent.objects.get(event="referrals.referral.sent")
    assert sent.object_id == str(referral.pk)


def test_overdue_lists_show_unanswered_and_unfinished_referrals(
    cast, olena, taras, jobs, shelter, send, consent
):
    consent(olena)
    consent(taras)
    late_answer = send(cast.specialist_a, olena, jobs)
    late_work = send(cast.specialist_a, taras, shelter, need="housing")
    on_time = send(cast.specialist_a, olena, shelter, need="housing")
    services.referral_transition(
        actor=actor_for(cast.admin), referral_id=late_work.pk, to="accepted"
    )
    past = rules.local_today() - timedelta(days=1)
    Referral.objects.filter(pk=late_answer.pk).update(respond_by=past)
    Referral.objects.filter(pk=late_work.pk).update(complete_by=past)
    Referral.objects.filter(pk=on_time.pk).update(complete_by=past)  # only sent: not late yet

    hub = actor_for(cast.coordinator_a)
    assert set(selectors.outgoing(actor=hub, overdue=True)) == {late_answer, late_work}
    partner = actor_for(cast.partner_staff_a)
    assert list(selectors.incoming(actor=partner, overdue=True)) == [late_answer]


def test_expired_when_nobody_answers_long_past_the_deadline(cast, olena, jobs, send, consent):
    consent(olena)
    referral = send(cast.specialist_a, olena, jobs)
    Referral.objects.filter(pk=referral.pk).update(respond_by=date(2020, 1, 6))
    assert services.expire_unanswered() == 1
    referral.refresh_from_db()
    assert referral.status == Status.EXPIRED
    assert referral.events.last().actor is None
    assert services.expire_unanswered() == 0


def test_a_double_click_on_a_move_changes_nothing_the_second_time(cast, olena, jobs, send, consent):
    consent(olena)
    referral = send(cast.specialist_a, olena, jobs)
    partner = actor_for(cast.partner_staff_a)
    services.referral_transition(actor=partner, referral_id=referral.pk, to="accepted", version=1)
    again = services.referral_transition(
        actor=partner, referral_id=referral.pk, to="accepted", version=1
    )
    assert (again.status, again.version) == ("accepted", 2)
    hub = actor_for(cast.specialist_a)
    services.referral_transition(
        actor=hub, referral_id=referral.pk, to="cancelled", reason="Виїхала"
    )
    services.referral_transition(actor=hub, referral_id=referral.pk, to="cancelled", reason="Інше")
    referral.refresh_from_db()
    assert referral.reason == "Виїхала"
    assert list(referral.events.values_list("to_status", flat=True)) == [
        "sent",
        "accepted",
        "cancelled",
    ]


def test_only_a_refusal_keeps_its_reason_on_the_referral(cast, olena, jobs, send, consent):
    consent(olena)
    referral = send(cast.specialist_a, olena, jobs)
    partner = actor_for(cast.partner_staff_a)
    services.referral_transition(
        actor=partner, referral_id=referral.pk, to="accepted", reason="Є вакансія"
    )
    referral.refresh_from_db()
    assert referral.reason == ""
    services.referral_transition(
        actor=actor_for(cast.specialist_a),
        referral_id=referral.pk,
        to="cancelled",
        reason="Виїхала",
    )
    referral.refresh_from_db()
    assert referral.reason == "Виїхала"


def test_the_sending_hub_sees_the_service_its_partner_delivered_other_communities_do_not(
    cast, olena, jobs, send, consent
):
    from apps.delivery import selectors as deliveries

    consent(olena)
    referral = send(cast.specialist_a, olena, jobs)
    partner = actor_for(cast.partner_staff_a)
    services.referral_transition(actor=partner, referral_id=referral.pk, to="accepted")
    services.referral_transition(
        actor=partner, referral_id=referral.pk, to="completed", outcome="met"
    )

    def seen_by(user):
        return list(deliveries.deliveries_of_person(actor=actor_for(user), person_id=olena.pk))

    delivered = ServiceDelivery.objects.get(source_id=str(referral.pk))
    assert delivered.organisation == cast.partner_a
    assert seen_by(cast.coordinator_a) == [delivered]
    assert seen_by(cast.specialist_a) == [delivered]
    assert seen_by(cast.coordinator_b) == []


def test_a_consent_withdrawn_while_sending_is_checked_again_under_the_lock(
    cast, olena, jobs, send, consent, monkeypatch
):
    from apps.registry import services as registry_services

    recorded = consent(olena)
    original = services._lock

    def withdraw_meanwhile(person):  # another worker withdraws it between check and lock
        registry_services.consent_withdraw(
            actor=actor_for(cast.registrar_a), person_id=olena.pk, consent_id=recorded.pk
        )
        return original(person)

    monkeypatch.setattr(services, "_lock", withdraw_meanwhile)
    with pytest.raises(ValidationError) as refused:
        send(cast.specialist_a, olena, jobs)
    assert codes(refused.value) == {"consent": [services.CONSENT_REQUIRED]}
    assert not Referral.objects.exists()


def test_withdrawing_the_partners_consent_stops_sharing_the_contact_of_open_referrals(
    cast, olena, jobs, shelter, counselling, send, consent
):
    from apps.registry import services as registry_services

    PersonPhone.objects.create(person=olena, number="+380671234567", is_primary=True)
    olena.email = "olena@example.org"
    olena.save()
    partners = consent(olena)
    consent(olena, "hub")
    open_one = send(cast.specialist_a, olena, jobs)
    closed = send(cast.specialist_a, olena, shelter, need="housing")
    own = send(cast.specialist_a, olena, counselling, need="psychological_support")
    services.referral_transition(
        actor=actor_for(cast.specialist_a), referral_id=closed.pk, to="cancelled", reason="Ні"
    )
    assert open_one.shared_person["phone"] == "+380671234567"

    registry_services.consent_withdraw(
        actor=actor_for(cast.registrar_a), person_id=olena.pk, consent_id=partners.pk
    )

    open_one.refresh_from_db()
    assert open_one.shared_person == {"name": olena.full_name}
    assert "contact" not in open_one.shared
    last = open_one.events.last()
    assert (last.from_status, last.to_status) == ("sent", "sent")
    assert "відкликала згоду" in last.note
    assert AuditEvent.objects.filter(
        event="referrals.referral.contact_withdrawn", object_id=str(open_one.pk)
    ).exists()
    closed.refresh_from_db()
    own.refresh_from_db()
    assert closed.shared_person["phone"] == "+380671234567"  # closed: history as it was
    assert own.shared_person["phone"] == "+380671234567"  # the hub's own service, hub consent


def test_a_community_wide_grant_does_not_open_what_another_hub_sent_to_a_partner_there(
    cast, bohdana, jobs
):
    """Hub B (Vinnytsia) refers Богдана to the employment centre in Rivne: the centre's staff
    see it, hub B sees it, a worker whose grant covers all of Rivne's hromada does not."""
    from apps.access.roles import Role
    from apps.access.tests.factories import MembershipFactory, UserFactory
    from apps.registry import services as registry_services

    registry_services.consent_record(
        actor=actor_for(cast.registrar_b),
        person_id=bohdana.pk,
        purpose="Направлення до партнерів",
        scope="partners",
    )
    jobs.visibility = "public"  # published: hub B finds it in the directory
    jobs.save()
    data = {"person": str(bohdana.pk), "service": jobs.pk, "need": "employment"}
    referral, _ = services.referral_send(actor=actor_for(cast.coordinator_b), data=data)
    community_wide = UserFactory(username="rivne.coordinator")
    MembershipFactory(user=community_wide, role=Role.COORDINATOR, community=cast.community_a)
    wide = actor_for(community_wide)

    assert list(selectors.referral_list(actor=wide)) == []
    assert list(selectors.incoming(actor=wide)) == []
    with pytest.raises(Http404):
        selectors.referral_read(actor=wide, referral_id=referral.pk)
    assert list(selectors.incoming(actor=actor_for(cast.partner_staff_a))) == [referral]
    assert list(selectors.outgoing(actor=actor_for(cast.coordinator_b))) == [referral]


def test_the_letter_is_dated_by_the_kyiv_calendar(cast, olena, jobs, send, consent):
    """Sent at 00:30 in Kyiv on 2 March (22:30 UTC on 1 March): the letter says 2 March."""
    from datetime import UTC, datetime

    from apps.referrals.letter import letter_data

    consent(olena)
    referral = send(cast.specialist_a, olena, jobs)
    referral.sent_at = datetime(2027, 3, 1, 22, 30, tzinfo=UTC)
    assert letter_data(referral).issued_on == date(2027, 3, 2)


def test_the_letter_prints_the_hubs_own_address_but_not_a_partners_staff_only_place(
    cast, olena, jobs, send, consent
):
    from apps.directory.models import Location
    from apps.referrals.letter import letter_data

    Location.objects.create(
        organisation=cast.hub_a, name="Офіс", settlement=cast.community_a, address="вул. Хабова, 1"
    )
    Location.objects.create(
        organisation=cast.partner_a,
        name="Гуртожиток",
        settlement=cast.community_a,
        address="вул. Прихована, 9",
    )
    consent(olena)
    data = letter_data(send(cast.specialist_a, olena, jobs))
    assert data.hub_address.endswith("вул. Хабова, 1")
    assert "Прихована" not in data.service_address
