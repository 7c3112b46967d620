"""The Explorer's Python side: traits both ways, clear errors, live inputs, the mimebundle."""

import numpy as np
import pytest

import graphviz_ad as ad
from graphviz_ad.errors import GraphvizADError, NodeLookupError, SeedError, TraceError
from graphviz_ad.widget import Explorer, ExplorerError, explore


@pytest.fixture
def colah():
    return ad.parse("c = a + b; d = b + 1; e = c * d", a=2, b=1)


def test_defaults_and_text(colah):
    ex = explore(colah)
    assert isinstance(ex, Explorer)
    assert (ex.mode, ex.of, ex.wrt, ex.step) == ("reverse", "e", "a", 0)
    assert ex.step_count == 5
    assert ex.text == "∂e/∂e = 1 (the seed)"
    ex.step = 3
    assert ex.text == "∂e/∂b = ∂e/∂c·∂c/∂b + ∂e/∂d·∂d/∂b = 2·1 + 3·1 = 5"
    ex.step = -1
    assert ex.step == 4 and ex.text.startswith("∂e/∂a =")


def test_state_round_trip_through_the_widget_protocol(colah):
    ex = explore(colah, mode="forward", wrt="b")
    state = ex.get_state()
    assert (state["mode"], state["wrt"], state["step"]) == ("forward", "b", 0)
    assert state["_svg"].startswith("<svg")
    # what the browser sends when a student clicks "Next step" twice
    ex.set_state({"step": 2})
    assert ex.step == 2 and ex.text == "dc/db = ∂c/∂a·da/db + ∂c/∂b·db/db = 1·0 + 1·1 = 1"
    # switching sweep in the browser sends mode and step together: a new sweep starts at 0
    ex.set_state({"mode": "reverse", "step": 1})
    assert (ex.mode, ex.step) == ("reverse", 0)
    assert ex.text == "∂e/∂e = 1 (the seed)"
    assert ex.get_state("mode")["mode"] == "reverse"


def test_changing_sweep_from_python_goes_back_to_step_zero(colah):
    ex = explore(colah, step=4)
    assert ex.step == 4
    ex.mode = "forward"
    assert ex.step == 0 and ex.step_count == 5
    ex.wrt = "b"
    ex.step = 4
    assert ex.text.endswith("= 2·1 + 3·1 = 5")


def test_paths_mode_steps_through_paths(colah):
    ex = explore(colah, mode="paths", wrt="b")
    assert ex.step_count == 2
    assert ex.text == "b → c → e: 1·2 = 2"
    ex.step = 1
    assert ex.text == "b → d → e: 1·3 = 3"


def test_bad_arguments_give_clear_errors(colah):
    with pytest.raises(ExplorerError, match=r"mode='sideways'.*reverse, forward, paths"):
        explore(colah, mode="sideways")
    with pytest.raises(SeedError, match=r"wrt='c' is a add node, not an input.*a, b"):
        explore(colah, mode="forward", wrt="c")
    with pytest.raises(NodeLookupError, match=r"wrt 'zz' names no node"):
        explore(colah, wrt="zz")
    with pytest.raises(SeedError, match=r"of='c' is not an output"):
        explore(colah, of="c")
    ex = explore(colah)
    with pytest.raises(ad.StepIndexError, match=r"step=5 is out of range.*5 steps of the reverse sweep \(0…4\)"):
        ex.step = 5
    assert ex.step == 0  # a rejected value leaves the old one
    with pytest.raises(ExplorerError, match="needs a Graph"):
        explore(colah.reverse())
    with pytest.raises(ExplorerError, match="step must be an int; got str '1'"):
        explore(colah, step="1")
    with pytest.raises(GraphvizADError):  # a bad value from the browser: refused, nothing changes
        ex.set_state({"mode": "sideways"})
    assert ex.mode == "reverse"
    ex.step = 3  # and the explorer still steps
    assert ex.text == "∂e/∂b = ∂e/∂c·∂c/∂b + ∂e/∂d·∂d/∂b = 2·1 + 3·1 = 5"


def test_forward_sweeps_beyond_the_limit_are_computed_on_demand():
    g = ad.parse("s = a + b + c", a=1, b=2, c=3)
    ex = explore(g, mode="forward", forward_limit=1)
    assert "forward:c" not in ex.data["sweeps"]
    ex.wrt = "c"
    assert "forward:c" in ex.data["sweeps"]
    ex.step = ex.step_count - 1
    assert ex.text.endswith("= 1")


