"""A tutorial exported for a course site (graphviz-ad export) works over file:// with no
kernel and no network: its explorers step, and nothing is requested from outside."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .explorer_pages import counter, explanation, screenshot_dir
from .harness import record_requests

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [sys.executable, "-m", "graphviz_ad", "export", str(ROOT / "notebooks" / "01_computational_graphs.ipynb"),
         "-o", str(out)],
        capture_output=True, text=True, timeout=600, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr[-3000:]
    page = out / "01_computational_graphs.html"
    html = page.read_text(encoding="utf-8")
    assert "application/vnd.jupyter.widget-view+json" not in html and "<script src=" not in html
    return page


def test_exported_explorers_step_without_kernel_or_network(exported, page, tmp_path):
    requests = record_requests(page)
    errors = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(exported.as_uri())
    reverse = page.frame_locator("iframe").nth(0)
    forward = page.frame_locator("iframe").nth(1)
    reverse.locator(".gad-explorer .gad-svg").wait_for()
    assert counter(reverse) == "1 / 5"
    for _ in range(3):
        reverse.get_by_role("button", name="Next step").click()
    assert explanation(reverse) == "∂e/∂b = ∂e/∂c·∂c/∂b + ∂e/∂d·∂d/∂b = 2·1 + 3·1 = 5"

    forward.locator(".gad-explorer .gad-svg").wait_for()
    assert explanation(forward) == "da/db = 0 (another input: it does not change with b)"
    forward.locator(".gad-explorer").focus()
    forward.locator(".gad-explorer").press("End")
    assert explanation(forward) == "de/db = ∂e/∂c·dc/db + ∂e/∂d·dd/db = 2·1 + 3·1 = 5"
    reverse.locator(".gad-explorer").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir(tmp_path) / "exported-notebook.png"), full_page=True)
    assert errors == []
    outside = [url for url in requests if not url.startswith(LOCAL_SCHEMES)]
    assert requests and outside == []
