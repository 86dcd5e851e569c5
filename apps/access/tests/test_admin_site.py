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


def test_a_community_scoped_administrator_does_not_open_admin(cast, signed_in):
    """Django admin sees every scope, so only a global administrator may open it."""
    from apps.access.roles import Role
    from apps.access.tests.factories import MembershipFactory, UserFactory

    local_admin = UserFactory(username="admin.rivne", is_staff=True, is_superuser=True)
    MembershipFactory(user=local_admin, role=Role.ADMIN, community=cast.community_a)
    assert signed_in(local_admin).get("/admin/", follow=True).status_code == 403
    assert signed_in(local_admin).get("/admin/audit/auditevent/", follow=True).status_code == 403


def test_opening_a_staff_record_in_admin_is_an_audited_read(cast, signed_in):
    client = signed_in(cast.admin)
    assert client.get(f"/admin/access/user/{cast.registrar_b.pk}/change/").status_code == 200
    read = AuditEvent.objects.get(action=Action.READ, object_id=str(cast.registrar_b.pk))
    assert (read.actor, read.event) == (cast.admin, "access.user.read")
    assert read.organisation == cast.hub_b  # the coordinator of hub B sees who looked
