"""The Graph API's one convention (tuples of views, lookup by name), the renamed fields, and
errors that name what the user called."""

import numpy as np
import pytest

import graphviz_ad as ad


@pytest.fixture
def colah():
    return ad.parse("c = a + b; d = b + 1; e = c * d", a=2, b=1)


def two_outputs(x, y):
    return x * y, x + y


def test_collections_are_tuples_of_views_in_recording_order(colah):
    assert isinstance(colah.inputs, tuple) and isinstance(colah.outputs, tuple)
    assert colah.inputs == (colah["a"], colah["b"]) and colah.input_names == ("a", "b")
    assert colah.outputs[0] == colah["e"] == colah.output and colah.output_names == ("e",)
    assert [node.index for node in colah.inputs] == list(colah.input_indices)
    assert all(node in colah for node in colah) and "e" in colah and "zz" not in colah


def test_outputs_keep_the_order_the_function_returned_them():
    g = ad.trace(lambda x, y: (x + y, x * y), 2.0, 3.0)
    assert [n.value for n in g.outputs] == [5.0, 6.0]
    assert g.reverse(of=g.outputs[1]).gradient == {"x": 3.0, "y": 2.0}


def test_edge_slot_names_the_argument_position():
    g = ad.trace(lambda x: x * x, 3.0)
    edges = g.output.edges
    assert [(e.slot, e.src_index, e.src.name) for e in edges] == [(0, 0, "x"), (1, 0, "x")]
    assert [e.id for e in edges] == ["e1_0", "e1_1"]


def test_recipe_retraces(colah):
    assert colah.retrace(a=3.0).value == 8.0 and colah.scalar_inputs == {"a": 2.0, "b": 1.0}
    made_for_one_call = ad.trace(lambda a: a * 2, 1.0).recipe.with_values({"a": 4.0})
    assert made_for_one_call.value == 8.0


def test_forward_result_has_one_type():
    g = ad.trace(two_outputs, 2.0, 3.0)
    sweep = g.forward(wrt="x")
    assert sweep.results == {g.output_names[0]: 3.0, g.output_names[1]: 1.0}
    with pytest.raises(ad.NodeLookupError, match="2 outputs.*results"):
        sweep.result
    assert ad.trace(lambda x: x * 2, 1.0).forward().result == 2.0


def test_steps_out_of_range_are_index_errors(colah):
    sweep = colah.reverse()
    for bad in (5, -6):
        with pytest.raises(IndexError, match="out of range"):
            sweep.to_dot(step=bad)
        with pytest.raises(ad.StepIndexError):
            sweep.frame(bad)
    assert sweep.frame(-1).step == 4  # negative steps count from the end, as in a sequence


def test_errors_name_the_transform_the_user_called():
    vector = lambda x: x * 2  # noqa: E731
    with pytest.raises(ad.ShapeError, match=r"^grad needs f to return a scalar"):
        ad.grad(vector)(np.ones(3))
    with pytest.raises(ad.ShapeError, match=r"^value_and_grad needs f to return a scalar"):
        ad.value_and_grad(vector)(np.ones(3))
    with pytest.raises(ad.TraceError, match=r"^grad: argnums=3"):
        ad.grad(vector, argnums=3)(1.0)


@pytest.mark.parametrize("call", [
    lambda g: g.reverse(seed="x"),
    lambda g: g.forward(wrt="a", seed=[1, 2]),
    lambda g: ad.jvp(lambda x: x * 2, (1.0,), ("s",)),
    lambda g: ad.vjp(lambda x: x * 2, np.ones(2))[1](["a", "b"]),
    lambda g: ad.trace(lambda W: (W * 2).sum(), np.ones(2)).forward(seed=np.array(["p", "q"])),
])
def test_bad_seeds_are_seed_errors_naming_the_seed(colah, call):
    with pytest.raises(ad.SeedError, match="seed|tangent|cotangent"):
        call(colah)
    assert colah.reverse().gradient == {"a": 2.0, "b": 5.0}  # the graph is still usable
