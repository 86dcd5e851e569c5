"""The audit log page: scoped to the actor's communities and organisations (everything for
an administrator), refused (and audited) for roles without ``audit.events:read``; filters by
actor, action, object and period; an invalid period is shown back with its message; the
pages keep the filters."""

import functools
import html
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from apps.audit import services as audit
from apps.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db

KYIV = ZoneInfo("Europe/Kyiv")
URL = "/audit/"


def _at(day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=KYIV)


def _record(monkeypatch, at: datetime, **fields) -> AuditEvent:
    """An event written by the audit service at a chosen moment."""
    fields = {"actor": None, "action": Action.UPDATE, "event": "tests.thing.updated", **fields}
    with monkeypatch.context() as patch:
        patch.setattr(timezone, "now", lambda: at)
        return audit.record(**fields)


@pytest.fixture
def events(cast, monkeypatch):
    """Events of March 2026: two of community A / hub A, a sign-in of A's registrar (stamped
    with her hub by the audit service), two of B, and a failed sign-in of nobody's scope."""
    record = functools.partial(_record, monkeypatch)
    return {
        "a_community": record(
            _at(1),
            actor=cast.registrar_a,
            action=Action.READ,
            event="registry.person.read",
            object_type="registry.person",
            object_id="11",
            community=cast.community_a,
        ),
        "a_hub": record(
            _at(5, 23, 30),
            actor=cast.specialist_a,
            object_type="registry.person",
            object_id="12",
            organisation=cast.hub_a,
            changed_fields=["phone"],
        ),
        "b_community": record(
            _at(1), actor=cast.registrar_b, object_id="21", community=cast.community_b
        ),
        "b_hub": record(_at(6, 0, 10), actor=cast.registrar_b, organisation=cast.hub_b),
        "a_sign_in": record(
            _at(2), actor=cast.registrar_a, action=Action.SIGN_IN, event="access.user.signed_in"
        ),
        "unscoped": record(
            _at(2),
            actor=None,
            actor_label="nobody.here",
            action=Action.SIGN_IN_FAILURE,
            event="access.user.sign_in_failed",
        ),
    }


def _shown(client, query: dict | None = None) -> set[int]:
    """The fixture's events on the page. Events the test itself causes (the viewer signing in,
    today) fall outside the fixture's March and are left out of the comparison."""
    response = client.get(URL, query or {})
    assert response.status_code == 200
    return {event.pk for event in response.context["page"] if event.at < _at(31, 23, 59)}


def _pks(events, *names) -> set[int]:
    return {events[name].pk for name in names}


class TestScope:
    def test_coordinator_sees_their_community_and_hub_only(self, cast, signed_in, events):
        shown = _shown(signed_in(cast.coordinator_a))
        assert shown == _pks(events, "a_community", "a_hub", "a_sign_in")

    def test_coordinator_of_b_never_sees_a(self, cast, signed_in, events):
        assert _shown(signed_in(cast.coordinator_b)) == _pks(events, "b_community", "b_hub")

    def test_filters_cannot_reach_past_the_scope(self, cast, signed_in, events):
        client = signed_in(cast.coordinator_a)
        assert _shown(client, {"actor": "registrar.b"}) == set()
        assert _shown(client, {"object_id": "21"}) == set()

    def test_administrator_sees_everything(self, cast, signed_in, events):
        assert _pks(events, *events) <= _shown(signed_in(cast.admin))

    def test_page_shows_the_event_details(self, cast, signed_in, events):
        page = signed_in(cast.coordinator_a).get(URL).content.decode()
        assert "specialist.a" in page and "registry.person" in page and "phone" in page
        assert "Простір інтеграції" in page and "Рівненська" in page
        assert "registrar.b" not in page and "Вінницький хаб" not in page

    @pytest.mark.parametrize("who", ["registrar_a", "specialist_a", "partner_staff_a", "analyst_a"])
    def test_other_roles_are_refused_and_the_refusal_is_audited(self, cast, signed_in, who):
        user = getattr(cast, who)
        assert signed_in(user).get(URL).status_code == 403
        denial = AuditEvent.objects.get(action=Action.PERMISSION_DENIED, actor=user)
        assert (denial.event, denial.reason) == ("access.permission.denied", "audit.events:read")

    def test_anonymous_is_sent_to_sign_in(self, client, cast):
        response = client.get(URL)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("access:sign-in"))

    def test_nav_link_only_for_readers_of_the_trail(self, cast, signed_in):
        link = f'href="{URL}"'
        assert link in signed_in(cast.coordinator_a).get(reverse("access:home")).content.decode()
        assert link not in signed_in(cast.registrar_a).get(reverse("access:home")).content.decode()


