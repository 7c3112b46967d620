"""The DOT that render builds (no dot binary needed): golden files, ids, labels, options."""

from __future__ import annotations

import html
import re

import numpy as np
import pytest

import graphviz_ad as ad
from graphviz_ad import render

from .conftest import COLAH


def node_ids(source: str) -> list[str]:
    return re.findall(r'^\t+(n\d+) \[', source, flags=re.M)


def edge_ids(source: str) -> list[str]:
    return re.findall(r'-> \w+ \[.*id="edge-(e\d+_\d+)"', source)


def test_colah_graph_matches_golden(colah, golden):
    golden("colah.dot", colah.to_dot().source)


def test_colah_reverse_frame_matches_golden(colah, golden):
    # step 2 of the reverse sweep: ∂e/∂c is computed, reading the stored value of d
    golden("colah_reverse_step2.dot", colah.reverse().to_dot(step=2).source)


def test_colah_forward_frame_matches_golden(colah, golden):
    golden("colah_forward_b_step2.dot", colah.forward(wrt="b").to_dot(step=2).source)


def test_colah_path_matches_golden(colah, golden):
    path = colah.paths("b", "e")[1]
    golden("colah_path_b_d_e.dot", colah.to_dot(path=path).source)


def test_scoped_graph_collapsed_matches_golden(golden):
    golden("scoped_collapsed.dot", scoped_graph().to_dot(collapse=True).source)


def scoped_graph():
    def f(x, w):
        with ad.scope("layer1"):
            h = ad.tanh(w * x)
            h2 = h * h
        with ad.scope("layer2"):
            with ad.scope("inner"):
                y = ad.sigmoid(h2 + h)
        return y * 2.0
    return ad.trace(f, x=0.5, w=1.5)


def test_same_graph_gives_identical_dot():
    first = ad.parse(COLAH, a=2, b=1).reverse().to_dot(step=3).source
    second = ad.parse(COLAH, a=2, b=1).reverse().to_dot(step=3).source
    assert first == second


def test_every_drawn_node_and_edge_has_its_id(colah):
    source = colah.to_dot().source
    assert node_ids(source) == ["n0", "n1", "n2", "n4", "n5"]  # n3 is the constant 1, written into d = b + 1
    assert edge_ids(source) == ["e2_0", "e2_1", "e4_0", "e5_0", "e5_1"]
    for i in (0, 1, 2, 4, 5):
        assert f'id="node-n{i}"' in source
        assert f'ID="value-n{i}"' in source and f'ID="deriv-n{i}"' in source


def test_constants_inline_by_default_and_as_nodes_on_request(colah):
    assert "= b + 1" in colah.to_dot().source
    shown = colah.to_dot(show_constants=True).source
    assert node_ids(shown) == ["n0", "n1", "n2", "n3", "n4", "n5"]
    assert "e4_1" in edge_ids(shown)
    assert re.search(r'id="edge-e4_1"', shown) and re.search(r'n3 -> n4 \[class=const', shown)


def test_array_constants_are_always_drawn():
    g = ad.trace(lambda x: x * np.array([1.0, 2.0]), x=np.array([3.0, 4.0]))
    assert node_ids(g.to_dot().source) == ["n0", "n1", "n2"]


def test_fan_out_draws_one_labelled_edge_per_use():
    g = ad.trace(lambda x: x * x, x=3.0)
    source = g.to_dot().source
    assert edge_ids(source) == ["e1_0", "e1_1"]
    assert source.count("n0 -> n1") == 2
    assert source.count("∂out/∂x = x = 3") == 2


@pytest.mark.parametrize("labels, present, absent", [
    ("both", ["∂e/∂c = d = 2", "∂c/∂a = 1"], ["∂c/∂a = 1 = 1"]),
    ("symbolic", ["label=<&#160;∂e/∂c = d>", "label=<&#160;∂e/∂d = c>"], ["d = 2", "c = 3"]),
    ("numeric", ["label=<&#160;∂e/∂c = 2>", "label=<&#160;∂e/∂d = 3>"], ["= d", "= c"]),
    ("none", [], ["∂e/∂c", "∂c/∂a"]),
])
def test_label_modes(colah, labels, present, absent):
    edges = "\n".join(line for line in colah.to_dot(labels=labels).source.splitlines() if "->" in line)
    for text in present:
        assert text in edges
    for text in absent:
        assert text not in edges


def test_node_labels_show_name_expression_and_value(colah):
    source = colah.to_dot().source
    line = next(line for line in source.splitlines() if line.startswith("\tn5 "))
    assert "<B>e</B>" in line and "= c · d" in line and ">6<" in line


