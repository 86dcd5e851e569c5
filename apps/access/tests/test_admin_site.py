"""Django admin is open to administrators only, and only after the second factor."""

import pytest

from apps.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db


def test_administrator_with_second_factor_opens_admin(cast, signed_in):
    assert signed_in(cast.admin).get("/admin/").status_code == 200


@pytest.mark.parametrize("who", ["coordinator_a", "registrar_a", "analyst_a", "partner_staff_a"])
def test_other_roles_get_403_audited(cast, signed_in, who):
    user = getattr(cast, who)
    user.is_staff = True  # even a staff flag set by mistake does not open the admin
    user.save()
    response = signed_in(user).get("/admin/", follow=True)
    assert response.status_code == 403
    assert AuditEvent.objects.filter(
        actor=user, action=Action.PERMISSION_DENIED, reason="access.admin:site"
    ).exists()


def test_administrator_without_second_factor_goes_to_two_factor(cast, signed_in):
    response = signed_in(cast.admin, verified=False).get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/two-factor/")


def test_anonymous_visitor_is_sent_to_the_products_sign_in(client, cast):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/sign-in/?next=/admin/")
    assert response.status_code == 200
