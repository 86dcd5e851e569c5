import factory

from apps.geo.models import Category, Unit


class UnitFactory(factory.django.DjangoModelFactory):
    """A КАТОТТГ unit; pass ``parent`` and the factory fills the denormalised ancestors."""

    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"UA99{n:015d}")
    name = factory.Sequence(lambda n: f"Громада {n}")
    category = Category.HROMADA
    level = 3

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        parent = kwargs.get("parent")
        if parent is not None:
            kwargs.setdefault("oblast", parent if parent.level == 1 else parent.oblast)
            kwargs.setdefault("raion", parent if parent.level == 2 else parent.raion)
            kwargs.setdefault("hromada", parent if parent.level == 3 else parent.hromada)
        return super()._create(model_class, *args, **kwargs)


def oblast(code: str, name: str) -> Unit:
    return UnitFactory(code=code, name=name, category=Category.OBLAST, level=1)


def raion(code: str, name: str, parent: Unit) -> Unit:
    return UnitFactory(code=code, name=name, category=Category.RAION, level=2, parent=parent)


def hromada(code: str, name: str, parent: Unit) -> Unit:
    return UnitFactory(code=code, name=name, category=Category.HROMADA, level=3, parent=parent)
