"""Tracing: inputs and their names, operators, numpy interoperation, scopes, the tape's shape."""

import numpy as np
import pytest

import graphviz_ad as ad


def test_inputs_are_named_by_parameter_and_path():
    def f(x, params, layers, *rest, scale=1.0):
        return x * params[0] * layers["W1"] * rest[0] * scale

    g = ad.trace(f, 1.0, [2.0, 3.0], {"W1": 4.0}, 5.0, scale=6.0)
    assert g.input_names == ("x", "params[0]", "params[1]", "W1", "rest[0]", "scale")
    assert g.value == 1 * 2 * 4 * 5 * 6


def test_nested_containers_and_arrays_as_inputs():
    g = ad.trace(lambda p: p["layer"][0].sum() + p["layer"][1], {"layer": [np.ones(3), 2.0]})
    assert g.input_names == ("layer[0]", "layer[1]")  # a dict argument's keys name its leaves
    assert g.value == 5.0


def test_locals_name_intermediates_and_explicit_names_win():
    def f(a, b):
        total = a + b
        named = ad.name(total * 2, "doubled")
        _hidden = named + 1
        return _hidden

    g = ad.trace(f, 1.0, 2.0)
    names = [n.name for n in g.nodes if n.kind != "const"]
    assert names == ["a", "b", "total", "doubled", "out"]


def test_names_are_unique():
    def f(x):
        h = x
        for _ in range(3):
            h = ad.name(h * 2, "h")
        return h

    g = ad.trace(f, 1.0)
    assert [n.name for n in g.nodes if n.op == "mul"] == ["h", "h_2", "h_3"]
    assert len({n.name for n in g.nodes}) == len(g)


def test_operators_both_sides_with_constants():
    def f(x):
        return [x + 1, 1 + x, x - 1, 1 - x, x * 2, 2 * x, x / 2, 2 / x, x ** 2, 2 ** x, -x, +x, abs(-x)]

    g = ad.trace(f, 3.0)
    assert [n.value for n in g.outputs] == [4, 4, 2, -2, 6, 6, 1.5, 2 / 3, 9, 8, -3, 3, 3]
    ops = [n.op for n in g.nodes if n.kind == "op"]
    assert ops.count("pow") == 2 and ops.count("neg") == 2 and ops.count("abs") == 1


def test_x_times_x_has_two_edges():
    g = ad.trace(lambda x: x * x, 3.0)
    edges = g.output.edges
    assert [(e.src.name, e.slot) for e in edges] == [("x", 0), ("x", 1)]
    assert [e.partial for e in edges] == [3.0, 3.0]
    assert g.reverse().gradient["x"] == 6.0


def test_comparisons_follow_the_branch_taken():
    def f(x):
        if x > 0:
            return x * 2
        return x * -3

    assert ad.trace(f, 1.0).output.op == "mul"
    assert ad.grad(f)(1.0) == 2.0 and ad.grad(f)(-1.0) == -3.0


def test_numpy_ufuncs_and_functions_are_recorded():
    def f(x):
        return np.sum(np.sin(x) * np.exp(x)) + np.mean(np.tanh(x)) + np.dot(x, x)

    x = np.array([0.1, 0.2, 0.3])
    g = ad.trace(f, x)
    assert {"sin", "exp", "sum", "mean", "tanh", "matmul"} <= {n.op for n in g.nodes}
    expected = np.sin(x) * np.exp(x) + np.cos(x) * np.exp(x) + (1 - np.tanh(x) ** 2) / 3 + 2 * x
    np.testing.assert_allclose(g.reverse().gradient["x"], expected)


def test_elementary_functions_work_on_plain_values_too():
    assert ad.exp(0) == 1.0 and type(ad.exp(0)) is float
    np.testing.assert_allclose(ad.sigmoid(np.array([0.0, 100.0, -100.0])), [0.5, 1.0, 0.0])
    assert ad.relu(-2.0) == 0.0 and ad.maximum(1, 2) == 2.0
    assert "cos(x)" in ad.sin.__doc__


def test_array_methods_broadcasting_and_indexing():
    def f(W, b):
        z = (W @ np.ones(3) + b).reshape(2, 1)
        return (z.T[0, 1] + W[1].sum() + W[:, 0].mean()) * len(b)

    W = np.arange(6.0).reshape(2, 3)
    g = ad.trace(f, W, np.array([1.0, 2.0]))
    grad = g.reverse().gradient
    assert grad["W"].shape == (2, 3) and grad["b"].shape == (2,)
    np.testing.assert_allclose(grad["b"], [0.0, 2.0])
    # ∂/∂W[1,0] = 2·(1 from z[1] + 1 from W[1].sum() + ½ from the column mean)
    np.testing.assert_allclose(grad["W"], [[1.0, 0.0, 0.0], [5.0, 4.0, 4.0]])


def test_iterating_an_array_gives_traced_rows():
    g = ad.trace(lambda v: sum(x * x for x in v), np.array([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(g.reverse().gradient["v"], [2.0, 4.0, 6.0])


def test_scopes_mark_nodes():
    def f(x):
        with ad.scope("layer1"):
            h = ad.tanh(x * 2)
            with ad.scope("inner"):
                h = h + 1
        return h * 3

    g = ad.trace(f, 0.5)
    scopes = {n.name: n.scope for n in g.nodes if n.kind != "const"}
    assert scopes["x"] == "" and scopes["v2"] == "layer1" and scopes["h"] == "layer1/inner"
    assert scopes["out"] == ""
    assert "# scope layer1/inner" in str(g)


def test_constants_are_nodes_but_not_inputs():
    g = ad.trace(lambda x: x * 2.5, 1.0)
    kinds = [n.kind for n in g.nodes]
    assert kinds == ["input", "const", "op"]
    assert g.input_names == ("x",)
    assert not g.edges[1].differentiable
    assert g.reverse().cost == 1


def test_values_on_the_tape_are_frozen():
    x = np.array([1.0, 2.0])
    g = ad.trace(lambda v: v * 2, x)
    x[0] = 100.0  # the caller's array is not the recorded one
    assert g["v"].value[0] == 1.0 and g.inputs == (g["v"],)
    with pytest.raises(ValueError):
        g.output.value[0] = 5.0


def test_output_structure_and_constant_outputs():
    g = ad.trace(lambda x: {"y": x * 2, "k": 3.0}, 1.0)
    assert g.output_names == ("y", "k") and g.outputs[0] == g["y"]
    assert g.outputs[1].kind == "const"


def test_graph_is_a_readable_ssa_listing():
    g = ad.parse("y = sin(x) * x; z = y / 2", x=1.0)
    lines = [tuple(part.strip() for part in line.split("#")) for line in str(g).splitlines()]
    assert lines == [("x = input", "1"), ("v1 = sin x", "0.8415"), ("y = mul v1 x", "0.8415"),
                     ("z = div y 2", "0.4207"), ("outputs: z",)]


def test_lookup_and_membership():
    g = ad.parse("c = a + b", a=1, b=2)
    assert g["c"].value == 3 and "c" in g and "zz" not in g
    assert g[g["a"].name] == g["a"]
    assert g.nodes[0] is not g.nodes[0] and g.nodes[0] == g.nodes[0]
    assert len(g) == 3
