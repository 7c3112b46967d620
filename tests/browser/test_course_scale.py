"""The explorer at course scale, in Chromium over file:// (issue 15): Nielsen's network with
its arrays written out, BP1–BP4 stepped by layer, an array input's forward sweep chosen in the
page, heat maps, collapsed drawings that show where the sweep is, the overview of a large
graph, and a first view on the current node."""

import re
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import graphviz_ad as ad  # noqa: E402
from graphviz_ad.widget import explore  # noqa: E402

from .explorer_pages import clipped_table_arrays, counter, current_node_placement, explanation, screenshot_dir  # noqa: E402

pytestmark = pytest.mark.browser

RNG = np.random.default_rng(0)
W2, B2 = RNG.standard_normal((4, 3)), RNG.standard_normal(4)
W3, B3 = RNG.standard_normal((2, 4)), RNG.standard_normal(2)
X, Y = np.array([0.5, -1.0, 0.25]), np.array([1.0, 0.0])


def network(W2, b2, W3, b3, a1, y):  # notebook 04's network, in Nielsen's notation
    with ad.scope("layer 2"):
        w2a1 = W2 @ a1
        z2 = w2a1 + b2
        a2 = ad.sigmoid(z2)
    with ad.scope("layer 3"):
        w3a2 = W3 @ a2
        z3 = w3a2 + b3
        a3 = ad.sigmoid(z3)
    with ad.scope("cost"):
        err = a3 - y
        err2 = ad.name(err ** 2, "err²")
        C = 0.5 * ad.name(err2.sum(), "Σerr²")
    return C


def sigma(z):
    return 1 / (1 + np.exp(-z))


def backprop():
    """BP1–BP4 by hand, as notebook 04 writes them."""
    z2 = W2 @ X + B2
    a2 = sigma(z2)
    z3 = W3 @ a2 + B3
    a3 = sigma(z3)
    delta3 = (a3 - Y) * a3 * (1 - a3)                 # BP1
    delta2 = (W3.T @ delta3) * a2 * (1 - a2)          # BP2
    return {"delta3": delta3, "delta2": delta2, "a2": a2,
            "W3": np.outer(delta3, a2), "W2": np.outer(delta2, X)}  # BP3 is δ itself, BP4 δ aᵀ


def numbers(texts):
    return [float(t.replace("−", "-")) for t in texts]


@pytest.fixture
def nielsen(page, tmp_path):
    path = explore(ad.trace(network, W2, B2, W3, B3, a1=X, y=Y)).save_html(tmp_path / "nielsen.html")
    errors = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(path.as_uri())
    page.locator(".gad-explorer .gad-svg").wait_for()
    yield page
    assert errors == []


