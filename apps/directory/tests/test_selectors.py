"""Who sees which services, and the filters of the directory."""

from datetime import datetime

import pytest

from apps.access.actor import ANONYMOUS, actor_for
from apps.directory import selectors
from apps.directory.schedules import KYIV
from apps.directory.selectors import ServiceFilters as F

pytestmark = pytest.mark.django_db

TUESDAY_10 = datetime(2026, 8, 25, 10, tzinfo=KYIV)
TUESDAY_LUNCH = datetime(2026, 8, 25, 13, 30, tzinfo=KYIV)


def names(services):
    return sorted(s.name for s in services)


def search(user, at=TUESDAY_10, **filters):
    actor = actor_for(user) if user is not None else ANONYMOUS
    return names(selectors.service_search(actor=actor, filters=F(**filters), at=at))


def test_staff_see_their_communitys_staff_only_services_and_public_ones_elsewhere(cast, world):
    assert search(cast.specialist_a) == [
        "Безоплатна правова допомога",  # public, of another hromada
        "Консультування",
        "Робота психолога",  # staff-only, of hub A
        "Сприяння працевлаштуванню",
    ]
    assert "Послуга лише для Вінниці" not in search(cast.specialist_a)
    assert "Робота психолога" not in search(cast.registrar_b)
    assert "Послуга лише для Вінниці" in search(cast.registrar_b)


def test_visitors_and_staff_without_directory_read_see_published_services_only(cast, world):
    published = ["Безоплатна правова допомога", "Консультування", "Сприяння працевлаштуванню"]
    assert search(None) == published
    assert search(cast.outsider) == published
    assert names(selectors.published_search(filters=F(), at=TUESDAY_10)) == published


def test_partner_staff_see_their_organisation_and_published_services(cast, world):
    world.employment.visibility = "staff"
    world.employment.save()
    assert "Сприяння працевлаштуванню" in search(cast.partner_staff_a)
    assert "Робота психолога" not in search(cast.partner_staff_a)
    assert "Сприяння працевлаштуванню" not in search(None)


def test_services_of_an_inactive_organisation_are_hidden(cast, world):
    cast.partner_a.is_active = False
    cast.partner_a.save()
    assert "Сприяння працевлаштуванню" not in search(cast.specialist_a)
    assert "Сприяння працевлаштуванню" not in search(None)


def test_by_need(cast, world):
    assert search(cast.specialist_a, need="psychological_support") == [
        "Консультування",
        "Робота психолога",
    ]
    assert search(cast.specialist_a, need="employment") == ["Сприяння працевлаштуванню"]


def test_by_community_through_organisation_location_or_area(cast, world):
    in_rivne = search(cast.specialist_a, community=cast.community_a.code)
    # The oblast legal-aid centre sits in another hromada but serves the whole oblast.
    assert in_rivne == [
        "Безоплатна правова допомога",
        "Консультування",
        "Робота психолога",
        "Сприяння працевлаштуванню",
    ]
    assert search(cast.registrar_b, community=cast.community_b.code) == ["Послуга лише для Вінниці"]
    # A location in a settlement of the hromada counts even when the organisation is elsewhere.
    world.location_b.settlement = world.rivne_city
    world.location_b.save()
    assert "Послуга лише для Вінниці" in search(cast.registrar_b, community=cast.community_a.code)


def test_by_sector_classifier_and_basic(cast, world):
    assert search(cast.specialist_a, sector="employment") == ["Сприяння працевлаштуванню"]
    assert search(cast.specialist_a, classifier="002.0") == ["Консультування"]
    assert search(cast.specialist_a, basic=True) == ["Консультування"]


def test_by_accepting_referrals(cast, world):
    assert "Робота психолога" not in search(cast.specialist_a, accepting=True)
    assert "Консультування" in search(cast.specialist_a, accepting=True)


def test_text_query_ignores_case_in_cyrillic(cast, world):
    assert search(cast.specialist_a, q="КОНСУЛЬТ") == ["Консультування"]
    assert search(cast.specialist_a, q="центр правової") == ["Безоплатна правова допомога"]


def test_open_now(cast, world):
    world.legal.schedules.all().delete()  # no hours: never open
    assert search(cast.specialist_a, open_now=True, at=TUESDAY_10) == [
        "Консультування",
        "Робота психолога",
        "Сприяння працевлаштуванню",
    ]
    assert search(cast.specialist_a, open_now=True, at=TUESDAY_LUNCH) == []


def test_inactive_services_are_not_listed(cast, world):
    world.counselling.status = "temporarily closed"
    world.counselling.save()
    assert "Консультування" not in search(cast.specialist_a)


def test_a_service_out_of_sight_is_not_found(cast, world):
    with pytest.raises(Exception) as raised:
        selectors.service_get(actor=actor_for(cast.specialist_a), service_id=world.service_b.uuid)
    assert raised.type.__name__ == "Http404"
    assert selectors.service_get(actor=ANONYMOUS, service_id=world.counselling.uuid)


def test_named_contacts_are_for_staff_of_the_organisations_scope(cast, world):
    assert list(selectors.contacts_of(actor=actor_for(cast.specialist_a), organisation=cast.hub_a))
    assert not list(selectors.contacts_of(actor=ANONYMOUS, organisation=cast.hub_a))
    assert not list(
        selectors.contacts_of(actor=actor_for(cast.registrar_b), organisation=cast.hub_a)
    )
