"""The trail is append-only: the model, its queryset, the admin and the database itself
refuse to change or remove an event (SQLite and PostgreSQL alike)."""

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.urls import reverse

from apps.audit import services
from apps.audit.models import Action, AuditEvent, AuditImmutableError

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(cast):
    return services.record(
        actor=cast.admin, action=Action.READ, event="access.user.read", target=cast.registrar_a
    )


def _unchanged(event) -> bool:
    stored = AuditEvent.objects.get(pk=event.pk)
    return (stored.event, stored.object_id) == (event.event, event.object_id)


def _assert_refused(sql: str, params=None, *, first: str = "") -> None:
    """``sql`` fails with the trigger's message (in a savepoint, so the test can go on)."""
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        if first:
            cursor.execute(first)
        cursor.execute(sql, params)


def test_saving_an_existing_event_is_refused(event):
    event.event = "access.user.forged"
    with pytest.raises(AuditImmutableError):
        event.save()
    loaded = AuditEvent.objects.get(pk=event.pk)
    loaded.reason = "tampered"
    with pytest.raises(AuditImmutableError):
        loaded.save(update_fields=["reason"])
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_a_new_instance_cannot_overwrite_a_row_by_its_pk(event):
    forged = AuditEvent(pk=event.pk, action=Action.READ, event="access.user.forged")
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        forged.save()
    # Refused as a duplicate INSERT by the model, not as an UPDATE by the database's trigger.
    assert "append-only" not in str(refused.value)
    assert _unchanged(event)


def test_deleting_an_event_is_refused(event):
    with pytest.raises(AuditImmutableError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_queryset_update_and_delete_are_refused(event):
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(event="access.user.forged")
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.all().delete()
    event.event = "access.user.forged"
    with pytest.raises(AuditImmutableError), transaction.atomic():  # bulk_update's own atomic
        AuditEvent.objects.bulk_update([event], ["event"])  # has no savepoint of its own
    assert AuditEvent.objects.filter(pk=event.pk, event="access.user.read").exists()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET event = 'access.user.forged' WHERE id = %s",
        "UPDATE audit_auditevent SET changed_fields = '[]', reason = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s OR 1 = 1",
    ],
    ids=["update", "update-other-columns", "delete", "delete-all"],
)
def test_raw_sql_change_is_refused_by_the_database(event, sql):
    _assert_refused(sql, [event.pk])
    assert _unchanged(event)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_raw_truncate_is_refused_by_the_database(event):
    # Foreign keys are checked at commit; TRUNCATE would refuse for those pending checks.
    _assert_refused("TRUNCATE audit_auditevent", first="SET CONSTRAINTS ALL IMMEDIATE")
    assert _unchanged(event)


@pytest.mark.django_db(transaction=True)  # as pytest-django flushes after such tests
def test_flush_empties_the_trail_and_keeps_the_guard(event):
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    again = services.record(actor=None, action=Action.READ, event="access.user.read")
    _assert_refused("DELETE FROM audit_auditevent WHERE id = %s", [again.pk])


class TestAdmin:
    """The admin shows events and refuses to add, change or delete them."""

    def test_permissions_are_all_refused(self, rf, cast):
        model_admin = admin.site._registry[AuditEvent]
        request = rf.get("/")
        request.user = cast.admin  # a superuser: the refusal is the model admin's own
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)
        assert "delete_selected" not in model_admin.get_actions(request)

    def test_pages_refuse_add_change_delete(self, cast, signed_in, event):
        client = signed_in(cast.admin)
        changelist = client.get(reverse("admin:audit_auditevent_changelist"))
        assert changelist.status_code == 200
        assert "access.user.read" in changelist.content.decode()
        assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
        assert client.post(reverse("admin:audit_auditevent_add"), {}).status_code == 403
        change_url = reverse("admin:audit_auditevent_change", args=[event.pk])
        assert client.get(change_url).status_code == 200  # read-only view
        assert client.post(change_url, {"event": "forged"}).status_code == 403
        delete_url = reverse("admin:audit_auditevent_delete", args=[event.pk])
        assert client.get(delete_url).status_code == 403
        assert client.post(delete_url, {"post": "yes"}).status_code == 403
        assert _unchanged(event)
