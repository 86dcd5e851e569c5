"""Who may call the API: bearer tokens, sessions (second factor, CSRF), and the audit of every
refusal of presented credentials."""

import pytest

from apps.access.models import PersonalAccessToken

from .helpers import bearer, csrf_header, denials, error_of

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"
TOKENS = "/api/v1/tokens"


def test_no_credentials_is_401_and_audited(client, cast):
    response = client.get(ME)
    error = error_of(response, 401, "not_authenticated")
    assert error["message"] == "Потрібна автентифікація."
    assert response["WWW-Authenticate"] == 'Bearer realm="prostir"'
    event = denials().get()
    assert (event.event, event.actor, event.reason) == (
        "api.request.unauthenticated",
        None,
        "GET /api/v1/me",
    )


def test_other_authorization_schemes_are_not_authenticated(client, cast):
    response = client.get(ME, HTTP_AUTHORIZATION="Basic cmVnaXN0cmFyLmE6cGFzcw==")
    error_of(response, 401, "not_authenticated")


@pytest.mark.parametrize("raw", ["garbage", "prs_not-a-token-we-issued", ""])
def test_unknown_token_is_401_and_audited_without_a_name(client, cast, raw):
    response = client.get(ME, **bearer(raw))
    error_of(response, 401, "invalid_token")
    assert 'error="invalid_token"' in response["WWW-Authenticate"]
    event = denials().get()
    assert (event.event, event.actor, event.actor_label, event.object_id) == (
        "access.token.rejected",
        None,
        "",
        "",
    )


@pytest.mark.parametrize("which", ["revoked_token", "expired_token"])
def test_revoked_or_expired_token_is_401_and_audited_with_its_owner(client, cast, request, which):
    raw = request.getfixturevalue(which)
    response = client.get(ME, **bearer(raw))
    error = error_of(response, 401, "invalid_token")
    assert raw not in response.content.decode()
    event = denials(event="access.token.rejected").get()
    assert event.actor is None
    assert event.actor_label == "partner.a"
    assert event.object_type == "access.personalaccesstoken"
    assert error["request_id"] == event.request_id


def test_token_of_deactivated_user_is_refused(client, cast, token_for):
    _token, raw = token_for(cast.partner_staff_a)
    cast.partner_staff_a.is_active = False
    cast.partner_staff_a.save(update_fields=["is_active"])
    error_of(client.get(ME, **bearer(raw)), 401, "invalid_token")
    assert denials(event="access.token.rejected", actor_label="partner.a").count() == 1


def test_token_acts_as_its_owner_and_is_marked_used(client, cast, token_for):
    token, raw = token_for(cast.partner_staff_a)
    response = client.get(ME, **bearer(raw))
    assert response.status_code == 200
    assert response.json()["user"]["username"] == "partner.a"
    assert PersonalAccessToken.objects.get(pk=token.pk).last_used_at is not None


def test_token_needs_no_second_factor(client, cast, token_for):
    _token, raw = token_for(cast.registrar_a)  # created in a verified session, used by a program
    assert client.get(ME, **bearer(raw)).json()["user"]["username"] == "registrar.a"


def test_bearer_token_wins_over_the_session(client, cast, signed_in, token_for):
    _token, raw = token_for(cast.partner_staff_a)
    signed_in(cast.registrar_a)
    assert client.get(ME, **bearer(raw)).json()["user"]["username"] == "partner.a"


def test_verified_session_works(client, cast, signed_in):
    signed_in(cast.registrar_a)
    assert client.get(ME).json()["user"]["username"] == "registrar.a"


def test_unverified_session_of_case_worker_is_401_and_audited(client, cast, signed_in):
    signed_in(cast.registrar_a, verified=False)
    error_of(client.get(ME), 401, "two_factor_required")
    event = denials().get()
    assert (event.actor, event.event, event.reason) == (
        cast.registrar_a,
        "api.session.rejected",
        "two_factor",
    )


def test_analyst_session_needs_no_second_factor(client, cast, signed_in):
    signed_in(cast.analyst_a, verified=False)
    assert client.get(ME).status_code == 200


def test_session_post_without_csrf_token_is_refused_and_audited(csrf_client, cast, signed_in):
    signed_in(cast.registrar_a)
    response = csrf_client.post(TOKENS, {"name": "crm"}, content_type="application/json")
    error_of(response, 403, "csrf_failed")
    assert not PersonalAccessToken.objects.exists()
    event = denials().get()
    assert (event.actor, event.event) == (cast.registrar_a, "access.csrf.rejected")
    assert "CSRF" in event.reason


def test_session_post_with_csrf_token_works(csrf_client, cast, signed_in):
    signed_in(cast.registrar_a)
    response = csrf_client.post(
        TOKENS, {"name": "crm"}, content_type="application/json", **csrf_header(csrf_client)
    )
    assert response.status_code == 201


def test_bearer_unsafe_method_needs_no_csrf_token(csrf_client, cast, token_for):
    token, raw = token_for(cast.partner_staff_a)
    response = csrf_client.delete(f"{TOKENS}/{token.pk}", **bearer(raw))
    assert response.status_code == 204


def test_anonymous_post_is_not_authenticated_rather_than_csrf_failed(csrf_client, cast):
    response = csrf_client.post(TOKENS, {"name": "crm"}, content_type="application/json")
    error_of(response, 401, "not_authenticated")


def test_answer_is_in_the_token_owners_language(client, cast, token_for):
    cast.partner_staff_a.preferred_language = "en"
    cast.partner_staff_a.save(update_fields=["preferred_language"])
    _token, raw = token_for(cast.partner_staff_a)
    assert client.get(ME, **bearer(raw))["Content-Language"] == "en"
    assert client.get(ME)["Content-Language"] == "uk"
