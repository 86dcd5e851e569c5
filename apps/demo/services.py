"""Loads the demo hubs and their users. Idempotent: every row is found by a natural key
(organisation slug, username, names within an organisation) and updated in place."""

import hashlib
from dataclasses import dataclass

from django.core.management import call_command
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.access import otp
from apps.access.models import Membership, User
from apps.access.roles import Role, role_requires_two_factor
from apps.directory.models import Location, Organisation, Room, Service
from apps.geo.models import Unit

from .data import DEMO_PASSWORD, HUB_ROLES, HUBS, HubSpec, OrganisationSpec

DEMO_DEVICE_NAME = "Prostir demo"

_FIRST_NAMES = ["Олена", "Андрій", "Марія", "Тарас", "Ірина", "Богдан", "Наталія", "Юрій"]
_LAST_NAMES = ["Шевчук", "Коваленко", "Бондаренко", "Мельник", "Ткаченко", "Кравчук", "Лисенко"]
_PATRONYMICS = ["Петрівна", "Іванович", "Олегівна", "Миколайович", "Василівна", "Степанович"]


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    where: str
    totp_secret: str  # base32, empty for roles signing in with a password alone


def demo_totp_key(username: str) -> str:
    """A fixed authenticator key per demo user (hex), so `make demo` can print it once and
    it stays the same on every run. Real users enrol their own key on first sign-in."""
    return hashlib.sha1(f"prostir-demo:{username}".encode()).hexdigest()  # noqa: S324


def _organisation(spec: OrganisationSpec, community: Unit, settlement: Unit) -> Organisation:
    org, _created = Organisation.objects.update_or_create(
        slug=spec.slug,
        defaults={
            "name": spec.name,
            "name_en": spec.name_en,
            "kind": spec.kind,
            "community": community,
        },
    )
    location, _created = Location.objects.update_or_create(
        organisation=org,
        name=spec.name,
        defaults={"name_en": spec.name_en, "settlement": settlement, "address": spec.address},
    )
    for service in spec.services:
        Service.objects.update_or_create(
            organisation=org,
            name=service.name,
            defaults={"name_en": service.name_en, "classifier_code": service.classifier_code},
        )
    for name, name_en, kind, capacity in spec.rooms:
        Room.objects.update_or_create(
            location=location,
            name=name,
            defaults={"name_en": name_en, "kind": kind, "capacity": capacity},
        )
    return org


def _user(username: str, index: int, *, role: str, community=None, organisation=None) -> DemoUser:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": _FIRST_NAMES[index % len(_FIRST_NAMES)],
            "last_name": _LAST_NAMES[index % len(_LAST_NAMES)],
            "patronymic": _PATRONYMICS[index % len(_PATRONYMICS)],
            "email": f"{username}@demo.prostir.local",
        },
    )
    if created or not user.has_usable_password():
        user.set_password(DEMO_PASSWORD)
    user.is_staff = user.is_superuser = role == Role.ADMIN
    user.save()
    Membership.objects.get_or_create(
        user=user, role=role, community=community, organisation=organisation
    )
    secret = ""
    if role_requires_two_factor(role):
        device, _created = TOTPDevice.objects.update_or_create(
            user=user,
            name=DEMO_DEVICE_NAME,
            defaults={"key": demo_totp_key(username), "confirmed": True},
        )
        secret = otp.secret_base32(device)
    where = str(organisation or community or "—")
    return DemoUser(username=username, role=role, where=where, totp_secret=secret)


def _hub(spec: HubSpec, counter: list[int]) -> list[DemoUser]:
    community = Unit.objects.get(code=spec.community_code)
    settlement = Unit.objects.get(code=spec.settlement_code)
    hub = _organisation(spec.hub, community, settlement)
    users = []
    for role in HUB_ROLES:
        counter[0] += 1
        users.append(
            _user(
                f"{role}.{spec.key}", counter[0], role=role, community=community, organisation=hub
            )
        )
    for partner_spec in spec.partners:
        partner = _organisation(partner_spec, community, settlement)
        counter[0] += 1
        users.append(
            _user(f"partner.{spec.key}", counter[0], role=Role.PARTNER, organisation=partner)
        )
    counter[0] += 1
    oblast = Unit.objects.get(code=spec.oblast_code)
    users.append(
        _user(f"analyst.{spec.oblast_key}", counter[0], role=Role.ANALYST, community=oblast)
    )
    return users


@transaction.atomic
def demo_load() -> list[DemoUser]:
    """Loads the КАТОТТГ demo units, the four hubs with partners, services and rooms, and one
    user per role per hub (``<role>.<hub>``, analysts ``analyst.<oblast>``) plus ``admin``."""
    call_command("loaddata", "katottg_demo", verbosity=0)
    counter = [0]
    users = [_user("admin", 0, role=Role.ADMIN)]
    for spec in HUBS:
        users.extend(_hub(spec, counter))
    return users
