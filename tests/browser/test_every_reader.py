"""The explorer for every reader (issue 16), in Chromium: links to a step, a clicked node's
details, hover titles in the reader's names, the legend, keyboard scrolling and Tab, present
mode, touch scrolling, and axe-core on the array, layer and details views and inside
JupyterLab."""

import contextlib
import re
from pathlib import Path

import numpy as np
import pytest

import graphviz_ad as ad
from graphviz_ad.widget import explore

from .explorer_pages import COLAH, counter, explanation, screenshot_dir
from .test_accessibility import axe_source, violations  # noqa: F401  (a fixture, and the axe run)
from .test_course_scale import B2, B3, W2, W3, X, Y, network

pytestmark = pytest.mark.browser


@pytest.fixture
def colah(page, tmp_path):
    path = explore(ad.parse(COLAH, a=2, b=1)).save_html(tmp_path / "colah.html")
    errors = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    yield page, path
    assert errors == []


def test_a_link_opens_at_a_step_and_the_address_follows_the_explorer(colah):
    page, path = colah
    page.goto(path.as_uri() + "#mode=forward&step=3&wrt=b")
    page.locator(".gad-explorer .gad-svg").wait_for()
    assert (counter(page), explanation(page)) == ("3 / 5", "dc/db = ∂c/∂a·da/db + ∂c/∂b·db/db = 1·0 + 1·1 = 1")
    assert page.get_by_label("Mode").input_value() == "forward"
    page.get_by_role("button", name="Next step").click()
    page.wait_for_function("h => location.hash === h", arg="#mode=forward&step=4&wrt=b")
    page.get_by_label("Mode").select_option("reverse")
    page.wait_for_function("h => location.hash === h", arg="#mode=reverse&step=1&of=e")
    page.goto(path.as_uri() + "#mode=sideways&step=99")  # nonsense is ignored or clamped, never an error
    page.reload()
    page.locator(".gad-explorer .gad-svg").wait_for()
    assert counter(page) == "5 / 5"


def test_clicking_a_node_shows_its_details_and_jumps_to_its_step(colah):
    page, path = colah
    page.goto(path.as_uri())
    page.locator(".gad-explorer .gad-svg").wait_for()
    assert page.locator("#node-n2 > title").text_content() == "c"  # hover titles name nodes as drawn
    assert page.locator("#edge-e2_0 > title").text_content() == "a → c"
    page.locator("#node-n2 text").first.click()
    details = page.locator(".gad-inspect")
    assert details.is_visible()
    text = details.inner_text()
    assert "Node c" in text and "c = a + b = 3 (add)" in text
    assert "In this sweep: ∂e/∂c = ? (not reached yet), step 3 of 5." in text
    assert "∂c/∂a = 1" in text and "∂c/∂b = 1" in text  # its incoming local partials, with formulas
    assert "Its backward step reads the stored values d = 2." in text
    details.get_by_role("button", name="Go to step 3").click()
    assert (counter(page), explanation(page)) == ("3 / 5", "∂e/∂c = ∂e/∂e·∂e/∂c = 1·2 = 2")
    # by keyboard: the explanation's Details button, reached by Tab
    page.get_by_role("button", name="Details of node c").focus()
    page.keyboard.press("Enter")
    assert details.is_visible() and "Node c" in details.inner_text()
    # a drag pans and inspects nothing
    details.get_by_role("button", name="Close the node's details").click()
    box = page.locator("#node-n4").bounding_box()
    page.mouse.move(box["x"] + 5, box["y"] + 5)
    page.mouse.down()
    page.mouse.move(box["x"] + 60, box["y"] + 40, steps=4)
    page.mouse.up()
    assert not details.is_visible()
    # the legend explains the states
    page.locator(".gad-legend summary").click()
    legend = page.locator(".gad-legend").inner_text()
    for word in ("current", "done", "reads", "not reached", "input", "output", "constant", "collapsed scope"):
        assert word in legend, word


