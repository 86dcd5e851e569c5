"""Every page, in both languages, in one visit: axe-core finds no WCAG 2.1 A/AA violation at
1280 px; then, resized to 360 px, nothing scrolls sideways, the navigation and the language
switch stay on screen and reachable with Tab, and axe still finds nothing."""

import pytest

from .helpers import NARROW, axe_check, tab_through
from .screens import SCREENS, Screen, open_screen

pytestmark = pytest.mark.browser

LANGUAGES = ["uk", "en"]


def assert_fits_360_px(page, screen: Screen) -> None:
    width = NARROW["width"]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"at {width} px the page scrolls sideways: {scroll_width}px"
    if not screen.site_layout:
        return

    nav_links = page.locator(".site-nav a").all()
    controls = [*nav_links, *page.locator(".site-header__tools button").all()]
    for control in controls:
        box = control.bounding_box()
        assert control.is_visible() and box is not None, f"at {width} px hidden: {control}"
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (
            f"at {width} px off screen: {control} {box}"
        )

    page.focus(".skip-link")  # from the top, wherever the page put the focus
    reached = tab_through(page)
    hrefs = {el["href"] for el in reached if el["href"]}
    for link in nav_links:
        assert link.get_attribute("href") in hrefs, f"at {width} px Tab never reaches {link}"
    assert any("language-switch" in el["form"] for el in reached), (
        f"at {width} px Tab never reaches the language switch"
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("screen", SCREENS, ids=[s.id for s in SCREENS])
def test_page_passes_axe_and_fits_360_px(
    page, live_server, browser_cast, settings, screen, language
):
    open_screen(page, live_server, browser_cast, settings, screen, language)
    axe_check(page, where="1280 px", known=screen.axe_known)

    page.set_viewport_size(NARROW)
    assert_fits_360_px(page, screen)
    axe_check(page, where="360 px", known=screen.axe_known)  # reflowed content has its own failures
