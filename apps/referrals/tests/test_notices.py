"""The scheduled overdue notices: one e-mail per referral and missed deadline, to the sender
and the hub's coordinators, with no personal data; run by the task and by the command."""

from datetime import timedelta
from smtplib import SMTPRecipientsRefused

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from apps.access.actor import actor_for
from apps.referrals import notices, rules, services
from apps.referrals.models import Referral, ReferralNotice

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def late(cast, olena, jobs, send, consent):
    """A referral to the employment centre nobody answered in time."""
    consent(olena)
    referral = send(cast.specialist_a, olena, jobs)
    Referral.objects.filter(pk=referral.pk).update(
        respond_by=rules.local_today() - timedelta(days=1)
    )
    referral.refresh_from_db()
    return referral


def test_an_overdue_referral_is_noticed_once_to_the_sender_and_coordinators(
    cast, olena, late, settings
):
    settings.SITE_URL = "https://hub.example.org"
    assert notices.notify_overdue() == 1
    assert notices.notify_overdue() == 0  # the next run sends nothing again
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients == sorted([cast.specialist_a.email, cast.coordinator_a.email])
    message = mail.outbox[0]
    assert late.reference in message.subject
    assert f"https://hub.example.org/referrals/{late.pk}/" in message.body
    for personal in (olena.last_name, olena.first_name, "Ковальчук"):
        assert personal not in message.subject + message.body
    assert cast.partner_staff_a.email not in recipients


def test_each_missed_deadline_is_noticed_once(cast, late):
    notices.notify_overdue()
    partner = actor_for(cast.partner_staff_a)
    services.referral_transition(actor=partner, referral_id=late.pk, to="accepted")
    Referral.objects.filter(pk=late.pk).update(complete_by=rules.local_today() - timedelta(days=1))
    mail.outbox.clear()
    assert notices.notify_overdue() == 1
    assert "не виконано" in mail.outbox[0].subject
    assert ReferralNotice.objects.filter(referral=late).count() == 2
    mail.outbox.clear()
    assert notices.notify_overdue() == 0 and mail.outbox == []


def test_the_recipients_language_is_used(cast, late):
    cast.coordinator_a.preferred_language = "en"
    cast.coordinator_a.save()
    notices.notify_overdue()
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address[cast.specialist_a.email].subject.startswith("Направлення")
    assert late.reference in by_address[cast.coordinator_a.email].subject


def test_a_failed_sending_is_tried_again_next_run(cast, late, settings, caplog):
    settings.EMAIL_BACKEND = "apps.referrals.tests.test_notices.FailingBackend"
    assert notices.notify_overdue() == 0  # no exception: the failure is logged
    assert "not delivered" in caplog.text
    assert not ReferralNotice.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notices.notify_overdue() == 1
    assert len(mail.outbox) == 2


def test_a_refused_address_does_not_block_the_others_or_later_referrals(
    cast, olena, taras, late, jobs, send, consent, settings, caplog
):
    consent(taras)
    later = send(cast.specialist_a, taras, jobs)
    Referral.objects.filter(pk=later.pk).update(respond_by=rules.local_today() - timedelta(days=1))
    RefusingBackend.refused = cast.specialist_a.email
    settings.EMAIL_BACKEND = "apps.referrals.tests.test_notices.RefusingBackend"

    assert notices.notify_overdue() == 2
    assert sorted(m.subject for m in mail.outbox) == sorted(
        f"Направлення {r.reference}: немає відповіді в строк" for r in (late, later)
    )
    assert {a for m in mail.outbox for a in m.to} == {cast.coordinator_a.email}
    assert caplog.text.count("not delivered") == 2
    assert list(ReferralNotice.objects.values_list("recipients", flat=True)) == [1, 1]
    mail.outbox.clear()
    assert notices.notify_overdue() == 0 and mail.outbox == []  # nobody gets it twice


def test_a_notice_left_going_out_by_a_run_that_died_is_sent_by_a_later_run(cast, late):
    from apps.referrals.models import ReferralNotice as Notice

    pending = Notice.objects.create(
        referral=late, deadline="respond", due=late.respond_by, recipients=None
    )
    assert notices.notify_overdue() == 0  # another run may be sending it right now
    assert mail.outbox == []
    Notice.objects.filter(pk=pending.pk).update(
        sent_at=timezone.now() - notices.STALE_AFTER - timedelta(minutes=1)
    )
    assert notices.notify_overdue() == 1
    assert len(mail.outbox) == 2
    assert list(Notice.objects.values_list("recipients", flat=True)) == [2]


def test_the_command_runs_the_task_through_the_queue(late, settings):
    settings.TASKS = IMMEDIATE
    call_command("notify_overdue_referrals")
    call_command("notify_overdue_referrals", "--now")
    assert len(mail.outbox) == 2  # two recipients, one notice
    assert ReferralNotice.objects.count() == 1


class RefusingBackend:
    """Refuses one address (like a mailbox that no longer exists), delivers the rest."""

    refused = ""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        for message in messages:
            if self.refused in message.to:
                raise SMTPRecipientsRefused({self.refused: (550, b"No such user")})
            mail.outbox.append(message)
        return len(messages)


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionError("SMTP is down")
