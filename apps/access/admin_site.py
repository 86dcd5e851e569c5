"""Django admin is for global administrators only (the admin role with no community or
organisation: admin sees every scope) and a verified second factor.
Everyone else signs in through the product's own sign-in; a signed-in non-administrator gets
the 403 page (audited), not a second sign-in form."""

from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from . import policies
from .actor import actor_for
from .roles import Perm


def _has_permission(request) -> bool:
    user = request.user
    return bool(
        user.is_active
        and user.is_staff
        and getattr(user, "is_verified", lambda: False)()
        and any(grant.is_global for grant in actor_for(user).grants)
    )


def _login(request, extra_context=None):
    if request.user.is_authenticated:
        policies.deny(actor_for(request.user), reason=Perm.ADMIN_SITE)
    next_url = request.GET.get("next") or reverse("admin:index")
    return redirect_to_login(next_url, reverse("access:sign-in"))


def restrict_admin_site(site) -> None:
    site.site_header = "Prostir"
    site.login = _login
    site.has_permission = _has_permission