def test_input_controls_retrace(colah):
    ex = explore(colah, controls=True)
    ex.step = 3
    ex.input_values = {"b": 2.0}   # what a slider in the browser sends
    assert ex.graph["b"].value == 2.0
    assert ex.step == 3
    # e = (a+b)(b+1) at a=2, b=2: ∂e/∂b = (b+1) + (a+b) = 7
    assert ex.text == "∂e/∂b = ∂e/∂c·∂c/∂b + ∂e/∂d·∂d/∂b = 3·1 + 4·1 = 7"
    assert ex.graph["e"].value == 12.0 and ex.graph["a"].value == 2.0  # (2+2)·(2+1): a kept its value
    ex.input_values = {"a": 3.0}
    assert ex.graph["b"].value == 2.0 and ex.graph["e"].value == 15.0


def test_controls_need_a_retraceable_graph():
    import numpy as np
    g = ad.trace(lambda x: (x * x).sum(), x=np.array([1.0, 2.0]))
    assert explore(g).text == "∂out/∂out = 1 (the seed)"  # arrays explore fine, without sliders
    with pytest.raises(TraceError, match="controls=True"):
        explore(g, controls=True)


def test_mimebundle_keeps_the_widget_view_and_adds_a_kernel_free_page(colah):
    ex = explore(colah)
    data, metadata = ex._repr_mimebundle_()
    assert data["application/vnd.jupyter.widget-view+json"]["model_id"] == ex.model_id
    page = data["text/html"]
    assert page.startswith("<iframe") and 'sandbox="allow-scripts"' in page
    assert "srcdoc=" in page and "&lt;script type=&quot;module&quot;&gt;" in page


# -- values from the browser that are rejected, and graphs with nothing to step through ----------

def test_a_value_the_browser_sends_that_is_rejected_leaves_the_previous_one(colah):
    import numpy as np
    ex = explore(colah)
    for bad in ({"step": 99}, {"of": "c"}, {"wrt": "c"}, {"mode": "sideways"}):
        with pytest.raises(GraphvizADError):
            ex.set_state(bad)  # what a message from the front end does
        assert (ex.mode, ex.of, ex.wrt, ex.step) == ("reverse", "e", "a", 0), bad
        assert ex.text == "∂e/∂e = 1 (the seed)"
    with pytest.raises(ad.StepIndexError):  # still the package's own error class from Python
        ex.step = 42
    arrays = explore(ad.trace(lambda W, x: ad.tanh(W @ x).sum(), np.ones((2, 3)), np.arange(3.0)))
    arrays.set_state({"mode": "forward", "step": 0})  # an array input: the sweep of one element
    assert (arrays.mode, arrays.wrt, arrays.step_count) == ("forward", "W[0, 0]", 5)
    arrays.set_state({"wrt": "W"})  # the whole array chosen: its first element
    assert arrays.wrt == "W[0, 0]"
    arrays.set_state({"wrt": "W[1, 2]"})
    assert arrays.text.startswith("dW/dW[1, 2] = [[0, 0, 0], [0, 0, 1]] (the seed)")
    for bad in ("W[2, 0]", "W[1]", "W[a]", "x[0, 0]"):  # out of range, wrong rank, not an index
        with pytest.raises(GraphvizADError):
            arrays.set_state({"wrt": bad})
        assert arrays.wrt == "W[1, 2]", bad


def test_a_graph_with_an_array_output_opens_and_says_why_there_is_no_reverse_sweep():
    import numpy as np
    ex = explore(ad.trace(lambda x: x * 2, np.arange(3.0)))
    assert (ex.mode, ex.of, ex.step_count) == ("reverse", "out", 0)
    assert ex.text.startswith("This sweep is not available: output 'out' is an array of shape (3,)")
    ex.mode = "paths"  # from the input's first element, at node level: x → out, each edge's factor
    assert (ex.wrt, ex.text) == ("x[0]", "x → out: 2 = 2")


