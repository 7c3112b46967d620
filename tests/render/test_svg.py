"""SVG drawn by dot: the id contract, labels, values and states that actually appear,
frames that line up, and byte-identical output for the same graph."""

from __future__ import annotations

import re

import pytest

import graphviz_ad as ad
from graphviz_ad import render

from . import svgtools
from .conftest import COLAH

pytestmark = pytest.mark.needs_dot


def node_group(ids, i):
    return ids[f"node-n{i}"]


def test_id_contract_on_a_plain_graph(colah):
    svg = colah.to_svg()
    root = svgtools.parse(svg)
    ids = svgtools.ids(root)
    for node in colah.nodes:
        if node.kind == "const":
            assert f"node-{node.id}" not in ids  # written into d = b + 1
            continue
        group = ids[f"node-{node.id}"]
        assert group.tag == svgtools.SVG_NS + "g" and "node" in svgtools.classes(group)
        value, deriv = ids[f"value-{node.id}"], ids[f"deriv-{node.id}"]
        assert value.tag == deriv.tag == svgtools.SVG_NS + "text"
        assert value in list(group.iter()) and deriv in list(group.iter())
        assert value.text == ad.formatting.format_value(node.value)
        assert deriv.text == "\u00a0"  # room kept for a front-end to fill in
    for edge in colah.edges:
        if edge.differentiable:
            assert ids[f"edge-{edge.id}"].tag == svgtools.SVG_NS + "g"
            assert "edge" in svgtools.classes(ids[f"edge-{edge.id}"])
    assert 'id="node-n2"' in svg and "&#45;" not in "".join(re.findall(r'id="[^"]*"', svg))


def test_edge_labels_and_values_appear(colah):
    ids = svgtools.ids(svgtools.parse(colah.to_svg()))
    labels = {key[len("edge-"):]: svgtools.text(el) for key, el in ids.items() if key.startswith("edge-")}
    assert labels == {
        "e2_0": "∂c/∂a = 1", "e2_1": "∂c/∂b = 1", "e4_0": "∂d/∂b = 1",
        "e5_0": "∂e/∂c = d = 2", "e5_1": "∂e/∂d = c = 3",
    }
    assert svgtools.texts(ids["node-n5"]) == ["e", "= c · d", "=", "6", ""]
    assert svgtools.text(ids["node-n4"]) == "d = b + 1 = 2"


def test_reverse_frame_shows_states_derivatives_terms_and_reads(colah):
    sweep = colah.reverse()
    root = svgtools.parse(sweep.to_svg(step=3))
    ids = svgtools.ids(root)
    assert "current" in svgtools.classes(ids["node-n1"])
    assert {"done"} <= svgtools.classes(ids["node-n2"]) and {"done"} <= svgtools.classes(ids["node-n5"])
    assert "pending" in svgtools.classes(ids["node-n0"])
    assert ids["deriv-n1"].text == "∂e/∂b = 5"
    assert ids["deriv-n2"].text == "∂e/∂c = 2" and ids["deriv-n4"].text == "∂e/∂d = 3"
    assert ids["deriv-n0"].text == "∂e/∂a = ?"
    for edge_id, term in (("e2_1", "∂e/∂c·∂c/∂b = 2·1 = 2"), ("e4_0", "∂e/∂d·∂d/∂b = 3·1 = 3")):
        assert "term" in svgtools.classes(ids[f"edge-{edge_id}"])
        assert term in svgtools.texts(ids[f"edge-{edge_id}"])
    assert "term" not in svgtools.classes(ids["edge-e5_0"])
    caption = svgtools.text(ids["caption"])
    assert caption.startswith("Step 4 of 5 (reverse mode): ∂e/∂b = ∂e/∂c·∂c/∂b + ∂e/∂d·∂d/∂b = 2·1 + 3·1 = 5")


def test_reverse_frame_marks_the_stored_values_it_reads(colah):
    ids = svgtools.ids(svgtools.parse(colah.reverse().to_svg(step=2)))  # ∂e/∂c reads d
    assert "read" in svgtools.classes(ids["node-n4"])
    assert not any("read" in svgtools.classes(ids[f"node-n{i}"]) for i in (0, 1, 2, 5))
    assert "Reads the stored forward value d = 2" in svgtools.text(ids["caption"])


def test_forward_frame(colah):
    ids = svgtools.ids(svgtools.parse(colah.forward(wrt="b").to_svg(step=4)))
    assert [ids[f"deriv-n{i}"].text for i in (0, 1, 2, 4, 5)] == [
        "da/db = 0", "db/db = 1", "dc/db = 1", "dd/db = 1", "de/db = 5"]
    assert "∂e/∂c·dc/db = 2·1 = 2" in svgtools.texts(ids["edge-e5_0"])
    assert "∂e/∂d·dd/db = 3·1 = 3" in svgtools.texts(ids["edge-e5_1"])


def positions(svg: str) -> dict[str, str]:
    root = svgtools.parse(svg)
    found = {}
    for key, el in svgtools.ids(root).items():
        if key.startswith("node-"):
            shape = next(child for child in el if child.tag.endswith(("polygon", "path")))
            found[key] = shape.get("points") or shape.get("d")
    return found


