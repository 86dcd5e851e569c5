"""The registrar's journey (issue "Registry and intake"), in Ukrainian, through the pages only:
the registrar searches "Mariia Shevchuk" and finds "Марія Шевчук" (registered earlier with the
same birth date) instead of creating a duplicate; then registers a new person with two
children, an IDP certificate and consent; records a request for housing, work and psychological
support; and books a primary consultation for today."""

import time
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from apps.intake.models import Appointment, Request
from apps.intake.rules import HUB_TIME_ZONE, local_today
from apps.registry.models import Person

from .helpers import path_of, sign_in_browser, submit
from .screens import MARIA, _maria, _person

pytestmark = pytest.mark.browser


@pytest.fixture
def open_all_day(settings):
    """Every day is a working day with short slots, so that "today" has free time whenever the
    test runs (the live server reads the same settings)."""
    settings.INTAKE_WORKING_HOURS = {"days": list(range(7)), "start": "00:00", "end": "23:59"}
    settings.INTAKE_SLOT_MINUTES = 5


def _wait_if_the_day_is_ending(margin: timedelta = timedelta(minutes=10)) -> None:
    """In the last minutes of the hub's day no slot of "today" is left to book: wait for the
    next day (at most ``margin``) rather than fail by the clock."""
    now = datetime.now(HUB_TIME_ZONE)
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=5, microsecond=0)
    if midnight - now <= margin:
        time.sleep((midnight - now).total_seconds())


def _click(page: Page, role: str, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role(role, name=name, exact=True).click()


def _identity(page: Page, last: str, first: str, patronymic: str, born: str, sex: str) -> None:
    page.get_by_label("Прізвище").fill(last)
    page.get_by_role("textbox", name="Ім'я", exact=True).fill(first)
    page.get_by_label("По батькові").fill(patronymic)
    page.get_by_label("Дата народження").fill(born)
    page.get_by_label(sex, exact=True).check()
    _click(page, "button", "Перевірити і продовжити")
    expect(page.get_by_text("Схожих записів не знайдено.")).to_be_visible()


def _register_child(page: Page, first: str, born: str, sex: str) -> None:
    _click(page, "link", "Зареєструвати нового члена")
    _identity(
        page, "Бондаренко", first, "Андрійович" if sex == "чоловіча" else "Андріївна", born, sex
    )
    page.get_by_label("Ким доводиться голові домогосподарства").select_option(label="Дитина")
    _click(page, "button", "Зареєструвати")
    expect(page.get_by_text("Особу зареєстровано.")).to_be_visible()


def test_find_register_family_record_request_book_today(
    page, live_server, browser_cast, settings, open_all_day
):
    cast = browser_cast
    _maria(cast, settings)  # registered earlier, born 1985-03-14
    _person(cast, settings)  # the needs taxonomy (and another person of the hub)
    sign_in_browser(page, live_server, cast.registrar_a)

    # 1. Search in Latin letters: the Cyrillic record is found, with the reason.
    _click(page, "link", "Особи")
    page.get_by_label("Кого шукаєте").fill("Mariia Shevchuk")
    page.get_by_label("Дата народження").fill(MARIA["birth_date"])
    _click(page, "button", "Знайти")
    result = page.locator("ol.matches li").first
    expect(result).to_contain_text("Шевчук Марія Іванівна")
    expect(result).to_contain_text("схоже ім'я, та сама дата народження")

    # 2. A new person: the mother, with an IDP certificate and consent.
    _click(page, "link", "Зареєструвати нову особу")
    _identity(page, "Бондаренко", "Оксана", "Василівна", "1990-07-21", "жіноча")
    page.get_by_label("Номер довідки ВПО").fill("3212-5001234567")
    page.get_by_label("Дата видачі довідки ВПО").fill("2024-02-12")
    page.get_by_label("Ким видано довідку ВПО").fill("Управління соціального захисту населення")
    page.get_by_label("Внутрішньо переміщена особа").check()
    page.get_by_label("Особа дала згоду на обробку персональних даних").check()
    page.get_by_label("Хаб і партнери за направленням").check()
    _click(page, "button", "Зареєструвати")
    expect(page.get_by_text("Особу зареєстровано.")).to_be_visible()
    mother = Person.objects.get(last_name="Бондаренко", first_name="Оксана")
    assert path_of(page) == f"/persons/{mother.pk}/"

    # 3. Her household, and two children registered into it.
    _click(page, "button", "Створити домогосподарство з цією особою як головою")
    _register_child(page, "Марко", "2014-05-10", "чоловіча")
    _register_child(page, "Софія", "2018-11-02", "жіноча")
    members = page.locator("main").inner_text()
    assert "Марко" in members and "Софія" in members

    # 4. The request, from the mother's card.
    page.goto(f"/persons/{mother.pk}/")
    _click(page, "link", "Записати звернення")
    page.get_by_label("Житло, тимчасове розміщення").check()
    page.get_by_label("Працевлаштування").check()
    page.get_by_label("Психологічна підтримка").check()
    page.get_by_label("Канал звернення").select_option(label="Особисто в хабі")
    page.get_by_label("Опис").fill("Переїхала з Харкова з двома дітьми, шукає житло й роботу.")
    submit(page)
    expect(page.get_by_text("Звернення записано.")).to_be_visible()

    # 5. The primary consultation, today.
    _wait_if_the_day_is_ending()
    _click(page, "link", "Записати на первинну консультацію")
    page.locator("#id_specialist").select_option(label="Specialist.A Ім'я")
    assert page.locator("#id_date").input_value() == local_today().isoformat()
    _click(page, "button", "Показати вільний час")
    page.locator("input[name=slot]").first.check()
    _click(page, "button", "Записати")
    expect(page.get_by_text("Первинну консультацію заплановано.")).to_be_visible()

    # What was kept: no duplicate of Марія, the family, the consent, the request, the booking.
    assert Person.objects.filter(last_name="Шевчук").count() == 1
    idp = mother.documents.get(type="idp_certificate")
    assert (idp.number, str(idp.issued_on)) == ("3212-5001234567", "2024-02-12")
    assert mother.consents.get().scope == "partners"
    household = mother.households.get(left_on__isnull=True).household
    children = household.members.filter(relationship="child", left_on__isnull=True)
    assert sorted(m.person.first_name for m in children) == ["Марко", "Софія"]
    request = Request.objects.get(person=mother)
    assert sorted(n.code for n in request.needs.all()) == [
        "employment",
        "housing",
        "psychological_support",
    ]
    appointment = Appointment.objects.get(request=request)
    assert appointment.specialist == cast.specialist_a
    assert appointment.starts_at.astimezone(HUB_TIME_ZONE).date() == local_today()
