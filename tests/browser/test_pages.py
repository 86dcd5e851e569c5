"""Every page, in both languages: axe-core finds no WCAG 2.1 A/AA violation, and at 360 px
nothing scrolls sideways while the navigation and the language switch stay reachable."""

import pytest

from .helpers import NARROW, axe_check, tab_through
from .screens import SCREENS, open_screen

pytestmark = pytest.mark.browser

LANGUAGES = ["uk", "en"]
screens = pytest.mark.parametrize("screen", SCREENS, ids=[s.id for s in SCREENS])
languages = pytest.mark.parametrize("language", LANGUAGES)


@languages
@screens
def test_page_passes_axe(page, live_server, browser_cast, settings, screen, language):
    open_screen(page, live_server, browser_cast, settings, screen, language)
    axe_check(page)


@languages
@screens
def test_page_fits_360_px(narrow_page, live_server, browser_cast, settings, screen, language):
    page = narrow_page
    open_screen(page, live_server, browser_cast, settings, screen, language)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= NARROW["width"], f"scrolls sideways: {scroll_width}px wide"

    nav_links = page.locator(".site-nav a").all()
    controls = [*nav_links, *page.locator(".site-header__tools button").all()]
    for control in controls:
        box = control.bounding_box()
        assert control.is_visible() and box is not None, control
        assert box["x"] >= 0 and box["x"] + box["width"] <= NARROW["width"], (control, box)

    reached = tab_through(page)
    hrefs = {el["href"] for el in reached if el["href"]}
    for link in nav_links:
        assert link.get_attribute("href") in hrefs, f"Tab never reaches {link}"
    assert any("language-switch" in el["form"] for el in reached), "Tab never reaches the switch"
    axe_check(page)  # again at this width: reflowed content has its own failures
