"""The staff pages: coordinators see the staff of their hub and community, administrators
everyone's; other roles are refused (audited). Opening a card is an audited read; a card
outside the scope is 'not found' (the denial audited)."""

import re

import pytest
from django.http import Http404
from django.urls import reverse

from apps.access import selectors
from apps.access.actor import actor_for
from apps.access.roles import Role
from apps.access.tests.factories import MembershipFactory
from apps.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db

STAFF_A = {"coordinator.a", "registrar.a", "specialist.a"}
STAFF_B = {"coordinator.b", "registrar.b"}
EVERY_MEMBER = STAFF_A | STAFF_B | {"admin", "analyst.a", "partner.a"}


def _listed(client) -> set[str]:
    response = client.get(reverse("access:staff-list"))
    assert response.status_code == 200
    return {member.username for member in response.context["page"]}


def _card_url(user) -> str:
    return reverse("access:staff-detail", args=[user.pk])


def _main(response) -> str:
    """The page's ``<main>`` (the header carries per-request tokens and the path)."""
    return re.search(r"<main.*</main>", response.content.decode(), re.DOTALL).group()


def _events(action, **filters):
    return AuditEvent.objects.filter(action=action, **filters)


class TestList:
    def test_coordinator_sees_the_staff_of_their_hub_only(self, cast, signed_in):
        assert _listed(signed_in(cast.coordinator_a)) == STAFF_A
        assert _listed(signed_in(cast.coordinator_b)) == STAFF_B

    def test_administrator_sees_every_member_of_staff(self, cast, signed_in):
        assert _listed(signed_in(cast.admin)) == EVERY_MEMBER  # not the outsider: no role

    def test_each_member_is_listed_once(self, cast, signed_in):
        # Two more memberships in hub A: the join on memberships must not repeat her.
        MembershipFactory(
            user=cast.specialist_a, role=Role.PSYCHOLOGIST, community=cast.community_a
        )
        MembershipFactory(user=cast.specialist_a, role=Role.FACILITATOR, organisation=cast.hub_a)
        staff = selectors.staff_list(actor=actor_for(cast.coordinator_a))
        usernames = [member.username for member in staff]
        assert sorted(usernames) == sorted(STAFF_A)
        assert staff.count() == len(STAFF_A)

    def test_shows_role_and_organisation(self, cast, signed_in):
        page = signed_in(cast.coordinator_a).get(reverse("access:staff-list")).content.decode()
        assert "Реєстратор — Простір інтеграції" in page
        assert "Координатор хабу — Простір інтеграції" in page
        assert "Вінницький хаб" not in page
        assert f'href="{_card_url(cast.registrar_a)}"' in page
        assert '<th scope="col">' in page and '<th scope="row">' in page

    def test_memberships_elsewhere_stay_hidden_from_a_coordinator(self, cast, signed_in):
        MembershipFactory(
            user=cast.registrar_a, role=Role.REGISTRAR, community=cast.community_b,
            organisation=cast.hub_b,
        )  # fmt: skip
        assert "Вінницький хаб" not in (
            signed_in(cast.coordinator_a).get(reverse("access:staff-list")).content.decode()
        )
        assert (
            "Вінницький хаб"
            in signed_in(cast.admin).get(_card_url(cast.registrar_a)).content.decode()
        )

    @pytest.mark.parametrize("who", ["registrar_a", "specialist_a", "partner_staff_a", "analyst_a"])
    def test_other_roles_are_refused_and_the_refusal_is_audited(self, cast, signed_in, who):
        user = getattr(cast, who)
        assert signed_in(user).get(reverse("access:staff-list")).status_code == 403
        denial = _events(Action.PERMISSION_DENIED, actor=user).get()
        assert denial.reason == "access.staff:read"

    def test_anonymous_is_sent_to_sign_in(self, client, cast):
        response = client.get(reverse("access:staff-list"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("access:sign-in"))

    def test_listing_is_not_a_read_of_a_card(self, cast, signed_in):
        signed_in(cast.coordinator_a).get(reverse("access:staff-list"))
        assert not _events(Action.READ).exists()


class TestNavigation:
    def test_link_for_those_who_may_read_staff(self, cast, signed_in):
        link = f'href="{reverse("access:staff-list")}"'
        assert link in signed_in(cast.coordinator_a).get(reverse("access:home")).content.decode()

    def test_no_link_for_the_others(self, cast, signed_in):
        link = f'href="{reverse("access:staff-list")}"'
        assert link not in signed_in(cast.registrar_a).get(reverse("access:home")).content.decode()


class TestCard:
    def test_card_shows_the_member_and_records_one_read(self, cast, signed_in):
        response = signed_in(cast.coordinator_a).get(_card_url(cast.specialist_a))
        assert response.status_code == 200
        page = response.content.decode()
        for text in ("Specialist.A Ім&#x27;я", "specialist.a", "specialist.a@example.org"):
            assert text in page
        assert "Фахівець із соціальної роботи" in page and "Простір інтеграції" in page
        assert "<dl>" in page and "<h1>" in page
        read = _events(Action.READ).get()
        assert read.actor == cast.coordinator_a
        assert (read.event, read.object_type) == ("access.user.read", "access.user")
        assert read.object_id == str(cast.specialist_a.pk)
        assert read.request_id == response["X-Request-ID"]

    def test_each_view_is_one_read(self, cast, signed_in):
        client = signed_in(cast.admin)
        for _ in range(2):
            assert client.get(_card_url(cast.registrar_b)).status_code == 200
        assert _events(Action.READ, object_id=str(cast.registrar_b.pk)).count() == 2

    @pytest.mark.parametrize(
        ("who", "whom"),
        [
            ("coordinator_a", "registrar_b"),
            ("coordinator_a", "admin"),
            ("coordinator_a", "partner_staff_a"),
            ("coordinator_b", "specialist_a"),
        ],
    )
    def test_outside_the_scope_is_not_found_and_the_denial_audited(
        self, cast, signed_in, who, whom
    ):
        actor, target = getattr(cast, who), getattr(cast, whom)
        response = signed_in(actor).get(_card_url(target))
        assert response.status_code == 404
        denial = _events(Action.PERMISSION_DENIED, actor=actor).get()
        assert (denial.event, denial.object_id) == ("access.user.denied", str(target.pk))
        assert denial.reason == "access.staff:read"
        assert not _events(Action.READ).exists()

    def test_missing_and_hidden_look_the_same(self, cast, signed_in, settings):
        settings.TRUSTED_PROXY_COUNT = 1  # the proxy's request id, so both pages carry one
        client = signed_in(cast.coordinator_a)
        same_id = {"X-Request-ID": "support-code"}  # shown on the page for support
        missing = client.get(reverse("access:staff-detail", args=[987654]), headers=same_id)
        hidden = client.get(_card_url(cast.registrar_b), headers=same_id)
        assert missing.status_code == hidden.status_code == 404
        assert _main(missing) == _main(hidden)
        assert not _events(Action.PERMISSION_DENIED, object_id="987654").exists()

    def test_user_without_any_role_is_not_staff(self, cast, signed_in):
        assert signed_in(cast.admin).get(_card_url(cast.outsider)).status_code == 404

    def test_other_roles_are_refused(self, cast, signed_in):
        response = signed_in(cast.registrar_a).get(_card_url(cast.specialist_a))
        assert response.status_code == 403
        assert _events(Action.PERMISSION_DENIED, actor=cast.registrar_a).count() == 1
        assert not _events(Action.READ).exists()


class TestSelectors:
    def test_staff_get_in_scope(self, cast):
        member = selectors.staff_get(
            actor=actor_for(cast.coordinator_a), user_id=cast.registrar_a.pk
        )
        assert member == cast.registrar_a
        assert [m.role for m in member.visible_memberships] == [Role.REGISTRAR]
        assert not _events(Action.READ).exists()  # the plain get is not the audited read

    def test_staff_get_outside_the_scope_raises_not_found(self, cast):
        with pytest.raises(Http404):
            selectors.staff_get(actor=actor_for(cast.coordinator_a), user_id=cast.registrar_b.pk)