def test_keyboard_scrolls_the_graph_and_table_and_reaches_the_paths(page, tmp_path):
    def mlp(x):
        for _ in range(3):
            x = [ad.tanh(sum(w * v for w, v in zip((0.3, -0.2, 0.5, 0.1), x))) for _ in range(4)]
        return sum(x)

    page.set_viewport_size({"width": 1000, "height": 800})
    page.goto(explore(ad.trace(mlp, [0.1, 0.2, 0.3, 0.4])).save_html(tmp_path / "mlp.html").as_uri())
    page.locator(".gad-explorer .gad-svg").wait_for()
    graph = page.locator(".gad-graph")
    assert graph.get_attribute("tabindex") == "0" and graph.get_attribute("role") == "group"
    assert page.locator(".gad-svg").get_attribute("aria-hidden") == "true"  # no text dump for screen readers
    graph.focus()
    before = graph.evaluate("g => [g.scrollLeft, g.scrollTop]")
    for key in ("ArrowRight", "ArrowDown", "ArrowRight"):
        page.keyboard.press(key)
    page.wait_for_timeout(200)
    assert graph.evaluate("g => [g.scrollLeft, g.scrollTop]") != before
    assert counter(page).startswith("1 / ")  # the arrows scrolled; they did not step
    table = page.locator(".gad-table-wrap")
    table.focus()
    top = table.evaluate("t => t.scrollTop")  # (at the output's row, the last)
    page.keyboard.press("PageUp")
    page.wait_for_timeout(200)
    assert table.evaluate("t => t.scrollTop") != top
    # paths: every item reachable by Tab and chosen with Enter
    page.goto(explore(ad.parse(COLAH, a=2, b=1), mode="paths", wrt="b").save_html(tmp_path / "paths.html").as_uri())
    page.locator(".gad-explorer .gad-svg").wait_for()
    items = page.locator(".gad-path-list [role=option]")
    assert items.count() == 2
    page.locator(".gad-explorer").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('role')") == "option" and \
                page.evaluate("document.activeElement.textContent").startswith("b → d"):
            break
    else:
        raise AssertionError("the second path is not reachable by Tab")
    page.keyboard.press("Enter")
    assert counter(page) == "2 / 2" and items.nth(1).get_attribute("aria-selected") == "true"


def test_present_mode_fills_the_screen_with_larger_type(colah, tmp_path):
    page, path = colah
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(path.as_uri())
    page.locator(".gad-explorer .gad-svg").wait_for()
    small = page.locator(".gad-graph").bounding_box()["height"]
    page.get_by_role("button", name="Present (full screen)").click()
    page.locator(".gad-explorer.gad-presenting").wait_for()
    assert page.locator(".gad-graph").bounding_box()["height"] > max(small, 600)
    assert page.locator(".gad-explorer").evaluate("el => getComputedStyle(el).fontSize") == "16px"
    assert page.get_by_role("button", name="Present (full screen)").get_attribute("aria-pressed") == "true"
    page.screenshot(path=str(screenshot_dir(tmp_path) / "present.png"))
    page.get_by_role("button", name="Present (full screen)").click()
    page.locator(".gad-explorer:not(.gad-presenting)").wait_for()
    assert abs(page.locator(".gad-graph").bounding_box()["height"] - small) < 2
    # and touch: a swipe on the graph scrolls (the page, at the graph's edge), it is not captured
    touch = page.locator(".gad-graph").evaluate("g => getComputedStyle(g).touchAction")
    assert touch == "manipulation" or "pan-y" in touch, touch  # (pan-x pan-y pinch-zoom computes as manipulation)


def test_axe_finds_nothing_on_arrays_layers_details_and_legend(page, tmp_path, axe_source):  # noqa: F811
    heat = ad.trace(lambda W, x: ad.tanh(W @ x).sum(), np.linspace(-1, 1, 120).reshape(10, 12), np.linspace(-1, 1, 12))
    pages = {"nielsen": explore(ad.trace(network, W2, B2, W3, B3, a1=X, y=Y)), "heat": explore(heat)}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for name, ex in pages.items():
            page.goto(ex.save_html(tmp_path / f"{name}.html").as_uri())
            page.locator(".gad-explorer .gad-svg").wait_for()
            page.get_by_role("button", name="Last step").click()  # matrices / a heat map in the pane
            page.locator("#node-n0 text").first.click()  # details open
            page.locator(".gad-legend summary").click()  # legend open
            assert violations(page, axe_source) == [], (scheme, name, "reverse")
            if name == "nielsen":
                page.get_by_label("Step by").select_option("layer")
                page.get_by_label("Mode").select_option("forward")  # the entry chooser
                page.get_by_role("button", name="Next step").click()
                assert violations(page, axe_source) == [], (scheme, name, "forward by layer")


