"""Overdue notices by e-mail: one per referral and missed deadline, to the worker who sent it
and the sending hub's coordinators, in each one's language. Only the reference number, the
deadline and a link go out — never the person's data (the link asks to sign in)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.audit import services as audit

from . import rules, selectors
from .models import Deadline, Referral, ReferralNotice


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


def notify_overdue() -> int:
    """Sends the notices not sent yet; returns how many referrals were noticed. A notice is
    written in the transaction that sends its e-mails: when sending fails, nothing is kept and
    the next run tries again; when it succeeds, no run sends it twice."""
    noticed = 0
    for referral, deadline in selectors.overdue_without_notice(today=rules.local_today()):
        recipients = selectors.notice_recipients(referral)
        missed = referral.respond_by if deadline == Deadline.RESPOND else referral.complete_by
        try:
            with transaction.atomic():
                ReferralNotice.objects.create(
                    referral=referral,
                    deadline=deadline,
                    due=missed,
                    recipients=len(recipients),
                )
                audit.record(
                    actor=None,
                    action=audit.Action.UPDATE,
                    event="referrals.referral.overdue_noticed",
                    target=referral,
                    changed_fields=["notices"],
                    reason=deadline,
                    actor_label="notify_overdue_referrals",
                )
                for user in recipients:
                    _message(referral, deadline, user).send()
        except IntegrityError:  # another run noticed it meanwhile
            continue
        noticed += 1
    return noticed
