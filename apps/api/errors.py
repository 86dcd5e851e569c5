"""One JSON shape for every error the API returns::

    {"error": {"code": "not_found", "message": "Не знайдено.", "details": [],
               "request_id": "3f2a…"}}

``code`` is for programs and never changes with the language; ``message`` is for people, in
the language the language middleware chose (Ukrainian unless the user chose otherwise);
``details`` lists per-field problems (422) as ``{field, loc, message, code}``; ``request_id``
is the ``X-Request-ID`` of the response and of the request's audit events.

API code raises ``ApiError`` (or a subclass) for errors of its own. Ninja's own ``HttpError``\\s
carry English text, so they get the default message of their status instead. Stack traces
never leave the server: an unexpected exception is logged and answered with ``server_error``.
"""

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as ModelValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestValidationError

from apps.audit import services as audit

logger = logging.getLogger("django.request")

DEFAULTS: dict[int, tuple[str, Any]] = {
    400: ("bad_request", _("Некоректний запит.")),
    401: ("not_authenticated", _("Потрібна автентифікація.")),
    403: ("permission_denied", _("У вас немає права на цю дію.")),
    404: ("not_found", _("Не знайдено.")),
    405: ("method_not_allowed", _("Цей метод не підтримується за цією адресою.")),
    409: ("conflict", _("Конфлікт: дані вже існують або їх щойно змінили.")),
    422: ("validation_error", _("Дані не пройшли перевірку.")),
    429: ("throttled", _("Забагато запитів. Спробуйте пізніше.")),
    500: (
        "server_error",
        _(
            "Внутрішня помилка сервера. Спробуйте пізніше; якщо повториться, "
            "повідомте ідентифікатор запиту."
        ),
    ),
}


class ApiError(HttpError):
    """An error with a machine ``code`` and a translated message meant for people."""

    status_code = 400
    code = "bad_request"
    default_message: Any = DEFAULTS[400][1]

    def __init__(self, message: str | None = None, *, details: Iterable[dict] = ()) -> None:
        super().__init__(type(self).status_code, str(message or self.default_message))
        self.details = list(details)


class NotAuthenticated(ApiError):
    status_code = 401
    code = "not_authenticated"
    default_message = DEFAULTS[401][1]


class InvalidToken(NotAuthenticated):
    """One answer for an unknown, revoked and expired token alike."""

    code = "invalid_token"
    default_message = _("Токен недійсний: його не існує, його відкликано або строк його дії минув.")


class TwoFactorRequired(NotAuthenticated):
    code = "two_factor_required"
    default_message = _("Спершу підтвердьте вхід кодом із застосунку автентифікації.")


class CsrfFailed(ApiError):
    status_code = 403
    code = "csrf_failed"
    default_message = _("Запит відхилено: немає дійсного CSRF-токена.")


class Conflict(ApiError):
    status_code = 409
    code = "conflict"
    default_message = DEFAULTS[409][1]


# --- the response -------------------------------------------------------------------------------


def error_response(
    request: HttpRequest,
    status: int,
    *,
    code: str | None = None,
    message: Any = None,
    details: Iterable[dict] = (),
) -> HttpResponse:
    """The JSON error for ``status``; ``code`` and ``message`` default to the status's own."""
    default_code, default_message = DEFAULTS.get(status, ("error", DEFAULTS[400][1]))
    body = {
        "code": code or default_code,
        "message": str(message or default_message),
        "details": list(details),
        "request_id": getattr(request, "request_id", ""),
    }
    response = JsonResponse(
        {"error": body}, status=status, json_dumps_params={"ensure_ascii": False}
    )
    if status == 401:
        challenge = 'Bearer realm="prostir"'
        if code == InvalidToken.code:
            challenge += ', error="invalid_token"'
        response["WWW-Authenticate"] = challenge
    return response


# --- validation details -------------------------------------------------------------------------

