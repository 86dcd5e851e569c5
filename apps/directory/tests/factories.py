import factory

from apps.directory.models import Organisation, OrganisationKind
from apps.geo.tests.factories import UnitFactory


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Організація {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    kind = OrganisationKind.HUB
    community = factory.SubFactory(UnitFactory)
