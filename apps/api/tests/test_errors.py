"""One JSON error shape for every error, in Ukrainian unless the user chose otherwise, with the
request's id, and never a stack trace."""

from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from .helpers import bearer, error_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def raw(cast, token_for):
    return token_for(cast.registrar_a)[1]


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v1/", "/api/v1/tokens/abc/x"])
def test_unknown_path_is_json_404(client, cast, raw, path):
    error_of(client.get(path, **bearer(raw)), 404, "not_found")


def test_unknown_path_is_json_404_for_a_session_post_too(client, cast, signed_in):
    signed_in(cast.registrar_a)
    error_of(client.post("/api/v1/nothing-here"), 404, "not_found")


def test_wrong_method_is_json_405(client, cast, raw):
    response = client.put("/api/v1/me", **bearer(raw))
    error_of(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"


def test_invalid_path_parameter_is_422(client, cast, raw):
    error = error_of(client.delete("/api/v1/tokens/abc", **bearer(raw)), 422, "validation_error")
    assert error["details"][0]["field"] == "token_id"


def test_unparsable_body_is_400(client, cast, raw):
    response = client.post(
        "/api/v1/tokens", "{not json", content_type="application/json", **bearer(raw)
    )
    error_of(response, 400, "bad_request")


def test_messages_are_ukrainian_whatever_the_browser_asks(client, cast):
    response = client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert error_of(response, 401, "not_authenticated")["message"] == "Потрібна автентифікація."
    assert response["Content-Language"] == "uk"


def test_request_id_is_the_proxys_when_it_sends_one(client, cast, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    response = client.get("/api/v1/me", HTTP_X_REQUEST_ID="edge-42.abc")
    assert error_of(response, 401, "not_authenticated")["request_id"] == "edge-42.abc"


def test_unexpected_exception_is_500_without_its_details(client, cast, raw, caplog):
    boom = RuntimeError("secret detail of the database")
    with mock.patch("apps.access.api.selectors.membership_list", side_effect=boom):
        response = client.get("/api/v1/me", **bearer(raw))
    error = error_of(response, 500, "server_error")
    assert "secret detail" not in response.content.decode()
    assert "Traceback" not in response.content.decode()
    assert error["details"] == []
    assert any(record.exc_info and record.exc_info[1] is boom for record in caplog.records)


def test_integrity_error_is_409_conflict(client, cast, signed_in):
    signed_in(cast.partner_staff_a)
    with mock.patch(
        "apps.access.api.services.token_create", side_effect=IntegrityError("duplicate key")
    ):
        response = client.post("/api/v1/tokens", {"name": "x"}, content_type="application/json")
    error = error_of(response, 409, "conflict")
    assert "duplicate key" not in error["message"]


def test_a_services_validation_error_is_422_by_field(client, cast, signed_in):
    signed_in(cast.partner_staff_a)
    invalid = ValidationError({"name": ["Така назва вже є."], "__all__": ["Щось не так."]})
    with mock.patch("apps.access.api.services.token_create", side_effect=invalid):
        response = client.post("/api/v1/tokens", {"name": "x"}, content_type="application/json")
    error = error_of(response, 422, "validation_error")
    assert [(d["field"], d["message"]) for d in error["details"]] == [
        ("name", "Така назва вже є."),
        ("", "Щось не так."),
    ]
