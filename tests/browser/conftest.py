"""Browser fixtures: one Debian chromium per test process (each xdist worker), a fresh context
per test, the live server from pytest-django. Never downloads a browser: without chromium the
browser tests are skipped, or fail when ``CI`` is set."""

import asyncio
import os
from collections.abc import Callable, Iterator

import django.utils.asyncio as django_asyncio
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from .helpers import CHROMIUM_ARGS, CHROMIUM_PATH, DESKTOP, skip_or_fail


def _hiding(loop: asyncio.AbstractEventLoop) -> Callable[[], asyncio.AbstractEventLoop]:
    """``asyncio.get_running_loop`` that does not see ``loop``."""

    def get_running_loop() -> asyncio.AbstractEventLoop:
        running = asyncio.get_running_loop()
        if running is loop:
            raise RuntimeError("no running event loop")
        return running

    return get_running_loop


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.path.exists(CHROMIUM_PATH):
        skip_or_fail(f"no chromium at {CHROMIUM_PATH}")
    with sync_playwright() as playwright, pytest.MonkeyPatch.context() as patch:
        # While Playwright's sync API is started, its asyncio loop counts as running in this
        # thread, and Django's async-safety guard would refuse every ORM call made here (the
        # cast, TOTP devices, the flush after each test, any later test of this worker). The
        # ORM is still used synchronously from one thread, so the guard is told to ignore that
        # one loop (rather than setting DJANGO_ALLOW_ASYNC_UNSAFE, which would leak into
        # subprocesses and turn the guard off for every loop).
        patch.setattr(django_asyncio, "get_running_loop", _hiding(asyncio.get_running_loop()))
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def base_url(live_server) -> str:
    return live_server.url


@pytest.fixture
def new_page(browser: Browser, base_url: str) -> Iterator[Callable[..., Page]]:
    """``new_page(viewport=..., locale=...)`` → a page in a new context (no cookies). Every
    context opened in the test is closed after it."""
    contexts = []

    def open_page(*, viewport: dict | None = None, **context_options) -> Page:
        context = browser.new_context(
            base_url=base_url, viewport=viewport or DESKTOP, **context_options
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page) -> Page:
    """A page at 1280×800 in a fresh context."""
    return new_page()


@pytest.fixture
def browser_cast(transactional_db, cast, settings):
    """The cast, committed so the live server sees it; a wrong code never slows a right one."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    return cast
