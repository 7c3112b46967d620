"""The explorer under marimo: `marimo run` serves a notebook whose cell shows
mo.ui.anywidget(ad.explore(g)); in Chromium its view follows every click (marimo's model
registers each model.on event name literally)."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.requirements import required

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
APP = '''
import marimo

app = marimo.App()


@app.cell
def _():
    import marimo as mo

    import graphviz_ad as ad

    g = ad.parse("c = a + b; d = b + 1; e = c * d", a=2, b=1)
    explorer = mo.ui.anywidget(ad.explore(g))
    explorer
    return (explorer,)
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def marimo_app(tmp_path):
    required("marimo")
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen([sys.executable, "-m", "marimo", "run", "app.py", "--headless", "--port", str(port),
                               "--no-token"], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url, timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("marimo run did not start: " + server.stdout.read1(4000).decode(errors="replace"))
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_for_text(locator, text: str, seconds: float = 10) -> None:
    """Poll a locator's text (marimo draws widgets in shadow roots, which locators pierce)."""
    end = time.monotonic() + seconds
    while locator.text_content() != text:
        assert time.monotonic() < end, f"still {locator.text_content()!r}, not {text!r}"
        time.sleep(0.1)


def test_marimo_run_view_follows_every_click(page, marimo_app):
    page.goto(marimo_app)
    counter = page.locator(".gad-counter").first
    counter.wait_for(timeout=90_000)
    assert counter.text_content() == "1 / 5"
    page.get_by_role("button", name="Next step").first.click()
    page.get_by_role("button", name="Next step").first.click()
    wait_for_text(counter, "3 / 5")
    assert page.locator(".gad-formula").first.text_content() == "∂e/∂c = ∂e/∂e·∂e/∂c = 1·2 = 2"
    page.get_by_label("Mode").first.select_option("forward")
    wait_for_text(counter, "1 / 5")
    page.get_by_role("button", name="Last step").first.click()
    wait_for_text(page.locator(".gad-formula").first, "de/da = ∂e/∂c·dc/da + ∂e/∂d·dd/da = 2·1 + 3·0 = 2")