def test_digits_and_clipped_names_reach_everything_the_widget_writes():
    ex = explore(ad.parse("c = a * b; e = sin(c)", a=1.23456789, b=2.3456789), digits=8)
    assert ex.data["nodes"]["value"][:2] == ["1.2345679", "2.3456789"]
    assert ex.data["sweeps"]["reverse:e"]["steps"]["value"][1] == "-0.96996905"
    short = explore(ad.parse("c = a * b; e = sin(c)", a=1.2345678, b=2.3456789), digits=2)
    short.step = 2
    assert short.text == "∂e/∂b = ∂e/∂c·∂c/∂b = -0.97·1.2 = -1.2"  # the explanation too

    def long_named(x, y):
        return ad.tanh(ad.name(x * y, "hidden_activation_" + "z" * 60) + 1)

    steps = explore(ad.trace(long_named, 0.5, 2.0), max_label=20).data["sweeps"]["reverse:out"]["steps"]
    assert steps["symbol"][2] == "∂out/∂hidden_activation_z…"  # clipped to 20, as drawn
    assert "z" * 30 not in steps["text"][3]  # and in the chain rule's text too


def test_inputs_that_are_not_finite_get_no_slider_and_the_page_stays_valid_json(tmp_path):
    import json
    import re
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ad.NonFiniteWarning)
        graph = ad.trace(lambda x, y: ad.log(x) * y, float("inf"), 2.0)
        ex = explore(graph, controls=True)
    assert ex._inputs == {"y": 2.0}
    page = ex.save_html(tmp_path / "inf.html").read_text(encoding="utf-8")
    state = re.search(r'<script type="application/json" id="gad-state">(.*?)</script>', page, re.S).group(1)
    json.loads(state, parse_constant=lambda name: pytest.fail(f"{name} is not JSON"))


def test_unusual_characters_in_names_survive_the_page(tmp_path):
    graph = ad.trace(lambda x: ad.name(x * 2, "\ud800lone") + ad.name(x * 3, "\u202eab"), 1.0)
    page = explore(graph).save_html(tmp_path / "odd.html").read_text(encoding="utf-8")
    assert "\\ud800lone" in page and "\u202e" not in page.split("<script")[0]


def test_constants_get_no_derivative_line_and_a_sweepless_explorer_says_so():
    import numpy as np
    weights = np.array([1.0, 2.0])
    ex = explore(ad.trace(lambda x: ad.name(np.sum(x * weights), "e"), np.array([1.0, 3.0])))
    assert "∂e/∂v1" not in ex._svg  # v1 is the constant array: it has no derivative to show
    symbols = [st["symbol"][k] for sw in ex.data["sweeps"].values()
               for st in [sw["steps"]] for k, node in enumerate(st["node"]) if node == 0]
    # x's derivative is written as a matrix (a 2-vector: a column): laid out for the widest
    # symbol and for the widest entry (at least "-0.000") in each of its two entries
    assert "∂e/∂x" in symbols and f"{max(symbols, key=len)} =" in ex._svg
    assert 'id="deriv-n0-0"' in ex._svg and 'id="deriv-n0-1"' in ex._svg and 'id="deriv-n0-2"' not in ex._svg
    assert ex._svg.count(">-0.000<") >= 2
    assert "no steps" in repr(explore(ad.trace(lambda x: x * 2, np.arange(3.0))))


def test_the_drawing_keeps_heat_map_colours_and_marks_the_blocks_a_sweep_fills():
    """compact_svg drops Graphviz's colours (the page's CSS themes every shape) but a heat map's
    blocks keep theirs, the derivative's blank blocks are marked for the page to colour, and a
    drawing without heat maps gets no such marks (its background polygon is not a block)."""
    weights = np.linspace(-1, 1, 120).reshape(10, 12)
    heat = explore(ad.trace(lambda W, x: ad.tanh(W @ x).sum(), weights, np.linspace(-1, 1, 12)))._svg
    w_node = heat[heat.index('<g id="node-n0"'):]
    w_node = w_node[:w_node.index("</g>")]
    assert w_node.count('class="gad-cell" style="fill:#') == 120  # the value's 10×12 blocks
    assert w_node.count('class="gad-dcell"') == 120  # the derivative's, blank until a sweep
    assert w_node.count('class="gad-heat-frame"') == 2
    plain = explore(ad.trace(lambda a, b: (a + b) * (b + 1), 2.0, 1.0))._svg
    assert "gad-cell" not in plain and "gad-dcell" not in plain and 'fill="#' not in plain
