"""``sweep.steps``: a sequence of Steps built when read, the same steps in every access path."""

import numpy as np
import pytest

import graphviz_ad as ad


@pytest.fixture
def colah():
    return ad.parse("c = a + b; d = b + 1; e = c * d", a=2, b=1)


def test_steps_read_alike_by_index_negative_index_slice_and_iteration(colah):
    for sweep in (colah.reverse(), colah.forward(wrt="b")):
        steps = sweep.steps
        listed = list(steps)
        assert len(steps) == len(listed) == len(sweep) == 5
        assert [s.number for s in listed] == list(range(5))
        assert [steps[k].text for k in range(5)] == [s.text for s in listed]
        assert steps[-1].text == listed[4].text and [s.text for s in steps[1:3]] == [s.text for s in listed[1:3]]
        assert [steps.node_index(k) for k in range(5)] == [s.node.index for s in listed]
        with pytest.raises(IndexError):
            steps[5]


def test_reverse_steps_are_colahs(colah):
    steps = colah.reverse().steps
    assert [(s.node.name, s.value) for s in steps] == [("e", 1), ("d", 3), ("c", 2), ("b", 5), ("a", 2)]
    assert steps[3].text == "∂e/∂b = ∂e/∂c·∂c/∂b + ∂e/∂d·∂d/∂b = 2·1 + 3·1 = 5"
    assert [t.text() for t in steps[3].terms] == ["∂e/∂c·∂c/∂b = 2·1 = 2", "∂e/∂d·∂d/∂b = 3·1 = 3"]
    assert [n.name for n in steps[1].reads] == ["c"]  # ∂e/∂d = c: the stored value backprop reads


def test_a_long_chain_reads_one_step_without_the_others():
    def chain(x):
        for _ in range(20_000):
            x = ad.sin(x)
        return x

    sweep = ad.trace(chain, 0.5).reverse()
    steps = sweep.steps
    assert len(steps) == 20_001
    last = steps[-1]
    assert last.node.name == "x" and last.value == sweep.gradient["x"]
    assert last.text.startswith(f"∂{sweep.of}/∂x = ∂{sweep.of}/∂v1·∂v1/∂x = ")


def test_array_terms_write_the_elementwise_product_as_hadamard():
    g = ad.trace(lambda x, w: (ad.tanh(x * w)).sum(), np.array([0.5, -1.0]), np.array([2.0, 3.0]))
    step = next(s for s in g.reverse().steps if s.node.name == "x")
    assert "⊙" in step.text and "·" not in step.text.split(" = ")[2]


def test_layers_group_consecutive_steps_by_scope():
    def net(W1, W2, x):
        with ad.scope("layer 1"):
            h = ad.tanh(W1 @ x)
        with ad.scope("layer 2"):
            out = ad.sigmoid(W2 @ h)
        with ad.scope("cost"):
            C = (out * out).sum()
        return C

    g = ad.trace(net, np.ones((3, 2)), np.ones((1, 3)), np.array([0.5, -1.0]))
    steps = g.reverse().steps
    layers = steps.layers()
    assert [layer.scope for layer in layers] == ["cost", "layer 2", "layer 1", ""]
    assert layers[0].start == 0 and layers[-1].stop == len(steps)
    assert all(a.stop == b.start for a, b in zip(layers, layers[1:]))  # they tile the sweep
    for layer in layers:
        assert {steps[k].node.scope for k in range(layer.start, layer.stop)} == {layer.scope}
    forward = g.forward(wrt="W1", index=(0, 0)).steps.layers()
    assert [layer.scope for layer in forward] == ["", "layer 1", "layer 2", "cost"]
