"""The ∂-notation: the same text from every object, arrays written as matrices, ⊙ for
elementwise products, and every structural op's chain rule in matrix form."""

import numpy as np
import pytest
from test_registry import STRUCTURAL, cases, record

import graphviz_ad as ad
from graphviz_ad import notation
from graphviz_ad.graph import Graph
from graphviz_ad.primitives import REGISTRY
from graphviz_ad.sweeps import ForwardSweep, ReverseSweep

rng = np.random.default_rng(0)
W2, b2 = rng.standard_normal((4, 3)), rng.standard_normal(4)
W3, b3 = rng.standard_normal((2, 4)), rng.standard_normal(2)
x, y = np.array([0.5, -1.0, 0.25]), np.array([1.0, 0.0])


def nielsen(W2, b2, W3, b3):
    z2 = W2 @ x + b2
    a2 = ad.sigmoid(z2)
    z3 = W3 @ a2 + b3
    a3 = ad.sigmoid(z3)
    C = 0.5 * ((y - a3) ** 2).sum()
    return C


@pytest.fixture(scope="module")
def network():
    return ad.trace(nielsen, W2, b2, W3, b3)


def entries(text):
    return [float(v) for v in text.replace("[", " ").replace("]", " ").replace(",", " ").split()]


def test_bp4_step_shows_delta_a_and_every_entry_of_the_outer_product(network):
    sweep = network.reverse()
    step = next(s for s in sweep.steps if s.node.name == "W2")
    symbols, numbers, value = step.text.split(" = ")[1:]
    product = step.terms[0].edge.dst  # W2 @ x
    delta = sweep.adjoints[product.name]
    assert symbols == f"∂C/∂{product.name}·{product.inputs[1].name}ᵀ"
    assert "—" not in step.text
    left, right = numbers.split("·")
    np.testing.assert_allclose(entries(left), delta, rtol=5e-4)            # δ
    np.testing.assert_allclose(entries(right.rstrip("ᵀ")), x, rtol=5e-4)   # a (here the input x)
    shown = np.array(entries(value)).reshape(4, 3)                          # all 12 entries of δ aᵀ
    np.testing.assert_allclose(shown, np.outer(delta, x), rtol=5e-4, atol=1e-9)
    np.testing.assert_allclose(shown, sweep.gradient["W2"], rtol=5e-4, atol=1e-9)


def test_bp2_steps_are_w_transpose_delta_then_hadamard_with_sigma_prime(network):
    steps = {s.node.name: s for s in network.reverse().steps}
    assert steps["a2"].text.startswith("∂C/∂a2 = W3ᵀ·∂C/∂")
    assert steps["z2"].text.startswith("∂C/∂z2 = ∂C/∂a2 ⊙ ∂a2/∂z2 = ")
    numbers = steps["z2"].text.split(" = ")[2]
    assert numbers.count("⊙") == 1 and "·" not in numbers


def test_forward_matmul_term_in_matrix_form(network):
    step = next(s for s in network.forward(wrt="W2", index=(1, 2)).steps if s.node.op == "matmul")
    assert step.text.split(" = ")[1] == f"dW2/dW2[1, 2]·{step.node.inputs[1].name}"  # the seeded element named
    assert entries(step.text.split(" = ")[-1]) == pytest.approx([0, x[2], 0, 0])


def test_big_arrays_keep_their_summary():
    g = ad.trace(lambda A: (A * 2).sum(), np.ones((7, 7)))
    text = g.reverse().steps[-1].text
    assert "[7×7] mean 2" in text and text.count("[") < 6


@pytest.mark.parametrize("name", STRUCTURAL)
def test_every_structural_op_writes_its_chain_rule_in_both_modes(name):
    prim = REGISTRY[name]
    assert len(prim.chain_forms) == prim.arity
    for inputs, params in cases(name, np.random.default_rng(1)):
        tape, indices, out = record(name, inputs, params)
        graph = Graph(tape, (out,))
        if type(graph.tape.values[out]) is float:
            sweeps = [ReverseSweep(graph)]
        else:
            sweeps = [ReverseSweep(graph, index=(0,) * np.ndim(graph.tape.values[out]))]
        sweeps += [ForwardSweep(graph, graph.name_of(i), index=(0,) * np.ndim(inputs[k]) or None)
                   for k, i in enumerate(indices)]
        for sweep in sweeps:
            for step in sweep.steps:
                assert "—" not in step.text, step.text
                for term in step.terms:
                    assert "{" not in term.text(), term.text()  # every placeholder filled


def test_edge_term_step_and_path_write_themselves_as_the_notation_does():
    g = ad.parse("c = a + b; d = b + 1; e = c * d", a=2, b=1)
    edge = g["e"].edges[0]
    assert edge.text() == notation.edge_text(edge) == "∂e/∂c = d = 2"
    assert edge.text(labels="numeric") == "∂e/∂c = 2" and edge.text(labels="symbolic") == "∂e/∂c = d"
    step = g.forward(wrt="b").steps[-1]
    # forward: the tangent is a total (d), the edge's factor a local partial (∂)
    assert step.text == "de/db = ∂e/∂c·dc/db + ∂e/∂d·dd/db = 2·1 + 3·1 = 5"
    assert [t.text(digits=2) for t in step.terms] == ["∂e/∂c·dc/db = 2·1 = 2", "∂e/∂d·dd/db = 3·1 = 3"]
    assert g.reverse().steps[3].text == "∂e/∂b = ∂e/∂c·∂c/∂b + ∂e/∂d·∂d/∂b = 2·1 + 3·1 = 5"
    assert [p.text() for p in g.paths("b", "e")] == ["b → c → e: ∂c/∂b·∂e/∂c = 1·2 = 2",
                                                    "b → d → e: ∂d/∂b·∂e/∂d = 1·3 = 3"]
    assert notation.path_sum_text(g, g["b"].index, g["e"].index, g.paths("b", "e")) == "∂e/∂b = 2 + 3 = 5"
