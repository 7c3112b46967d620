"""Helpers for the Explorer browser tests: locating its controls and reading its state."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["COLAH", "screenshot_dir", "explanation", "counter", "wait_text"]

COLAH = "c = a + b; d = b + 1; e = c * d"


def screenshot_dir(tmp_path: Path) -> Path:
    """``$GAD_SCREENSHOTS`` if set (to keep and look at them), else the test's tmp dir."""
    where = Path(os.environ.get("GAD_SCREENSHOTS", tmp_path))
    where.mkdir(parents=True, exist_ok=True)
    return where


def explanation(scope) -> str:
    """The exact text of the explanation pane of the explorer in ``scope``."""
    return scope.locator(".gad-explorer .gad-explain .gad-formula").text_content()


def counter(scope) -> str:
    return scope.locator(".gad-explorer .gad-counter").text_content()


def wait_text(locator, text: str, timeout: float = 10_000) -> None:
    """Wait until ``locator``'s textContent equals ``text`` (fails with the last value seen)."""
    locator.page.wait_for_function(
        "([el, text]) => el.textContent === text", arg=[locator.element_handle(), text], timeout=timeout)
