"""Ukrainian first: the browser's language is ignored; the visitor's choice (the header switch)
sticks across pages and sign-out, and a signed-in user's choice follows them to a new browser."""

import pytest
from django.urls import reverse

from .helpers import html_lang, path_of, sign_in_browser, submit, switch_language

pytestmark = pytest.mark.browser


def test_ukrainian_even_when_the_browser_asks_for_english(new_page, browser_cast):
    page = new_page(locale="en-US")
    with page.expect_request(lambda r: r.url.endswith(reverse("access:sign-in"))) as request:
        page.goto(reverse("access:sign-in"))
    assert request.value.headers["accept-language"].startswith("en")
    assert html_lang(page) == "uk"
    assert page.locator(".language-switch button").get_attribute("lang") == "en"


def test_switch_persists_across_pages_and_a_new_sign_in(new_page, live_server, browser_cast):
    page = new_page(locale="en-US")
    page.goto(reverse("access:sign-in"))
    switch_language(page, "en")
    assert path_of(page) == reverse("access:sign-in")  # the switch returns to the same page
    assert page.locator(".language-switch button").get_attribute("lang") == "uk"

    page.goto("/no-such-page/")
    assert html_lang(page) == "en"
    sign_in_browser(page, live_server, browser_cast.coordinator_a)
    assert html_lang(page) == "en"
    page.goto(reverse("access:tokens"))
    assert html_lang(page) == "en"

    submit(page, "header form[action$='/sign-out/'] button")
    assert path_of(page) == reverse("access:sign-in")
    assert html_lang(page) == "en"
    sign_in_browser(page, live_server, browser_cast.coordinator_a)
    assert html_lang(page) == "en"


def test_signed_in_choice_is_saved_for_the_next_browser(new_page, live_server, browser_cast):
    user = browser_cast.coordinator_a
    first = new_page(locale="en-US")
    sign_in_browser(first, live_server, user)
    assert html_lang(first) == "uk"
    switch_language(first, "en")
    assert path_of(first) == reverse("access:home")
    user.refresh_from_db()
    assert user.preferred_language == "en"

    second = new_page()  # another browser: no language cookie
    second.goto(reverse("access:sign-in"))
    assert html_lang(second) == "uk"  # not signed in yet: Ukrainian
    sign_in_browser(second, live_server, user)
    assert html_lang(second) == "en"

    switch_language(second, "uk")  # and back
    third = new_page()
    sign_in_browser(third, live_server, user)
    assert html_lang(third) == "uk"
