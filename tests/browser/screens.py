"""Every page of the foundation, as data: one line (or a few) per page and state. The axe,
360 px and keyboard tests run over this list in both languages."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import Resolver404, resolve
from playwright.sync_api import Page

from apps.access.tests.factories import totp_device
from apps.audit import services as audit
from apps.audit.models import Action

from .helpers import html_lang, sign_in_browser, submit, switch_language


@dataclass(frozen=True)
class Screen:
    id: str
    # Where to go once signed in; a callable gets the cast; ``None`` stays where sign-in ended.
    path: str | Callable[[Any], str] | None
    # Who is signed in (a ``cast`` attribute); ``None`` for a visitor who is not.
    user: str | None = None
    # ``False`` stops sign-in after the password (on the second-factor page).
    second_factor: bool = True
    # Data to create first: ``prepare(cast, settings)``.
    prepare: Callable[[Any, Any], None] | None = None
    # What the visitor does on the page before it is checked.
    act: Callable[[Page], None] | None = None
    # The HTTP status the page is served with.
    status: int = 200
    # A page another change is still adding: skipped until its URL resolves.
    pending: bool = False

    def url(self, cast) -> str | None:
        return self.path(cast) if callable(self.path) else self.path

    def exists(self, cast) -> bool:
        """A pending page exists once its URL resolves."""
        path = self.url(cast)
        if not self.pending or path is None:
            return True
        try:
            resolve(path.split("?")[0])
        except Resolver404:
            return False
        return True


def _wrong_password(page: Page) -> None:
    page.fill("#id_username", "registrar.a")
    page.fill("#id_password", "not-the-password")
    submit(page)


def _create_token(page: Page) -> None:
    page.fill("#id_name", "Інтеграція з центром зайнятості")
    page.fill("#id_expires_in_days", "90")
    submit(page)
    assert page.locator("#new-token").is_visible()


def _audit_events(cast, settings) -> None:
    audit.record(actor=cast.coordinator_a, action=Action.SIGN_IN, event="access.sign_in")
    audit.record(
        actor=cast.coordinator_a,
        action=Action.UPDATE,
        event="access.membership.updated",
        target=cast.registrar_a,
        community=cast.community_a,
        organisation=cast.hub_a,
        changed_fields=["role", "organisation"],
        reason="Переведення до іншого хабу",
    )


def _device_for_registrar(cast, settings) -> None:
    totp_device(cast.registrar_a)


def _lock_after_one_failure(cast, settings) -> None:
    settings.AXES_FAILURE_LIMIT = 1


SCREENS = [
    Screen("sign-in", "/sign-in/"),
    Screen("sign-in-error", "/sign-in/", act=_wrong_password),
    Screen("two-factor", None, "registrar_a", second_factor=False, prepare=_device_for_registrar),
    Screen("two-factor-setup", None, "specialist_a", second_factor=False),
    Screen("home", "/", "coordinator_a"),
    Screen("tokens", "/account/tokens/", "coordinator_a"),
    Screen("tokens-created", "/account/tokens/", "coordinator_a", act=_create_token),
    Screen("audit-log", "/audit/", "coordinator_a", prepare=_audit_events),
    Screen("audit-log-error", "/audit/?date_from=2026-03-01&date_to=2026-02-01", "coordinator_a"),
    Screen("forbidden", "/audit/", "analyst_a", status=403),
    Screen("not-found", "/no-such-page/", "coordinator_a", status=404),
    Screen("locked-out", "/sign-in/", act=_wrong_password, prepare=_lock_after_one_failure),
    Screen("staff-list", "/staff/", "coordinator_a", pending=True),
    Screen("staff-detail", lambda c: f"/staff/{c.registrar_a.pk}/", "coordinator_a", pending=True),
]


def open_screen(page: Page, live_server, cast, settings, screen: Screen, language: str) -> None:
    """Brings ``page`` to ``screen`` in ``language`` (switched with the header switch)."""
    if not screen.exists(cast):
        pytest.skip(f"{screen.url(cast)} does not exist yet")
    if screen.prepare is not None:
        screen.prepare(cast, settings)
    if language != "uk":
        page.goto("/sign-in/")
        switch_language(page, language)
    if screen.user is not None:
        user = getattr(cast, screen.user)
        sign_in_browser(page, live_server, user, second_factor=screen.second_factor)
    path = screen.url(cast)
    if path is not None:
        response = page.goto(path)
        assert response is not None and response.status == screen.status, page.url
    if screen.act is not None:
        screen.act(page)
    assert html_lang(page) == language
