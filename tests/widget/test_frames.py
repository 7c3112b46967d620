"""Frames are the sweeps, exactly: colah's example step by step, and the data's size."""

import json

import pytest

import graphviz_ad as ad
from graphviz_ad.formatting import format_value
from graphviz_ad.widget.frames import build_frames, sweep_key


@pytest.fixture
def colah():
    return ad.parse("c = a + b; d = b + 1; e = c * d", a=2, b=1)


def test_reverse_frames_are_colahs_numbers(colah):
    data = build_frames(colah)
    steps = data["sweeps"]["reverse:e"]["steps"]
    names = [data["nodes"][s[0]][0] for s in steps]
    assert names == ["e", "d", "c", "b", "a"]
    assert [s[1] for s in steps] == ["1", "3", "2", "5", "2"]
    assert steps[3][3] == "∂e/∂b = ∂e/∂c·∂c/∂b + ∂e/∂d·∂d/∂b = 2·1 + 3·1 = 5"
    assert steps[3][2] == "∂e/∂b"
    # ∂e/∂d reads the stored value of c (∂e/∂d = c), ∂e/∂c reads d
    assert [data["nodes"][r][0] for r in steps[1][5]] == ["c"]
    assert [data["nodes"][r][0] for r in steps[2][5]] == ["d"]


@pytest.mark.parametrize("mode, seed", [("reverse", "e"), ("forward", "a"), ("forward", "b")])
def test_every_step_matches_the_engine(colah, mode, seed):
    data = build_frames(colah)
    sweep = colah.reverse(of=seed) if mode == "reverse" else colah.forward(wrt=seed)
    frames = data["sweeps"][sweep_key(mode, seed)]
    assert frames["cost"] == sweep.cost
    assert len(frames["steps"]) == len(sweep.steps)
    for frame, step in zip(frames["steps"], sweep.steps):
        node, value, symbol, text, terms, reads = frame
        assert node == step.node.index
        assert value == format_value(step.value)
        assert (symbol, text) == (step.symbol, step.text)
        assert reads == [r.index for r in step.reads]
        assert len(terms) == len(step.terms)
        for (edge, partial, factor, product), term in zip(terms, step.terms):
            dst, slot = data["edges"][edge][:2]
            assert (dst, slot) == (term.edge.dst_index, term.edge.slot)
            assert [partial, factor, product] == [format_value(term.partial), format_value(term.factor),
                                                  format_value(term.product)]


def test_edges_nodes_and_cost(colah):
    data = build_frames(colah)
    assert [n[0] for n in data["nodes"]][:3] == ["a", "b", "c"]
    ids = {f"e{e[0]}_{e[1]}": e for e in data["edges"]}
    assert set(ids) == {edge.id for edge in colah.edges}
    assert ids["e5_0"][3:5] == ["d", "2"]  # ∂e/∂c = d = 2
    assert data["cost"] == {"inputs": 2, "outputs": 1, "edges": 5, "forward_total": 10, "reverse": {"e": 5}}
    # the running counters of "compare" add up term counts; they must reach the sweeps' costs
    for sweep in data["sweeps"].values():
        assert sum(len(step[4]) for step in sweep["steps"]) == sweep["cost"]


def test_paths_and_how_the_sweeps_factor_them(colah):
    entry = build_frames(colah)["paths"]["b>e"]
    assert entry["count"] == 2
    assert [p[1:] for p in entry["paths"]] == [["b → c → e", "1·2 = 2"], ["b → d → e", "1·3 = 3"]]
    assert entry["sum_text"] == "∂e/∂b = 2 + 3 = 5"
    assert entry["forward_text"].endswith("= 2·1 + 3·1 = 5")
    assert entry["reverse_text"] == "∂e/∂b = ∂e/∂c·∂c/∂b + ∂e/∂d·∂d/∂b = 2·1 + 3·1 = 5"


def test_too_many_paths_are_counted_not_listed():
    text = "; ".join(f"x{i+1} = x{i} * x{i} + x{i}" for i in range(12))
    g = ad.parse(text, x0=0.5)
    entry = build_frames(g, path_limit=100)["paths"]["x0>x12"]
    assert entry["listed"] is False and entry["paths"] == []
    assert entry["count"] == g.count_paths("x0", "x12") > 100


def test_forward_sweeps_beyond_the_limit_are_listed_as_unavailable():
    g = ad.parse("s = a + b + c + d", a=1, b=2, c=3, d=4)
    data = build_frames(g, forward_limit=2)
    assert sorted(k for k in data["sweeps"] if k.startswith("forward")) == ["forward:a", "forward:b"]
    assert set(data["unavailable"]) == {"forward:c", "forward:d"}
    assert "running kernel" in data["unavailable"]["forward:c"]
    assert "forward:d" in build_frames(g, forward_limit=2, extra_forward=("d",))["sweeps"]


def test_size_grows_linearly_with_the_graph():
    def size(n):
        text = "; ".join(["h0 = x * x"] + [f"h{i+1} = sin(h{i}) * x + h{i}" for i in range(n)])
        return len(json.dumps(build_frames(ad.parse(text, x=0.3)), ensure_ascii=False))
    small, big = size(50), size(200)
    assert big < 4.6 * small  # 4× the nodes: about 4× the data, not 16× (no SVG per step)
