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


# JupyterLab Dark's theme variables (JupyterLab 4.x, theme-dark-extension) that the explorer's
# colours read; set on the page they make it render as in that theme.
JUPYTERLAB_DARK = {
    "--jp-layout-color0": "#111111", "--jp-layout-color1": "#212121", "--jp-ui-font-color1": "rgba(255, 255, 255, 0.87)",
    "--jp-ui-font-color2": "rgba(255, 255, 255, 0.54)", "--jp-border-color1": "#616161", "--jp-warn-color1": "#f57c00",
    "--jp-warn-color3": "#ffe0b2", "--jp-brand-color1": "#1976d2", "--jp-brand-color3": "#bbdefb",
    "--jp-warn-color0": "#e65100", "--jp-success-color1": "#388e3c", "--jp-accent-color1": "#388e3c",
}

CONTRAST = """el => {
  const parse = (c) => { const m = c.match(/[\\d.]+/g).map(Number);
    return c.startsWith('color(') ? [m[0] * 255, m[1] * 255, m[2] * 255, m[3] ?? 1] : [m[0], m[1], m[2], m[3] ?? 1]; };
  const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  let node = el, bg = null;
  while (node && !bg) {
    const c = parse(getComputedStyle(node).backgroundColor);
    if (c[3] > 0) bg = c;
    node = node.parentElement;
  }
  const fg = parse(getComputedStyle(el).color);
  const mixed = fg.slice(0, 3).map((v, i) => v * fg[3] + bg[i] * (1 - fg[3]));  // text alpha over its background
  const [a, b] = [lum(mixed), lum(bg)];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


@pytest.mark.parametrize("theme", ["light", "dark", "jupyterlab-dark"])
def test_texts_on_tinted_backgrounds_are_readable(page, tmp_path, theme):
    g = ad.parse("c = a + b; d = b + 1; e = c * d", a=2, b=1)
    path = explore(g).save_html(tmp_path / "colah.html")
    page.emulate_media(color_scheme="light" if theme == "light" else "dark")
    page.goto(path.as_uri())
    page.locator(".gad-explorer .gad-svg").wait_for()
    if theme == "jupyterlab-dark":
        page.evaluate("vars => { for (const [k, v] of Object.entries(vars)) document.body.style.setProperty(k, v); }",
                      JUPYTERLAB_DARK)
    page.get_by_role("button", name="Next step").click()
    for selector in (".gad-explain .gad-formula", ".gad-detail p", ".gad-table .gad-row-current [role=rowheader]",
                     ".gad-heading", ".gad-table [role=columnheader]"):
        ratio = page.locator(selector).first.evaluate(CONTRAST)
        assert ratio >= 4.5, (theme, selector, ratio)


# Contrast of a drawing's text (fill) against the shape behind it (fill, or the page's background).
SVG_CONTRAST = """([text, shape]) => {
  const parse = (c) => { const m = c.match(/[\\d.]+/g).map(Number);
    return c.startsWith('color(') ? [m[0] * 255, m[1] * 255, m[2] * 255, m[3] ?? 1] : [m[0], m[1], m[2], m[3] ?? 1]; };
  const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  let bg = null;
  if (shape) { const c = parse(getComputedStyle(shape).fill); if (c[3] > 0) bg = c; }
  for (let node = text.closest('.gad-graph'); !bg && node; node = node.parentElement) {
    const c = parse(getComputedStyle(node).backgroundColor);
    if (c[3] > 0) bg = c;
  }
  const fg = parse(getComputedStyle(text).fill);
  const mixed = fg.slice(0, 3).map((v, i) => v * fg[3] + bg[i] * (1 - fg[3]));  // text alpha over its background
  const [a, b] = [lum(mixed), lum(bg)];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


@pytest.mark.parametrize("theme", ["light", "dark", "jupyterlab-light", "jupyterlab-dark"])
def test_the_drawings_texts_in_every_state_are_readable(page, tmp_path, theme):
    g = ad.parse("c = a + b; d = b + 1; e = c * d", a=2, b=1)
    page.emulate_media(color_scheme="dark" if theme == "dark" else "light")
    page.goto(explore(g).save_html(tmp_path / "colah.html").as_uri())
    page.locator(".gad-explorer .gad-svg").wait_for()
    if theme.startswith("jupyterlab"):
        variables = JUPYTERLAB_DARK if theme == "jupyterlab-dark" else JUPYTERLAB_LIGHT
        page.evaluate("vars => { for (const [k, v] of Object.entries(vars)) document.body.style.setProperty(k, v); }",
                      variables)
    for _ in range(2):  # e and d done; c current: its term is the edge c → e, and it reads d
        page.get_by_role("button", name="Next step").click()
    checks = {
        "current node's derivative": ("#deriv-n2", "#node-n2 > :is(polygon, path)"),
        "done node's derivative": ("#deriv-n4", "#node-n4 > :is(polygon, path)"),
        "done node's name": ("#node-n4 text", "#node-n4 > :is(polygon, path)"),
        "pending node's name": ("#node-n0 text", "#node-n0 > :is(polygon, path)"),
        "term edge's label": ("#edge-e5_0 text", None),
        "read value": ("#value-n4", "#node-n4 > :is(polygon, path)"),
    }
    for what, (text, shape) in checks.items():
        handles = [page.locator(text).first.element_handle(), page.locator(shape).first.element_handle() if shape else None]
        ratio = page.evaluate(SVG_CONTRAST, handles)
        assert ratio >= 4.5, (theme, what, round(ratio, 2))


JUPYTERLAB_LIGHT = {
    "--jp-layout-color0": "#ffffff", "--jp-layout-color1": "#ffffff", "--jp-ui-font-color1": "rgba(0, 0, 0, 0.87)",
    "--jp-ui-font-color2": "rgba(0, 0, 0, 0.54)", "--jp-border-color1": "#bdbdbd", "--jp-warn-color1": "#f57c00",
    "--jp-brand-color1": "#1976d2", "--jp-warn-color0": "#e65100", "--jp-success-color1": "#388e3c",
    "--jp-accent-color1": "#1976d2",
}


def test_the_states_differ_in_greyscale(page, tmp_path):
    """Current, done, a term's factor, a read value and pending differ in line width, dashes or
    fading, not in hue alone (a greyscale print, colour blindness)."""
    g = ad.parse("c = a + b; d = b + 1; e = c * d", a=2, b=1)
    page.goto(explore(g).save_html(tmp_path / "colah.html").as_uri())
    page.locator(".gad-explorer .gad-svg").wait_for()
    page.get_by_role("button", name="Next step").click()
    page.get_by_role("button", name="Next step").click()  # c current; e done; d done and read; e a factor
    shapes = {"current": "#node-n2", "done and read": "#node-n4", "done and a factor": "#node-n5", "pending": "#node-n0"}
    looks = {}
    for state, node in shapes.items():
        looks[state] = page.locator(f"{node} > :is(polygon, path)").first.evaluate(
            "s => { const c = getComputedStyle(s); return [c.strokeWidth, c.strokeDasharray, c.fillOpacity]; }")
    assert len({tuple(v) for v in looks.values()}) == len(looks), looks
