"""The explorer's data is the sweeps, exactly: colah's example step by step, named fields,
texts made by the notation layer, names clipped as drawn, and the data's size."""

import json

import numpy as np
import pytest

import graphviz_ad as ad
from graphviz_ad import notation
from graphviz_ad.formatting import format_value
from graphviz_ad.widget.data import FORWARD_STEP_BUDGET, explorer_data, sweep_key, unavailable


@pytest.fixture
def colah():
    return ad.parse("c = a + b; d = b + 1; e = c * d", a=2, b=1)


def test_reverse_steps_are_colahs_numbers(colah):
    data = explorer_data(colah)
    steps = data["sweeps"]["reverse:e"]["steps"]
    assert [data["nodes"]["name"][i] for i in steps["node"]] == ["e", "d", "c", "b", "a"]
    assert steps["value"] == ["1", "3", "2", "5", "2"]
    assert steps["text"][3] == "∂e/∂b = ∂e/∂c·∂c/∂b + ∂e/∂d·∂d/∂b = 2·1 + 3·1 = 5"
    assert steps["symbol"][3] == "∂e/∂b"
    assert steps["term_texts"][3] == ["∂e/∂c·∂c/∂b = 2·1 = 2", "∂e/∂d·∂d/∂b = 3·1 = 3"]
    # ∂e/∂d reads the stored value of c (∂e/∂d = c), ∂e/∂c reads d
    assert [data["nodes"]["name"][r] for r in steps["reads"][1]] == ["c"]
    assert [data["nodes"]["name"][r] for r in steps["reads"][2]] == ["d"]
    assert data["sweeps"]["reverse:e"]["column"] == "∂e/∂·"


@pytest.mark.parametrize("mode, seed", [("reverse", "e"), ("forward", "a"), ("forward", "b")])
def test_every_step_matches_the_engine(colah, mode, seed):
    data = explorer_data(colah)
    sweep = colah.reverse(of=seed) if mode == "reverse" else colah.forward(wrt=seed)
    stored = data["sweeps"][sweep_key(mode, seed)]
    steps = stored["steps"]
    assert stored["cost"] == sweep.cost
    assert len(steps["node"]) == len(sweep.steps)
    for k, step in enumerate(sweep.steps):
        assert steps["node"][k] == step.node.index
        assert steps["value"][k] == format_value(step.value)
        assert (steps["symbol"][k], steps["text"][k]) == (step.symbol, step.text)
        assert steps["reads"][k] == [r.index for r in step.reads]
        assert len(steps["term_edges"][k]) == len(step.terms)
        for j, text, term in zip(steps["term_edges"][k], steps["term_texts"][k], step.terms):
            assert (data["edges"]["dst"][j], data["edges"]["slot"][j]) == (term.edge.dst_index, term.edge.slot)
            assert text == term.text()


def test_edges_nodes_and_cost(colah):
    data = explorer_data(colah)
    assert data["nodes"]["name"][:3] == ["a", "b", "c"]
    edges = data["edges"]
    ids = {f"e{d}_{s}" for d, s in zip(edges["dst"], edges["slot"])}
    assert ids == {edge.id for edge in colah.edges}
    assert data["cost"] == {"inputs": 2, "outputs": 1, "edges": 5, "forward_sweeps": 2, "forward_total": 10,
                            "reverse": {"e": 5}}
    # the running counters of "compare" add up term counts; they must reach the sweeps' costs
    for sweep in data["sweeps"].values():
        assert sum(len(terms) for terms in sweep["steps"]["term_edges"]) == sweep["cost"]


def test_paths_and_how_the_sweeps_factor_them(colah):
    entry = explorer_data(colah)["paths"]["b>e"]
    assert entry["count"] == 2
    assert entry["texts"] == ["b → c → e: 1·2 = 2", "b → d → e: 1·3 = 3"]
    assert entry["sum_text"] == "∂e/∂b = 2 + 3 = 5"
    assert entry["heading"].startswith("Paths from b to e: ∂e/∂b is the sum over the paths")
    assert entry["forward_text"].endswith("= 2·1 + 3·1 = 5")
    assert entry["reverse_text"] == "∂e/∂b = ∂e/∂c·∂c/∂b + ∂e/∂d·∂d/∂b = 2·1 + 3·1 = 5"


def test_too_many_paths_are_counted_not_listed():
    text = "; ".join(f"x{i+1} = x{i} * x{i} + x{i}" for i in range(12))
    g = ad.parse(text, x0=0.5)
    entry = explorer_data(g, path_limit=100)["paths"]["x0>x12"]
    assert entry["listed"] is False and entry["texts"] == []
    assert entry["count"] == g.count_paths("x0", "x12") > 100


def test_forward_sweeps_beyond_the_limit_are_listed_as_unavailable():
    g = ad.parse("s = a + b + c + d", a=1, b=2, c=3, d=4)
    data = explorer_data(g, forward_limit=2)
    assert sorted(k for k in data["sweeps"] if k.startswith("forward")) == ["forward:a", "forward:b"]
    assert set(data["unavailable"]) == {"forward:*"}  # one reason, for every input beyond the limit
    assert "running kernel" in unavailable(data, "forward:c") and unavailable(data, "reverse:s") is None
    assert "forward:d" in explorer_data(g, forward_limit=2, extra_forward=("d",))["sweeps"]


def test_a_large_graph_stores_the_forward_sweeps_that_fit_its_budget():
    xs = [f"x{k}" for k in range(8)]
    g = ad.parse(" + ".join([f"sin({x})" for x in xs] * 60), **dict.fromkeys(xs, 0.5))  # ~1,000 nodes
    data = explorer_data(g)
    stored = [k for k in data["sweeps"] if k.startswith("forward:")]
    assert len(stored) == max(1, FORWARD_STEP_BUDGET // len(g)) < len(xs)
    assert "running kernel" in unavailable(data, "forward:x7")


def test_a_long_name_is_stored_clipped_as_drawn():
    long = "n" * 10_000
    g = ad.trace(lambda **kw: kw[long] * 2.0, **{long: 1.5})
    data = explorer_data(g, max_label=40)
    text = json.dumps(data, ensure_ascii=False)
    # clipped in every text; whole only in the keys that name the sweeps by input, as the
    # wrt/of values Python and the browser share (it was 1 MB, repeated in every text)
    assert text.count(long) <= 3 and len(text) < 40_000
    assert data["nodes"]["name"][0] == "n" * 39 + "…"
    assert g.input_names == (long,)  # the full name stays in Python


def test_array_steps_are_written_in_matrix_form():
    W, x = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([0.5, -1.0])
    g = ad.trace(lambda W, x: (W @ x).sum(), W, x)
    steps = explorer_data(g)["sweeps"]["reverse:out"]["steps"]
    at_w = steps["text"][steps["node"].index(g["W"].index)]
    assert "ᵀ" in at_w and "[[" in at_w  # ∂out/∂W = ∂out/∂v·xᵀ with the entries written out
    assert at_w == notation.step_text(g.reverse().steps[steps["node"].index(g["W"].index)])


def test_size_grows_linearly_with_the_graph():
    def size(n):
        text = "; ".join(["h0 = x * x"] + [f"h{i+1} = sin(h{i}) * x + h{i}" for i in range(n)])
        return len(json.dumps(explorer_data(ad.parse(text, x=0.3)), ensure_ascii=False))
    small, big = size(50), size(200)
    assert big < 4.6 * small  # 4× the nodes: about 4× the data, not 16× (no SVG per step)
