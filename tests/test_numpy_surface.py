"""The numpy surface: what the README says is recorded is recorded, under the user's names,
and everything else is refused by name within the error family, leaving the session usable."""

import re
from pathlib import Path

import numpy as np
import pytest

import graphviz_ad as ad
from graphviz_ad.numpy_dispatch import SUPPORTED_FUNCTIONS, SUPPORTED_UFUNCS
from graphviz_ad.primitives import REGISTRY

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
SECTION = README.split("### What numpy code is recorded", 1)[1].split("Conventions:", 1)[0]


def test_the_readme_lists_every_supported_function_and_ufunc():
    words = set(re.findall(r"[a-z_0-9]+", SECTION.replace("np.linalg.", "")))
    for name in SUPPORTED_FUNCTIONS:
        if name.startswith("np.linalg."):
            assert name.split(".")[-1] in words, name
        elif name not in ("np.iscomplexobj", "np.isrealobj", "np.may_share_memory", "np.shares_memory",
                          "np.result_type", "np.amax", "np.amin", "np.around"):
            assert name[3:] in words, name
    for name in SUPPORTED_UFUNCS:
        assert name in words, name
    assert f"{len(REGISTRY)} entries" in SECTION


@pytest.mark.parametrize("call, named", [
    (lambda x: np.linalg.eig(x), r"^np\.linalg\.eig "),
    (lambda x: np.fft.fft(x), r"^np\.fft\.fft "),
    (lambda x: np.sort(x), r"^np\.sort "),
    (lambda x: np.r_[x, x], r"np\.r_\[\.\.\.\]"),
    (lambda x: np.c_[x, x], r"np\.c_\[\.\.\.\]"),
    (lambda x: np.array([x, x]), r"np\.stack"),
    (lambda x: np.array([x[0], x[1]], dtype=np.float32), r"leave out dtype="),
    (lambda x: np.logaddexp([x[0], x[1]], 1.0), r"np\.logaddexp.*np\.stack"),
    (lambda x: x.sort(), r"\.sort\(\)"),
    (lambda x: x.tolist(), r"\.tolist\(\)"),
    (lambda x: ~x, r"operator ~"),
    (lambda x: x << 1, r"operator <<"),
    (lambda x: x & x, r"operator &"),
    (lambda x: pow(x, 2, 3), r"modulus"),
    (lambda x: x.sum(axis="a"), r"axis \('a',\)"),
    (lambda x: x.transpose(5, 0), r"transpose\(5, 0\)"),
    (lambda x: x.sum(out=np.zeros(())), r"out="),
    (lambda x: x.astype(int), r"astype\(int64\)"),
    (lambda x: np.linalg.norm(x.reshape(2, 2), ord=2), r"np\.linalg\.norm .*ord=2"),
    (lambda x: np.einsum("ii...->i", x.reshape(2, 2)), r"np\.einsum"),
    (lambda x: np.concatenate([x, np.ones((2, 2))]), r"np\.concatenate cannot join"),
])
def test_refusals_name_what_the_user_wrote_and_the_session_goes_on(call, named):
    x = np.arange(1.0, 5.0)
    with pytest.raises(ad.GraphvizADError, match=named):
        ad.grad(lambda x: call(x))(x)
    assert ad.grad(lambda x: np.sum(np.sinh(x)))(x) == pytest.approx(np.cosh(x))  # still usable


def test_an_unknown_method_is_an_attribute_error_too_so_hasattr_still_works():
    seen = []
    ad.trace(lambda x: seen.append(hasattr(x, "sort")) or x * 1.0, np.ones(2))
    assert seen == [False]
    with pytest.raises(AttributeError):
        ad.trace(lambda x: x.sort(), np.ones(2))


def test_each_numpy_function_is_drawn_under_the_name_the_user_wrote():
    g = ad.trace(lambda x: np.squeeze(np.expand_dims(x, 0)).sum() + np.flip(x).sum() + np.stack([x, x]).sum(),
                 np.ones(3))
    ops = [node.op for node in g.nodes]
    assert {"expand_dims", "squeeze", "flip", "stack"} <= set(ops)


def test_remainder_and_floor_division_follow_the_stated_conventions():
    x, y = 7.5, 2.0
    assert ad.grad(lambda x, y: x % y, argnums=(0, 1))(x, y) == (1.0, -np.floor(x / y))
    assert ad.grad(lambda x: x // 2.0)(x) == 0.0
    assert ad.grad(lambda x: sum(divmod(x, 2.0)))(x) == 1.0  # (x // 2 adds 0, x % 2 adds 1)


def test_clip_and_where_pass_the_derivative_to_the_chosen_branch():
    x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])
    assert ad.grad(lambda x: np.clip(x, -0.5, 0.5).sum())(x).tolist() == [0, 1, 1, 1, 0]
    assert ad.grad(lambda x: np.where(x > 0, x * 3, x * x).sum())(x).tolist() == [-4, -1, 0, 3, 3]
    # traced bounds: maximum then minimum, with their tie conventions
    assert ad.grad(lambda lo: np.clip(x, lo, 1.0).sum())(0.1) == 3.0  # -2, -0.5 and 0 are below it


def test_grad_of_an_output_of_size_one():
    assert ad.grad(lambda x: x * 3.0)(np.ones(1)).tolist() == [3.0]
    value, gradient = ad.value_and_grad(lambda x: (x * x).sum(keepdims=True))(np.arange(3.0))
    assert value.shape == (1,) and gradient.tolist() == [0.0, 2.0, 4.0]
    with pytest.raises(ad.ShapeError, match="shape \\(2,\\)"):
        ad.grad(lambda x: x * 3.0)(np.ones(2))


