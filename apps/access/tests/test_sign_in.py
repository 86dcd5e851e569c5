import pytest
from django.urls import reverse

from apps.access.tests.factories import PASSWORD, totp_device, totp_now
from apps.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db


def test_wrong_password_gets_generic_message_and_is_audited(client, cast):
    response = client.post(
        reverse("access:sign-in"), {"username": "registrar.a", "password": "wrong-password"}
    )
    assert response.status_code == 200
    assert "Неправильне ім&#x27;я користувача або пароль." in response.content.decode()
    unknown = client.post(
        reverse("access:sign-in"), {"username": "nobody.here", "password": "wrong-password"}
    )
    assert response.content.decode().count("Неправильне ім") == unknown.content.decode().count(
        "Неправильне ім"
    )
    failures = AuditEvent.objects.filter(action=Action.SIGN_IN_FAILURE)
    assert sorted(failures.values_list("actor_label", flat=True)) == ["nobody.here", "registrar.a"]
    # The attempt on a real account reaches that hub's coordinator; the other reaches nobody.
    assert failures.get(actor_label="registrar.a").organisation == cast.hub_a
    assert failures.get(actor_label="nobody.here").organisation is None


def test_lockout_after_repeated_failures(client, cast, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("access:sign-in"), {"username": "registrar.a", "password": "nope"})
    response = client.post(
        reverse("access:sign-in"), {"username": "registrar.a", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "Вхід тимчасово заблоковано" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_case_data_role_must_pass_second_factor(client, cast, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the wrong code below would delay the right one
    device = totp_device(cast.registrar_a)
    response = client.post(
        reverse("access:sign-in"), {"username": "registrar.a", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0].startswith(reverse("access:two-factor"))
    assert client.get(reverse("access:home")).status_code == 302
    wrong = client.post(reverse("access:two-factor"), {"otp_token": "000000"})
    assert "Код не підійшов" in wrong.content.decode()
    failure = AuditEvent.objects.get(action=Action.SIGN_IN_FAILURE, reason="otp")
    assert (failure.actor_label, failure.organisation) == ("registrar.a", cast.hub_a)
    ok = client.post(reverse("access:two-factor"), {"otp_token": totp_now(device)})
    assert ok.status_code == 302
    assert client.get(reverse("access:home")).status_code == 200
    signed_in = AuditEvent.objects.filter(action=Action.SIGN_IN, actor=cast.registrar_a)
    assert sorted(signed_in.values_list("event", flat=True)) == [
        "access.user.second_factor_passed",
        "access.user.signed_in",
    ]
    assert {(e.community_id, e.organisation_id) for e in signed_in} == {
        (cast.community_a.pk, cast.hub_a.pk)
    }  # stamped with her hub, so its coordinator sees it


def test_user_without_device_is_sent_to_set_up(client, cast):
    client.post(reverse("access:sign-in"), {"username": "specialist.a", "password": PASSWORD})
    response = client.get(reverse("access:home"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("access:two-factor-setup"))
    assert "otpauth" not in response.content.decode()  # the secret is in the QR code and key
    assert "svg" in response.content.decode()
    client.post(reverse("access:two-factor-setup"), {"otp_token": "000000"})
    assert AuditEvent.objects.filter(
        action=Action.SIGN_IN_FAILURE, reason="otp", actor_label="specialist.a"
    ).exists()


def test_analyst_signs_in_without_second_factor(client, cast):
    client.post(reverse("access:sign-in"), {"username": "analyst.a", "password": PASSWORD})
    assert client.get(reverse("access:home")).status_code == 200
