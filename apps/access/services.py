"""Writers of the access context: second factor, language, personal access tokens."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.audit import services as audit

from .actor import Actor
from .models import PersonalAccessToken, User, token_digest


@transaction.atomic
def user_set_language(*, user: User, language: str) -> None:
    if user.preferred_language == language:
        return
    user.preferred_language = language
    _save_own_change(user, "preferred_language", event="access.user.updated")


def _save_own_change(user: User, field: str, *, event: str) -> None:
    """Saves one field the user changed on their own account, with its audit event (name only)."""
    user.save(update_fields=[field])
    audit.record(
        actor=user, action=audit.Action.UPDATE, event=event, target=user, changed_fields=[field]
    )


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The unconfirmed device a user is setting up (made once, reused until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Prostir", confirmed=False)


@transaction.atomic
def totp_device_confirm(*, user: User, device: TOTPDevice) -> None:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    audit.record(
        actor=user,
        action=audit.Action.CREATE,
        event="access.two_factor.enrolled",
        object_type="otp_totp.totpdevice",
        object_id=device.pk,
    )


def record_otp_failure(*, user: User) -> None:
    audit.record(
        actor=None,
        actor_label=user.get_username(),
        action=audit.Action.SIGN_IN_FAILURE,
        event="access.user.sign_in_failed",
        reason="otp",
        scope_of=user,
    )


def record_second_factor_passed(*, user: User) -> None:
    audit.record(actor=user, action=audit.Action.SIGN_IN, event="access.user.second_factor_passed")


@transaction.atomic
def token_create(
    *, actor: Actor, name: str, expires_in_days: int | None = None, operator: str = ""
) -> tuple[PersonalAccessToken, str]:
    """Creates a token for the acting user; returns it and the raw value (shown only once).
    ``operator`` names who issued it on the user's behalf (a command line), for the trail."""
    raw = PersonalAccessToken.new_raw_token()
    token = PersonalAccessToken.objects.create(
        user=actor.user,
        name=name,
        digest=token_digest(raw),
        hint=raw[:8],
        expires_at=timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    audit.record(
        actor=None if operator else actor,
        actor_label=operator,
        action=audit.Action.CREATE,
        event="access.token.created",
        target=token,
        scope_of=actor,
    )
    return token, raw


@transaction.atomic
def token_revoke(*, actor: Actor, token: PersonalAccessToken) -> None:
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        event="access.token.revoked",
        target=token,
        changed_fields=["revoked_at"],
    )


def token_authenticate(raw: str) -> PersonalAccessToken | None:
    """The usable token with this value, its user active; records when it was last used."""
    if not raw or not raw.startswith("prs_"):
        return None
    token = (
        PersonalAccessToken.objects.usable()
        .select_related("user")
        .filter(digest=token_digest(raw), user__is_active=True)
        .first()
    )
    if token is not None:
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
            PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def record_token_failure(*, raw: str) -> None:
    """Audits a presented token that did not authenticate. A known one (revoked, expired, or its
    user deactivated) is named with its owner; an unknown value leaves no trace of itself."""
    token = (
        PersonalAccessToken.objects.select_related("user").filter(digest=token_digest(raw)).first()
    )
    audit.record(
        actor=None,
        actor_label=token.user.get_username() if token else "",
        action=audit.Action.PERMISSION_DENIED,
        event="access.token.rejected",
        target=token,
        reason="token",
    )


@transaction.atomic
def user_change_password(*, user: User, new_password: str) -> None:
    """Sets the password (already checked by the validators) and audits it, in one
    transaction; the new hash is never recorded."""
    user.set_password(new_password)
    _save_own_change(user, "password", event="access.user.password_changed")


def record_denial(*, user: User, event: str, reason: str = "") -> None:
    """A refusal outside the policy (a form without a valid CSRF token, say), audited."""
    audit.record(
        actor=user if user.is_authenticated else None,
        action=audit.Action.PERMISSION_DENIED,
        event=event,
        reason=reason,
    )