class TestFilters:
    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ({"actor": "SPECIALIST.A "}, {"a_hub"}),  # the sign-in name, any case
            ({"action": Action.READ}, {"a_community"}),
            ({"object_type": "registry.person"}, {"a_community", "a_hub"}),
            ({"object_type": "registry.person", "object_id": "12"}, {"a_hub"}),
            ({"date_from": "2026-03-02", "date_to": "2026-03-05"}, {"a_hub", "a_sign_in"}),
            ({"date_to": "2026-03-04"}, {"a_community", "a_sign_in"}),
            ({"date_from": "2026-03-06"}, set()),
            ({"action": Action.READ, "date_from": "2026-03-02"}, set()),
        ],
        ids=["actor", "action", "type", "type-and-id", "period", "until", "from", "combined"],
    )
    def test_filter(self, cast, signed_in, events, query, expected):
        assert _shown(signed_in(cast.coordinator_a), query) == _pks(events, *expected)

    def test_period_follows_kyiv_days(self, cast, signed_in, events):
        # 00:10 on the 6th in Kyiv is still the 5th in UTC: it belongs to the 6th.
        client = signed_in(cast.admin)
        assert events["b_hub"].pk not in _shown(client, {"date_to": "2026-03-05"})
        assert events["b_hub"].pk in _shown(client, {"date_from": "2026-03-06"})


class TestInvalidPeriod:
    def _field_errors(self, page: str, field: str) -> str:
        match = re.search(rf'<ul class="errors" id="id_{field}_error">(.*?)</ul>', page, re.S)
        assert match, f"no errors next to {field}"
        return match.group(1)

    def test_end_before_start_is_shown_back_with_a_message(self, cast, signed_in, events):
        query = {"date_from": "2026-03-10", "date_to": "2026-03-01", "action": "read"}
        response = signed_in(cast.coordinator_a).get(URL, query)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Кінець періоду раніше за його початок." in self._field_errors(page, "date_to")
        assert 'value="2026-03-10"' in page and 'value="2026-03-01"' in page
        assert '<option value="read" selected>' in page
        assert 'aria-invalid="true"' in page and 'role="alert"' in page
        assert list(response.context["page"]) == []

    def test_malformed_date_is_shown_back_with_a_message(self, cast, signed_in, events):
        response = signed_in(cast.coordinator_a).get(URL, {"date_from": "2026-02-31"})
        page = response.content.decode()
        assert "Введіть коректну дату." in self._field_errors(page, "date_from")
        assert 'value="2026-02-31"' in page
        assert list(response.context["page"]) == []

    def test_message_follows_the_chosen_language(self, cast, signed_in, events):
        client = signed_in(cast.coordinator_a)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        page = client.get(URL, {"date_from": "not-a-date"}).content.decode()
        assert "Enter a valid date." in self._field_errors(page, "date_from")


class TestPagination:
    def _link(self, page: str, rel: str) -> str:
        return html.unescape(re.search(rf'href="([^"]*)" rel="{rel}"', page).group(1))

    def test_pages_keep_the_filters(self, cast, signed_in, monkeypatch):
        for n in range(55):
            _record(
                monkeypatch, _at(3), action=Action.READ, object_id=n, community=cast.community_a
            )
        for n in range(5):
            _record(monkeypatch, _at(3), object_id=n, community=cast.community_a)
        client = signed_in(cast.coordinator_a)
        first = client.get(URL, {"action": "read", "date_from": "2026-03-03"})
        assert len(first.context["page"]) == 50
        assert first.context["page"].paginator.count == 55
        next_link = self._link(first.content.decode(), "next")
        assert "action=read" in next_link and "date_from=2026-03-03" in next_link
        second = client.get(URL + next_link)
        assert second.context["page"].number == 2
        assert [e.action for e in second.context["page"]] == [Action.READ] * 5
        previous_link = self._link(second.content.decode(), "prev")
        assert "action=read" in previous_link and "page=1" in previous_link


def test_a_member_of_two_hubs_is_seen_by_both_coordinators(client, cast, signed_in):
    """Events about a person who works in hub B and hub A reach both hubs' coordinators."""
    from apps.access.roles import Role
    from apps.access.tests.factories import MembershipFactory, UserFactory

    both = UserFactory(username="floater")
    MembershipFactory(
        user=both, role=Role.SPECIALIST, community=cast.community_b, organisation=cast.hub_b
    )
    MembershipFactory(
        user=both, role=Role.SPECIALIST, community=cast.community_a, organisation=cast.hub_a
    )
    client.post(reverse("access:sign-in"), {"username": "floater", "password": "wrong"})
    failure = AuditEvent.objects.get(action=Action.SIGN_IN_FAILURE, actor_label="floater")
    assert failure.subject_user == both
    for coordinator in (cast.coordinator_a, cast.coordinator_b):
        page = signed_in(coordinator).get(URL, {"actor": "floater"})
        assert [event.pk for event in page.context["page"]] == [failure.pk]
    outsider_view = signed_in(cast.partner_staff_a).get(URL)
    assert outsider_view.status_code == 403
