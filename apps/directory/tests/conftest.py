"""The directory of the cast's communities: hub A (Rivne) with a public and a staff-only
service, the employment centre of A, hub B (Vinnytsia) with a staff-only service, and an
oblast-wide service of another Rivne-oblast hromada (public, serving the whole oblast)."""

from datetime import time
from decimal import Decimal

import pytest

from apps.directory.models import (
    Contact,
    Location,
    Organisation,
    OrganisationKind,
    Schedule,
    Sector,
    Service,
    ServiceAtLocation,
    ServiceNeed,
    Visibility,
)
from apps.geo.models import Category, Unit
from apps.geo.tests import factories as geo


def _service(organisation, location, name, *, needs=(), weekdays="MO,TU,WE,TH,FR", **fields):
    service = Service.objects.create(organisation=organisation, name=name, **fields)
    ServiceAtLocation.objects.create(service=service, location=location)
    for code in needs:
        ServiceNeed.objects.create(service=service, need_code=code)
    if weekdays:
        Schedule.objects.create(
            service=service, byday=weekdays, opens_at=time(9), closes_at=time(13)
        )
        Schedule.objects.create(
            service=service, byday=weekdays, opens_at=time(14), closes_at=time(18)
        )
    return service


class World:
    pass


@pytest.fixture
def world(cast):
    return build_world(cast)


def build_world(cast) -> World:
    """The directory described above, for tests and browser screens."""
    w = World()
    w.rivne_city, _created = Unit.objects.get_or_create(
        code="UA56060470010041018",
        defaults={
            "name": "Рівне",
            "category": Category.CITY,
            "level": 4,
            "parent": cast.community_a,
            "oblast": cast.community_a.oblast,
            "raion": cast.community_a.raion,
            "hromada": cast.community_a,
        },
    )
    w.location_a = Location.objects.create(
        organisation=cast.hub_a,
        name="Простір інтеграції, Соборна",
        settlement=w.rivne_city,
        address="вул. Соборна, 1",
        latitude=Decimal("50.619900"),
        longitude=Decimal("26.251600"),
        step_free=True,
        accessibility="Пандус біля входу, туалет для людей на візку.",
        languages=["uk", "en"],
    )
    w.location_partner = Location.objects.create(
        organisation=cast.partner_a,
        name="Центр зайнятості",
        settlement=w.rivne_city,
        address="вул. Пушкіна, 5",
    )
    w.counselling = _service(
        cast.hub_a,
        w.location_a,
        "Консультування",
        needs=["psychological_support", "social_payments"],
        classifier_code="002.0",
        is_basic=True,
        visibility=Visibility.PUBLIC,
        eligibility_description="Мешканці громади та ВПО.",
        eligible_categories=["IDP"],
        application_process="Прийти з паспортом або зателефонувати.",
        fees_description="",
        languages=["uk"],
    )
    w.psychologist = _service(
        cast.hub_a,
        w.location_a,
        "Робота психолога",
        needs=["psychological_support"],
        visibility=Visibility.STAFF,
        accepting_referrals=False,
    )
    w.employment = _service(
        cast.partner_a,
        w.location_partner,
        "Сприяння працевлаштуванню",
        needs=["employment", "retraining"],
        sector=Sector.EMPLOYMENT,
        visibility=Visibility.PUBLIC,
    )
    Contact.objects.create(
        organisation=cast.hub_a,
        service=w.counselling,
        name="Оксана Внутрішня",
        title="Координаторка",
        phone="+380671234567",
    )
    w.location_b = Location.objects.create(
        organisation=cast.hub_b,
        name="Вінницький хаб, Соборна",
        settlement=cast.community_b,
        address="вул. Соборна, 59",
    )
    w.service_b = _service(
        cast.hub_b,
        w.location_b,
        "Послуга лише для Вінниці",
        needs=["psychological_support"],
        visibility=Visibility.STAFF,
    )
    zdolbuniv = geo.hromada("UA56060150000073441", "Здолбунівська", cast.community_a.raion)
    w.oblast_org = Organisation.objects.create(
        name="Обласний центр правової допомоги",
        slug="oblast-legal",
        kind=OrganisationKind.LEGAL_AID,
        community=zdolbuniv,
    )
    w.location_oblast = Location.objects.create(
        organisation=w.oblast_org, name="Здолбунів", settlement=zdolbuniv, address="вул. Шкільна, 2"
    )
    w.legal = _service(
        w.oblast_org,
        w.location_oblast,
        "Безоплатна правова допомога",
        needs=["legal_aid"],
        sector=Sector.LEGAL,
        visibility=Visibility.PUBLIC,
    )
    w.legal.areas.set([cast.oblast_a])
    return w
