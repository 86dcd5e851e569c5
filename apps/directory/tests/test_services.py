"""The writers refuse bad data with messages by field, whoever calls them (pages, the API,
imports), and write nothing then."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from apps.access.actor import actor_for
from apps.audit.models import AuditEvent
from apps.directory import services

pytestmark = pytest.mark.django_db


def _errors(call) -> dict:
    with pytest.raises(ValidationError) as raised:
        call()
    return raised.value.message_dict


def test_weekdays_must_be_ical_codes(cast, world):
    errors = _errors(
        lambda: services.service_hours_update(
            actor=actor_for(cast.coordinator_a),
            service_id=world.counselling.uuid,
            version=1,
            schedules=[{"byday": "MO,ПН,XX", "opens_at": time(9), "closes_at": time(18)}],
            exceptions=[],
        )
    )
    assert "ПН, XX" in errors["schedules[0].byday"][0]
    assert world.counselling.schedules.count() == 2


def test_hours_exceptions_and_periods_are_checked(cast, world):
    errors = _errors(
        lambda: services.service_hours_update(
            actor=actor_for(cast.coordinator_a),
            service_id=world.counselling.uuid,
            version=1,
            schedules=[
                {
                    "byday": "MO",
                    "opens_at": time(9),
                    "closes_at": time(9),  # 24 hours are 00:00–00:00
                    "valid_from": date(2026, 6, 1),
                    "valid_to": date(2026, 5, 1),
                }
            ],
            exceptions=[
                {"date": date(2026, 8, 28), "closed": False, "opens_at": time(12)},
                {"date": date(2026, 8, 28), "closed": True},
            ],
        )
    )
    assert "schedules[0].closes_at" in errors and "schedules[0].valid_to" in errors
    assert "exceptions[0].closes_at" in errors and "exceptions[1].date" in errors


def test_ages_phone_and_classifier_are_checked(cast, world):
    errors = _errors(
        lambda: services.service_update(
            actor=actor_for(cast.coordinator_a),
            service_id=world.counselling.uuid,
            version=1,
            data={"minimum_age": 70, "maximum_age": 18, "phone": "0", "classifier_code": "x"},
        )
    )
    assert set(errors) == {"maximum_age", "phone", "classifier_code"}


def test_coordinates_must_be_on_earth(cast, world):
    errors = _errors(
        lambda: services.location_update(
            actor=actor_for(cast.coordinator_a),
            location_id=world.location_a.uuid,
            version=1,
            data={"latitude": Decimal("91"), "longitude": Decimal("-181")},
        )
    )
    assert set(errors) == {"latitude", "longitude"}


def test_a_location_edit_on_an_older_version_is_a_conflict(cast, world):
    actor = actor_for(cast.coordinator_a)
    services.organisation_update(
        actor=actor, organisation_id=cast.hub_a.uuid, version=1, data={"phone": "0362 12 34 56"}
    )
    with pytest.raises(services.EditConflict) as raised:
        services.location_update(
            actor=actor,
            location_id=world.location_a.uuid,
            version=1,
            data={"address": "вул. Нова, 2"},
        )
    assert raised.value.version == 2
    assert raised.value.conflicts == [
        {"field": "address", "yours": "вул. Нова, 2", "theirs": "вул. Соборна, 1"}
    ]
    world.location_a.refresh_from_db()
    assert world.location_a.address == "вул. Соборна, 1"


def test_writers_outside_their_community_get_not_found_and_the_denial_is_audited(cast, world):
    with pytest.raises(Http404):
        services.service_update(
            actor=actor_for(cast.coordinator_a),
            service_id=world.service_b.uuid,
            version=1,
            data={"name": "Злам"},
        )
    assert AuditEvent.objects.filter(event="directory.service.denied").exists()
    world.service_b.refresh_from_db()
    assert world.service_b.name == "Послуга лише для Вінниці"


def test_an_organisation_in_a_community_not_covered_is_refused(cast, world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.organisation_create(
            actor=actor_for(cast.coordinator_a),
            community=cast.community_b,
            data={"name": "Чужа", "kind": "ngo"},
        )


def test_the_change_and_its_audit_event_commit_together(cast, world, monkeypatch):
    from apps.audit import services as audit

    def failing(**kwargs):
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr(audit, "record", failing)
    with pytest.raises(RuntimeError):
        services.service_update(
            actor=actor_for(cast.coordinator_a),
            service_id=world.counselling.uuid,
            version=1,
            data={"name": "Без сліду"},
        )
    world.counselling.refresh_from_db()
    assert world.counselling.name == "Консультування" and world.counselling.version == 1


def test_long_texts_are_refused_by_field_not_cut(cast, world):
    long = "д" * 256
    coordinator = actor_for(cast.coordinator_a)
    errors = _errors(
        lambda: services.service_hours_update(
            actor=coordinator,
            service_id=world.counselling.uuid,
            version=1,
            schedules=[
                {"byday": "MO", "opens_at": time(9), "closes_at": time(18), "description": long}
            ],
            exceptions=[{"date": date(2026, 8, 24), "closed": True, "reason": long}],
        )
    )
    assert "«Примітка»: не довше 255 символів (зараз 256)." in errors["schedules[0].description"]
    assert "«Причина»" in errors["exceptions[0].reason"][0]
    assert world.counselling.schedules.count() == 2

    errors = _errors(
        lambda: services.contacts_update(
            actor=coordinator,
            organisation_id=cast.partner_a.uuid,
            version=cast.partner_a.version,
            contacts=[{"name": long, "title": long}],
        )
    )
    assert "«Ім'я»" in errors["contacts[0].name"][0]
    assert "«Посада»" in errors["contacts[0].title"][0]
    assert not cast.partner_a.contacts.exists()
