"""The closed loop of referrals (issue 5), in Ukrainian, through the pages only: a specialist
refers a registered person to the employment centre (a partner organisation) — recording the
person's consent for partners on the way — and to the city's accommodation service; the
employment centre's user signs in, sees only that referral, accepts it and later completes it
with "need met"; the specialist sees the loop closed; the accommodation referral, left
unanswered past its deadline, shows in the overdue list."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from apps.delivery.models import ServiceDelivery
from apps.directory.models import Organisation, OrganisationKind, Service, ServiceNeed
from apps.referrals.models import Referral
from apps.referrals.rules import local_today

from .helpers import path_of, sign_in_browser
from .screens import _person

pytestmark = pytest.mark.browser


def _click(page: Page, role: str, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role(role, name=name, exact=True).click()


def _services(cast) -> tuple[Service, Service]:
    jobs = Service.objects.create(
        organisation=cast.partner_a, name="Пошук роботи та профорієнтація", response_days=3
    )
    ServiceNeed.objects.create(service=jobs, need_code="employment")
    city = Organisation.objects.create(
        name="Рівненська міська соціальна служба",
        slug="city-a",
        kind=OrganisationKind.MUNICIPAL_SOCIAL_SERVICE,
        community=cast.community_a,
    )
    shelter = Service.objects.create(
        organisation=city, name="Тимчасове розміщення ВПО", response_days=2, completion_days=10
    )
    ServiceNeed.objects.create(service=shelter, need_code="housing")
    return jobs, shelter


def _refer(page: Page, person_id, need: str, service: str, note: str) -> Referral:
    page.goto(f"/persons/{person_id}/")
    _click(page, "link", "Направити до послуги")
    page.get_by_label("Потреба").select_option(label=need)
    _click(page, "button", "Показати послуги")
    page.get_by_label(re.compile(service)).check()
    page.get_by_label("Примітка для отримувача").fill(note)
    _click(page, "button", "Надіслати направлення")
    expect(page.get_by_text(re.compile(r"Направлення НП-\d{4}-\d{6} надіслано\."))).to_be_visible()
    return Referral.objects.get(pk=path_of(page).split("/")[2])


def test_refer_accept_complete_and_see_the_overdue_one(
    page, new_page, live_server, browser_cast, settings
):
    cast = browser_cast
    _person(cast, settings)  # Олена Ковальчук of hub A, and the needs taxonomy
    olena = cast.olena
    jobs, _shelter = _services(cast)
    sign_in_browser(page, live_server, cast.specialist_a)

    # 1. To the employment centre: no consent for partners yet — the page says why and
    #    records it on the way, then comes back to the referral.
    page.goto(f"/persons/{olena.pk}/")
    _click(page, "link", "Направити до послуги")
    page.get_by_label("Потреба").select_option(label="Працевлаштування")
    _click(page, "button", "Показати послуги")
    expect(page.get_by_role("heading", name="Потрібна згода особи")).to_be_visible()
    _click(page, "link", "Записати згоду")
    page.get_by_label("Мета обробки даних").fill("Направлення до центру зайнятості")
    page.get_by_label("Хаб і партнери за направленням").check()
    _click(page, "button", "Записати згоду")
    expect(page.get_by_text("Згоду записано.")).to_be_visible()
    assert path_of(page) == f"/referrals/new/{olena.pk}/"
    expect(page.get_by_role("heading", name="Потрібна згода особи")).to_have_count(0)
    page.get_by_label(re.compile("Пошук роботи та профорієнтація")).check()
    expect(page.get_by_text("Що побачить організація")).to_be_visible()
    page.get_by_label("Примітка для отримувача").fill("Бухгалтерка, шукає роботу в Рівному.")
    _click(page, "button", "Надіслати направлення")
    to_jobs = Referral.objects.get(service=jobs)
    expect(page.get_by_text(f"Направлення {to_jobs.reference} надіслано.")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("Надіслано")

    # 2. To the city's accommodation service.
    to_shelter = _refer(
        page, olena.pk, "Житло, тимчасове розміщення", "Тимчасове розміщення ВПО", "Родина з дітьми"
    )
    assert to_shelter.receiver_organisation.slug == "city-a"

    # 3. The employment centre's user sees only its referral, with only the shared data.
    partner = new_page()
    sign_in_browser(partner, live_server, cast.partner_staff_a)
    _click(partner, "link", "Вхідні направлення")
    inbox = partner.locator("main table")
    expect(inbox).to_contain_text(to_jobs.reference)
    expect(inbox).not_to_contain_text(to_shelter.reference)
    expect(partner.locator("main tbody tr")).to_have_count(1)
    _click(partner, "link", to_jobs.reference)
    expect(partner.locator("main")).to_contain_text("Ковальчук Олена")
    expect(partner.locator("main")).to_contain_text("Бухгалтерка, шукає роботу в Рівному.")
    expect(partner.locator(f"a[href='/persons/{olena.pk}/']")).to_have_count(0)
    expect(partner.get_by_role("link", name="Особи")).to_have_count(0)
    _click(partner, "button", "Прийняти")
    expect(partner.get_by_text("Стан направлення змінено.")).to_be_visible()
    expect(partner.locator("dl.facts")).to_contain_text("Прийнято")

    # ... and later completes it: the need is met.
    partner.get_by_label("Потребу задоволено", exact=True).check()
    partner.get_by_label("Примітка до результату").fill("Працевлаштована з 1 квітня.")
    _click(partner, "button", "Позначити виконаним")
    expect(partner.locator("dl.facts")).to_contain_text("Виконано — Потребу задоволено")
    response = partner.goto(f"/persons/{olena.pk}/")
    assert response.status in {403, 404}

    # 4. The specialist sees the loop closed, on the card and on the referral.
    page.goto(f"/persons/{olena.pk}/")
    section = page.locator("section", has=page.get_by_role("heading", name="Направлення"))
    expect(section).to_contain_text(f"{to_jobs.reference}")
    expect(section).to_contain_text("Виконано: Потребу задоволено")
    _click(page, "link", to_jobs.reference)
    history = page.locator("ol.history")
    expect(history).to_contain_text("«Надіслано» → «Прийнято»")
    expect(history).to_contain_text("«Прийнято» → «Виконано» (Потребу задоволено)")
    expect(page.locator("main")).to_contain_text("Працевлаштована з 1 квітня.")

    # 5. Time passes: the city never answered. The referral is shown as overdue.
    sent_long_ago = local_today() - timedelta(days=10)
    Referral.objects.filter(pk=to_shelter.pk).update(respond_by=sent_long_ago)
    _click(page, "link", "Направлення")
    _click(page, "link", "Лише прострочені")
    overdue = page.locator("main table")
    expect(overdue).to_contain_text(to_shelter.reference)
    expect(overdue).to_contain_text("прострочено")
    expect(overdue).not_to_contain_text(to_jobs.reference)

    # What was kept: the consent, the two referrals, the service delivered.
    assert olena.consents.get().scope == "partners"
    to_jobs.refresh_from_db()
    assert (to_jobs.status, to_jobs.outcome) == ("completed", "met")
    assert Referral.objects.get(pk=to_shelter.pk).status == "sent"
    delivered = ServiceDelivery.objects.get()
    assert (delivered.person_id, delivered.service_id) == (olena.pk, jobs.pk)
