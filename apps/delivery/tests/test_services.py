from datetime import date

import pytest

from apps.access.actor import actor_for
from apps.delivery import selectors, services
from apps.delivery.models import ServiceDelivery
from apps.directory.tests.factories import ServiceFactory
from apps.registry import services as registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def olena(cast):
    return registry.person_register(
        actor=actor_for(cast.registrar_a),
        data={
            "last_name": "Ковальчук",
            "first_name": "Олена",
            "birth_date": "1979-05-02",
            "sex": "female",
            "community": cast.community_a.code,
        },
    ).person


def test_one_delivery_per_source_and_seen_by_the_hub_of_the_person(cast, olena):
    service = ServiceFactory(organisation=cast.hub_a)
    record = {
        "actor": actor_for(cast.specialist_a),
        "person": olena,
        "service": service,
        "organisation": cast.hub_a,
        "delivered_on": date(2026, 3, 12),
        "source_kind": "referral",
        "source_id": "8b0c7a8e-0000-0000-0000-000000000001",
        "worker": cast.specialist_a,
    }
    first = services.record_delivery(**record)
    again = services.record_delivery(**record)
    assert first.pk == again.pk and ServiceDelivery.objects.count() == 1
    assert first.community == cast.community_a
    seen = selectors.deliveries_of_person(actor=actor_for(cast.coordinator_a), person_id=olena.pk)
    assert list(seen) == [first]
    other_hub = actor_for(cast.coordinator_b)
    assert not selectors.deliveries_of_person(actor=other_hub, person_id=olena.pk).exists()
