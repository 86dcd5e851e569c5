"""Fixtures of the intake tests, on top of the root ``cast``: the seeded needs, a person in
each community, more staff of hub A, and helpers that act through the services."""

import importlib
from datetime import date, datetime, timedelta

import pytest

from apps.access.actor import actor_for
from apps.access.roles import Role
from apps.access.tests.factories import MembershipFactory, UserFactory
from apps.directory.models import Location, Room, RoomKind
from apps.intake import rules, services
from apps.intake.models import Need
from apps.registry import services as registry

SEED = importlib.import_module("apps.intake.migrations.0002_needs_and_overlap_guards")


@pytest.fixture
def needs(db):
    """The seeded taxonomy (a transactional test's flush removes the migration's rows)."""
    for order, (code, name, name_en) in enumerate(SEED.NEEDS, start=1):
        Need.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "order": order * 10}
        )
    return Need.objects.all()


def _register(user, community, last_name, first_name, birth_date):
    return registry.person_register(
        actor=actor_for(user),
        data={
            "last_name": last_name,
            "first_name": first_name,
            "birth_date": birth_date,
            "sex": "female",
            "community": community.code,
        },
    ).person


@pytest.fixture
def olena(cast):
    """A person of hub A."""
    return _register(cast.registrar_a, cast.community_a, "Ковальчук", "Олена", "1979-05-02")


@pytest.fixture
def taras(cast):
    """Another person of hub A."""
    return _register(cast.registrar_a, cast.community_a, "Мельник", "Тарас", "1990-11-20")


@pytest.fixture
def bohdana(cast):
    """A person of hub B."""
    return _register(cast.registrar_b, cast.community_b, "Вінничук", "Богдана", "1988-08-08")


@pytest.fixture
def staff(cast):
    """More staff: a psychologist of hub A, a specialist of hub B."""

    def member(username, role, community, organisation):
        user = UserFactory(username=username, first_name="Ім'я", last_name=username.title())
        MembershipFactory(user=user, role=role, community=community, organisation=organisation)
        return user

    cast.psychologist_a = member("psychologist.a", Role.PSYCHOLOGIST, cast.community_a, cast.hub_a)
    cast.specialist_b = member("specialist.b", Role.SPECIALIST, cast.community_b, cast.hub_b)
    return cast


@pytest.fixture
def room_a(cast):
    location = Location.objects.create(
        organisation=cast.hub_a,
        settlement=cast.community_a,
        name="Головний офіс",
        address="вул. Соборна, 1",
    )
    return Room.objects.create(location=location, name="Кабінет 1", kind=RoomKind.CONSULTATION)


@pytest.fixture
def make_request(needs):
    """``make_request(user, person, **data)`` → a request recorded through the service."""

    def make(user, person, **data):
        data = {"person": str(person.pk), "needs": ["housing"], "channel": "walk_in", **data}
        return services.request_create(actor=actor_for(user), data=data)

    return make


@pytest.fixture
def book(cast):
    """``book(user, specialist, starts_at, **data)`` → an appointment booked through the service."""

    def make(user, specialist, starts_at, **data):
        data = {"specialist": specialist.pk, "starts_at": starts_at, **data}
        return services.appointment_book(actor=actor_for(user), data=data)

    return make


def next_monday(weeks: int = 1) -> date:
    """A Monday at least a week ahead: its slots are all in the future."""
    today = rules.local_today()
    return today + timedelta(days=7 * weeks - today.weekday())


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """``day`` at ``hour:minute`` Kyiv time."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=rules.HUB_TIME_ZONE)
