import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.access.models import Membership, User
from apps.access.otp import current_code
from apps.access.roles import Role

PASSWORD = "Prostir-test-2026!"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Олена"
    last_name = factory.Sequence(lambda n: f"Коваленко{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.SPECIALIST


def totp_device(user: User) -> TOTPDevice:
    """A confirmed authenticator for ``user`` (its current code: ``device.token()``-like via
    ``totp_now(device)``)."""
    return TOTPDevice.objects.create(user=user, name="test", confirmed=True)


def totp_now(device: TOTPDevice) -> str:
    return current_code(device)