def test_an_op_of_many_operands_is_one_node_with_an_edge_per_operand():
    g = ad.trace(lambda a, b, c: np.stack([a, b, c, a]), np.ones(2), np.zeros(2), np.full(2, 2.0))
    stack = g.nodes[-1]
    assert stack.op == "stack" and [n.name for n in stack.inputs] == ["a", "b", "c", "a"]
    assert [edge.slot for edge in stack.edges] == [0, 1, 2, 3]
    assert [dst for dst, _ in g.consumers(g["a"].index)] == [stack.index, stack.index]
    sweep = g.reverse(seed=np.ones((4, 2)))
    assert sweep.gradient["a"].tolist() == [2.0, 2.0]
    assert g.differentiable_edge_count == 4


def test_item_keeps_the_element_in_the_graph():
    assert ad.grad(lambda x: x.sum(keepdims=True).item() * 2)(np.ones(3)).tolist() == [2.0, 2.0, 2.0]
    assert ad.grad(lambda x: x.item(1) * 3 + x.item(0, 1))(np.ones((2, 2))).tolist() == [[0, 4], [0, 0]]
    with pytest.raises(ad.ShapeError, match=r"\.item\(\) of x \(shape \(3,\)\) needs an index"):
        ad.grad(lambda x: x.item())(np.ones(3))


# -- arrays built from traced numbers -------------------------------------------------------
# numpy turns a list of traced numbers into an object array holding them; its arithmetic
# reaches their operators, and the first recorded op (or the output) records the array itself.

@pytest.mark.parametrize("f", [
    lambda x, y: np.mean([x, y]) * y,
    lambda x, y: np.var([x, y, x * y]),
    lambda x, y: np.std([x, y]),
    lambda x, y: (np.array([x, x + 1.0]) ** 2).sum() * y,
    lambda x, y: np.r_[x, y, 2.0].sum() * x,
    lambda x, y: (np.c_[np.array([x, y]), np.array([y, x])] ** 2).sum(),
    lambda x, y: np.exp([x, y]).sum(),
    lambda x, y: np.tanh(np.array([x, y])).prod(),
    lambda x, y: np.dot([x, y], [1.0, 2.0]),
    lambda x, y: (np.ones((3, 2)) @ np.array([x, 2 * y])).sum(),
    lambda x, y: np.linalg.norm([x, y]),
    lambda x, y: np.maximum([x, y], 0.5).sum(),
    lambda x, y: np.sum(np.floor([x, y]) * np.array([x, y])),
    lambda x, y: np.sum(np.stack([x, y]) * np.array([y, x])),
])
def test_lists_and_arrays_of_traced_numbers_are_recorded(f):
    report = ad.check_grad(f, 0.7, 1.3)
    assert report.ok, report


def test_an_array_of_traced_numbers_given_to_a_traced_op_or_returned_is_one_array_node():
    W = np.arange(6.0).reshape(3, 2)
    g = ad.trace(lambda W, x, y: W @ np.array([x, y]), W, 1.0, 2.0)
    ops = [node.op for node in g.nodes]
    assert ops.count("stack") == 1 and "matmul" in ops
    np.testing.assert_allclose(g.value, W @ [1.0, 2.0])
    # returned as it is, 2-D: stacked, then reshaped; both sweeps agree
    f = lambda x: np.array([[x, x ** 2], [1.0, np.sin(x)]])  # noqa: E731
    want = np.array([[1.0, 2 * 0.5], [0.0, np.cos(0.5)]])
    np.testing.assert_allclose(ad.jacrev(f)(0.5), want)
    np.testing.assert_allclose(ad.jacfwd(f)(0.5), want)
    assert [n.op for n in ad.trace(f, 0.5).nodes][-2:] == ["stack", "reshape"]
    # numpy's own arithmetic on the traced numbers is drawn number by number: mean = (x + y) / 2
    assert [n.op for n in ad.trace(lambda x, y: np.mean([x, y]), 1.0, 3.0).nodes] == [
        "input", "input", "add", "const", "div"]


def test_every_ufunc_on_a_list_of_traced_numbers_matches_it_on_an_array():
    without_object_loop = {"logaddexp", "logaddexp2", "float_power", "matmul"}  # numpy's own refusal
    for name in sorted(set(SUPPORTED_UFUNCS) - without_object_loop):
        ufunc = getattr(np, name)
        values = (1.3, 1.6) if name == "arccosh" else (0.3, 0.6)
        extra = (0.7,) * (ufunc.nin - 1)
        got = ad.grad(lambda x, y: np.sum(ufunc([x, y], *extra)), argnums=(0, 1))(*values)
        want = ad.grad(lambda v: ufunc(v, *extra).sum())(np.array(values))
        np.testing.assert_allclose(got, want, err_msg=name)


def test_traced_numbers_do_not_leave_the_graph_through_numpy():
    with pytest.raises(ad.TraceError, match="plain float64 number"):
        ad.grad(lambda x: np.float64(x))(1.0)
    with pytest.raises(ad.TraceError, match="leave out dtype="):
        ad.grad(lambda x: np.array([x, x], dtype=float).sum())(1.0)
    with pytest.raises(ad.TraceError, match="float\\(\\)"):
        ad.grad(lambda x: np.array([x, x]).astype(float).sum())(1.0)
    with pytest.raises(ad.TraceError, match="two different traces"):
        ad.grad(lambda x: ad.grad(lambda y: np.array([x, y]).sum())(2.0))(1.0)
    assert ad.grad(lambda x: np.asarray(x) * 2.0)(1.0) == 2.0