@contextlib.contextmanager
def lab_widget(page, tmp_path, monkeypatch, *cells):
    """A notebook of ``cells`` run in a real JupyterLab; yields its (first) explorer widget."""
    import nbformat

    from .harness import JupyterLabServer, open_notebook, run_all_cells
    from .test_explorer_jupyterlab import REPO

    monkeypatch.setenv("PYTHONPATH", str(REPO))  # the kernel imports this checkout
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(cell) for cell in cells]
    source = tmp_path / "reader.ipynb"
    nbformat.write(nb, source)
    with JupyterLabServer() as server:
        open_notebook(page, server, server.copy_notebook(source))
        run_all_cells(page)
        widget = page.locator(".gad-explorer")
        widget.locator(".gad-svg").wait_for(timeout=30_000)
        yield widget


def test_axe_finds_nothing_in_the_widget_inside_jupyterlab(page, tmp_path, monkeypatch, axe_source):  # noqa: F811
    with lab_widget(page, tmp_path, monkeypatch,
                    f"import graphviz_ad as ad\nex = ad.explore(ad.parse({COLAH!r}, a=2, b=1))\nex") as widget:
        page.add_script_tag(content=axe_source)
        found = {}
        for mode in ("reverse", "forward", "paths"):
            widget.get_by_label("Mode").select_option(mode)
            if mode != "paths":
                widget.get_by_role("button", name="Next step").click()
            found[mode] = page.evaluate("async () => (await axe.run('.gad-explorer')).violations.map("
                                        "v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)")
        assert found == {"reverse": [], "forward": [], "paths": []}
        assert not re.search(r"Traceback", page.locator(".jp-OutputArea").first.inner_text())


def test_input_sliders_keep_their_place_and_arrow_keys_in_jupyterlab(page, tmp_path, monkeypatch):
    from .harness import cell_outputs_text
    from .test_explorer_jupyterlab import run_cell

    with lab_widget(page, tmp_path, monkeypatch,
                    f"import graphviz_ad as ad\nex = ad.explore(ad.parse({COLAH!r}, a=2, b=1), controls=True)\nex",
                    "print('python sees a =', ex.graph['a'].value)") as widget:
        slider = widget.get_by_label("Input a")
        start, low, high = (float(slider.get_attribute(k)) for k in ("value", "min", "max"))
        slider.focus()
        for _ in range(3):
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(700)  # each change retraces in the kernel, which sends the graph back
        value = float(slider.input_value())
        assert value > start  # moved right, and stayed there (no snap back to the middle)
        assert (float(slider.get_attribute("min")), float(slider.get_attribute("max"))) == (low, high)
        assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Input a"  # still focused
        run_cell(page, 1)
        seen = cell_outputs_text(page)[1]
        assert seen.startswith("python sees a =") and abs(float(seen.split("=")[1]) - value) < 1e-9  # Python agrees


def test_on_a_phone_targets_are_large_the_explanation_is_in_view_and_a_swipe_scrolls_the_page(
        chromium_browser, tmp_path):
    path = explore(ad.trace(network, W2, B2, W3, B3, a1=X, y=Y)).save_html(tmp_path / "nielsen.html")
    context = chromium_browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(path.as_uri())
    page.locator(".gad-explorer .gad-svg").wait_for()
    page.get_by_role("button", name="Next step").tap()
    for control in page.locator(".gad-explorer button:visible, .gad-explorer select:visible").all():
        box = control.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, (control.get_attribute("aria-label"), box)
    explain = page.locator(".gad-explain").bounding_box()
    assert explain["y"] + explain["height"] <= 844  # the step just taken is explained on screen, no scrolling
    assert explain["y"] < page.locator(".gad-graph").bounding_box()["y"]  # above the graph
    page.screenshot(path=str(screenshot_dir(tmp_path) / "phone-390.png"))
    # a vertical swipe that starts on the graph scrolls the page, not the graph
    cdp = context.new_cdp_session(page)
    graph = page.locator(".gad-graph").bounding_box()
    x, y = int(graph["x"] + 60), int(graph["y"] + graph["height"] - 40)
    before = page.locator(".gad-graph").evaluate("g => g.scrollTop")
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for k in range(1, 13):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y - 20 * k}]})
        page.wait_for_timeout(16)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_timeout(300)
    assert page.evaluate("scrollY") > 100
    assert page.locator(".gad-graph").evaluate("g => g.scrollTop") == before
    context.close()