def test_frames_of_one_sweep_line_up(colah):
    sweep = colah.reverse()
    svgs = [sweep.to_svg(step=k) for k in range(len(sweep.steps))]
    sizes = {re.search(r'<svg width="[^"]+" height="[^"]+"', svg).group(0) for svg in svgs}
    assert len(sizes) == 1
    first = positions(svgs[0])
    for svg in svgs[1:]:
        assert positions(svg) == first


def test_two_traces_give_byte_identical_svg():
    def f(a, b):
        c = a + b
        d = b + 1
        return c * d

    assert ad.trace(f, a=2.0, b=1.0).to_svg() == ad.trace(f, a=2.0, b=1.0).to_svg()
    first = ad.parse(COLAH, a=2, b=1).reverse().to_svg(step=2)
    second = ad.parse(COLAH, a=2, b=1).reverse().to_svg(step=2)
    assert first == second


def test_dark_theme_background(colah):
    root = svgtools.parse(colah.to_svg(theme="dark"))
    background = next(root.iter(svgtools.SVG_NS + "polygon"))
    assert background.get("fill").lower() == "#1e1e1e"


def test_path_highlight_classes(colah):
    path = colah.paths("b", "e")[1]  # b → d → e
    ids = svgtools.ids(svgtools.parse(colah.to_svg(path=path)))
    on_path = {key for key, el in ids.items() if "path" in svgtools.classes(el)}
    assert on_path == {"node-n1", "node-n4", "node-n5", "edge-e4_0", "edge-e5_1"}


def test_scope_clusters_and_collapsed_boxes():
    from .test_dot import scoped_graph

    g = scoped_graph()
    ids = svgtools.ids(svgtools.parse(g.to_svg()))
    assert {"cluster-0", "cluster-1", "cluster-2"} <= set(ids)
    assert svgtools.text(ids["cluster-2"]) == "inner"
    collapsed = svgtools.ids(svgtools.parse(g.reverse().to_svg(collapse=True, step=1)))
    assert svgtools.text(collapsed["scope-1"]) == "layer2 2 nodes 1 of 2 adjoints known"
    assert "current" in svgtools.classes(collapsed["scope-1"])
    assert "2 edges" in svgtools.text(collapsed["edge-scope0-scope1"])


def test_derivative_placeholder_is_a_full_size_line(colah):
    ids = svgtools.ids(svgtools.parse(colah.to_svg(derivative_placeholder="∂·/∂{name} = ?")))
    assert ids["deriv-n2"].text == "∂·/∂c = ?" and ids["deriv-n2"].get("font-size") == "12.00"


def test_svg_render_options_reach_the_drawing(colah):
    svg = colah.to_svg(labels="numeric", rankdir="LR")
    ids = svgtools.ids(svgtools.parse(svg))
    assert svgtools.text(ids["edge-e5_0"]) == "∂e/∂c = 2"


def test_mimebundles_display_graph_sweeps_and_frames(colah):
    sweep = colah.reverse()
    for shown, text in ((colah, "<Graph"), (sweep, "<ReverseSweep"), (sweep.frame(1), "step 2 of 5"),
                        (colah.forward(wrt="a"), "<ForwardSweep")):
        bundle = shown._repr_mimebundle_()
        assert bundle["image/svg+xml"].lstrip().startswith("<?xml")
        assert text in bundle["text/plain"]
    assert "∂e/∂d = ?" not in sweep._repr_mimebundle_()["image/svg+xml"]  # a sweep shows its final state
    assert 'class="node op current"' in sweep.frame(1)._repr_mimebundle_()["image/svg+xml"]


def test_too_large_graph_displays_as_text_not_an_exception():
    g = long_chain(800)  # 1,601 nodes, no scopes: more than max_nodes=1500 by default
    bundle = g._repr_mimebundle_()
    assert "image/svg+xml" not in bundle
    assert "not drawn" in bundle["text/plain"] and "1,601 nodes" in bundle["text/plain"]


def long_chain(n: int):
    def f(x):
        for _ in range(n):
            x = ad.sin(x) * 0.5
        return x
    return ad.trace(f, x=0.3)


def test_a_frame_of_a_sweep_can_be_rendered_in_any_order(colah):
    sweep = colah.reverse()
    late_first = sweep.to_svg(step=4)
    sweep.to_svg(step=0)
    assert sweep.to_svg(step=4) == late_first
    assert render.to_svg(colah, sweep=sweep, step=4) == late_first


def test_frame_caption_is_text_without_a_box(colah):
    ids = svgtools.ids(svgtools.parse(colah.reverse().to_svg(step=1)))
    caption = ids["caption"]
    assert not [el for el in caption.iter() if el.tag.endswith(("polygon", "path", "ellipse"))]
    assert svgtools.texts(caption)[:2] == ["Step 2 of 5 (reverse mode): ∂e/∂d = ∂e/∂e·∂e/∂d = 1·3 = 3",
                                           "Reads the stored forward value c = 3"]


@pytest.mark.needs_dot
def test_svg_later_builds_now_and_draws_the_same_svg_when_called(colah):
    draw = render.svg_later(colah, theme="dark")
    assert callable(draw) and draw() == render.to_svg(colah, theme="dark")
