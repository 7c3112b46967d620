"""The kernel-free Explorer page over file://: stepping by buttons and keys, no network at all."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import graphviz_ad as ad  # noqa: E402
from graphviz_ad.widget import explore  # noqa: E402

from .explorer_pages import COLAH, counter, explanation, screenshot_dir, wait_text  # noqa: E402
from .harness import record_requests  # noqa: E402

pytestmark = pytest.mark.browser

REVERSE_TEXTS = [
    "∂e/∂e = 1 (the seed)",
    "∂e/∂d = ∂e/∂e·∂e/∂d = 1·3 = 3",
    "∂e/∂c = ∂e/∂e·∂e/∂c = 1·2 = 2",
    "∂e/∂b = ∂e/∂c·∂c/∂b + ∂e/∂d·∂d/∂b = 2·1 + 3·1 = 5",
    "∂e/∂a = ∂e/∂c·∂c/∂a = 2·1 = 2",
]


@pytest.fixture
def colah_page(page, tmp_path):
    path = explore(ad.parse(COLAH, a=2, b=1), controls=True).save_html(tmp_path / "colah.html")
    requests = record_requests(page)
    errors = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(path.as_uri())
    page.locator(".gad-explorer .gad-svg").wait_for()
    yield page
    assert errors == []
    assert requests and all(url.startswith("file://") for url in requests), requests


def test_buttons_step_the_reverse_sweep(colah_page, tmp_path):
    page = colah_page
    assert counter(page) == "1 / 5"
    assert explanation(page) == REVERSE_TEXTS[0]
    status = page.locator(".gad-explain")
    announce = page.get_by_role("status")  # a short announcement per step, not the whole pane
    assert announce.get_attribute("aria-live") == "polite"
    for k in range(1, 5):
        page.get_by_role("button", name="Next step").click()
        assert explanation(page) == REVERSE_TEXTS[k]
        assert counter(page) == f"{k + 1} / 5"
        if k == 3:
            page.screenshot(path=str(screenshot_dir(tmp_path) / "standalone-reverse-b.png"))
            # the visited node is marked and its derivative written into the drawing and table
            assert "gad-current" in page.locator("#node-n1").get_attribute("class")
            assert "5" in page.locator(".gad-table .gad-row-current").inner_text()
            assert "c = 3" not in status.inner_text()
            assert "∂e/∂c·∂c/∂b = 2·1 = 2" in status.inner_text()  # the notation layer's term text
            assert announce.text_content() == "Step 4 of 5: ∂e/∂b = 5"
    assert page.get_by_role("button", name="Next step").is_disabled()
    # reverse mode says which stored forward values a step reads: ∂e/∂d = c reads c
    page.get_by_role("button", name="First step").click()
    page.get_by_role("button", name="Next step").click()
    assert "Reads stored forward values: c = 3" in status.inner_text()
    page.get_by_role("button", name="Last step").click()
    assert explanation(page) == REVERSE_TEXTS[4]
    page.get_by_role("button", name="Previous step").click()
    assert explanation(page) == REVERSE_TEXTS[3]
    # every adjoint is in the table once the sweep is done
    page.get_by_role("button", name="Last step").click()
    rows = page.get_by_role("table", name="Values and derivatives").locator(".gad-tbody [role=row]")
    cells = [rows.nth(k).locator("[role=rowheader], [role=cell]").all_text_contents() for k in range(rows.count())]
    assert cells == [["a", "2", "2"], ["b", "1", "5"], ["c", "3", "2"],
                     ["d", "2", "3"], ["e", "6", "1"]]


def test_keyboard_and_forward_mode(colah_page, tmp_path):
    page = colah_page
    root = page.locator(".gad-explorer")
    root.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert explanation(page) == REVERSE_TEXTS[2]
    page.keyboard.press("End")
    assert counter(page) == "5 / 5"
    page.keyboard.press("ArrowLeft")
    assert explanation(page) == REVERSE_TEXTS[3]
    page.keyboard.press("Home")
    assert explanation(page) == REVERSE_TEXTS[0]

    page.get_by_label("Mode").select_option("forward")
    page.get_by_label("Input X").select_option("b")
    assert counter(page) == "1 / 5"
    assert explanation(page) == "da/db = 0 (another input: it does not change with b)"
    root.focus()
    page.keyboard.press("End")
    assert explanation(page) == "de/db = ∂e/∂c·dc/db + ∂e/∂d·dd/db = 2·1 + 3·1 = 5"
    assert "Reads stored" not in page.locator(".gad-explain").inner_text()
    page.keyboard.press("ArrowLeft")
    assert explanation(page) == "dd/db = ∂d/∂b·db/db = 1·1 = 1"
    page.screenshot(path=str(screenshot_dir(tmp_path) / "standalone-forward.png"))

    # Space plays to the end; the button is renamed Pause while it runs
    page.get_by_label("Speed").select_option("8")
    page.keyboard.press("Home")
    root.focus()
    page.keyboard.press(" ")
    assert page.get_by_role("button", name="Pause").is_visible()
    wait_text(page.locator(".gad-counter"), "5 / 5")
    page.get_by_role("button", name="Play").wait_for()


def test_paths_compare_and_disabled_inputs(colah_page, tmp_path):
    page = colah_page
    page.get_by_label("Mode").select_option("paths")
    page.get_by_label("Input X").select_option("b")
    options = page.get_by_role("option").filter(has_text="→")
    assert options.all_inner_texts() == ["b → c → e: 1·2 = 2", "b → d → e: 1·3 = 3"]
    assert "∂e/∂b = 2 + 3 = 5" in page.locator(".gad-paths").inner_text()
    options.nth(1).click()
    assert explanation(page) == "b → d → e: 1·3 = 3"
    assert "gad-path" in page.locator("#edge-e4_0").get_attribute("class")
    assert "gad-path" not in page.locator("#edge-e2_1").get_attribute("class")
    options.nth(0).hover()
    assert "gad-path-preview" in page.locator("#edge-e2_1").get_attribute("class")
    page.screenshot(path=str(screenshot_dir(tmp_path) / "standalone-paths.png"))

    page.get_by_label("Speed").select_option("8")
    page.get_by_role("button", name="Compare forward and reverse").click()
    done = page.locator(".gad-compare-out")
    page.wait_for_function("el => el.textContent.startsWith('Done')", arg=done.element_handle(), timeout=20_000)
    assert done.text_content() == ("Done: 2 forward sweeps took 10 multiply-adds; "
                                   "the reverse sweep took 5 and gave every input's derivative at once.")

    # with no kernel, the inputs are edited in the page itself (what-if), not disabled
    box = page.get_by_label("Input a", exact=True)
    assert box.is_enabled() and box.input_value() == "2"
    assert "Recomputed in this page" in page.locator(".gad-inputs").inner_text()


def test_dark_colour_scheme_and_narrow_window(page, tmp_path):
    path = explore(ad.parse(COLAH, a=2, b=1)).save_html(tmp_path / "colah.html")
    page.emulate_media(color_scheme="dark")
    page.set_viewport_size({"width": 700, "height": 900})
    page.goto(path.as_uri())
    page.locator(".gad-explorer .gad-svg").wait_for()
    background = page.locator(".gad-explorer").evaluate("el => getComputedStyle(el).backgroundColor")
    red, green, blue = [int(v) for v in background[background.index("(") + 1:-1].split(",")[:3]]
    assert max(red, green, blue) < 60, background  # dark, from the prefers-color-scheme fallback
    text = page.locator("#node-n2 text").first.evaluate("el => getComputedStyle(el).fill")
    assert min(int(v) for v in text[text.index("(") + 1:-1].split(",")) > 180, text  # light text
    # the whole drawing fits in the narrow box: no node cut off at either side
    page.get_by_role("button", name="Next step").click()
    box = page.locator(".gad-graph").bounding_box()
    for node in ("#node-n0", "#node-n5"):
        b = page.locator(node).bounding_box()
        assert box["x"] <= b["x"] and b["x"] + b["width"] <= box["x"] + box["width"]
    page.screenshot(path=str(screenshot_dir(tmp_path) / "standalone-dark-narrow.png"))


def test_array_graphs_long_names_and_second_outputs(page, tmp_path):
    import numpy as np

    errors = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    # Forward mode with array inputs: the sweep of one entry, the entry chosen beside the input.
    arrays = ad.trace(lambda W, x: ad.tanh(W @ x).sum(), np.ones((2, 3)) * 0.1, np.arange(3.0))
    page.goto(explore(arrays).save_html(tmp_path / "arrays.html").as_uri())
    page.locator(".gad-explorer .gad-svg").wait_for()
    page.get_by_label("Mode").select_option("forward")
    assert explanation(page).startswith("dW/dW[0, 0] = [[1, 0, 0], [0, 0, 0]] (the seed)")
    assert "Python" not in page.locator(".gad-explorer").text_content()  # no advice about arguments

    # A long name is clipped in the drawing as the static figure clips it; the panel wraps it.
    def long_named(x, y):
        return ad.tanh(ad.name(x * y, "hidden_activation_of_the_second_layer_" + "z" * 60) + 1)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(explore(ad.trace(long_named, 0.5, 2.0)).save_html(tmp_path / "long.html").as_uri())
    page.locator(".gad-explorer .gad-svg").wait_for()
    for _ in range(3):
        page.get_by_role("button", name="Next step").click()
    node, line = page.locator("#node-n2 path, #node-n2 polygon").first.bounding_box(), page.locator("#deriv-n2").bounding_box()
    assert node["x"] <= line["x"] and line["x"] + line["width"] <= node["x"] + node["width"] + 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    # ...and the values table keeps its number columns whole and in view.
    assert page.locator(".gad-table-wrap").evaluate("el => el.scrollWidth <= el.clientWidth")
    lines = page.locator(".gad-table .gad-num").evaluate_all(
        "cells => cells.filter(c => c.textContent).map(c => { const r = document.createRange(); "
        "r.selectNodeContents(c); return r.getClientRects().length; })")
    assert lines and set(lines) == {1}, lines

    # Nodes only the second output reaches have a readable derivative line for its sweep.
    def two_outputs(x, y):
        return ad.name(x * y, "p"), ad.name(x + y, "s")

    page.goto(explore(ad.trace(two_outputs, 2.0, 3.0)).save_html(tmp_path / "two.html").as_uri())
    page.locator(".gad-explorer .gad-svg").wait_for()
    page.get_by_label("Output Z").select_option("s")
    page.get_by_role("button", name="Next step").click()
    assert page.locator("#deriv-n3").text_content().startswith("∂s/∂s = 1")
    assert page.locator("#deriv-n3").evaluate("el => getComputedStyle(el).fontSize") == "12px"
    assert errors == []


def test_the_first_view_of_a_large_graph_shows_the_current_node(page, tmp_path):
    def mlp(x):
        for _ in range(3):
            x = [ad.tanh(sum(w * v for w, v in zip((0.3, -0.2, 0.5, 0.1), x))) for _ in range(4)]
        return sum(x)

    g = ad.trace(mlp, [0.1, 0.2, 0.3, 0.4])
    path = explore(g).save_html(tmp_path / "mlp.html")
    page.set_viewport_size({"width": 900, "height": 800})
    page.goto(path.as_uri())
    page.locator(".gad-explorer .gad-svg").wait_for()
    page.wait_for_timeout(300)  # the box is laid out, then the view follows the node
    visible = page.evaluate("""() => {
        const box = document.querySelector('.gad-graph').getBoundingClientRect();
        const node = document.querySelector('.gad-graph .gad-current').getBoundingClientRect();
        return node.right > box.left && node.left < box.right && node.bottom > box.top && node.top < box.bottom;
    }""")
    assert visible  # the reverse sweep's first step (the output) is on screen, not an empty corner
    larger = "(g => g.scrollWidth > g.clientWidth || g.scrollHeight > g.clientHeight)(document.querySelector('.gad-graph'))"
    assert page.evaluate(larger)  # (the graph is larger than its box: there was a corner to open on)


def test_what_if_without_a_kernel_matches_python(page, tmp_path):
    g = ad.parse(COLAH, a=2, b=1)
    path = explore(g).save_html(tmp_path / "colah.html")
    requests = record_requests(page)
    page.goto(path.as_uri())
    page.locator(".gad-explorer .gad-svg").wait_for()
    box = page.get_by_label("Input a", exact=True)
    box.fill("3")
    box.press("Enter")  # a change event: e = (3 + 1)·(1 + 1)
    assert page.locator("#value-n5").text_content() == "8"
    again = g.retrace(a=3.0)
    for k, step in enumerate(again.reverse().steps):  # every step's text as Python writes it
        page.get_by_role("slider", name="Step").fill(str(k))
        assert explanation(page) == step.text
    assert explanation(page).startswith("∂e/∂a = ")
    page.get_by_role("slider", name="Step").fill("3")
    assert explanation(page) == "∂e/∂b = ∂e/∂c·∂c/∂b + ∂e/∂d·∂d/∂b = 2·1 + 4·1 = 6"
    assert "∂e/∂c·∂c/∂b = 2·1 = 2" in page.locator(".gad-explain").inner_text()
    edge_label = page.locator("#edge-e5_0 text").first.text_content()
    assert edge_label.strip() == "∂e/∂c = d = 2"  # d = b + 1 is still 2
    page.get_by_label("Mode").select_option("forward")
    page.get_by_label("Input X").select_option("b")
    page.get_by_role("button", name="Last step").click()
    assert explanation(page) == again.forward(wrt="b").steps[-1].text
    assert all(url.startswith("file://") for url in requests)


def test_a_long_named_input_is_chosen_and_drawn_clipped(page, tmp_path):
    long = "learning_rate_" + "x" * 80

    def f(**kw):
        return kw[long] * kw["b"] + kw["b"]

    g = ad.trace(f, **{long: 2.0, "b": 3.0})
    path = explore(g, mode="forward", wrt="b").save_html(tmp_path / "long.html")
    page.goto(path.as_uri())
    page.locator(".gad-explorer .gad-svg").wait_for()
    chooser = page.get_by_label("Input X")
    shown = chooser.locator("option").all_inner_texts()
    assert shown[0].endswith("…") and len(shown[0]) <= 40  # drawn clipped
    # in the page (no Python to share names with) its value is its drawn name and node number
    page_name = chooser.evaluate("s => s.options[0].value")
    assert page_name.endswith("…#0") and long not in page_name
    chooser.select_option(page_name)
    page.get_by_role("button", name="Last step").click()
    assert explanation(page).endswith("= 1·3 + 1·0 = 3")  # d(out)/d(long) = b = 3, the name clipped in it
    assert long not in explanation(page)


def test_a_10000_character_name_is_stored_clipped_in_the_page(page, tmp_path):
    long = "n" * 10_000
    g = ad.trace(lambda **kw: kw[long] * kw["b"], **{long: 2.0, "b": 3.0})
    html = explore(g, mode="forward", wrt=long).to_html()
    assert long[:100] not in html and len(html) < 200_000  # was 1 MB: the name in every text, whole
    path = tmp_path / "long.html"
    path.write_text(html, encoding="utf-8")
    page.goto(path.as_uri())
    page.locator(".gad-explorer .gad-svg").wait_for()
    page.get_by_role("button", name="Last step").click()
    assert explanation(page).endswith("= 3·1 + 2·0 = 3")  # the forward sweep from the long-named input
    chooser = page.get_by_label("Input X")
    chooser.select_option("b")
    short_name = chooser.evaluate("s => s.options[0].value")
    assert short_name == "n" * 39 + "…#0"  # the page's name for it: drawn name and node number
    chooser.select_option(short_name)  # and back
    page.get_by_role("button", name="Last step").click()
    assert explanation(page).endswith("= 3·1 + 2·0 = 3")