# Pydantic's messages are English; the common ones are said again in the product's language.
# Unknown types keep pydantic's text.
_FIELD_MESSAGES: dict[str, Any] = {
    "missing": _("Обов'язкове поле."),
    "string_type": _("Потрібен текст."),
    "string_too_short": _("Мінімальна довжина: %(min_length)s."),
    "string_too_long": _("Максимальна довжина: %(max_length)s."),
    "int_type": _("Потрібне ціле число."),
    "int_parsing": _("Потрібне ціле число."),
    "bool_type": _("Потрібно true або false."),
    "bool_parsing": _("Потрібно true або false."),
    "greater_than": _("Значення має бути більшим за %(gt)s."),
    "greater_than_equal": _("Значення має бути не меншим за %(ge)s."),
    "less_than": _("Значення має бути меншим за %(lt)s."),
    "less_than_equal": _("Значення має бути не більшим за %(le)s."),
    "date_parsing": _("Потрібна дата у форматі РРРР-ММ-ДД."),
    "date_from_datetime_parsing": _("Потрібна дата у форматі РРРР-ММ-ДД."),
    "datetime_parsing": _("Потрібні дата й час у форматі ISO 8601."),
    "datetime_from_date_parsing": _("Потрібні дата й час у форматі ISO 8601."),
    "uuid_parsing": _("Потрібен UUID."),
    "enum": _("Неприпустиме значення."),
    "literal_error": _("Неприпустиме значення."),
    "extra_forbidden": _("Невідоме поле."),
}


def _field_of(loc: list) -> str:
    """``["body", "payload", "name"]`` → ``name``; ``["query", "page"]`` → ``page``. A body's
    first element after the source is the handler's parameter, not a field of the request."""
    parts = loc[2:] if loc[:1] == ["body"] and len(loc) > 2 else loc[1:]
    return ".".join(str(part) for part in parts)


def _request_error_details(errors: list[dict]) -> Iterator[dict]:
    for error in errors:
        loc = list(error.get("loc", ()))
        template = _FIELD_MESSAGES.get(error.get("type", ""))
        try:
            message = str(template) % error.get("ctx", {}) if template else error.get("msg", "")
        except (KeyError, TypeError):
            message = error.get("msg", "")
        yield {"field": _field_of(loc), "loc": loc, "message": message, "code": error.get("type")}


def _model_error_details(exc: ModelValidationError) -> Iterator[dict]:
    """A service's ``full_clean()`` error, field by field."""
    if hasattr(exc, "error_dict"):
        pairs = ((field, e) for field, errors in exc.error_dict.items() for e in errors)
    else:
        pairs = ((NON_FIELD_ERRORS, e) for e in exc.error_list)
    for field, error in pairs:
        name = "" if field == NON_FIELD_ERRORS else field
        yield {
            "field": name,
            "loc": [name] if name else [],
            "message": " ".join(error.messages),
            "code": error.code or "invalid",
        }


# --- handlers -----------------------------------------------------------------------------------


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if type(exc) is AuthenticationError:  # no credentials at all (bad ones are audited in auth)
        audit.record(
            actor=None,
            action=audit.Action.PERMISSION_DENIED,
            event="api.request.unauthenticated",
            reason=f"{request.method} {request.path}"[:255],
        )
    if isinstance(exc, ApiError):
        return error_response(
            request, exc.status_code, code=exc.code, message=exc.message, details=exc.details
        )
    return error_response(request, exc.status_code)


def _request_invalid(request: HttpRequest, exc: RequestValidationError) -> HttpResponse:
    return error_response(request, 422, details=_request_error_details(exc.errors))


def _model_invalid(request: HttpRequest, exc: ModelValidationError) -> HttpResponse:
    return error_response(request, 422, details=_model_error_details(exc))


def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # Http404's own text may name a model ("No Person matches…"): never shown.
    return error_response(request, 404)


def _permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    # The policy that refused has audited the denial (apps.access.policies.require).
    return error_response(request, 403, message=str(exc) if exc.args else None)


def _conflict(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    logger.warning("API conflict: %s", request.path, exc_info=exc)
    return error_response(request, 409)


def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.error(
        "Internal Server Error: %s",
        request.path,
        exc_info=exc,
        extra={"status_code": 500, "request": request},
    )
    return error_response(request, 500)


HANDLERS = {
    AuthenticationError: _http_error,
    HttpError: _http_error,
    RequestValidationError: _request_invalid,
    ModelValidationError: _model_invalid,
    Http404: _not_found,
    PermissionDenied: _permission_denied,
    IntegrityError: _conflict,
    Exception: _server_error,
}


def register_exception_handlers(api: NinjaAPI) -> None:
    for exc_class, handler in HANDLERS.items():
        api.add_exception_handler(exc_class, handler)
