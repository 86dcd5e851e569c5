"""Django admin is for administrators only: the admin role and a verified second factor."""

from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from .actor import actor_for


def restrict_admin_site(site) -> None:
    site.site_header = "Prostir"

    def login(request, extra_context=None):
        # One sign-in for the whole product: password, lockout and the second factor.
        return redirect_to_login(request.get_full_path(), reverse("access:sign-in"))

    site.login = login

    def has_permission(request) -> bool:
        user = request.user
        return bool(
            user.is_active
            and user.is_staff
            and getattr(user, "is_verified", lambda: False)()
            and actor_for(user).is_administrator
        )

    site.has_permission = has_permission
