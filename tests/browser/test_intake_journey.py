"""The registrar's journey in Ukrainian, after registering a person: records a request for
housing, work and psychological support, then books a primary consultation for today — with
nothing but the pages, as a user would."""

import pytest

from apps.intake.models import Appointment, Request
from apps.intake.rules import HUB_TIME_ZONE, local_today

from .helpers import sign_in_browser, submit
from .screens import _person

pytestmark = pytest.mark.browser


@pytest.fixture
def open_all_day(settings):
    """Every day is a working day with short slots, so that "today" has free time whenever the
    test runs (the live server reads the same settings)."""
    settings.INTAKE_WORKING_HOURS = {"days": list(range(7)), "start": "00:00", "end": "23:59"}
    settings.INTAKE_SLOT_MINUTES = 10


def test_record_a_request_and_book_a_consultation_today(
    page, live_server, browser_cast, settings, open_all_day
):
    cast = browser_cast
    _person(cast, settings)  # registered through the registry's service
    sign_in_browser(page, live_server, cast.registrar_a)

    page.goto(f"/requests/new/{cast.olena.pk}/")
    page.get_by_label("Житло, тимчасове розміщення").check()
    page.get_by_label("Працевлаштування").check()
    page.get_by_label("Психологічна підтримка").check()
    page.get_by_label("Канал звернення").select_option(label="Особисто в хабі")
    page.get_by_label("Опис").fill("Переїхала з Харкова з двома дітьми.")
    submit(page)

    assert page.get_by_text("Звернення записано.").is_visible()
    request = Request.objects.get(person=cast.olena)
    assert sorted(n.code for n in request.needs.all()) == [
        "employment",
        "housing",
        "psychological_support",
    ]

    with page.expect_navigation():
        page.get_by_role("link", name="Записати на первинну консультацію").click()
    page.locator("#id_specialist").select_option(label="Specialist.A Ім'я")
    assert page.locator("#id_date").input_value() == local_today().isoformat()
    with page.expect_navigation():
        page.get_by_role("button", name="Показати вільний час").click()
    page.locator("input[name=slot]").first.check()
    with page.expect_navigation():
        page.get_by_role("button", name="Записати", exact=True).click()

    assert page.get_by_text("Первинну консультацію заплановано.").is_visible()
    appointment = Appointment.objects.get(request=request)
    assert appointment.specialist == cast.specialist_a
    assert appointment.starts_at.astimezone(HUB_TIME_ZONE).date() == local_today()
    assert page.locator("#appointments-heading + ul li").count() == 1
