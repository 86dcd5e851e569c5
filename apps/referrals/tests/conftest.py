"""Fixtures of the referral tests, on top of the root ``cast`` and intake's persons: services
of a partner (the employment centre), of the city and of hub A itself, a person's consent for
partners, and a helper that sends through the service."""

import pytest

from apps.access.actor import actor_for
from apps.directory.models import Organisation, OrganisationKind, Service, ServiceNeed
from apps.intake.tests import conftest as intake_fixtures
from apps.referrals import services
from apps.registry import services as registry

# Intake's fixtures: the seeded needs and persons of hubs A and B.
needs = intake_fixtures.needs
olena, taras, bohdana = intake_fixtures.olena, intake_fixtures.taras, intake_fixtures.bohdana


def make_service(organisation, name, need_code, **fields):
    service = Service.objects.create(organisation=organisation, name=name, **fields)
    ServiceNeed.objects.create(service=service, need_code=need_code)
    return service


@pytest.fixture
def jobs(cast, needs):
    """The employment centre's job-search service (partner A)."""
    return make_service(cast.partner_a, "Пошук роботи та профорієнтація", "employment")


@pytest.fixture
def city(cast):
    return Organisation.objects.create(
        name="Рівненська міська соціальна служба",
        slug="city-a",
        kind=OrganisationKind.MUNICIPAL_SOCIAL_SERVICE,
        community=cast.community_a,
    )


@pytest.fixture
def shelter(city, needs):
    """The city's temporary accommodation (answer in 2 working days, done in 10)."""
    return make_service(
        city, "Тимчасове розміщення", "housing", response_days=2, completion_days=10
    )


@pytest.fixture
def counselling(cast, needs):
    """Hub A's own psychological counselling."""
    return make_service(cast.hub_a, "Психологічне консультування", "psychological_support")


@pytest.fixture
def consent(cast):
    """``consent(person, scope="partners")`` recorded by hub A's registrar."""

    def record(person, scope="partners"):
        return registry.consent_record(
            actor=actor_for(cast.registrar_a),
            person_id=person.pk,
            purpose="Направлення до партнерів",
            scope=scope,
        )

    return record


@pytest.fixture
def send(cast):
    """``send(user, person, service, need="employment", **data)`` → the referral."""

    def make(user, person, service, need="employment", key="", **data):
        data = {"person": str(person.pk), "service": service.pk, "need": need, **data}
        referral, _created = services.referral_send(
            actor=actor_for(user), data=data, idempotency_key=key
        )
        return referral

    return make
