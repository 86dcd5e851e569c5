"""The access policy walked through each kind of grant (pretix-style): what one membership
covers of a model scoped by community and organisation."""

import pytest

from apps.access import policies
from apps.access.actor import Actor, Grant
from apps.access.roles import Perm, Role
from apps.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(cast):
    """One event per place: labels tell where each row belongs."""
    places = {
        "A/hub-a": (cast.community_a, cast.hub_a),
        "-/hub-a": (None, cast.hub_a),
        "A/-": (cast.community_a, None),
        "A/partner-a": (cast.community_a, cast.partner_a),
        "B/hub-b": (cast.community_b, cast.hub_b),
        "-/partner-a": (None, cast.partner_a),
        "-/-": (None, None),
    }
    for label, (community, organisation) in places.items():
        AuditEvent.objects.create(
            action=Action.READ,
            event=label,
            community=community,
            organisation=organisation,
        )
    return cast


def visible(grant: Grant) -> set[str]:
    actor = Actor(user=None, grants=(grant,))
    events = policies.scoped(AuditEvent.objects.all(), actor, Perm.HOME_VIEW)
    return set(events.values_list("event", flat=True))


def test_hub_staff_see_their_hub_and_their_communitys_unowned_rows(rows):
    grant = Grant(Role.COORDINATOR, rows.community_a.code, 3, rows.hub_a.pk)
    assert visible(grant) == {"A/hub-a", "-/hub-a", "A/-"}


def test_partner_staff_see_their_organisation_only(rows):
    assert visible(Grant(Role.PARTNER, None, None, rows.partner_a.pk)) == {
        "A/partner-a",
        "-/partner-a",
    }


def test_partner_with_a_community_does_not_see_the_whole_community(rows):
    grant = Grant(Role.PARTNER, rows.community_a.code, 3, rows.partner_a.pk)
    assert visible(grant) == {"A/partner-a", "-/partner-a", "A/-"}


def test_oblast_grant_covers_the_hromadas_inside(rows):
    grant = Grant(Role.ANALYST, rows.oblast_a.code, 1, None)
    assert visible(grant) == {"A/hub-a", "A/-", "A/partner-a"}


def test_global_administrator_sees_everything(rows):
    assert len(visible(Grant(Role.ADMIN))) == 7


def test_no_grant_sees_nothing(rows):
    actor = Actor(user=None, grants=())
    assert not policies.scoped(AuditEvent.objects.all(), actor, Perm.HOME_VIEW).exists()


def test_grant_without_the_permission_sees_nothing(rows):
    actor = Actor(user=None, grants=(Grant(Role.REGISTRAR, rows.community_a.code, 3, None),))
    assert not policies.scoped(AuditEvent.objects.all(), actor, Perm.AUDIT_READ).exists()
