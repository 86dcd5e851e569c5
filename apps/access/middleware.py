from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode

from .actor import actor_for

# Paths a signed-in user who still owes a second factor may open.
_TWO_FACTOR_EXEMPT_PREFIXES = ("/static/", "/healthz", "/api/")


class ActorMiddleware:
    """Builds ``request.actor`` lazily: one membership query per request, only when used."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = SimpleLazyObject(lambda: actor_for(request.user))
        return self.get_response(request)


class LanguageMiddleware:
    """Ukrainian unless the visitor chose otherwise: the language cookie set by the switch,
    else a signed-in user's saved choice, else ``LANGUAGE_CODE``. The browser's
    Accept-Language is deliberately ignored: the product is Ukrainian first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The default first: a thread must not carry the previous request's language into a
        # page drawn after the choice itself failed (the session store unreachable, say).
        translation.activate(settings.LANGUAGE_CODE)
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


def chosen_language(request) -> str:
    """The cookie set by the switch, else a signed-in user's saved choice, else the default."""
    supported = {code for code, _name in settings.LANGUAGES}
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie in supported:
        return cookie
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.preferred_language in supported:
        return user.preferred_language
    return settings.LANGUAGE_CODE


class TwoFactorRequiredMiddleware:
    """A user whose roles see case data may do nothing but set up or enter the second factor
    until the session is verified (django-otp's ``is_verified``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(_TWO_FACTOR_EXEMPT_PREFIXES)
            and request.actor.requires_two_factor
        ):
            allowed = {
                reverse("access:two-factor"),
                reverse("access:two-factor-setup"),
                reverse("access:sign-out"),
                reverse("access:set-language"),
            }
            if request.path not in allowed:
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('access:two-factor')}?{query}")
        return self.get_response(request)
