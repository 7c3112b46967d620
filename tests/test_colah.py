"""colah's e = (a + b)·(b + 1) at a = 2, b = 1: every number of his figures."""

import pytest

import graphviz_ad as ad


def colah_traced(a, b):
    c = a + b
    d = b + 1
    e = c * d
    return e


@pytest.fixture(params=["parse", "trace"])
def g(request):
    if request.param == "parse":
        return ad.parse("c = a + b; d = b + 1; e = c * d", a=2, b=1)
    return ad.trace(colah_traced, a=2.0, b=1.0)


def test_values(g):
    assert {n: g[n].value for n in "abcde"} == {"a": 2, "b": 1, "c": 3, "d": 2, "e": 6}
    assert g.value == 6


def test_edge_partials_and_formulas(g):
    labelled = {(e.src.name, e.dst.name): (e.partial, e.formula) for e in g.edges if e.differentiable}
    assert labelled == {
        ("a", "c"): (1.0, "1"), ("b", "c"): (1.0, "1"), ("b", "d"): (1.0, "1"),
        ("c", "e"): (2.0, "d"), ("d", "e"): (3.0, "c"),
    }


def test_forward_from_b(g):
    fw = g.forward(wrt="b")
    assert fw.tangents == {"a": 0, "b": 1, "c": 1, "d": 1, "e": 5}
    assert fw.result == 5
    assert [s.node.name for s in fw.steps] == ["a", "b", "c", "d", "e"]
    # the tangent de/db (a total, d) from the local partials ∂e/∂c, ∂e/∂d and the tangents dc/db, dd/db
    assert fw.steps[-1].text == "de/db = ∂e/∂c·dc/db + ∂e/∂d·dd/db = 2·1 + 3·1 = 5"


def test_reverse_from_e(g):
    rv = g.reverse()
    assert rv.adjoints == {"e": 1, "c": 2, "d": 3, "a": 2, "b": 5}
    assert rv.gradient == {"a": 2, "b": 5}
    texts = {s.node.name: s.text for s in rv.steps}
    assert texts["b"] == "∂e/∂b = ∂e/∂c·∂c/∂b + ∂e/∂d·∂d/∂b = 2·1 + 3·1 = 5"
    assert texts["e"] == "∂e/∂e = 1 (the seed)"
    # Reverse mode reads stored forward values: ∂e/∂c = d needs d, ∂e/∂d = c needs c.
    reads = {s.node.name: [n.name for n in s.reads] for s in rv.steps}
    assert reads["c"] == ["d"] and reads["d"] == ["c"] and reads["b"] == []


def test_sum_over_paths(g):
    paths = g.paths("b", "e")
    assert sorted(p.product for p in paths) == [2.0, 3.0]
    assert [[n.name for n in p.nodes] for p in paths] == [["b", "c", "e"], ["b", "d", "e"]]
    assert sum(p.product for p in paths) == g.reverse().gradient["b"] == g.forward(wrt="b").result
    assert [p.product for p in g.paths("a", "e")] == [2.0]
    assert g.count_paths("b", "e") == 2


def test_one_forward_sweep_per_input_versus_one_reverse_sweep(g):
    forward_cost = sum(g.forward(wrt=x).cost for x in g.inputs)
    reverse_cost = g.reverse().cost
    assert reverse_cost == g.differentiable_edge_count == 5
    assert forward_cost == 2 * reverse_cost


def test_listing(g):
    text = str(g)
    assert "c = add a b" in text and "d = add b 1" in text and "e = mul c d" in text
    assert text.splitlines()[-1] == "outputs: e"


def test_a_frame_is_the_sweep_at_that_step(g, tmp_path):
    rv = g.reverse()
    frame = rv.frame(2)
    assert frame.to_dot().source == rv.to_dot(step=2).source
    written = frame.save(tmp_path / "frame.svg")
    assert "∂e/∂c = 2" in written.read_text(encoding="utf-8")
    assert "∂e/∂b = 5" not in written.read_text(encoding="utf-8")  # b is not reached until step 3
