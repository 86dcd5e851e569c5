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


def test_covers_applies_the_rule_of_scoped_to_a_row_not_yet_saved(cast):
    hub_staff = Grant(
        role=Role.REGISTRAR,
        community_code=cast.community_a.code,
        community_level=3,
        organisation_id=cast.hub_a.pk,
    )
    oblast_analyst = Grant(role=Role.ANALYST, community_code=cast.oblast_a.code, community_level=1)
    partner = Grant(role=Role.PARTNER, organisation_id=cast.partner_a.pk)
    hub = Actor(user=None, grants=(hub_staff,))
    analyst = Actor(user=None, grants=(oblast_analyst,))
    partner_staff = Actor(user=None, grants=(partner,))
    admin = Actor(user=None, grants=(Grant(role=Role.ADMIN),))

    w = Perm.PERSONS_WRITE
    assert policies.covers(hub, w, community=cast.community_a, organisation=cast.hub_a)
    assert policies.covers(hub, w, community=cast.community_a, organisation=None)
    assert policies.covers(hub, w, community=None, organisation=cast.hub_a.pk)
    assert not policies.covers(hub, w, community=cast.community_a, organisation=cast.partner_a)
    assert not policies.covers(hub, w, community=cast.community_b, organisation=cast.hub_a)
    assert not policies.covers(hub, w, community=cast.community_b)
    assert not policies.covers(partner_staff, w, community=cast.community_a)
    assert not policies.covers(analyst, w, community=cast.community_a)  # no such permission
    assert policies.covers(analyst, Perm.HOME_VIEW, community=cast.community_a)
    assert not policies.covers(analyst, Perm.HOME_VIEW, community=cast.community_b)
    assert policies.covers(admin, w, community=cast.community_b)
    assert policies.covering_grants(hub, w, community=cast.community_a) == (hub_staff,)
