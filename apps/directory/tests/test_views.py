"""The directory's pages as staff and visitors use them."""

from datetime import datetime, time
from types import SimpleNamespace

import pytest
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.directory.models import (
    Contact,
    Location,
    Organisation,
    Schedule,
    ScheduleException,
    Service,
)
from apps.directory.schedules import KYIV

pytestmark = pytest.mark.django_db


def _service_post(service, **changes):
    data = {
        "version": service.version,
        "name": service.name,
        "sector": service.sector,
        "status": service.status,
        "visibility": service.visibility,
        "response_days": service.response_days,
        "completion_days": service.completion_days,
        "is_free": "on",
        "accepting_referrals": "on",
        "needs": list(service.needs.values_list("need_code", flat=True)),
        "locations": [str(u) for u in service.locations.values_list("uuid", flat=True)],
        "classifier_code": service.classifier_code,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# --- browsing -------------------------------------------------------------------------------


def test_the_directory_lists_services_with_where_and_hours(signed_in, cast, world):
    body = signed_in(cast.specialist_a).get("/directory/").content.decode()
    assert "Консультування" in body and "Робота психолога" in body
    assert "вул. Соборна, 1" in body
    assert "09:00–13:00, 14:00–18:00" in body or "сьогодні не працює" in body
    assert "Послуга лише для Вінниці" not in body
    assert 'href="/directory/"' in body  # the nav link «Довідник послуг»


def test_filters_narrow_the_list(signed_in, cast, world):
    client = signed_in(cast.specialist_a)
    body = client.get("/directory/", {"need": "employment"}).content.decode()
    assert ">Сприяння працевлаштуванню</a>" in body and ">Консультування</a>" not in body
    body = client.get("/directory/", {"sector": "legal"}).content.decode()
    assert ">Безоплатна правова допомога</a>" in body and ">Консультування</a>" not in body
    body = client.get("/directory/", {"need": "legal_aid", "accepting": "on"}).content.decode()
    assert ">Безоплатна правова допомога</a>" in body
    # For whom: a service naming categories serves only them; one naming none serves all.
    body = client.get("/directory/", {"category": "UBD"}).content.decode()
    assert ">Консультування</a>" not in body and ">Сприяння працевлаштуванню</a>" in body
    body = client.get("/directory/", {"category": "IDP"}).content.decode()
    assert ">Консультування</a>" in body
    Service.objects.filter(pk=world.employment.pk).update(minimum_age=18, maximum_age=60)
    body = client.get("/directory/", {"age": "67"}).content.decode()
    assert ">Сприяння працевлаштуванню</a>" not in body and ">Консультування</a>" in body
    body = client.get("/directory/", {"age": "200"}).content.decode()
    assert 'aria-invalid="true"' in body
    # A community the user sees nothing of is not a choice: said on the field.
    body = client.get("/directory/", {"community": cast.community_b.code}).content.decode()
    assert 'aria-invalid="true"' in body


def test_the_service_page_shows_everything_a_referrer_needs(signed_in, cast, world):
    ScheduleException.objects.create(
        service=world.counselling, date=timezone.localdate(), reason="День Незалежності"
    )
    body = signed_in(cast.specialist_a).get(f"/directory/services/{world.counselling.uuid}/")
    body = body.content.decode()
    for text in (
        "Мешканці громади та ВПО.",
        "Внутрішньо переміщена особа",
        "Прийти з паспортом або зателефонувати.",
        "безоплатно",
        "Пандус біля входу",
        "Вхід без сходинок.",
        "День Незалежності",
        "Оксана Внутрішня",
        "за 3 робочі дні",
        "за 30 робочих днів",
        "50.619900, 26.251600",
    ):
        assert text in body, text
    assert "Змінити послугу" not in body  # a specialist does not edit


def test_another_communitys_staff_only_service_is_not_found(signed_in, cast, world):
    client = signed_in(cast.specialist_a)
    assert client.get(f"/directory/services/{world.service_b.uuid}/").status_code == 404
    assert client.get(f"/directory/organisations/{cast.hub_b.uuid}/").status_code == 404


def test_the_organisation_page_lists_locations_services_and_contacts(signed_in, cast, world):
    body = signed_in(cast.coordinator_a).get(f"/directory/organisations/{cast.hub_a.uuid}/")
    body = body.content.decode()
    for text in ("Простір інтеграції, Соборна", "Консультування", "Оксана Внутрішня"):
        assert text in body
    assert "Змінити організацію" in body


def test_the_public_listing_needs_no_sign_in_and_shows_no_staff_data(client, world):
    response = client.get("/public/services/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Консультування" in body and "Сприяння працевлаштуванню" in body
    assert "Робота психолога" not in body  # staff-only
    assert "Послуга лише для Вінниці" not in body
    assert "Оксана Внутрішня" not in body  # named contacts are internal


# --- editing --------------------------------------------------------------------------------


def test_a_coordinator_changes_a_service_and_it_is_audited(signed_in, cast, world):
    client = signed_in(cast.coordinator_a)
    url = f"/directory/services/{world.counselling.uuid}/edit/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        _service_post(
            world.counselling,
            name="Консультування з питань ВПО",
            minimum_age="18",
            needs=["psychological_support", "housing"],
            phone="067 123 45 67",
            visibility="public",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    world.counselling.refresh_from_db()
    assert world.counselling.name == "Консультування з питань ВПО"
    assert world.counselling.phone == "+380671234567"
    assert world.counselling.version == 2
    assert sorted(world.counselling.needs.values_list("need_code", flat=True)) == [
        "housing",
        "psychological_support",
    ]
    event = AuditEvent.objects.get(event="directory.service.updated")
    assert event.actor == cast.coordinator_a
    assert event.community_id == cast.community_a.code
    assert {"name", "needs", "minimum_age", "phone"} <= set(event.changed_fields)


def test_a_stale_save_shows_both_values_and_overwrites_nothing(signed_in, cast, world):
    Service.objects.filter(pk=world.counselling.pk).update(name="Назва колеги", version=2)
    client = signed_in(cast.coordinator_a)
    world.counselling.version = 1
    response = client.post(
        f"/directory/services/{world.counselling.uuid}/edit/",
        _service_post(world.counselling, name="Моя назва", version=1),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="conflict"' in body and "Назва колеги" in body and "Моя назва" in body
    world.counselling.refresh_from_db()
    assert world.counselling.name == "Назва колеги"
    assert 'name="version" value="2"' in body  # a resubmission is taken knowingly
    assert not AuditEvent.objects.filter(event="directory.service.updated").exists()


def test_stale_organisation_and_location_saves_show_the_conflict_and_write_nothing(
    signed_in, cast, world
):
    client = signed_in(cast.coordinator_a)
    hub = cast.hub_a
    seen = hub.version
    Organisation.objects.filter(pk=hub.pk).update(name="Назва колеги", version=seen + 1)
    location = {
        "version": seen,
        "name": "Моя філія",
        "location_type": "physical",
        "settlement": world.rivne_city.code,
        "address": "вул. Київська, 3",
    }

    # A new place on an organisation changed meanwhile: told, nothing added.
    response = client.post(f"/directory/organisations/{hub.uuid}/locations/new/", location)
    body = response.content.decode()
    assert response.status_code == 200 and 'id="conflict"' in body
    assert f'name="version" value="{seen + 1}"' in body and "Моя філія" in body
    assert not Location.objects.filter(name="Моя філія").exists()

    # An edit of a place on an older version: both values, nothing written.
    place = world.location_a
    response = client.post(f"/directory/locations/{place.uuid}/edit/", location)
    body = response.content.decode()
    assert 'id="conflict"' in body and "Моя філія" in body and place.name in body
    assert f'name="version" value="{seen + 1}"' in body
    place.refresh_from_db()
    assert place.name != "Моя філія"

    # The organisation itself on an older version.
    response = client.post(
        f"/directory/organisations/{hub.uuid}/edit/",
        {"version": seen, "name": "Моя назва", "kind": hub.kind, "is_active": "on"},
    )
    body = response.content.decode()
    assert 'id="conflict"' in body and "Назва колеги" in body and "Моя назва" in body
    hub.refresh_from_db()
    assert (hub.name, hub.version) == ("Назва колеги", seen + 1)
    assert not AuditEvent.objects.filter(
        event__in=[
            "directory.location.created",
            "directory.location.updated",
            "directory.organisation.updated",
        ]
    ).exists()


def test_service_fields_are_checked_with_messages(signed_in, cast, world):
    client = signed_in(cast.coordinator_a)
    response = client.post(
        f"/directory/services/{world.counselling.uuid}/edit/",
        _service_post(
            world.counselling,
            minimum_age="65",
            maximum_age="18",
            phone="12",
            classifier_code="2.0",
            eligible_categories=["NOBODY"],
        ),
    )
    body = response.content.decode()
    assert "Вік «до» не може бути меншим за вік «від»." in body
    assert "Це не схоже на номер телефону." in body or "Такого номера не існує" in body
    assert "має вигляд «001.0»" in body
    assert "NOBODY" in body  # not a choice
    world.counselling.refresh_from_db()
    assert world.counselling.version == 1


def test_hours_with_a_lunch_break_and_a_holiday(signed_in, cast, world):
    client = signed_in(cast.coordinator_a)
    world.employment.schedules.all().delete()
    url = f"/directory/services/{world.employment.uuid}/hours/"
    assert client.get(url).status_code == 200
    data = {
        "version": 1,
        "schedules-TOTAL_FORMS": 2,
        "schedules-INITIAL_FORMS": 0,
        "schedules-0-byday": ["MO", "TU", "WE", "TH", "FR"],
        "schedules-0-opens_at": "09:00",
        "schedules-0-closes_at": "13:00",
        "schedules-1-byday": ["MO", "TU", "WE", "TH", "FR"],
        "schedules-1-opens_at": "14:00",
        "schedules-1-closes_at": "18:00",
        "exceptions-TOTAL_FORMS": 1,
        "exceptions-INITIAL_FORMS": 0,
        "exceptions-0-date": "2026-08-24",
        "exceptions-0-reason": "День Незалежності",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    rows = Schedule.objects.filter(service=world.employment).order_by("opens_at")
    assert [str(r) for r in rows] == ["MO,TU,WE,TH,FR 09:00–13:00", "MO,TU,WE,TH,FR 14:00–18:00"]
    holiday = ScheduleException.objects.get(service=world.employment)
    assert holiday.closed and holiday.reason == "День Незалежності"
    assert AuditEvent.objects.filter(event="directory.service.hours_updated").count() == 1


def test_saving_the_hours_page_unchanged_keeps_every_row(signed_in, cast, world):
    client = signed_in(cast.coordinator_a)
    rows = list(world.employment.schedules.order_by("opens_at", "pk"))
    data = {
        "version": 1,
        "schedules-TOTAL_FORMS": 2,
        "schedules-INITIAL_FORMS": 2,
        "exceptions-TOTAL_FORMS": 0,
        "exceptions-INITIAL_FORMS": 0,
    }
    for i, row in enumerate(rows):
        data |= {
            f"schedules-{i}-uuid": str(row.uuid),
            f"schedules-{i}-byday": row.byday.split(","),
            f"schedules-{i}-opens_at": f"{row.opens_at:%H:%M}",
            f"schedules-{i}-closes_at": f"{row.closes_at:%H:%M}",
        }
    response = client.post(f"/directory/services/{world.employment.uuid}/hours/", data)
    assert response.status_code == 302
    assert list(world.employment.schedules.order_by("opens_at", "pk")) == rows
    world.employment.refresh_from_db()
    assert world.employment.version == 1  # nothing changed, nothing written


def test_hours_opening_and_closing_at_the_same_time_are_refused(signed_in, cast, world):
    client = signed_in(cast.coordinator_a)
    response = client.post(
        f"/directory/services/{world.employment.uuid}/hours/",
        {
            "version": 1,
            "schedules-TOTAL_FORMS": 1,
            "schedules-INITIAL_FORMS": 0,
            "schedules-0-byday": ["MO"],
            "schedules-0-opens_at": "09:00",
            "schedules-0-closes_at": "09:00",
            "exceptions-TOTAL_FORMS": 0,
            "exceptions-INITIAL_FORMS": 0,
        },
    )
    body = response.content.decode()
    assert (
        "Зачиняється о: Час відкриття й закриття однакові. "
        "Для цілодобової роботи вкажіть 00:00–00:00."
    ) in body
    assert 'id="error-summary"' in body
    assert Schedule.objects.filter(service=world.employment).count() == 2  # unchanged


def test_the_hours_editor_takes_a_night_and_a_whole_day(signed_in, cast, world):
    """A shelter's nights Monday to Friday, 24 hours at the weekend, a night on a holiday."""
    client = signed_in(cast.coordinator_a)
    url = f"/directory/services/{world.employment.uuid}/hours/"
    response = client.post(
        url,
        {
            "version": 1,
            "schedules-TOTAL_FORMS": 2,
            "schedules-INITIAL_FORMS": 0,
            "schedules-0-byday": ["MO", "TU", "WE", "TH", "FR"],
            "schedules-0-opens_at": "20:00",
            "schedules-0-closes_at": "08:00",
            "schedules-1-byday": ["SA", "SU"],
            "schedules-1-opens_at": "00:00",
            "schedules-1-closes_at": "00:00",
            "exceptions-TOTAL_FORMS": 1,
            "exceptions-INITIAL_FORMS": 0,
            "exceptions-0-date": "2026-12-31",
            "exceptions-0-opens_at": "18:00",
            "exceptions-0-closes_at": "10:00",
            "exceptions-0-reason": "Новорічна ніч",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    rows = Schedule.objects.filter(service=world.employment).order_by("opens_at")
    assert [str(r) for r in rows] == ["SA,SU 00:00–00:00", "MO,TU,WE,TH,FR 20:00–08:00"]
    night = ScheduleException.objects.get(service=world.employment)
    assert (night.closed, night.opens_at, night.closes_at) == (False, time(18), time(10))

    editor = client.get(url).content.decode()
    assert "Тобто: 20:00–08:00 (до ранку наступного дня)" in editor
    assert "Тобто: цілодобово" in editor
    assert "00:00–00:00 — цілодобово." in editor  # the closing field's help

    page = client.get(f"/directory/services/{world.employment.uuid}/").content.decode()
    assert "<td>20:00–08:00 (до ранку наступного дня)</td>" in page  # the weekly rows
    assert "<td>цілодобово</td>" in page
    assert "18:00–10:00 (до ранку наступного дня) — Новорічна ніч" in page


def _at(monkeypatch, moment):
    """The directory's pages as if it were ``moment`` (Kyiv time)."""
    from apps.directory import views

    monkeypatch.setattr(views, "timezone", SimpleNamespace(now=lambda: moment))


def test_a_service_open_around_the_clock_says_so(signed_in, cast, world, monkeypatch):
    world.employment.schedules.all().delete()
    Schedule.objects.create(
        service=world.employment,
        byday="MO,TU,WE,TH,FR,SA,SU",
        opens_at=time(0),
        closes_at=time(0),
    )
    _at(monkeypatch, datetime(2026, 8, 25, 3, 0, tzinfo=KYIV))
    client = signed_in(cast.specialist_a)
    page = client.get(f"/directory/services/{world.employment.uuid}/").content.decode()
    assert "<strong>Відкрито цілодобово</strong>. Сьогодні: цілодобово." in page
    listing = client.get("/directory/", {"need": "employment"}).content.decode()
    assert "<td>цілодобово</td>" in listing


def test_at_night_the_page_says_until_when_and_the_end_of_last_night(
    signed_in, cast, world, monkeypatch
):
    world.employment.schedules.all().delete()
    Schedule.objects.create(
        service=world.employment, byday="MO", opens_at=time(20), closes_at=time(8)
    )
    client = signed_in(cast.specialist_a)
    url = f"/directory/services/{world.employment.uuid}/"
    _at(monkeypatch, datetime(2026, 8, 24, 22, 0, tzinfo=KYIV))  # Monday night
    page = client.get(url).content.decode()
    assert "<strong>Відкрито до 08:00 (Вівторок, 25 серпня)</strong>" in page
    assert "Сьогодні: 20:00–08:00 (до ранку наступного дня)." in page
    _at(monkeypatch, datetime(2026, 8, 25, 3, 0, tzinfo=KYIV))  # Tuesday, still Monday's night
    page = client.get(url).content.decode()
    assert "<strong>Відкрито до 08:00</strong>. Сьогодні: 00:00–08:00." in page


def test_a_location_with_coordinates_out_of_range_is_refused(signed_in, cast, world):
    client = signed_in(cast.coordinator_a)
    response = client.post(
        f"/directory/organisations/{cast.hub_a.uuid}/locations/new/",
        {
            "version": cast.hub_a.version,
            "name": "Філія",
            "location_type": "physical",
            "settlement": world.rivne_city.code,
            "address": "вул. Київська, 3",
            "latitude": "95",
            "longitude": "26.25",
        },
    )
    body = response.content.decode()
    assert "Широта має бути від −90 до 90 градусів." in body
    assert not Location.objects.filter(name="Філія").exists()


def test_a_coordinator_adds_an_organisation_a_location_a_service_and_contacts(
    signed_in, cast, world
):
    client = signed_in(cast.coordinator_a)
    response = client.post(
        "/directory/organisations/new/",
        {
            "community": cast.community_a.code,
            "name": "Служба у справах ВПО",
            "kind": "municipal_social",
            "phone": "0362 12 34 56",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    org = Organisation.objects.get(name="Служба у справах ВПО")
    assert org.community == cast.community_a and org.phone == "+380362123456"
    response = client.post(
        f"/directory/organisations/{org.uuid}/locations/new/",
        {
            "version": org.version,
            "name": "Приймальня",
            "location_type": "physical",
            "settlement": world.rivne_city.code,
            "address": "вул. Шевченка, 4",
            "latitude": "50.62",
            "longitude": "26.25",
            "step_free": "on",
            "languages": ["uk"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    location = Location.objects.get(organisation=org)
    response = client.post(
        f"/directory/organisations/{org.uuid}/services/new/",
        {
            "name": "Тимчасове житло для ВПО",
            "sector": "social",
            "status": "active",
            "visibility": "public",
            "needs": ["housing"],
            "locations": [str(location.uuid)],
            "response_days": 3,
            "completion_days": 30,
            "accepting_referrals": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    service = Service.objects.get(organisation=org)
    assert list(service.locations.all()) == [location]
    org.refresh_from_db()
    response = client.post(
        f"/directory/organisations/{org.uuid}/contacts/",
        {
            "version": org.version,
            "contacts-TOTAL_FORMS": 1,
            "contacts-INITIAL_FORMS": 0,
            "contacts-0-name": "Ірина Коваль",
            "contacts-0-title": "Начальниця служби",
            "contacts-0-phone": "067 123 45 67",
            "contacts-0-service": str(service.uuid),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    contact = Contact.objects.get(organisation=org)
    assert contact.service == service and contact.phone == "+380671234567"
    events = set(AuditEvent.objects.values_list("event", flat=True))
    assert {
        "directory.organisation.created",
        "directory.location.created",
        "directory.service.created",
        "directory.organisation.contacts_updated",
    } <= events


def test_a_contact_with_a_bad_phone_is_refused(signed_in, cast, world):
    response = signed_in(cast.coordinator_a).post(
        f"/directory/organisations/{cast.hub_a.uuid}/contacts/",
        {
            "version": cast.hub_a.version,
            "contacts-TOTAL_FORMS": 1,
            "contacts-INITIAL_FORMS": 0,
            "contacts-0-name": "Ірина Коваль",
            "contacts-0-phone": "123",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200 and 'id="error-summary"' in body
    assert not Contact.objects.filter(name="Ірина Коваль").exists()


def test_a_coordinator_cannot_edit_another_communitys_organisation(signed_in, cast, world):
    client = signed_in(cast.coordinator_a)
    for url in (
        f"/directory/organisations/{cast.hub_b.uuid}/edit/",
        f"/directory/organisations/{cast.hub_b.uuid}/contacts/",
        f"/directory/organisations/{cast.hub_b.uuid}/locations/new/",
        f"/directory/organisations/{cast.hub_b.uuid}/services/new/",
        f"/directory/services/{world.service_b.uuid}/edit/",
        f"/directory/services/{world.service_b.uuid}/hours/",
        f"/directory/locations/{world.location_b.uuid}/edit/",
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "Злам", "version": 1}).status_code == 404, url
    cast.hub_b.refresh_from_db()
    assert cast.hub_b.name == "Вінницький хаб" and cast.hub_b.version == 1


def test_a_public_service_of_elsewhere_is_readable_not_editable(signed_in, cast, world):
    client = signed_in(cast.coordinator_a)
    assert client.get(f"/directory/services/{world.legal.uuid}/").status_code == 200
    assert client.get(f"/directory/services/{world.legal.uuid}/edit/").status_code == 404


def test_staff_without_directory_write_may_not_edit(signed_in, cast, world):
    client = signed_in(cast.specialist_a)
    assert client.get(f"/directory/services/{world.counselling.uuid}/edit/").status_code == 403
    assert client.get("/directory/organisations/new/").status_code == 403


def test_the_admin_edits_a_services_hours_audited_in_its_community(signed_in, cast, world):
    client = signed_in(cast.admin)
    url = f"/admin/directory/service/{world.employment.pk}/change/"
    assert client.get(url).status_code == 200
    page = client.get(url).content.decode()
    assert "Розклад" in page or "розклад" in page
    assert client.get("/admin/directory/service/").status_code == 200
    assert client.get(f"/admin/directory/organisation/{cast.hub_a.pk}/change/").status_code == 200


def test_a_partner_named_with_its_community_sees_only_its_own_staff_data(signed_in, cast, world):
    from apps.access.models import Membership

    Membership.objects.filter(user=cast.partner_staff_a).update(community=cast.community_a)
    client = signed_in(cast.partner_staff_a)
    # The hub's staff-only service and its named contact person stay hidden from the partner.
    assert client.get(f"/directory/services/{world.psychologist.uuid}/").status_code == 404
    assert "Робота психолога" not in client.get("/directory/").content.decode()
    hub_page = client.get(f"/directory/organisations/{cast.hub_a.uuid}/").content.decode()
    assert "Консультування" in hub_page and "Оксана Внутрішня" not in hub_page
    # Its own organisation and published services of others it still sees.
    assert client.get(f"/directory/services/{world.employment.uuid}/").status_code == 200
    # The hub's own staff keep the whole hromada's directory, partners' rows included.
    hub = signed_in(cast.specialist_a)
    assert hub.get(f"/directory/services/{world.psychologist.uuid}/").status_code == 200
    assert (
        "Оксана Внутрішня"
        in hub.get(f"/directory/organisations/{cast.hub_a.uuid}/").content.decode()
    )


def test_a_garbled_version_is_told_and_nothing_is_saved(signed_in, cast, world):
    client = signed_in(cast.coordinator_a)
    world.employment.schedules.all().delete()
    hours = {
        "version": "abc",
        "schedules-TOTAL_FORMS": 1,
        "schedules-INITIAL_FORMS": 0,
        "schedules-0-byday": ["MO"],
        "schedules-0-opens_at": "09:00",
        "schedules-0-closes_at": "13:00",
        "exceptions-TOTAL_FORMS": 0,
        "exceptions-INITIAL_FORMS": 0,
    }
    response = client.post(f"/directory/services/{world.employment.uuid}/hours/", hours)
    assert response.status_code == 200
    assert "Форму отримано пошкодженою" in response.content.decode()
    assert not world.employment.schedules.exists()

    contacts = {
        "version": "",
        "contacts-TOTAL_FORMS": 1,
        "contacts-INITIAL_FORMS": 0,
        "contacts-0-name": "Ірина Нова",
    }
    response = client.post(f"/directory/organisations/{cast.partner_a.uuid}/contacts/", contacts)
    assert response.status_code == 200
    assert "Форму отримано пошкодженою" in response.content.decode()
    assert not cast.partner_a.contacts.exists()


def test_an_admin_change_makes_a_page_opened_before_it_a_conflict(signed_in, cast, world):
    from django.test import Client

    from apps.audit.tests.test_admin_audit import _form
    from conftest import sign_in

    coordinator = signed_in(cast.coordinator_a)
    opened = _service_post(world.employment, name="Працевлаштування для ВПО")
    admin = sign_in(Client(), cast.admin)
    url = f"/admin/directory/service/{world.employment.pk}/change/"
    data = _form(admin, url) | {"name": "Сприяння працевлаштуванню (адмін)"}
    assert admin.post(url, data).status_code == 302
    world.employment.refresh_from_db()
    assert world.employment.version == 2

    response = coordinator.post(f"/directory/services/{world.employment.uuid}/edit/", opened)
    assert 'id="conflict"' in response.content.decode()
    world.employment.refresh_from_db()
    assert world.employment.name == "Сприяння працевлаштуванню (адмін)"

    # A change of the organisation's services from its admin page moves both versions on.
    org_url = f"/admin/directory/organisation/{cast.partner_a.pk}/change/"
    data = _form(admin, org_url)
    services = [k for k, v in data.items() if k.endswith("-name") and v == world.employment.name]
    data[services[0]] = "Працевлаштування"
    assert admin.post(org_url, data).status_code == 302
    world.employment.refresh_from_db()
    cast.partner_a.refresh_from_db()
    assert (world.employment.version, cast.partner_a.version) == (3, 2)


def test_an_edrpou_code_that_is_not_eight_digits_is_refused_with_a_message(signed_in, cast, world):
    client = signed_in(cast.coordinator_a)
    response = client.post(
        "/directory/organisations/new/",
        {
            "community": cast.community_a.code,
            "name": "Служба з кодом",
            "kind": "municipal_social",
            "edrpou": "12ab",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "Код ЄДРПОУ — це 8 цифр." in response.content.decode()
    assert not Organisation.objects.filter(name="Служба з кодом").exists()


def test_another_communitys_staff_only_place_stays_off_its_organisation_page(signed_in, cast):
    """Hub B gives one published service at its office and a staff-only one at a shelter:
    staff of community A see the office on hub B's page, not the shelter; hub B sees both."""
    from apps.directory.models import ServiceAtLocation, Visibility

    def place(name, address):
        return Location.objects.create(
            organisation=cast.hub_b, name=name, settlement=cast.community_b, address=address
        )

    office, shelter = place("Офіс", "вул. Соборна, 1"), place("Притулок", "вул. Таємна, 13")
    for name, visibility, where in (
        ("Консультація", Visibility.PUBLIC, office),
        ("Кризове розміщення", Visibility.STAFF, shelter),
    ):
        service = Service.objects.create(organisation=cast.hub_b, name=name, visibility=visibility)
        ServiceAtLocation.objects.create(service=service, location=where)

    url = f"/directory/organisations/{cast.hub_b.uuid}/"
    html = signed_in(cast.partner_staff_a).get(url).content.decode()
    assert "вул. Соборна, 1" in html and "вул. Таємна, 13" not in html
    html = signed_in(cast.coordinator_b).get(url).content.decode()
    assert "вул. Соборна, 1" in html and "вул. Таємна, 13" in html


def test_edit_links_show_only_where_the_edit_pages_open(signed_in, cast, world):
    """A coordinator of the employment centre (grant: Rivne + the centre) edits the centre,
    not the hub beside it: the hub's page offers no edit link that would end in "not found"."""
    from apps.access.roles import Role
    from apps.access.tests.factories import MembershipFactory, UserFactory

    centre_coordinator = UserFactory(username="centre.coordinator")
    MembershipFactory(
        user=centre_coordinator,
        role=Role.COORDINATOR,
        community=cast.community_a,
        organisation=cast.partner_a,
    )
    client = signed_in(centre_coordinator)
    hub_page = client.get(f"/directory/organisations/{cast.hub_a.uuid}/").content.decode()
    assert f"/directory/organisations/{cast.hub_a.uuid}/edit/" not in hub_page
    assert client.get(f"/directory/organisations/{cast.hub_a.uuid}/edit/").status_code == 404
    centre_page = client.get(f"/directory/organisations/{cast.partner_a.uuid}/").content.decode()
    assert f"/directory/organisations/{cast.partner_a.uuid}/edit/" in centre_page


def test_an_admin_change_of_an_organisation_counts_as_a_change_of_its_services(cast, world):
    """As on the directory's pages: HSDS ``modified_after`` finds the services again."""
    from datetime import UTC, datetime

    from django.test import Client

    from apps.audit.tests.test_admin_audit import _form
    from conftest import sign_in

    long_ago = datetime(2020, 1, 1, tzinfo=UTC)
    Service.objects.update(last_modified=long_ago)
    admin = sign_in(Client(), cast.admin)
    url = f"/admin/directory/organisation/{cast.partner_a.pk}/change/"
    data = _form(admin, url) | {"description": "Нова адреса прийому з понеділка."}
    assert admin.post(url, data).status_code == 302
    world.employment.refresh_from_db()
    assert world.employment.last_modified > long_ago
    world.counselling.refresh_from_db()  # another organisation's service stays as it was
    assert world.counselling.last_modified == long_ago
