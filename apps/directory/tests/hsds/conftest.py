"""A demo-like directory with every field HSDS can carry filled in, on real КАТОТТГ units of
Rivne: two organisations (a hub and its employment-centre branch), locations with coordinates,
languages and accessibility, services with schedules, exceptions, contacts, areas, needs and
categories; plus what must not be published (a staff-only service, an inactive organisation).

The HSDS 3.0 schemas and examples are read from ``../shared/hsds-3.0`` (or
``$PROSTIR_SHARED_DIR``); without them these tests fail, saying where they looked."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.apps import apps

from apps.directory.hsds import spec
from apps.directory.models import (
    Contact,
    Location,
    LocationType,
    Organisation,
    OrganisationKind,
    Schedule,
    ScheduleException,
    Sector,
    Service,
    ServiceAtLocation,
    ServiceNeed,
    Visibility,
)
from apps.geo.models import Category
from apps.geo.tests import factories as geo


@pytest.fixture(autouse=True)
def hsds_spec():
    """Fails (not skips) with the reason when the official schemas are not there."""
    try:
        return spec.spec_dir()
    except spec.SpecMissing as exc:
        pytest.fail(str(exc))


@pytest.fixture
def units(db):
    oblast = geo.oblast("UA56000000000066151", "Рівненська")
    raion = geo.raion("UA56060000000041446", "Рівненський", oblast)
    hromada = geo.hromada("UA56060470000086729", "Рівненська", raion)
    city = geo.UnitFactory(
        code="UA56060470010041018", name="Рівне", category=Category.CITY, level=4, parent=hromada
    )
    village = geo.UnitFactory(
        code="UA56060470020058204",
        name="Біла Криниця",
        category=Category.VILLAGE,
        level=4,
        parent=hromada,
    )
    return {"oblast": oblast, "raion": raion, "hromada": hromada, "city": city, "village": village}


@pytest.fixture
def needs(db):
    """Two needs of the intake taxonomy (by name: intake sits above the directory)."""
    Need = apps.get_model("intake", "Need")
    for order, (code, name, name_en) in enumerate(
        [
            ("housing", "Житло, тимчасове розміщення", "Housing"),
            ("employment", "Працевлаштування", "Employment"),
        ],
        start=1,
    ):
        Need.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "order": order}
        )


@pytest.fixture
def directory(units, needs):
    """The published directory and what must stay out of it; returns the objects by name."""
    hub = Organisation.objects.create(
        name="Простір інтеграції",
        name_en="Integration Space",
        slug="prostir-rivne",
        kind=OrganisationKind.HUB,
        alternate_name="Хаб соціальних послуг Рівного",
        legal_status="Комунальна установа",
        year_incorporated=2023,
        community=units["hromada"],
        edrpou="12345678",
        email="hub@rivne.example.org",
        phone="+380362123456",
        website="https://hub.rivne.example.org",
        description="Інтегрований хаб соціальних послуг Рівненської громади.",
    )
    centre = Organisation.objects.create(
        name="Рівненський центр зайнятості",
        slug="employment-rivne",
        kind=OrganisationKind.EMPLOYMENT_CENTRE,
        community=units["hromada"],
        parent=hub,
        email="rivne@dcz.example.org",
        description="Філія обласного центру зайнятості.",
    )
    closed_org = Organisation.objects.create(
        name="Закрита організація",
        slug="closed",
        kind=OrganisationKind.NGO,
        community=units["hromada"],
        is_active=False,
    )
    office = Location.objects.create(
        organisation=hub,
        name="Головний офіс",
        name_en="Main office",
        settlement=units["city"],
        address="вул. Соборна, 12",
        postal_code="33028",
        description="Перший поверх, праворуч від входу.",
        transportation="Тролейбуси 1, 2 до зупинки «Майдан Незалежності».",
        latitude=Decimal("50.619900"),
        longitude=Decimal("26.251600"),
        step_free=True,
        accessibility="Пандус, туалет для людей на кріслах колісних, індукційна петля.",
        languages=["uk", "en", "ukl"],
    )
    branch = Location.objects.create(
        organisation=hub,
        name="Пункт у Білій Криниці",
        settlement=units["village"],
        address="вул. Шкільна, 3",
        latitude=Decimal("50.585000"),
        longitude=Decimal("26.250000"),
        languages=["uk"],
    )
    online = Location.objects.create(
        organisation=centre,
        name="Онлайн-кабінет",
        location_type=LocationType.VIRTUAL,
        settlement=units["city"],
        address="https://dcz.example.org/cabinet",
    )
    housing = Service.objects.create(
        organisation=hub,
        name="Тимчасове розміщення",
        name_en="Temporary accommodation",
        alternate_name="Притулок",
        sector=Sector.SOCIAL,
        classifier_code="012.1",
        is_basic=True,
        description="Надання місця в центрі тимчасового перебування.",
        visibility=Visibility.PUBLIC,
        url="https://hub.rivne.example.org/housing",
        email="housing@rivne.example.org",
        phone="+380362123457",
        eligibility_description="ВПО та особи в складних життєвих обставинах.",
        eligible_categories=["IDP", "DIS_I"],
        minimum_age=18,
        maximum_age=120,
        application_process="Звернутися до хабу з паспортом або довідкою ВПО.",
        is_free=False,
        fees_description="Безоплатно для ВПО; для інших — за тарифом громади.",
        languages=["uk", "en"],
        capacity=40,
        accepting_referrals=True,
        response_days=2,
        completion_days=20,
    )
    housing.areas.set([units["hromada"], units["city"]])
    ServiceNeed.objects.create(service=housing, need_code="housing")
    ServiceAtLocation.objects.create(service=housing, location=office, description="Прийом заяв")
    ServiceAtLocation.objects.create(service=housing, location=branch)
    Schedule.objects.create(
        service=housing,
        location=office,
        byday="MO,TU,WE,TH,FR",
        opens_at=time(9),
        closes_at=time(18),
        description="Обідня перерва 13:00–14:00",
    )
    Schedule.objects.create(
        service=housing,
        location=branch,
        byday="SA",
        opens_at=time(10),
        closes_at=time(14),
        valid_from=date(2026, 6, 1),
        valid_to=date(2026, 8, 31),
    )
    ScheduleException.objects.create(
        service=housing, date=date(2026, 8, 24), closed=True, reason="День Незалежності України"
    )
    ScheduleException.objects.create(
        service=housing,
        date=date(2026, 12, 31),
        closed=False,
        opens_at=time(9),
        closes_at=time(14),
        reason="Передсвятковий день",
    )
    Contact.objects.create(
        organisation=hub,
        name="Олена Коваль",
        title="Координаторка",
        email="koval@rivne.example.org",
        phone="+380671234567",
    )
    Contact.objects.create(
        organisation=hub,
        service=housing,
        name="Ігор Мельник",
        title="Фахівець із розміщення",
        phone="+380501234567",
    )
    jobs = Service.objects.create(
        organisation=centre,
        name="Пошук роботи й перекваліфікація",
        sector=Sector.EMPLOYMENT,
        visibility=Visibility.PUBLIC,
        description="Консультації, вакансії, курси.",
        languages=["uk"],
        accepting_referrals=False,
    )
    ServiceNeed.objects.create(service=jobs, need_code="employment")
    ServiceAtLocation.objects.create(service=jobs, location=online)
    Schedule.objects.create(
        service=jobs, byday="MO,WE,FR", opens_at=time(8, 30), closes_at=time(17, 15)
    )
    staff_only = Service.objects.create(
        organisation=hub,
        name="Кризове житло (лише для працівників)",
        visibility=Visibility.STAFF,
    )
    # Around the clock on weekdays, a night at the weekend, a New Year's night: hours past
    # midnight travel through HSDS as they are.
    Schedule.objects.create(
        service=staff_only, byday="MO,TU,WE,TH,FR", opens_at=time(0), closes_at=time(0)
    )
    Schedule.objects.create(service=staff_only, byday="SA,SU", opens_at=time(20), closes_at=time(8))
    ScheduleException.objects.create(
        service=staff_only,
        date=date(2026, 12, 31),
        closed=False,
        opens_at=time(18),
        closes_at=time(10),
        reason="Новорічна ніч",
    )
    hidden = Service.objects.create(
        organisation=closed_org, name="Послуга закритої організації", visibility=Visibility.PUBLIC
    )
    return {
        "hub": hub,
        "centre": centre,
        "closed_org": closed_org,
        "office": office,
        "branch": branch,
        "online": online,
        "housing": housing,
        "jobs": jobs,
        "staff_only": staff_only,
        "hidden": hidden,
    }