def test_large_arrays_show_shape_and_summary():
    g = ad.trace(lambda w: (w * 2.0).sum(), w=np.arange(20.0).reshape(4, 5))
    source = html.unescape(g.to_dot().source)
    assert "[4×5] mean 9.5, range 0…19" in source


def test_small_arrays_are_written_out_as_matrices_values_and_derivatives():
    w = np.array([[0.107, -0.0509, 2.5], [0.000921, 1234.5, -3.0], [1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    g = ad.trace(lambda w: (w * w).sum(), w=w)
    source = html.unescape(g.reverse().to_dot(step=2).source)
    line = next(line for line in source.splitlines() if line.startswith("\tn0 "))
    cells = [c for c in re.findall(r'<TD ALIGN="RIGHT"><FONT[^>]*>(?:<B>)?([^<]*)<', line)
             if not c.endswith("\xa0")]  # (not the "= " and "∂out/∂w = " before each matrix)
    # the value (4 rows × 3 columns) and then ∂out/∂w = 2w, entry by entry
    assert cells[:12] == ["0.107", "-0.0509", "2.5", "9.21e-4", "1230", "-3", "1", "2", "3", "4", "5", "6"]
    assert cells[12:] == ["0.214", "-0.102", "5", "0.00184", "2470", "-6", "2", "4", "6", "8", "10", "12"]
    assert "∂out/∂w =" in line and line.count('SIDES="LTB"') == 2  # two bracketed matrices
    # a short vector is a column
    v = ad.trace(lambda v: (v * 2.0).sum(), v=np.array([1.0, 2.0, 3.0])).to_dot().source
    vline = next(line for line in v.splitlines() if line.startswith("\tn0 "))
    assert vline.count("<TR><TD") >= 3 and 'ROWSPAN="3"' in vline


def test_kinds_are_distinct(colah):
    source = colah.to_dot().source
    assert re.search(r'^\tnode \[.*style=filled', source, flags=re.M)  # ops: square corners
    assert re.search(r'^\tn0 .*style="filled,rounded"', source, flags=re.M)
    assert not re.search(r'^\tn2 .*style=', source, flags=re.M)
    assert re.search(r"^\tn5 .*peripheries=2", source, flags=re.M)
    assert re.search(r'^\tn0 .*class=input', source, flags=re.M)
    assert re.search(r'^\tn5 .*class="op output"', source, flags=re.M)


def test_reverse_frame_states_terms_and_reads(colah):
    source = colah.reverse().to_dot(step=2).source
    assert re.search(r'^\tn2 .*class="op current"', source, flags=re.M)
    assert re.search(r'^\tn4 .*class="op done read"', source, flags=re.M)
    assert re.search(r'^\tn0 .*class="input pending".*style="filled,rounded,dashed"', source, flags=re.M)
    assert "∂e/∂c = 2" in source and "∂e/∂a = ?" in source
    term = next(line for line in source.splitlines() if 'id="edge-e5_0"' in line)
    assert "class=term" in term and "∂e/∂e·∂e/∂c = 1·2 = 2" in term
    assert "Step 3 of 5 (reverse mode)" in source and "Reads the stored forward value d = 2" in source


def test_forward_frame_states_and_terms(colah):
    source = colah.forward(wrt="b").to_dot(step=2).source
    assert re.search(r'^\tn2 .*class="op current"', source, flags=re.M)
    # tangents are totals, written d·/db; ∂ is an edge's local partial
    assert "dc/db = 1" in source and "de/db = ?" in source and "da/db = 0" in source
    assert "∂c/∂b·db/db = 1·1 = 1" in source and "∂c/∂a·da/db = 1·0 = 0" in source


def test_default_step_is_the_finished_sweep(colah):
    sweep = colah.reverse()
    assert sweep.to_dot().source == sweep.to_dot(step=len(sweep.steps) - 1).source
    assert "?" not in sweep.to_dot().source


def test_reverse_sweep_of_an_intermediate_leaves_later_nodes_off(colah):
    source = colah.reverse(of="c").to_dot().source
    assert re.search(r'^\tn5 .*class="op output off".*style="filled,dotted"', source, flags=re.M)


def test_path_highlight(colah):
    path = colah.paths("b", "e")[0]
    source = colah.to_dot(path=path).source
    on_path = [line for line in source.splitlines() if "path" in (re.search(r'class="?([\w ]+)', line) or [""])[0]]
    assert {re.search(r'id="(\S+)"', line).group(1) for line in on_path} == {
        "node-n1", "node-n2", "node-n5", "edge-e2_1", "edge-e5_0"}
    assert "Path b → c → e: ∂c/∂b·∂e/∂c = 1·2 = 2" in source


def test_path_from_another_graph_is_refused(colah):
    other = ad.parse(COLAH, a=2, b=1)
    with pytest.raises(render.RenderOptionError, match="different graph"):
        colah.to_dot(path=other.paths("b", "e")[0])


def test_scopes_are_clusters_nested_in_order():
    source = scoped_graph().to_dot().source
    assert re.findall(r"subgraph (cluster_\d+)", source) == ["cluster_0", "cluster_1", "cluster_2"]
    assert source.index("subgraph cluster_2") > source.index("subgraph cluster_1")  # inner inside layer2
    assert 'id="cluster-2"' in source and ">inner<" in source and ">layer1<" in source


def test_collapsed_boxes_count_nodes_and_merge_edges():
    source = scoped_graph().to_dot(collapse=True).source
    assert 'id="scope-0"' in source and 'id="scope-1"' in source
    assert "layer1" in source and "3 nodes" in source  # tanh's mul, tanh, h*h
    assert source.count("scope0 -> scope1") == 1 and "2 edges" in source  # h and h2 both feed layer2
    assert 'id="edge-scope1-n' in source


def test_dark_theme_changes_colours_not_structure(colah):
    light, dark = colah.to_dot().source, colah.to_dot(theme="dark").source
    assert 'bgcolor="#1E1E1E"' in dark and 'bgcolor="#FFFFFF"' in light
    assert node_ids(light) == node_ids(dark) and edge_ids(light) == edge_ids(dark)


def test_rankdir_and_caption_options(colah):
    assert "rankdir=BT" in colah.to_dot().source
    assert "rankdir=LR" in colah.to_dot(rankdir="LR").source
    assert "label=" not in colah.reverse().to_dot(caption=False).source.splitlines()[1]
    assert "my &lt;caption&gt;" in colah.to_dot(caption="my <caption>").source


def test_derivative_placeholder_reserves_room(colah):
    source = colah.to_dot(derivative_placeholder="∂e/∂{name} = ?").source
    assert "∂e/∂c = ?" in source and 'POINT-SIZE="12">∂e/∂a = ?' in source
    assert 'POINT-SIZE="2"' not in source


@pytest.mark.parametrize("options, message", [
    ({"colour": "red"}, "unknown drawing option 'colour'"),
    ({"labels": "all"}, "labels='all' is not one of"),
    ({"theme": "blue"}, "theme='blue'"),
    ({"rankdir": "XY"}, "rankdir='XY'"),
    ({"max_nodes": 0}, "max_nodes= must be an int"),
    ({"timeout": -1}, "timeout= must be a positive number"),
    ({"dpi": float("nan")}, "dpi= must be a positive number"),
    ({"collapse": "yes"}, "collapse= must be"),
    ({"path": "b → e"}, "path= must be one of the Path objects"),
])
def test_bad_options_are_named(colah, options, message):
    with pytest.raises(render.RenderOptionError, match=re.escape(message)):
        colah.to_dot(**options)


def test_step_is_validated_by_the_sweep(colah):
    with pytest.raises(ad.StepIndexError, match="out of range"):
        colah.reverse().to_dot(step=5)


def test_larger_arrays_are_heat_maps_of_their_value_and_derivative():
    w = np.linspace(-1.0, 1.0, 20).reshape(4, 5)
    g = ad.trace(lambda w: (w * 3.0).sum(), w=w)
    plain = g.to_dot().source
    line = next(line for line in plain.splitlines() if line.startswith("\tn0 "))
    colours = re.findall(r'BGCOLOR="(#[0-9a-f]{6})"', line)
    assert len(colours) == 20  # one block per entry (≤ 12 × 12), row-major
    assert colours[0] == "#2166ac" and colours[-1] == "#b2182b"  # -1 blue, +1 red, at full strength
    assert "[4×5] mean -5.55e-17, range -1…1" in html.unescape(line)  # shape and range beside the map
    frame = g.reverse().to_dot(step=2).source  # ∂out/∂w = 3 everywhere: a second map, all red
    line = next(line for line in frame.splitlines() if line.startswith("\tn0 "))
    assert re.findall(r'BGCOLOR="(#[0-9a-f]{6})"', line)[20:] == ["#b2182b"] * 20
    # a large array in blocks: 100 × 37 entries are 12 × 10 block means
    big = ad.trace(lambda w: w.sum(), w=np.ones((100, 37))).to_dot().source
    line = next(line for line in big.splitlines() if line.startswith("\tn0 "))
    assert line.count("BGCOLOR=") == 120