def test_bp4_step_writes_out_its_operands_and_all_entries(nielsen, tmp_path):
    page = nielsen
    page.get_by_role("button", name="Last step").click()  # the reverse sweep's last step: W2
    assert explanation(page).startswith("∂C/∂W2 = ∂C/∂w2a1·a1ᵀ")
    figures = page.locator(".gad-figures")
    labels = figures.locator(".gad-operand-label").all_text_contents()
    assert labels == ["∂C/∂w2a1", "a1", "∂C/∂W2"]  # δ², a¹ and the outer product
    hand = backprop()
    delta = numbers(figures.locator(".gad-operand").nth(0).locator("td").all_text_contents())
    a1 = numbers(figures.locator(".gad-operand").nth(1).locator("td").all_text_contents())
    result = figures.locator(".gad-result .gad-matrix tr")
    assert result.count() == 4
    entries = [numbers(result.nth(r).locator("td").all_text_contents()) for r in range(4)]
    np.testing.assert_allclose(delta, hand["delta2"], rtol=1e-3)
    np.testing.assert_allclose(a1, X)
    np.testing.assert_allclose(entries, hand["W2"], rtol=1e-3, atol=1e-9)  # all 12 entries, as text
    assert "—" not in page.locator(".gad-explorer").text_content()
    assert not re.search(r"\bv\d+\b", page.locator(".gad-explorer").text_content())  # no v-numbers anywhere
    page.get_by_role("button", name="First step").click()
    for _ in range(3):  # at err: its step reads err and the constant 2 of err ** 2
        page.get_by_role("button", name="Next step").click()
    assert "the constant 2" in page.locator(".gad-reads").text_content()
    assert not re.search(r"\bv\d+\b", page.locator(".gad-explorer").text_content())
    page.get_by_role("button", name="Last step").click()
    # Every matrix of the values table whole in its cell and in view, with no sideways
    # scrolling: wide, at JupyterLab's default widget width (~1000), in a 700 px course column
    # and on a phone, where a row's derivative goes onto a line of its own.
    explorer = page.locator(".gad-explorer")
    for width in (1280, 1000, 700, 360):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(100)
        values = page.locator(".gad-tbody .gad-td:nth-child(2) .gad-matrix").count()
        assert values >= 10 and page.locator(".gad-tbody .gad-td:nth-child(3) .gad-matrix").count() == values
        assert clipped_table_arrays(explorer) == [], width
        wrapped = page.locator(".gad-tbody .gad-tr").evaluate_all(
            "rows => rows.filter(r => r.children[2].offsetTop > r.children[1].offsetTop + 2).length")
        assert (wrapped > 0) == (width < 420), (width, wrapped)
        page.screenshot(path=str(screenshot_dir(tmp_path) / f"nielsen-bp4-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    # In the drawing, W2's box writes out its value and ∂C/∂W2 as 4×3 matrices, every entry
    # inside the box; its derivative line is the symbol before the matrix.
    node = page.locator("#node-n0 path, #node-n0 polygon").first.bounding_box()
    assert page.locator("#deriv-n0").text_content() == "∂C/∂W2 ="
    written = page.locator("[id^='deriv-n0-']")
    assert written.count() == 12
    np.testing.assert_allclose(numbers(written.all_text_contents()), hand["W2"].ravel(), rtol=5e-3, atol=1e-9)  # (3 digits)
    for box in [page.locator("#deriv-n0").bounding_box()] + [written.nth(k).bounding_box() for k in range(12)]:
        assert node["x"] <= box["x"] and box["x"] + box["width"] <= node["x"] + node["width"] + 1
    page.get_by_role("button", name="First step").click()  # not yet known: blank entries
    assert page.locator("[id^='deriv-n0-']").all_text_contents() == [""] * 12


def test_the_view_keeps_the_current_node_whole_and_clear_of_the_overview(nielsen, tmp_path):
    page, explorer = nielsen, nielsen.locator(".gad-explorer")
    page.get_by_role("button", name="Last step").click()  # W2, at the drawing's bottom left
    for width in (1000, 420):  # the overview shown over a graph box of ~430 px and ~380 px
        page.set_viewport_size({"width": width, "height": 900})  # a resized box follows again
        page.wait_for_timeout(150)
        seen = [current_node_placement(explorer)]
        page.get_by_role("button", name="First step").click()
        for _ in range(15):
            page.wait_for_timeout(60)
            seen.append(current_node_placement(explorer))
            page.get_by_role("button", name="Next step").click()
        page.wait_for_timeout(60)
        seen.append(current_node_placement(explorer))
        assert all(s["overview"] for s in seen), width
        assert [k for k, s in enumerate(seen) if s["covered"]] == [], width
        assert [k for k, s in enumerate(seen) if s["fits"] and not s["whole"]] == [], width
        assert all(s["fits"] for s in seen), width  # (at 420 px, W2 and W3 drawn a little smaller to fit)
        page.screenshot(path=str(screenshot_dir(tmp_path) / f"nielsen-follow-{width}.png"))


def test_stepping_by_layer_reads_as_bp1_to_bp4(nielsen):
    page = nielsen
    page.get_by_label("Step by").select_option("layer")
    hand = backprop()
    seen = []
    for _ in range(4):
        page.get_by_role("button", name="Next step").click()
        seen.append((counter(page), explanation(page)))
    assert [c for c, _ in seen] == ["layer 1 / 4 · 4 / 16", "layer 2 / 4 · 7 / 16", "layer 3 / 4 · 10 / 16",
                                    "layer 4 / 4 · 16 / 16"]
    assert [e.split(":")[0] for _, e in seen] == ["cost", "layer 3", "layer 2", "inputs and parameters"]
    page.get_by_role("button", name="First step").click()
    page.get_by_role("button", name="Next step").click()
    page.get_by_role("button", name="Next step").click()  # layer 3: BP1, δ³ = ∇ₐC ⊙ σ′(z³)
    steps = page.locator(".gad-layer-steps > li").all_text_contents()
    bp1 = next(s for s in steps if s.startswith("∂C/∂z3 = "))
    np.testing.assert_allclose(numbers(re.findall(r"-?\d[\d.e-]*", bp1.rsplit(" = ", 1)[1])), hand["delta3"], rtol=1e-3)
    page.get_by_role("button", name="Next step").click()  # layer 2: BP2, δ² = (W³ᵀδ³) ⊙ σ′(z²)
    steps = page.locator(".gad-layer-steps > li").all_text_contents()
    assert any(s.startswith("∂C/∂a2 = W3ᵀ·∂C/∂w3a2") for s in steps)
    bp2 = next(s for s in steps if s.startswith("∂C/∂z2 = ∂C/∂a2 ⊙ ∂a2/∂z2"))
    np.testing.assert_allclose(numbers(re.findall(r"-?\d[\d.e-]*", bp2.rsplit(" = ", 1)[1])), hand["delta2"], rtol=1e-3)
    page.get_by_role("button", name="Next step").click()  # the parameters: BP3 and BP4
    steps = page.locator(".gad-layer-steps > li").all_text_contents()
    assert any(s.startswith("∂C/∂b3 = ") for s in steps) and any(s.startswith("∂C/∂W3 = ∂C/∂w3a2·a2ᵀ") for s in steps)
    page.get_by_label("Step by").select_option("node")  # back to single steps, same place
    assert counter(page) == "16 / 16"
    page.get_by_role("button", name="Previous step").click()
    assert counter(page) == "15 / 16"


def test_an_array_inputs_forward_sweep_is_chosen_in_the_page(nielsen):
    page = nielsen
    page.get_by_label("Mode").select_option("forward")
    page.get_by_label("Input X").select_option("W2")
    entry = page.get_by_label("Element of the chosen input")
    assert entry.is_visible() and entry.locator("option").count() == 12
    entry.select_option("[1, 2]")
    page.get_by_role("button", name="Last step").click()
    text = explanation(page)
    assert text.startswith("dC/dW2[1, 2] = ")
    grad = ad.trace(network, W2, B2, W3, B3, a1=X, y=Y).reverse().gradient["W2"][1, 2]
    assert float(text.rsplit(" = ", 1)[1]) == pytest.approx(grad, rel=1e-3)
    page.get_by_role("button", name="First step").click()  # the seed: the one-hot matrix
    seed = page.locator(".gad-figures .gad-result td").all_text_contents()
    assert numbers(seed) == [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
    page.get_by_label("Mode").select_option("paths")  # paths from W2: each edge says what it applies
    assert "a1ᵀ (right-multiplied)" in explanation(page) and "Jacobian" in explanation(page)
    assert "Python" not in page.locator(".gad-explorer").text_content()


def test_a_large_array_is_a_heat_map_with_the_entry_under_the_pointer(page, tmp_path):
    weights = np.linspace(-1, 1, 120).reshape(10, 12)
    g = ad.trace(lambda W, x: ad.tanh(W @ x).sum(), weights, np.linspace(-1, 1, 12))
    page.goto(explore(g).save_html(tmp_path / "heat.html").as_uri())
    page.locator(".gad-explorer .gad-svg").wait_for()
    page.get_by_role("button", name="Last step").click()
    canvas = page.locator(".gad-figures .gad-result canvas")
    assert "10×12 array" in canvas.get_attribute("aria-label")
    box = canvas.bounding_box()
    # The entry [3, 7]: the centre of its cell.
    page.mouse.move(box["x"] + (7.5 / 12) * box["width"], box["y"] + (3.5 / 10) * box["height"])
    readout = page.locator(".gad-figures .gad-result .gad-heat-readout").text_content()
    assert readout.startswith("∂out/∂W[3, 7] = ")
    x = np.linspace(-1, 1, 12)
    expected = (1 - np.tanh(weights @ x) ** 2)[3] * x[7]
    assert float(readout.rsplit(" = ", 1)[1]) == pytest.approx(expected, rel=1e-3)
    canvas.focus()  # and by keyboard, entry by entry
    page.keyboard.press("ArrowRight")
    assert page.locator(".gad-figures .gad-result .gad-heat-readout").text_content().startswith("∂out/∂W[3, 8] = ")
    # Diverging: ∂out/∂W[0, j] = tanh′·x[j] is negative at j = 0 (blue), positive at j = 11 (red).
    colours = canvas.evaluate("""c => { const x = c.getContext('2d');
        const px = (r, k) => [...x.getImageData(k * c.width / 12 + 1, r * c.height / 10 + 1, 1, 1).data].slice(0, 3);
        return [px(0, 0), px(0, 11)]; }""")
    assert colours[0][2] > colours[0][0] and colours[1][0] > colours[1][2]  # blue-ish, red-ish
    # In the drawing, W's node holds its value and (now known) its derivative as heat maps of
    # 10×12 blocks, the derivative's coloured in by the page as the drawing colours a value's.
    w_node = page.locator("#node-n0")
    value_blocks = w_node.locator("polygon.gad-cell")
    derivative_blocks = w_node.locator("polygon.gad-dcell")
    assert value_blocks.count() == 120 and derivative_blocks.count() == 120
    fills = derivative_blocks.evaluate_all("els => els.map(e => getComputedStyle(e).fill)")
    grad = ((1 - np.tanh(weights @ x) ** 2)[:, None] * x[None, :]).ravel()
    scale = np.abs(grad).max()
    for k in (0, 11, 60, 119):  # blue below 0, red above, white at 0, as strong as |entry| / max
        t = grad[k] / scale
        end = (33, 102, 172) if t < 0 else (178, 24, 43)
        want = [round(247 + (e - 247) * abs(t)) for e in end]
        got = [int(v) for v in re.findall(r"\d+", fills[k])][:3]
        assert max(abs(a - b) for a, b in zip(got, want)) <= 2, (k, got, want)
    page.get_by_role("button", name="First step").click()  # not known yet: blank blocks again
    assert derivative_blocks.evaluate_all("els => els.every(e => !e.style.fill)")
    assert value_blocks.first.evaluate("e => e.style.fill") != ""


def test_a_collapsed_drawing_marks_the_box_holding_the_current_node(page, tmp_path):
    def layered(x):
        for k in range(3):
            with ad.scope(f"layer {k + 1}"):
                x = [ad.tanh(x[0] * 0.5 + x[1] * 0.3), ad.tanh(x[0] * 0.2 - x[1])]
        return x[0] + x[1]

    g = ad.trace(layered, [0.1, 0.2])
    page.goto(explore(g, collapse=True).save_html(tmp_path / "collapsed.html").as_uri())
    page.locator(".gad-explorer .gad-svg").wait_for()
    box = page.locator("#scope-2")  # layer 3, the first the reverse sweep enters
    page.get_by_role("button", name="Next step").click()
    assert "gad-current" in box.get_attribute("class")
    progress = [box.locator("text").last.text_content()]
    page.get_by_role("button", name="Next step").click()
    progress.append(box.locator("text").last.text_content())
    total = int(re.search(r"of (\d+) adjoints known", progress[0]).group(1))
    assert progress == [f"1 of {total} adjoints known", f"2 of {total} adjoints known"]
    page.get_by_role("button", name="Last step").click()
    assert "gad-done" in box.get_attribute("class")
    assert box.locator("text").last.text_content() == f"{total} of {total} adjoints known"


def test_a_large_graph_opens_on_the_current_node_with_an_overview(page, tmp_path):
    def mlp(*args):
        a, weights = list(args[:2]), iter(args[2:])
        for layer, width in enumerate((16, 16, 1)):
            with ad.scope(f"layer {layer + 1}"):
                a = [ad.tanh(sum(next(weights) * v for v in a) + next(weights)) for _ in range(width)]
        return a[0]

    count = 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1
    g = ad.trace(mlp, 0.5, -0.3, *np.linspace(-0.5, 0.5, count))
    assert len(g) > 1000
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(explore(g).save_html(tmp_path / "mlp.html").as_uri())
    page.locator(".gad-explorer .gad-svg").wait_for()
    page.wait_for_timeout(300)
    inside = """() => { const box = document.querySelector('.gad-graph').getBoundingClientRect();
        const node = document.querySelector('.gad-graph .gad-current').getBoundingClientRect();
        return node.left >= box.left - 1 && node.right <= box.right + 1
            && node.top >= box.top - 1 && node.bottom <= box.bottom + 1; }"""
    assert page.evaluate(inside)  # the output's box, whole, inside the graph box on first display
    minimap = page.locator(".gad-minimap")
    assert minimap.is_visible()
    # The overview marks the current node in the current colour (#d97706 in the light page).
    marked = minimap.evaluate("""c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let k = 0; k < d.length; k += 4)
          if (Math.abs(d[k] - 217) < 20 && Math.abs(d[k + 1] - 119) < 20 && d[k + 2] < 40) return true;
        return false; }""")
    assert marked
    before = page.locator(".gad-graph").evaluate("g => [g.scrollLeft, g.scrollTop]")
    mb = minimap.bounding_box()
    page.mouse.click(mb["x"] + 3, mb["y"] + mb["height"] - 3)  # jump to the far corner
    after = page.locator(".gad-graph").evaluate("g => [g.scrollLeft, g.scrollTop]")
    assert after != before
    for _ in range(5):
        page.get_by_role("button", name="Next step").click()
    page.wait_for_timeout(100)
    assert page.evaluate(inside)  # the view follows the current node again
    # ... whole and clear of the overview at every step, moving once for a run of steps that
    # fit the box together rather than at every step
    views, explorer = [], page.locator(".gad-explorer")
    for _ in range(40):
        page.get_by_role("button", name="Next step").click()
        placement = current_node_placement(explorer)
        assert placement["whole"] and not placement["covered"], (len(views), placement)
        views.append(page.locator(".gad-graph").evaluate("g => [g.scrollLeft, g.scrollTop].map(Math.round)"))
    moves = sum(a != b for a, b in zip(views, views[1:]))
    assert 0 < moves <= 20, moves
    page.screenshot(path=str(screenshot_dir(tmp_path) / "mlp-1000-overview.png"))
    # One box per neuron: 16 + 16 + 1 neurons and the 2 inputs; at Fit every title is readable.
    page.get_by_label("Drawing").select_option("neurons")
    page.locator(".gad-stack .node").first.wait_for()
    assert page.locator(".gad-stack .node").count() == 35
    page.get_by_role("button", name="Fit graph").click()
    page.wait_for_timeout(200)
    heights = page.locator(".gad-stack .node text:first-of-type").evaluate_all(
        "ts => ts.map(t => t.getBoundingClientRect().height)")
    assert min(heights) >= 9, min(heights)  # px on screen: legible
    assert page.evaluate(inside)  # the box holding step 6's node, in view
    current = page.locator(".gad-stack .node.gad-current")
    progress = current.locator("text").last.text_content()
    assert re.fullmatch(r"\d+ of \d+ adjoints known", progress) and not progress.startswith("0 ")
    page.screenshot(path=str(screenshot_dir(tmp_path) / "mlp-1000-neurons-fit.png"))


def test_in_jupyterlab_notebook_04_steps_bp1_to_bp4_and_a_1000_node_graph_opens_on_its_node(page, tmp_path,
                                                                                               monkeypatch):
    import nbformat

    from .harness import JupyterLabServer, cell_outputs_text, open_notebook, run_all_cells
    from .test_explorer_jupyterlab import REPO, run_cell

    monkeypatch.setenv("PYTHONPATH", str(REPO))  # the kernel imports this checkout
    nb = nbformat.read(REPO / "notebooks" / "04_backprop_nielsen.ipynb", as_version=4)
    nb.cells = [c for c in nb.cells if c.cell_type == "code"]
    assert nb.cells[-1].source.startswith("ad.explore(g")
    nb.cells[-1].source = "ex = " + nb.cells[-1].source + "\nex"
    nb.cells.append(nbformat.v4.new_code_cell("print('python sees', ex.mode, repr(ex.wrt), ex.step)"))
    nb.cells.append(nbformat.v4.new_code_cell(
        "def mlp(*args):\n"
        "    a, weights = list(args[:2]), iter(args[2:])\n"
        "    for layer, width in enumerate((16, 16, 1)):\n"
        "        with ad.scope(f'layer {layer + 1}'):\n"
        "            a = [ad.tanh(sum(next(weights) * v for v in a) + next(weights)) for _ in range(width)]\n"
        "    return a[0]\n"
        "big = ad.trace(mlp, 0.5, -0.3, *np.linspace(-0.5, 0.5, 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1))\n"
        "print(len(big), 'nodes')\n"
        "ad.explore(big)"))
    source = tmp_path / "04.ipynb"
    nbformat.write(nb, source)
    page.set_viewport_size({"width": 1400, "height": 1000})
    with JupyterLabServer() as server:
        name = server.copy_notebook(source)
        open_notebook(page, server, name)
        run_all_cells(page)
        widgets = page.locator(".gad-explorer")
        widgets.nth(1).locator(".gad-svg").wait_for(timeout=60_000)
        nielsen = widgets.nth(0)
        # BP4 at W2: the operands δ² and a¹, the 12 entries of the outer product, no dash
        nielsen.get_by_role("button", name="Last step").click()
        assert nielsen.locator(".gad-formula").text_content().startswith("∂C/∂W2 = ∂C/∂w2a1·a1ᵀ")
        assert nielsen.locator(".gad-figures .gad-result td").count() == 12
        np.testing.assert_allclose(
            numbers(nielsen.locator(".gad-figures .gad-result td").all_text_contents()),
            backprop()["W2"].ravel(), rtol=1e-3, atol=1e-9)
        assert "—" not in nielsen.locator(".gad-explain").text_content()
        np.testing.assert_allclose(  # and in W2's box in the drawing, as a matrix
            numbers(nielsen.locator("[id^='deriv-n0-']").all_text_contents()),
            backprop()["W2"].ravel(), rtol=5e-3, atol=1e-9)
        # at JupyterLab's widget width: every matrix of the table whole in its cell, and W2's
        # box whole in the graph box and clear of the overview
        nielsen.scroll_into_view_if_needed()
        page.wait_for_timeout(200)
        assert nielsen.locator(".gad-tbody .gad-td:nth-child(3) .gad-matrix").count() >= 10
        assert clipped_table_arrays(nielsen) == []
        placement = current_node_placement(nielsen)
        assert placement["overview"] and placement["whole"] and not placement["covered"], placement
        # the layer steps: cost, layer 3 (BP1), layer 2 (BP2), the parameters (BP3, BP4)
        nielsen.get_by_label("Step by").select_option("layer")
        nielsen.get_by_role("button", name="First step").click()
        heads = []
        for _ in range(4):
            nielsen.get_by_role("button", name="Next step").click()
            heads.append(nielsen.locator(".gad-formula").text_content().split(":")[0])
        assert heads == ["cost", "layer 3", "layer 2", "inputs and parameters"]
        page.screenshot(path=str(screenshot_dir(tmp_path) / "jupyterlab-nielsen-layers.png"))
        # an array input's forward sweep, chosen in the widget: Python sees the element
        nielsen.get_by_label("Step by").select_option("node")
        nielsen.get_by_label("Mode").select_option("forward")
        nielsen.get_by_label("Input X").select_option("W2")
        nielsen.get_by_label("Element of the chosen input").select_option("[1, 2]")
        nielsen.get_by_role("button", name="Last step").click()
        assert nielsen.locator(".gad-formula").text_content().startswith("dC/dW2[1, 2] = ")
        run_cell(page, len(nb.cells) - 2)
        assert "python sees forward 'W2[1, 2]'" in cell_outputs_text(page)[len(nb.cells) - 2]
        # the 1,000-node graph opens on its current node, whole, with the overview shown
        big = widgets.nth(1)
        big.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        inside = big.evaluate("""el => { const box = el.querySelector('.gad-graph').getBoundingClientRect();
            const node = el.querySelector('.gad-graph .gad-current').getBoundingClientRect();
            return node.left >= box.left - 1 && node.right <= box.right + 1
                && node.top >= box.top - 1 && node.bottom <= box.bottom + 1; }""")
        assert inside
        assert big.locator(".gad-minimap").is_visible()
        # in the theme's colours (read once the widget is in the page): mostly JupyterLab's light
        # background, with the current node in its warn colour
        light, orange = big.locator(".gad-minimap").evaluate("""c => {
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let light = 0, orange = 0;
            for (let k = 0; k < d.length; k += 4) {
              if (d[k] + d[k + 1] + d[k + 2] > 600) light++;
              if (d[k] > 200 && d[k + 1] > 80 && d[k + 1] < 170 && d[k + 2] < 80) orange++;
            }
            return [light / (d.length / 4), orange]; }""")
        assert light > 0.5 and orange > 0
        page.screenshot(path=str(screenshot_dir(tmp_path) / "jupyterlab-mlp-1000.png"))
        assert not re.search(r"Error|Traceback", " ".join(cell_outputs_text(page)))


def test_compare_plays_one_forward_sweep_per_stored_array_entry(page, tmp_path):
    g = ad.trace(lambda W, x: (W @ x).sum(), np.ones((2, 1)), np.ones(1))  # 2 + 1 entries
    page.goto(explore(g).save_html(tmp_path / "compare.html").as_uri())
    page.locator(".gad-explorer .gad-svg").wait_for()
    page.get_by_label("Speed").select_option("8")
    page.get_by_role("button", name="Compare forward and reverse").click()
    done = page.locator(".gad-compare-out")
    page.wait_for_function("el => el.textContent.startsWith('Done')", arg=done.element_handle(), timeout=20_000)
    assert done.text_content().startswith("Done: 3 forward sweeps took ")
    assert "Forward mode: 3 sweeps (one per input entry)" in page.locator(".gad-cost").inner_text()
