"""Each change of the registry and its audit event share one transaction: when the event cannot
be written, the change does not happen. Run without the test-wide transaction, so every BEGIN,
COMMIT and ROLLBACK is real."""

import pytest
from django.db import DatabaseError

from apps.access.actor import actor_for
from apps.audit.models import AuditEvent
from apps.audit.tests.transactions import statements, transactions_of
from apps.registry import selectors, services
from apps.registry.models import AccessTransfer, Document, Person, TransferStatus

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def break_audit_writes(monkeypatch):
    """``break_audit_writes()``: from then on, writing an audit event fails."""

    def refuse(*args, **kwargs):
        raise DatabaseError("the audit trail is unavailable")

    return lambda: monkeypatch.setattr(AuditEvent, "save", refuse)


def test_an_edit_and_its_event_share_one_transaction(cast, maria_person):
    with statements() as log:
        services.person_update(
            actor=actor_for(cast.registrar_a),
            person_id=maria_person.pk,
            version=1,
            changes={"last_name": "Коваленко", "phones": []},
        )

    (written,) = transactions_of(log, 'INSERT INTO "audit_auditevent"')
    assert written is not None
    assert transactions_of(log, 'UPDATE "registry_person"') == {written}
    assert transactions_of(log, 'DELETE FROM "registry_personphone"') == {written}


def test_no_edit_without_its_event(cast, maria_person, break_audit_writes):
    break_audit_writes()

    with pytest.raises(DatabaseError):
        services.person_update(
            actor=actor_for(cast.registrar_a),
            person_id=maria_person.pk,
            version=1,
            changes={"last_name": "Коваленко", "phones": []},
        )

    person = Person.objects.get(pk=maria_person.pk)
    assert (person.last_name, person.version, person.phones.count()) == ("Шевчук", 1, 1)


def test_no_document_without_its_event(cast, maria_person, break_audit_writes):
    break_audit_writes()

    with pytest.raises(DatabaseError):
        services.document_add(
            actor=actor_for(cast.registrar_a),
            person_id=maria_person.pk,
            data={"type": "id_card", "number": "123456789"},
        )

    assert Document.objects.filter(person=maria_person).count() == 1


def test_no_merge_without_its_events(cast, maria, register, break_audit_writes):
    keep = register(cast.registrar_a, maria)
    duplicate = register(
        cast.registrar_a,
        {**maria, "first_name": "Мария", "phone": "+380501112233", "documents": []},
        confirm_not_duplicate=True,
    )
    break_audit_writes()

    with pytest.raises(DatabaseError):
        services.person_merge(
            actor=actor_for(cast.coordinator_a),
            keep_id=keep.pk,
            duplicate_id=duplicate.pk,
            reason="Та сама особа",
        )

    assert Person.objects.get(pk=duplicate.pk).merged_into is None
    assert duplicate.phones.count() == 1 and keep.phones.count() == 1


def test_no_transfer_without_its_events(cast, maria_person, break_audit_writes):
    requester = actor_for(cast.registrar_b)
    ref = selectors.transfer_ref_for(actor=requester, match=selectors.Match(maria_person, 1.0))
    transfer = services.transfer_request(actor=requester, transfer_ref=ref, reason="Переїхала")
    break_audit_writes()

    with pytest.raises(DatabaseError):
        services.transfer_decide(
            actor=actor_for(cast.coordinator_a), transfer_id=transfer.pk, grant=True
        )

    assert AccessTransfer.objects.get().status == TransferStatus.REQUESTED
    assert Person.objects.get(pk=maria_person.pk).community == cast.community_a
