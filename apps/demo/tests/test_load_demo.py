"""The demo: loading twice changes nothing, and every demo user signs in through the real
sign-in pages (password, then the second factor with the printed authenticator key)."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.oath import TOTP

from apps.access.models import Membership, User
from apps.access.roles import Role
from apps.demo.data import DEMO_PASSWORD, HUBS
from apps.demo.services import demo_totp_key
from apps.directory.models import Organisation, Room, Service
from apps.geo.models import Unit

pytestmark = pytest.mark.django_db

EXPECTED_USERNAMES = (
    {"admin"}
    | {
        f"{role}.{hub.key}"
        for hub in HUBS
        for role in (
            "registrar",
            "specialist",
            "psychologist",
            "facilitator",
            "coordinator",
            "partner",
        )
    }
    | {f"analyst.{hub.oblast_key}" for hub in HUBS}
)


def _counts():
    return tuple(m.objects.count() for m in (User, Membership, Organisation, Service, Room))


def test_load_demo_is_idempotent_and_prints_sign_in_details(capsys):
    call_command("load_demo")
    first = _counts()
    printed = capsys.readouterr().out
    call_command("load_demo")
    assert _counts() == first
    assert set(User.objects.values_list("username", flat=True)) == EXPECTED_USERNAMES
    assert DEMO_PASSWORD in printed
    assert "http://127.0.0.1:8000/" in printed
    for username in EXPECTED_USERNAMES:
        assert username in printed


def test_demo_hubs_come_from_the_seeds():
    call_command("load_demo", stdout=None)
    hubs = Organisation.objects.filter(kind="hub")
    assert set(hubs.values_list("community__name", flat=True)) == {
        "Рівненська", "Нововолинська", "Трускавецька", "Вінницька",
    }  # fmt: skip
    assert hubs.get(slug="rivne-prostir-intehratsii").name == "Простір інтеграції"
    for hub in hubs:
        assert hub.services.count() >= 3
        assert Room.objects.filter(location__organisation=hub).count() >= 3
    assert Membership.objects.get(user__username="analyst.volyn").community.name == "Волинська"


@pytest.mark.parametrize("username", sorted(EXPECTED_USERNAMES))
def test_every_demo_user_signs_in(client, username):
    call_command("load_demo", stdout=None)
    response = client.post(
        reverse("access:sign-in"), {"username": username, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    role = Membership.objects.filter(user__username=username).values_list("role", flat=True)[0]
    if role != Role.ANALYST:
        assert client.get(reverse("access:home")).status_code == 302  # second factor first
        code = f"{TOTP(bytes.fromhex(demo_totp_key(username))).token():06d}"
        assert client.post(reverse("access:two-factor"), {"otp_token": code}).status_code == 302
    home = client.get(reverse("access:home"))
    assert home.status_code == 200
    assert 'id="my-hubs"' in home.content.decode()


def test_demo_refuses_a_production_site(settings):
    settings.HTTPS = True
    with pytest.raises(CommandError, match="production"):
        call_command("load_demo")
    assert not User.objects.exists()


def test_demo_never_takes_over_a_real_account():
    real = User.objects.create_user("admin", password="Real-admin-password-2026")
    with pytest.raises(CommandError, match="not created by the demo"):
        call_command("load_demo")
    real.refresh_from_db()
    assert real.check_password("Real-admin-password-2026")
    assert not real.memberships.exists()


def test_demo_needs_to_be_asked_for(settings):
    settings.DEMO = False
    with pytest.raises(CommandError, match="PROSTIR_DEMO"):
        call_command("load_demo")
    assert not User.objects.exists()


def test_a_demo_account_changed_by_its_user_is_still_the_demos(client):
    call_command("load_demo", stdout=None)
    analyst = User.objects.get(username="analyst.rivne")
    analyst.set_password("Changed-by-the-analyst-2026")
    analyst.save()
    call_command("load_demo", stdout=None)  # a re-run is not refused
    analyst.refresh_from_db()
    assert analyst.check_password("Changed-by-the-analyst-2026")  # and keeps her password


def test_the_demo_hubs_have_persons_and_requests_once(capsys):
    from apps.demo.services import DEMO_PERSONS
    from apps.intake.models import Request
    from apps.registry.models import Person

    call_command("load_demo")
    persons, requests = Person.objects.count(), Request.objects.count()
    assert persons == DEMO_PERSONS
    assert requests > 0
    assert set(Person.objects.values_list("organisation__slug", flat=True)) == {
        spec.hub.slug for spec in HUBS
    }
    call_command("load_demo")
    assert (Person.objects.count(), Request.objects.count()) == (persons, requests)
    assert f"Demo persons: {DEMO_PERSONS}" in capsys.readouterr().out


def test_each_hubs_directory_is_realistic_and_loads_once():
    from datetime import datetime, time

    from apps.directory import schedules
    from apps.directory.models import (
        Schedule,
        ScheduleException,
        ServiceAtLocation,
        ServiceNeed,
    )
    from apps.intake.models import Need
    from apps.registry.models import Category

    call_command("load_demo", stdout=None)
    tables = (Service, ServiceNeed, ServiceAtLocation, Schedule, ScheduleException)
    counts = [m.objects.count() for m in tables]
    call_command("load_demo", stdout=None)
    assert [m.objects.count() for m in tables] == counts

    for spec in HUBS:
        partners = Organisation.objects.filter(slug__in=[p.slug for p in spec.partners])
        employment = partners.get(kind="employment_centre")
        assert employment.memberships.get().user.username == f"partner.{spec.key}"
        for need in ("employment", "retraining"):
            assert employment.services.filter(
                needs__need_code=need, accepting_referrals=True, visibility="public"
            ).exists(), (spec.key, need)
        housing = Service.objects.get(
            organisation__in=partners.filter(kind="municipal_social"),
            needs__need_code="housing",
        )
        assert housing.accepting_referrals and housing.name == "Тимчасове житло для ВПО"

    codes, categories = set(Need.objects.values_list("code", flat=True)), set(Category.values)
    assert set(ServiceNeed.objects.values_list("need_code", flat=True)) <= codes
    for service in Service.objects.prefetch_related("schedules", "exceptions", "locations"):
        assert set(service.eligible_categories) <= categories, service
        rows = sorted((s.opens_at, s.closes_at) for s in service.schedules.all())
        location = service.locations.get()
        assert location.latitude is not None and location.accessibility
        tuesday = datetime(2026, 8, 25, 10, tzinfo=schedules.KYIV)
        if service.name == "Тимчасове житло для ВПО":  # settles people round the clock
            assert rows == [(time(0), time(0))] and not service.exceptions.exists()
            assert schedules.is_open(service, datetime(2026, 8, 24, 3, tzinfo=schedules.KYIV))
            continue
        assert rows == [(time(9), time(13)), (time(14), time(18))], service
        (holiday,) = service.exceptions.all()
        assert holiday.closed and (holiday.date.month, holiday.date.day) == (8, 24)
        # Tuesday after the holiday, 10:00 Kyiv: open; at lunch: closed.
        assert schedules.is_open(service, tuesday)
        assert not schedules.is_open(service, tuesday.replace(hour=13, minute=30))
    drohobych = Organisation.objects.get(slug="drohobych-tsentr-zainiatosti")
    assert drohobych.community.name == "Дрогобицька"
    truskavets = Unit.objects.get(code="UA46020090000057315")
    assert {s.name for s in drohobych.services.filter(areas=truskavets.raion)} == {
        "Сприяння працевлаштуванню",
        "Професійне навчання та перекваліфікація",
    }
