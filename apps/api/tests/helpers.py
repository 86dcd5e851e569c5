"""Assertions and small helpers the API tests share."""

from django.conf import settings

from apps.audit.models import Action, AuditEvent


def bearer(raw: str) -> dict:
    """``Authorization: Bearer …`` for the Django test client."""
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def csrf_header(client) -> dict:
    """The ``X-CSRFToken`` a page of ours gives the browser (the docs page sets the cookie)."""
    client.get("/api/v1/docs")
    return {"HTTP_X_CSRFTOKEN": client.cookies[settings.CSRF_COOKIE_NAME].value}


def error_of(response, status: int, code: str) -> dict:
    """Asserts the one error shape, status and code; returns the error's body."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) == {"code", "message", "details", "request_id"}
    assert error["code"] == code
    assert error["message"]
    assert error["request_id"] == response["X-Request-ID"]
    return error


def denials(**filters):
    return AuditEvent.objects.filter(action=Action.PERMISSION_DENIED, **filters)
