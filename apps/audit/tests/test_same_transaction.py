"""A read of an audited object and a change each leave exactly one event, in the same
transaction as the read or the change; a rolled-back change leaves none.

Driven through the real code: the staff card (``/staff/<id>/``, an audited read) and
``apps.access.services.user_set_language`` (a change). The tests run without the test-wide
transaction, so every BEGIN, COMMIT and ROLLBACK is real."""

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from apps.access import services as access_services
from apps.audit import services as audit
from apps.audit.models import Action, AuditEvent
from apps.audit.tests.transactions import statements, transactions_of

pytestmark = pytest.mark.django_db(transaction=True)


class Boom(Exception):
    pass


def _events(action: str):
    return AuditEvent.objects.filter(action=action)


@pytest.fixture
def break_audit_writes(monkeypatch):
    """``break_audit_writes()``: from then on, writing an audit event fails."""

    def refuse(*args, **kwargs):
        raise DatabaseError("the audit trail is unavailable")

    return lambda: monkeypatch.setattr(AuditEvent, "save", refuse)


class TestRead:
    def _card(self, cast):
        return reverse("access:staff-detail", args=[cast.specialist_a.pk])

    def test_each_view_of_a_card_leaves_one_read_event(self, cast, signed_in):
        client = signed_in(cast.coordinator_a)
        for views in (1, 2):
            assert client.get(self._card(cast)).status_code == 200
            assert _events(Action.READ).count() == views
        reads = _events(Action.READ)
        assert {(e.actor_id, e.object_id) for e in reads} == {
            (cast.coordinator_a.pk, str(cast.specialist_a.pk))
        }
        assert len({e.request_id for e in reads}) == 2

    def test_the_read_and_its_event_share_one_transaction(self, cast, signed_in):
        client = signed_in(cast.coordinator_a)
        with statements() as log:
            client.get(self._card(cast))
        (written,) = transactions_of(log, 'INSERT INTO "audit_auditevent"')
        assert written is not None
        assert transactions_of(log, "SELECT", 'FROM "access_user"', "IN (SELECT") == {written}
        assert transactions_of(log, "SELECT", 'FROM "access_membership"', "IN (") >= {written}

    def test_no_card_without_its_event(self, cast, signed_in, break_audit_writes):
        client = signed_in(cast.coordinator_a)
        break_audit_writes()
        with pytest.raises(DatabaseError):
            client.get(self._card(cast))
        assert not _events(Action.READ).exists()


class TestChange:
    def test_a_change_leaves_one_update_event(self, cast):
        access_services.user_set_language(user=cast.registrar_a, language="en")
        event = _events(Action.UPDATE).get()
        assert (event.actor, event.event) == (cast.registrar_a, "access.user.updated")
        assert (event.object_type, event.object_id) == ("access.user", str(cast.registrar_a.pk))
        assert event.changed_fields == ["preferred_language"]

    def test_no_change_no_event(self, cast):
        access_services.user_set_language(user=cast.registrar_a, language="uk")
        assert not _events(Action.UPDATE).exists()

    def test_the_change_and_its_event_share_one_transaction(self, cast):
        with statements() as log:
            access_services.user_set_language(user=cast.registrar_a, language="en")
        (written,) = transactions_of(log, 'INSERT INTO "audit_auditevent"')
        assert written is not None
        assert transactions_of(log, 'UPDATE "access_user"', "preferred_language") == {written}

    def test_rolled_back_after_the_audit_write_leaves_none(self, cast):
        with pytest.raises(Boom), transaction.atomic():
            access_services.user_set_language(user=cast.registrar_a, language="en")
            assert _events(Action.UPDATE).count() == 1  # written, not yet committed
            raise Boom
        assert not _events(Action.UPDATE).exists()
        cast.registrar_a.refresh_from_db()
        assert cast.registrar_a.preferred_language == "uk"

    def test_failing_inside_the_service_after_the_audit_write_leaves_none(self, cast, monkeypatch):
        real_record = audit.record

        def record_then_fail(**kwargs):
            real_record(**kwargs)
            raise Boom

        monkeypatch.setattr(audit, "record", record_then_fail)
        with pytest.raises(Boom):
            access_services.user_set_language(user=cast.registrar_a, language="en")
        assert not _events(Action.UPDATE).exists()
        cast.registrar_a.refresh_from_db()
        assert cast.registrar_a.preferred_language == "uk"

    def test_no_change_without_its_event(self, cast, break_audit_writes):
        break_audit_writes()
        with pytest.raises(DatabaseError):
            access_services.user_set_language(user=cast.registrar_a, language="en")
        cast.registrar_a.refresh_from_db()
        assert cast.registrar_a.preferred_language == "uk"
