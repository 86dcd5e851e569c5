"""Helpers for the browser tests: sign-in through the real form, the language switch, axe."""

import os
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Page, Response

from apps.access.tests.factories import PASSWORD, totp_device, totp_now

CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"width": 1280, "height": 800}
NARROW = {"width": 360, "height": 740}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_axe = Axe()


def in_ci() -> bool:
    """``CI`` is set (``CI=true``, as GitHub Actions and GitLab set it)."""
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def skip_or_fail(reason: str) -> None:
    """Skips locally; fails in CI, where a skipped browser test would hide a missing check."""
    if in_ci():
        pytest.fail(f"{reason} (CI is set: the browser suite must run, not skip)", pytrace=False)
    pytest.skip(reason)


def path_of(page: Page) -> str:
    return urlparse(page.url).path


def submit(page: Page, selector: str = "main form[method=post] button[type=submit]") -> Response:
    """Clicks a submit button, waits for the page the form leads to and returns its response."""
    with page.expect_navigation() as navigation:
        page.locator(selector).first.click()
    return navigation.value


def sign_in_browser(page: Page, live_server, user, *, second_factor: bool = True) -> None:
    """Signs ``user`` in through the real form. With ``second_factor`` a fresh authenticator
    is enrolled and its current code typed (a fresh one each time: a code is accepted once);
    without it the page is left where the password step leads (code entry or set-up)."""
    device = totp_device(user) if second_factor else None
    page.goto(f"{live_server.url}{reverse('access:sign-in')}")
    page.fill("#id_username", user.get_username())
    page.fill("#id_password", PASSWORD)
    submit(page)
    if device is not None and path_of(page) == reverse("access:two-factor"):
        page.fill("#id_otp_token", totp_now(device))
        submit(page)
    assert path_of(page) != reverse("access:sign-in"), f"sign-in failed for {user}"
    if second_factor:
        assert path_of(page) != reverse("access:two-factor"), f"code refused for {user}"


def switch_language(page: Page, language: str) -> None:
    """Uses the switch in the header, as a visitor would."""
    with page.expect_navigation():
        page.locator(f".language-switch button[value={language}]").click()
    assert html_lang(page) == language


def html_lang(page: Page) -> str:
    return page.locator("html").get_attribute("lang")


def axe_check(page: Page, *, where: str = "", known: dict[str, str] | None = None) -> None:
    """Runs axe-core (WCAG 2.0/2.1 A and AA rules) and fails listing every violation.
    ``where`` names the check in the message (the width, say); ``known`` maps a rule id to why
    it is accepted (third-party markup we do not write): such a rule is still run, and fails
    the check once it is no longer violated, so that the list does not outlive the problem."""
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    results = _axe.run(page, options=options)
    violations = results.response["violations"]
    known = known or {}
    found = {v["id"] for v in violations}
    fixed = sorted(set(known) - found)
    violations = [v for v in violations if v["id"] not in known]
    if not violations and not fixed:
        return
    at = f" at {where}" if where else ""
    lines = [f"{len(violations)} axe violation(s) on {page.url}{at} (lang={html_lang(page)}):"]
    for v in violations:
        lines.append(f"- {v['id']} [{v['impact']}] {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    · {target}: {summary}")
    if fixed:
        lines.append(f"Known violations no longer found (remove them from the list): {fixed}")
    pytest.fail("\n".join(lines), pytrace=False)


_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    cls: el.className || "",
    href: el.getAttribute("href") || "",
    form: el.form ? el.form.className || el.form.getAttribute("action") || "form" : "",
    text: (el.innerText || el.value || "").trim().slice(0, 40),
    outline: style.outlineStyle + " " + style.outlineWidth,
    boxShadow: style.boxShadow,
  };
}"""


def focused(page: Page) -> dict | None:
    """What has the focus: tag, id, class, href, the form's class, text and focus styles."""
    return page.evaluate(_FOCUSED)


def tab_through(page: Page, limit: int = 80) -> list[dict]:
    """Presses Tab from where focus is (the top of a freshly loaded page) until focus leaves
    the page; returns every element that got the focus, in order."""
    reached = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if element is None or (reached and element == reached[0]):
            break
        reached.append(element)
    return reached


def focus_is_visible(element: dict) -> bool:
    outline_style, _, outline_width = element["outline"].partition(" ")
    has_outline = outline_style != "none" and outline_width not in {"0px", ""}
    return has_outline or element["boxShadow"] not in {"none", ""}
