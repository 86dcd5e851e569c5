"""How a request to the API says who it is.

- ``BearerTokenAuth``: ``Authorization: Bearer prs_…``, a personal access token (partners,
  integrations, scripts). A presented token that does not authenticate is a 401, audited.
- ``SessionAuth``: the browser's Django session (the UI, the docs page). Unsafe methods need the
  CSRF token; a user whose roles see case data must have passed the second factor. Both
  refusals are audited.

Either puts the acting user on ``request.user`` and ``request.actor``, for the selectors. The
bearer is tried first: a request that presents a token is judged by the token alone.
"""

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from apps.access import services as access
from apps.access.actor import actor_for
from apps.access.middleware import chosen_language
from apps.access.models import PersonalAccessToken, User
from apps.audit import services as audit

from .errors import CsrfFailed, InvalidToken, TwoFactorRequired


def _act_as(request: HttpRequest, user: User) -> None:
    request.user = user
    request.actor = actor_for(user)


def _use_language_of(request: HttpRequest) -> None:
    """The language middleware ran before the token named the user: choose again, by its rules
    (the language cookie, else the user's saved choice, else Ukrainian)."""
    language = chosen_language(request)
    translation.activate(language)
    request.LANGUAGE_CODE = language


def _refuse_session(user: User, reason: str) -> None:
    audit.record(
        actor=user,
        action=audit.Action.PERMISSION_DENIED,
        event="api.session.rejected",
        reason=reason,
    )


class BearerTokenAuth(HttpBearer):
    """A personal access token in the ``Authorization`` header."""

    def authenticate(self, request: HttpRequest, token: str) -> PersonalAccessToken:
        found = access.token_authenticate(token)
        if found is None:
            access.record_token_failure(raw=token)
            raise InvalidToken()
        _act_as(request, found.user)
        _use_language_of(request)
        return found


class SessionAuth(APIKeyCookie):
    """The signed-in Django session, CSRF-checked, second factor passed where the roles need it.
    (``csrf = True`` also tells the docs page to send the CSRF token.)"""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> User | None:
        # Unlike ninja's cookie auth, CSRF is checked only once a signed-in session is found,
        # so an anonymous POST is "not authenticated" rather than "CSRF failed".
        return self.authenticate(request, request.COOKIES.get(self.param_name))

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        if not user.is_authenticated:
            return None
        if self._csrf_fails(request):
            # Django's CSRF check has called CSRF_FAILURE_VIEW, which audits the refusal.
            raise CsrfFailed()
        actor = actor_for(user)
        if actor.requires_two_factor and not user.is_verified():
            _refuse_session(user, "two_factor")
            raise TwoFactorRequired()
        request.actor = actor
        return user

    def _csrf_fails(self, request: HttpRequest) -> bool:
        if not self.csrf or getattr(request, "_ninja_csrf_exempt", False):
            return False
        return check_csrf(request) is not None


# The order matters: see the module's docstring.
API_AUTH = [BearerTokenAuth(), SessionAuth()]
