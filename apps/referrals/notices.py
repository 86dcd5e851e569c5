"""Overdue notices by e-mail: one per referral and missed deadline, to the worker who sent it
and the sending hub's coordinators, in each one's language. Only the reference number, the
deadline and a link go out — never the person's data (the link asks to sign in)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.audit import services as audit

from . import rules, selectors
from .models import Deadline, Referral, ReferralNotice

logger = logging.getLogger(__name__)

# A notice still "going out" after this long was left by a run that died while sending.
STALE_AFTER = timedelta(minutes=30)


def _message(referral: Referral, deadline: str, user) -> EmailMessage:
    link = settings.SITE_URL + reverse("referrals:detail", kwargs={"referral_id": referral.pk})
    with translation.override(getattr(user, "preferred_language", "") or "uk"):
        if deadline == Deadline.RESPOND:
            subject = _("Направлення %(ref)s: немає відповіді в строк") % {
                "ref": referral.reference
            }
            what = _("Організація не відповіла на направлення %(ref)s до %(date)s.")
            due = referral.respond_by
        else:
            subject = _("Направлення %(ref)s: не виконано в строк") % {"ref": referral.reference}
            what = _("Направлення %(ref)s не виконано до %(date)s.")
            due = referral.complete_by
        body = "\n\n".join(
            [
                what % {"ref": referral.reference, "date": date_format(due, "DATE_FORMAT")},
                _("Перегляньте направлення й зв'яжіться з організацією: %(link)s") % {"link": link},
                _("Це автоматичне повідомлення Простору; на нього не треба відповідати."),
            ]
        )
    return EmailMessage(subject=subject, body=body, to=[user.email])


def _send(referral: Referral, deadline: str, recipients: list) -> int:
    """Each recipient's e-mail on its own: one refused address or a broken connection is logged
    and the others still get theirs. Returns how many went out."""
    sent = 0
    for user in recipients:
        try:
            _message(referral, deadline, user).send()
        except Exception:  # an SMTP refusal or outage: logged, never blocks the next one
            logger.exception(
                "Overdue notice of referral %s (%s) not delivered to user %s",
                referral.reference,
                deadline,
                user.pk,
            )
        else:
            sent += 1
    return sent


def notify_overdue() -> int:
    """Sends the notices not sent yet; returns how many referrals were noticed. The notice is
    recorded as going out and committed first (so no run sends it twice, and no database lock
    is held while mail goes out), then each recipient gets their e-mail; failures are logged and
    the next referral goes on. A notice nobody received is withdrawn (audited) so the next run
    tries again; so is one a run left going out for longer than ``STALE_AFTER`` (it died
    sending). A referral with nobody to tell (no e-mail address) is logged."""
    noticed = 0
    stale_before = timezone.now() - STALE_AFTER
    overdue = selectors.overdue_without_notice(today=rules.local_today(), stale_before=stale_before)
    for referral, deadline in overdue:
        recipients = selectors.notice_recipients(referral)
        missed = referral.respond_by if deadline == Deadline.RESPOND else referral.complete_by
        try:
            with transaction.atomic():
                ReferralNotice.objects.filter(
                    referral=referral,
                    deadline=deadline,
                    recipients__isnull=True,
                    sent_at__lt=stale_before,
                ).delete()
                notice = ReferralNotice.objects.create(
                    referral=referral, deadline=deadline, due=missed, recipients=None
                )
                _audit(referral, deadline, "referrals.referral.overdue_noticed")
        except IntegrityError:  # another run noticed it meanwhile
            continue
        if not recipients:
            logger.warning(
                "Overdue referral %s (%s): nobody with an e-mail address to notify",
                referral.reference,
                deadline,
            )
        sent = _send(referral, deadline, recipients)
        with transaction.atomic():
            if recipients and not sent:
                notice.delete()
                _audit(referral, deadline, "referrals.referral.overdue_notice_failed")
                continue
            ReferralNotice.objects.filter(pk=notice.pk).update(recipients=sent)
        noticed += 1
    return noticed


def _audit(referral: Referral, deadline: str, event: str) -> None:
    audit.record(
        actor=None,
        action=audit.Action.UPDATE,
        event=event,
        target=referral,
        changed_fields=["notices"],
        reason=deadline,
        actor_label="notify_overdue_referrals",
    )
