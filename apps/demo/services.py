"""Loads the demo hubs and their users. Idempotent: every row is found by a natural key
(organisation slug, username, names within an organisation) and updated in place.

The demo users have a public password and authenticator keys anyone can compute, so loading
needs ``PROSTIR_DEMO=true`` (``make demo`` sets it), refuses a production site (``HTTPS`` on)
and any database where a user of a demo name exists that the demo did not create."""

import hashlib
from dataclasses import dataclass
from datetime import date, time

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.access import otp
from apps.access.models import Membership, User
from apps.access.roles import Role, role_requires_two_factor
from apps.directory.models import (
    Location,
    Organisation,
    Room,
    Schedule,
    ScheduleException,
    Service,
    ServiceAtLocation,
    ServiceNeed,
)
from apps.geo.clock import local_today
from apps.geo.models import Unit
from apps.registry import synthetic

from .data import (
    DEMO_PASSWORD,
    HOLIDAY,
    HUB_ROLES,
    HUBS,
    HubSpec,
    OrganisationSpec,
    ServiceSpec,
)

DEMO_DEVICE_NAME = "Prostir demo"
DEMO_EMAIL_DOMAIN = "@demo.prostir.local"  # marks the accounts the demo made

_FIRST_NAMES = ["Олена", "Андрій", "Марія", "Тарас", "Ірина", "Богдан", "Наталія", "Юрій"]
_LAST_NAMES = ["Шевчук", "Коваленко", "Бондаренко", "Мельник", "Ткаченко", "Кравчук", "Лисенко"]
_PATRONYMICS = ["Петрівна", "Іванович", "Олегівна", "Миколайович", "Василівна", "Степанович"]


class DemoRefused(Exception):
    """The database is not one the demo may write to."""


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    where: str
    totp_secret: str  # base32, empty for roles signing in with a password alone


def _refuse_foreign_user(username: str) -> None:
    user = User.objects.filter(username=username).first()
    if user is None or is_demo_user(user):
        return
    raise DemoRefused(
        f"A user {username!r} exists and was not created by the demo: not touching this database."
    )


def is_demo_user(user: User) -> bool:
    return user.email.endswith(DEMO_EMAIL_DOMAIN)


def demo_totp_key(username: str) -> str:
    """A fixed authenticator key per demo user (hex), so `make demo` can print it once and
    it stays the same on every run. Real users enrol their own key on first sign-in."""
    return hashlib.sha1(f"prostir-demo:{username}".encode()).hexdigest()  # noqa: S324


def _organisation(spec: OrganisationSpec, community: Unit, settlement: Unit) -> Organisation:
    if spec.community_code:
        community = Unit.objects.get(code=spec.community_code)
    if spec.settlement_code:
        settlement = Unit.objects.get(code=spec.settlement_code)
    org, _created = Organisation.objects.update_or_create(
        slug=spec.slug,
        defaults={
            "name": spec.name,
            "name_en": spec.name_en,
            "kind": spec.kind,
            "community": community,
            "phone": spec.phone,
        },
    )
    location, _created = Location.objects.update_or_create(
        organisation=org,
        name=spec.name,
        defaults={
            "name_en": spec.name_en,
            "settlement": settlement,
            "address": spec.address,
            "latitude": spec.latitude,
            "longitude": spec.longitude,
            "step_free": spec.step_free,
            "accessibility": spec.accessibility,
            "languages": list(spec.languages),
        },
    )
    areas = [Unit.objects.get(code=code) for code in spec.area_codes]
    for service_spec in spec.services:
        _service(org, location, service_spec, areas)
    for name, name_en, kind, capacity in spec.rooms:
        Room.objects.update_or_create(
            location=location,
            name=name,
            defaults={"name_en": name_en, "kind": kind, "capacity": capacity},
        )
    return org


def _holiday(today: date) -> date:
    """The next Independence Day (today's, if it is today)."""
    (month, day), _reason = HOLIDAY
    this_year = date(today.year, month, day)
    return this_year if this_year >= today else date(today.year + 1, month, day)


