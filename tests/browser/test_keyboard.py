"""Keyboard use: the skip link comes first and leads into <main>, every focused element shows
it has the focus, and signing in (both steps) needs nothing but the keyboard."""

import pytest
from django.urls import reverse

from apps.access.tests.factories import PASSWORD, totp_device, totp_now

from .helpers import focus_is_visible, focused, html_lang, path_of, tab_through
from .screens import SCREENS, open_screen

pytestmark = pytest.mark.browser

IN_MAIN = "document.getElementById('main').contains(document.activeElement)"
IN_HEADER = "!!document.activeElement.closest('header')"


# The pages with the site's layout; the API docs are Swagger UI's own page, without a skip link.
WITH_SKIP_LINK = [pytest.param(s, id=s.id) for s in SCREENS if s.site_layout]


@pytest.mark.parametrize("screen", WITH_SKIP_LINK)
def test_skip_link_first_and_focus_always_visible(
    page, live_server, browser_cast, settings, screen
):
    open_screen(page, live_server, browser_cast, settings, screen, "uk")

    page.keyboard.press("Tab")
    assert "skip-link" in focused(page)["cls"], f"first Tab went to {focused(page)}"
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["y"] >= 0, "the focused skip link is off screen"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main", f"Enter on the skip link left focus on {focused(page)}"
    page.keyboard.press("Tab")
    if focused(page) is not None:
        assert not page.evaluate(IN_HEADER), "Tab after the skip link went back to the header"

    page.focus(".skip-link")
    reached = [focused(page), *tab_through(page)]
    assert len(reached) > 1
    hidden_focus = [el for el in reached if not focus_is_visible(el)]
    assert not hidden_focus, f"focus not visible on: {hidden_focus}"


def _tab_to(page, selector: str, limit: int = 30) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"Tab never reached {selector}")


def test_sign_in_with_the_keyboard_only(page, live_server, browser_cast):
    device = totp_device(browser_cast.registrar_a)
    page.goto(reverse("access:sign-in"))

    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the skip link
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_username"
    page.keyboard.type("registrar.a")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_password"
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert path_of(page) == reverse("access:two-factor")

    _tab_to(page, "#id_otp_token")
    page.keyboard.type(totp_now(device))
    _tab_to(page, "main button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert path_of(page) == reverse("access:home")
    assert page.locator("h1").inner_text().startswith("Вітаємо")


def test_language_switch_with_the_keyboard(page, live_server, browser_cast):
    page.goto(reverse("access:sign-in"))
    _tab_to(page, ".language-switch button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert html_lang(page) == "en"
    _tab_to(page, ".language-switch button")
    with page.expect_navigation():
        page.keyboard.press("Space")
    assert html_lang(page) == "uk"
