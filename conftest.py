"""The cast every test module can use: two communities in two oblasts, a hub in each, a partner
organisation, and one user per role. Community A = Rivne, community B = Vinnytsia."""

import pytest
from django.conf import settings
from django_otp import DEVICE_ID_SESSION_KEY

from apps.access.roles import Role
from apps.access.tests.factories import MembershipFactory, UserFactory, totp_device
from apps.directory.models import OrganisationKind
from apps.directory.tests.factories import OrganisationFactory
from apps.geo.tests import factories as geo


@pytest.fixture
def cast(db):
    """Named people and places (like zulip's hamlet/iago): ``cast.registrar_a`` etc."""
    rivne_oblast = geo.oblast("UA56000000000066151", "Рівненська")
    rivne_raion = geo.raion("UA56060000000041446", "Рівненський", rivne_oblast)
    rivne = geo.hromada("UA56060470000086729", "Рівненська", rivne_raion)
    vinnytsia_oblast = geo.oblast("UA05000000000010236", "Вінницька")
    vinnytsia_raion = geo.raion("UA05020000000026686", "Вінницький", vinnytsia_oblast)
    vinnytsia = geo.hromada("UA05020030000031457", "Вінницька", vinnytsia_raion)
    hub_a = OrganisationFactory(name="Простір інтеграції", slug="hub-a", community=rivne)
    hub_b = OrganisationFactory(name="Вінницький хаб", slug="hub-b", community=vinnytsia)
    partner_a = OrganisationFactory(
        name="Рівненський центр зайнятості",
        slug="partner-a",
        kind=OrganisationKind.EMPLOYMENT_CENTRE,
        community=rivne,
    )

    class Cast:
        pass

    c = Cast()
    c.community_a, c.community_b = rivne, vinnytsia
    c.oblast_a, c.oblast_b = rivne_oblast, vinnytsia_oblast
    c.hub_a, c.hub_b, c.partner_a = hub_a, hub_b, partner_a

    def member(username, role, community=None, organisation=None):
        user = UserFactory(username=username, first_name="Ім'я", last_name=username.title())
        MembershipFactory(user=user, role=role, community=community, organisation=organisation)
        return user

    c.registrar_a = member("registrar.a", Role.REGISTRAR, rivne, hub_a)
    c.specialist_a = member("specialist.a", Role.SPECIALIST, rivne, hub_a)
    c.coordinator_a = member("coordinator.a", Role.COORDINATOR, rivne, hub_a)
    c.partner_staff_a = member("partner.a", Role.PARTNER, None, partner_a)
    c.analyst_a = member("analyst.a", Role.ANALYST, rivne_oblast)
    c.registrar_b = member("registrar.b", Role.REGISTRAR, vinnytsia, hub_b)
    c.coordinator_b = member("coordinator.b", Role.COORDINATOR, vinnytsia, hub_b)
    c.admin = member("admin", Role.ADMIN)
    c.admin.is_staff = c.admin.is_superuser = True
    c.admin.save()
    c.outsider = UserFactory(username="outsider")
    return c


def sign_in(client, user, *, verified: bool = True):
    """Signs ``user`` in on the Django test client, with the second factor done."""
    client.force_login(user)
    if verified:
        device = totp_device(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def signed_in(client):
    """``signed_in(user)`` → a test client signed in as ``user`` (second factor verified)."""
    return lambda user, **kw: sign_in(client, user, **kw)


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _static_files_in_tests(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _private_files_in_tests(settings, tmp_path):
    """Scans of documents go to the test's own folder, never to the repository's ``var/``."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


assert settings.LANGUAGE_CODE == "uk"
