"""The Explorer's Python side: traits both ways, clear errors, live inputs, the mimebundle."""

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
    assert ex.step == 2 and ex.text == "∂c/∂b = ∂c/∂a·∂a/∂b + ∂c/∂b·∂b/∂b = 1·0 + 1·1 = 1"
    # switching sweep in the browser sends mode and step together
    ex.set_state({"mode": "reverse", "step": 1})
    assert (ex.mode, ex.step) == ("reverse", 0) or (ex.mode, ex.step) == ("reverse", 1)
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
    with pytest.raises(SeedError, match=r"step=5 is out of range.*5 steps of the reverse sweep \(0…4\)"):
        ex.step = 5
    assert ex.step == 0  # a rejected value leaves the old one
    with pytest.raises(ExplorerError, match="needs a Graph"):
        explore(colah.reverse())
    for cls in (ExplorerError,):
        assert issubclass(cls, GraphvizADError) and issubclass(cls, ValueError)


def test_forward_sweeps_beyond_the_limit_are_computed_on_demand():
    g = ad.parse("s = a + b + c", a=1, b=2, c=3)
    ex = explore(g, mode="forward", forward_limit=1)
    assert "forward:c" not in ex.frames["sweeps"]
    ex.wrt = "c"
    assert "forward:c" in ex.frames["sweeps"]
    ex.step = ex.step_count - 1
    assert ex.text.endswith("= 1")


def test_input_controls_retrace(colah):
    ex = explore(colah, controls=True)
    assert ex._inputs == {"a": 2.0, "b": 1.0}
    ex.step = 3
    ex.input_values = {"b": 2.0}   # what a slider in the browser sends
    assert ex.graph["b"].value == 2.0
    assert ex.step == 3
    # e = (a+b)(b+1) at a=2, b=2: ∂e/∂b = (b+1) + (a+b) = 7
    assert ex.text == "∂e/∂b = ∂e/∂c·∂c/∂b + ∂e/∂d·∂d/∂b = 3·1 + 4·1 = 7"
    assert ex._inputs == {"a": 2.0, "b": 2.0}


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
