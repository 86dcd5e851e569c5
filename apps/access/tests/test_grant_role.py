import pytest
from django.core.management import CommandError, call_command

from apps.access.models import Membership
from apps.access.roles import Role
from apps.access.tests.factories import UserFactory
from apps.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_first_administrator_gets_global_role_and_admin_site(cast):
    user = UserFactory(username="first.admin")
    call_command("grant_role", "first.admin", "admin")
    user.refresh_from_db()
    assert user.is_staff and user.is_superuser
    assert Membership.objects.filter(user=user, role=Role.ADMIN, community=None).count() == 1
    call_command("grant_role", "first.admin", "admin")  # idempotent
    assert Membership.objects.filter(user=user).count() == 1
    assert AuditEvent.objects.filter(event="access.membership.created").count() == 1


def test_scoped_role_needs_a_known_scope(cast):
    UserFactory(username="new.registrar")
    with pytest.raises(CommandError, match="needs"):
        call_command("grant_role", "new.registrar", "registrar")
    with pytest.raises(CommandError, match="Unknown КАТОТТГ"):
        call_command("grant_role", "new.registrar", "registrar", community="UA00000000000000000")
    call_command(
        "grant_role", "new.registrar", "registrar",
        community=cast.community_a.code, organisation=cast.hub_a.slug,
    )  # fmt: skip
    membership = Membership.objects.get(user__username="new.registrar")
    assert (membership.community, membership.organisation) == (cast.community_a, cast.hub_a)


def test_unknown_user_is_refused(db):
    with pytest.raises(CommandError, match="No user"):
        call_command("grant_role", "ghost", "admin")
