"""``record`` writes exactly one event with who, what, where and from which request, inside
the caller's transaction: committed with it, rolled back with it. Changed fields are kept
by name, never by value."""

import pytest
from django.db import transaction

from apps.audit import services
from apps.audit.models import Action, AuditEvent


class Boom(Exception):
    pass


def _record(cast):
    membership = cast.coordinator_a.memberships.get()
    return services.record(
        actor=cast.coordinator_a,
        action=Action.UPDATE,
        event="access.membership.updated",
        target=membership,
        changed_fields=["role"],
    )


@pytest.mark.django_db(transaction=True)  # a real COMMIT and ROLLBACK, not a savepoint
class TestTransaction:
    def test_committed_transaction_leaves_exactly_one_event(self, cast):
        with transaction.atomic():
            _record(cast)
        event = AuditEvent.objects.get()
        membership = cast.coordinator_a.memberships.get()
        assert event.actor == cast.coordinator_a
        assert event.actor_label == "coordinator.a"
        assert (event.action, event.event) == (Action.UPDATE, "access.membership.updated")
        assert (event.object_type, event.object_id) == ("access.membership", str(membership.pk))
        assert event.community == cast.community_a
        assert event.organisation == cast.hub_a
        assert event.changed_fields == ["role"]

    def test_rolled_back_transaction_leaves_none(self, cast):
        with pytest.raises(Boom), transaction.atomic():
            _record(cast)
            raise Boom
        assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_rolled_back_savepoint_leaves_none(cast):
    with pytest.raises(Boom), transaction.atomic():
        _record(cast)
        raise Boom
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
@pytest.mark.urls("apps.audit.tests.urls")
def test_request_id_and_ip_come_from_the_middleware(cast, signed_in, settings):
    settings.TRUSTED_PROXY_COUNT = 1  # behind one proxy: its X-Forwarded-For and request id
    settings.TRUSTED_PROXY_NETWORKS = ["10.0.0.0/8"]
    client = signed_in(cast.coordinator_a)
    membership = cast.coordinator_a.memberships.get()
    before = AuditEvent.objects.count()
    response = client.post(
        "/record/",
        {"model": "access.Membership", "pk": membership.pk, "role": "admin"},
        REMOTE_ADDR="10.0.0.2",
        headers={"X-Request-ID": "proxy-1234.abc", "X-Forwarded-For": "6.6.6.6, 203.0.113.7"},
    )
    assert response.status_code == 200
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.get(pk=response.content.decode())
    assert event.actor == cast.coordinator_a
    assert (event.object_type, event.object_id) == ("access.membership", str(membership.pk))
    assert (event.community, event.organisation) == (cast.community_a, cast.hub_a)
    assert event.ip == "203.0.113.7"
    assert event.request_id == "proxy-1234.abc" == response["X-Request-ID"]


@pytest.mark.django_db
@pytest.mark.urls("apps.audit.tests.urls")
def test_malformed_request_id_is_replaced(cast, signed_in, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client = signed_in(cast.coordinator_a)
    membership = cast.coordinator_a.memberships.get()
    response = client.post(
        "/record/",
        {"model": "access.Membership", "pk": membership.pk},
        headers={"X-Request-ID": "<script>alert(1)</script>"},
    )
    event = AuditEvent.objects.get(pk=response.content.decode())
    assert event.request_id == response["X-Request-ID"]
    assert len(event.request_id) == 32 and "<" not in event.request_id
    assert event.ip == "127.0.0.1"


@pytest.mark.django_db
@pytest.mark.urls("apps.audit.tests.urls")
def test_changed_fields_keep_names_never_values(cast, signed_in):
    client = signed_in(cast.coordinator_a)
    secret = "Шевченко-секрет-42"
    response = client.post(
        "/record/",
        {"model": "access.User", "pk": cast.registrar_a.pk, "last_name": secret, "email": "x@y"},
    )
    event = AuditEvent.objects.get(pk=response.content.decode())
    assert event.changed_fields == ["email", "last_name"]
    stored = AuditEvent.objects.filter(pk=event.pk).values().get()
    assert not any(secret in str(value) for value in stored.values())


@pytest.mark.django_db
def test_a_single_field_name_is_not_split_into_letters(cast):
    event = services.record(
        actor=cast.admin, action=Action.UPDATE, event="x.y.updated", changed_fields="email"
    )
    assert event.changed_fields == ["email"]


@pytest.mark.django_db
def test_outside_a_request_there_is_no_ip_or_request_id(cast):
    event = _record(cast)
    assert (event.ip, event.request_id) == (None, "")


@pytest.mark.django_db
def test_anonymous_actor_keeps_the_typed_label(cast):
    event = services.record(
        actor=None,
        actor_label="nobody.here",
        action=Action.SIGN_IN_FAILURE,
        event="access.user.sign_in_failed",
    )
    assert (event.actor, event.actor_label) == (None, "nobody.here")


@pytest.mark.django_db
def test_record_read_names_the_object(cast):
    event = services.record_read(actor=cast.admin, target=cast.registrar_a)
    assert (event.action, event.event) == (Action.READ, "access.user.read")
    assert (event.object_type, event.object_id) == ("access.user", str(cast.registrar_a.pk))


@pytest.mark.django_db
@pytest.mark.urls("apps.audit.tests.urls")
def test_without_a_trusted_proxy_forwarded_headers_are_not_believed(cast, signed_in):
    client = signed_in(cast.coordinator_a)
    membership = cast.coordinator_a.memberships.get()
    response = client.post(
        "/record/",
        {"model": "access.Membership", "pk": membership.pk},
        REMOTE_ADDR="198.51.100.4",
        headers={"X-Request-ID": "chosen-by-client", "X-Forwarded-For": "6.6.6.6"},
    )
    event = AuditEvent.objects.get(pk=response.content.decode())
    assert event.ip == "198.51.100.4"
    assert event.request_id != "chosen-by-client"


@pytest.mark.django_db
@pytest.mark.urls("apps.audit.tests.urls")
def test_a_client_that_is_not_the_proxy_cannot_pose_as_one(cast, signed_in, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXY_NETWORKS = ["10.0.0.0/8"]
    client = signed_in(cast.coordinator_a)
    membership = cast.coordinator_a.memberships.get()
    response = client.post(
        "/record/",
        {"model": "access.Membership", "pk": membership.pk},
        REMOTE_ADDR="198.51.100.4",  # straight from the internet, past the proxy
        headers={"X-Request-ID": "forged-id", "X-Forwarded-For": "1.2.3.4"},
    )
    event = AuditEvent.objects.get(pk=response.content.decode())
    assert (event.ip, event.request_id != "forged-id") == ("198.51.100.4", True)
