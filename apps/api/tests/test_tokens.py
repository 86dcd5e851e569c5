"""Personal access tokens through the API: the owner lists, creates and revokes their own."""

import pytest

from apps.access.models import PersonalAccessToken
from apps.access.roles import Perm
from apps.audit.models import Action, AuditEvent

from .helpers import bearer, denials, error_of

pytestmark = pytest.mark.django_db

TOKENS = "/api/v1/tokens"


def create(client, body: dict, **extra):
    return client.post(TOKENS, body, content_type="application/json", **extra)


def test_create_shows_the_token_once_and_it_works(client, cast, signed_in):
    signed_in(cast.registrar_a)
    response = create(client, {"name": "  Центр зайнятості  ", "expires_in_days": 30})
    assert response.status_code == 201
    created = response.json()
    assert created["name"] == "Центр зайнятості"
    assert created["token"].startswith("prs_")
    assert created["hint"] == created["token"][:8]
    assert created["expires_at"] is not None
    assert AuditEvent.objects.filter(action=Action.CREATE, event="access.token.created").exists()

    client.logout()
    me = client.get("/api/v1/me", **bearer(created["token"]))
    assert me.json()["user"]["username"] == "registrar.a"


def test_list_shows_own_tokens_never_their_value_or_digest(client, cast, signed_in, token_for):
    own, raw = token_for(cast.registrar_a)
    token_for(cast.registrar_b)
    signed_in(cast.registrar_a)
    response = client.get(TOKENS)
    assert [t["id"] for t in response.json()] == [own.pk]
    assert set(response.json()[0]) == {
        "id",
        "name",
        "hint",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "is_usable",
    }
    assert raw not in response.content.decode()
    assert own.digest not in response.content.decode()


def test_revoke_stops_the_token_and_is_idempotent(client, cast, signed_in, token_for):
    token, raw = token_for(cast.registrar_a)
    signed_in(cast.registrar_a)
    response = client.delete(f"{TOKENS}/{token.pk}")
    assert response.status_code == 204
    assert not PersonalAccessToken.objects.get(pk=token.pk).is_usable
    assert client.delete(f"{TOKENS}/{token.pk}").status_code == 204
    assert client.get(TOKENS).json()[0]["revoked_at"] is not None

    client.logout()
    error_of(client.get("/api/v1/me", **bearer(raw)), 401, "invalid_token")


def test_a_token_may_revoke_itself(client, cast, token_for):
    token, raw = token_for(cast.partner_staff_a)
    assert client.delete(f"{TOKENS}/{token.pk}", **bearer(raw)).status_code == 204
    error_of(client.get(TOKENS, **bearer(raw)), 401, "invalid_token")


def test_another_users_token_is_not_found_and_the_attempt_audited(client, cast, token_for):
    theirs, _raw = token_for(cast.registrar_b)
    _mine, raw = token_for(cast.registrar_a)
    response = client.delete(f"{TOKENS}/{theirs.pk}", **bearer(raw))
    error_of(response, 404, "not_found")
    assert PersonalAccessToken.objects.get(pk=theirs.pk).is_usable
    event = denials().get()
    assert (event.actor, event.event, event.object_id) == (
        cast.registrar_a,
        "access.personalaccesstoken.denied",
        str(theirs.pk),
    )


def test_a_token_that_never_existed_is_not_found_unaudited(client, cast, token_for):
    _token, raw = token_for(cast.registrar_a)
    error_of(client.delete(f"{TOKENS}/999999", **bearer(raw)), 404, "not_found")
    assert not denials().exists()


def test_user_without_the_permission_is_refused_and_audited(client, cast, token_for):
    _token, raw = token_for(cast.outsider)
    error = error_of(client.get(TOKENS, **bearer(raw)), 403, "permission_denied")
    assert error["message"] == "У вас немає права на цю дію."
    error_of(create(client, {"name": "x"}, **bearer(raw)), 403, "permission_denied")
    assert denials(actor=cast.outsider, reason=Perm.TOKENS_MANAGE).count() == 2


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({}, "name", "missing"),
        ({"name": "   "}, "name", "string_too_short"),
        ({"name": "x" * 101}, "name", "string_too_long"),
        ({"name": "crm", "expires_in_days": 0}, "expires_in_days", "greater_than_equal"),
        ({"name": "crm", "expires_in_days": 731}, "expires_in_days", "less_than_equal"),
        ({"name": "crm", "expires_in_days": "soon"}, "expires_in_days", "int_parsing"),
    ],
)
def test_invalid_input_is_422_with_the_field(client, cast, signed_in, body, field, code):
    signed_in(cast.registrar_a)
    error = error_of(create(client, body), 422, "validation_error")
    (detail,) = error["details"]
    assert (detail["field"], detail["code"]) == (field, code)
    assert detail["loc"] == ["body", "payload", field]
    assert detail["message"]
    assert not PersonalAccessToken.objects.exists()


def test_a_token_cannot_create_tokens(client, cast, token_for):
    """A leaked token must not be able to mint others that outlive its revocation."""
    _token, raw = token_for(cast.partner_staff_a)
    error_of(create(client, {"name": "Ще один"}, **bearer(raw)), 403, "permission_denied")
    assert PersonalAccessToken.objects.filter(user=cast.partner_staff_a).count() == 1
    assert AuditEvent.objects.filter(
        action=Action.PERMISSION_DENIED, reason="tokens:create-with-token"
    ).exists()
