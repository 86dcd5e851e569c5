"""Django's sign-in signals, written to the audit trail."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from apps.audit import services as audit

from .models import User


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    audit.record(actor=user, action=audit.Action.SIGN_IN, event="access.user.signed_in")


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record(actor=user, action=audit.Action.SIGN_OUT, event="access.user.signed_out")


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    audit.record(
        actor=None,
        actor_label=username,
        action=audit.Action.SIGN_IN_FAILURE,
        event="access.user.sign_in_failed",
        reason="password",
        # The trail may say whose account was tried (the page never does), so that the hub's
        # coordinator sees attempts on their staff.
        scope_of=User.objects.filter(username=username).first(),
    )
