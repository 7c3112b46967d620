"""axe-core (from npm, installed by ./run test into .venv/axe) on the kernel-free explorer page,
in every mode: no violations of any impact."""

from pathlib import Path

import pytest

import graphviz_ad as ad
from graphviz_ad.widget import explore

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def axe_source():
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}; ./run test installs it (npm install --prefix .venv/axe axe-core@4)")
    return AXE.read_text(encoding="utf-8")


def violations(page, axe_source):
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    return page.evaluate("async () => (await axe.run(document)).violations.map("
                         "v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("mode", ["reverse", "forward", "paths"])
def test_the_standalone_page_has_no_axe_violations(page, tmp_path, axe_source, mode, scheme):
    g = ad.parse("c = a + b; d = b + 1; e = c * d", a=2, b=1)
    path = explore(g, mode=mode, wrt="b").save_html(tmp_path / "colah.html")
    page.emulate_media(color_scheme=scheme)  # (axe's colour-contrast rule reads the rendered colours)
    page.goto(path.as_uri())
    page.locator(".gad-explorer .gad-svg").wait_for()
    page.get_by_role("button", name="Next step").click()
    assert violations(page, axe_source) == []
