"""Fixtures for real-browser tests: Debian's Chromium and a JupyterLab server.

Tests using them should be marked ``@pytest.mark.browser``.  Without
``/usr/bin/chromium`` they are skipped, except in CI (``CI=true``) where they fail.
"""

import os

import pytest
from playwright.sync_api import sync_playwright

from .harness import CHROMIUM_PATH, JupyterLabServer, launch_chromium


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: drives real Chromium (/usr/bin/chromium) and/or a real JupyterLab"
    )


def _require_chromium() -> None:
    if os.access(CHROMIUM_PATH, os.X_OK):
        return
    reason = f"{CHROMIUM_PATH} is missing (install Debian's 'chromium' package)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; browser tests may not be skipped in CI", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_browser():
    """A headless Chromium ``Browser`` shared by the whole session."""
    _require_chromium()
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium_browser):
    """A fresh ``Page`` in its own browser context, closed after the test."""
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def jupyterlab():
    """A running :class:`JupyterLabServer` shared by the tests of one module."""
    with JupyterLabServer() as server:
        yield server