def _service(org: Organisation, location: Location, spec: ServiceSpec, areas: list) -> Service:
    service, _created = Service.objects.update_or_create(
        organisation=org,
        name=spec.name,
        defaults={
            "name_en": spec.name_en,
            "classifier_code": spec.classifier_code,
            "sector": spec.sector,
            "is_basic": spec.is_basic,
            "visibility": spec.visibility,
            "description": spec.description,
            "eligibility_description": spec.eligibility,
            "eligible_categories": list(spec.categories),
            "minimum_age": spec.minimum_age,
            "maximum_age": spec.maximum_age,
            "application_process": spec.application,
            "is_free": not spec.fees,
            "fees_description": spec.fees,
            "languages": list(spec.languages),
            "capacity": spec.capacity,
            "accepting_referrals": spec.accepting_referrals,
            "response_days": spec.response_days,
            "completion_days": spec.completion_days,
        },
    )
    ServiceAtLocation.objects.get_or_create(service=service, location=location)
    for code in spec.needs:
        ServiceNeed.objects.get_or_create(service=service, need_code=code)
    if areas:
        service.areas.add(*areas)
    for byday, (open_h, open_m), (close_h, close_m) in spec.hours:
        Schedule.objects.get_or_create(
            service=service,
            byday=byday,
            opens_at=time(open_h, open_m),
            closes_at=time(close_h, close_m),
        )
    if spec.closes_on_holidays:
        ScheduleException.objects.get_or_create(
            service=service,
            date=_holiday(local_today()),
            defaults={"closed": True, "reason": HOLIDAY[1]},
        )
    return service


def _user(username: str, index: int, *, role: str, community=None, organisation=None) -> DemoUser:
    _refuse_foreign_user(username)
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": _FIRST_NAMES[index % len(_FIRST_NAMES)],
            "last_name": _LAST_NAMES[index % len(_LAST_NAMES)],
            "patronymic": _PATRONYMICS[index % len(_PATRONYMICS)],
            "email": f"{username}{DEMO_EMAIL_DOMAIN}",
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
            # A fresh start on every load, so a code used just before still works after it.
            defaults={
                "key": demo_totp_key(username),
                "confirmed": True,
                "last_t": -1,
                "throttling_failure_count": 0,
                "throttling_failure_timestamp": None,
            },
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
        if not partner_spec.staff_user:
            continue
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


# Synthetic persons of the demo hubs (with households, documents and requests): few enough to
# load in seconds, enough to search, triage and page through.
DEMO_PERSONS = 400
DEMO_SEED = 2026


def demo_persons() -> str:
    """Adds the demo hubs' synthetic persons once (a rerun adds nothing) and says what it did.
    After someone registered real persons in the demo, the generator refuses to mix them: the
    demo then keeps what it has and says so, instead of failing."""
    try:
        summary = synthetic.generate(persons=DEMO_PERSONS, seed=DEMO_SEED)
    except synthetic.GenerationRefused as refusal:
        return f"Demo persons left as they are: {refusal}"
    return f"Demo persons: {DEMO_PERSONS} in the four hubs ({summary.persons} added now)."


@transaction.atomic
def demo_load() -> list[DemoUser]:
    """Loads the КАТОТТГ demo units, the four hubs with partners, services and rooms, and one
    user per role per hub (``<role>.<hub>``, analysts ``analyst.<oblast>``) plus ``admin``."""
    if not settings.DEMO:
        raise DemoRefused("Demo accounts are public: set PROSTIR_DEMO=true (make demo does).")
    if settings.HTTPS:
        raise DemoRefused("HTTPS is on: this looks like a production site; the demo is refused.")
    call_command("loaddata", "katottg_demo", verbosity=0)
    counter = [0]
    users = [_user("admin", 0, role=Role.ADMIN)]
    for spec in HUBS:
        users.extend(_hub(spec, counter))
    return users
