import factory

from apps.directory.models import Location, Organisation, OrganisationKind, Service
from apps.geo.tests.factories import UnitFactory


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Організація {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    kind = OrganisationKind.HUB
    community = factory.SubFactory(UnitFactory)


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Локація {n}")
    settlement = factory.SelfAttribute("organisation.community")
    address = factory.Sequence(lambda n: f"вул. Соборна, {n + 1}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Послуга {n}")
