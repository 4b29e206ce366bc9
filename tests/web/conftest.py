"""Fixtures of the browser tests: one real service per test module, headless Chromium from the system.

The browser is /usr/bin/chromium (scripts/test installs it); Playwright never downloads one. A missing
Chromium fails the tests: it does not skip them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.web.service import CHROMIUM, CHROMIUM_ARGS, DEMO_KEY, Service, running_service

OpenPage = Callable[..., Page]

expect.set_options(timeout=60_000)  # re-plans run in a shared solving process on a busy machine


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """The service with the demo workshop, on its own SQLite database."""
    with running_service(tmp_path_factory.mktemp("bayplan-web")) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install it (apt-get install -y chromium; scripts/test does)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def open_page(browser: Browser, service: Service) -> Iterator[OpenPage]:
    """Opens a page of the service in a fresh browser context, signed in with a key (None: not signed in).

    After the test, no page may have thrown an uncaught error.
    """
    contexts = []
    errors: list[str] = []

    def opened(path: str, key: str | None = DEMO_KEY) -> Page:
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-GB")
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(f"{path}: {error}"))
        if key is not None:
            page.goto(f"{service.url}/livez")
            page.evaluate("key => sessionStorage.setItem('bayplan.key', key)", key)
        page.goto(f"{service.url}{path}")
        return page

    yield opened
    for context in contexts:
        context.close()
    assert not errors, errors


def loaded(page: Page) -> None:
    expect(page.locator("body[data-loaded=true]")).to_be_attached()