def test_beside_jupyterlabs_side_bar_the_explanation_stays_under_the_controls(page, tmp_path, monkeypatch):
    page.set_viewport_size({"width": 1024, "height": 768})
    code = ("import numpy as np\nimport graphviz_ad as ad\nimport sys\n"
            f"sys.path.insert(0, {str(Path(__file__).resolve().parent.parent.parent)!r})\n"
            "from tests.browser.test_course_scale import network, W2, B2, W3, B3, X, Y\n"
            "ad.explore(ad.trace(network, W2, B2, W3, B3, a1=X, y=Y))")
    with lab_widget(page, tmp_path, monkeypatch, code) as widget:
        assert page.locator(".jp-SideBar .lm-TabBar-tab.lm-mod-current").count() >= 1  # the file browser is open
        nxt = widget.get_by_role("button", name="Next step")
        nxt.scroll_into_view_if_needed()
        for _ in range(3):
            nxt.click()
            explain, controls = widget.locator(".gad-explain").bounding_box(), nxt.bounding_box()
            assert 0 <= explain["y"] - (controls["y"] + controls["height"]) < 120  # right under the controls
            assert explain["y"] + 40 <= 768  # and on screen
        page.screenshot(path=str(screenshot_dir(tmp_path) / "jupyterlab-1024x768-sidebar.png"))


def test_in_a_real_jupyterlab_dark_theme_every_text_and_state_is_readable(page, tmp_path, monkeypatch):
    from .harness import JupyterLabServer
    from .test_accessibility import CONTRAST, SVG_CONTRAST

    dark = {**JupyterLabServer.SETTINGS_OVERRIDES, "@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"}}
    monkeypatch.setattr(JupyterLabServer, "SETTINGS_OVERRIDES", dark)
    with lab_widget(page, tmp_path, monkeypatch,
                    f"import graphviz_ad as ad\nad.explore(ad.parse({COLAH!r}, a=2, b=1))") as widget:
        assert page.evaluate("document.body.dataset.jpThemeLight") == "false"  # JupyterLab Dark is on
        for _ in range(2):  # e and d done; c current, reading d, its term the edge c → e
            widget.get_by_role("button", name="Next step").click()
        texts = {"current node's derivative": ("#deriv-n2", "#node-n2 > :is(polygon, path)"),
                 "done node's derivative": ("#deriv-n4", "#node-n4 > :is(polygon, path)"),
                 "read value": ("#value-n4", "#node-n4 > :is(polygon, path)"),
                 "pending node's name": ("#node-n0 text", "#node-n0 > :is(polygon, path)"),
                 "term edge's label": ("#edge-e5_0 text", None)}
        for what, (text, shape) in texts.items():
            handles = [widget.locator(text).first.element_handle(),
                       widget.locator(shape).first.element_handle() if shape else None]
            assert page.evaluate(SVG_CONTRAST, handles) >= 4.5, what
        for selector in (".gad-explain .gad-formula", ".gad-detail p", ".gad-heading", ".gad-table [role=columnheader]",
                         ".gad-table .gad-row-current [role=rowheader]"):
            assert widget.locator(selector).first.evaluate(CONTRAST) >= 4.5, selector
        # graphical states: the current, done, factor and read outlines ≥ 3:1 against the graph's background
        strokes = widget.locator(".gad-graph").evaluate("""g => {
            const parse = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
            const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
            const lum = ([r, gr, b]) => 0.2126 * f(r) + 0.7152 * f(gr) + 0.0722 * f(b);
            const bg = lum(parse(getComputedStyle(g).backgroundColor));
            const ratio = (sel) => { const l = lum(parse(getComputedStyle(g.querySelector(sel)).stroke));
              return (Math.max(l, bg) + 0.05) / (Math.min(l, bg) + 0.05); };
            return { current: ratio('.gad-current > :is(polygon, path)'), done: ratio('.gad-done > :is(polygon, path)'),
                     read: ratio('.gad-read > :is(polygon, path)'), term: ratio('.edge.gad-term > path') }; }""")
        assert min(strokes.values()) >= 3, strokes
        page.screenshot(path=str(screenshot_dir(tmp_path) / "jupyterlab-dark.png"))
