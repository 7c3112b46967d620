"""grad, value_and_grad, jvp, vjp, jacfwd, jacrev and check_grad: values, structures, references."""

import math

import numpy as np
import pytest

import graphviz_ad as ad


def f_scalar(x, y):
    return ad.sin(x) * y + x ** 2


def test_grad_and_argnums():
    x, y = 0.3, 2.0
    assert ad.grad(f_scalar)(x, y) == pytest.approx(math.cos(x) * y + 2 * x)
    assert ad.grad(f_scalar, argnums=1)(x, y) == pytest.approx(math.sin(x))
    dx, dy = ad.grad(f_scalar, argnums=(0, 1))(x, y)
    assert (dx, dy) == pytest.approx((math.cos(x) * y + 2 * x, math.sin(x)))
    value, g = ad.value_and_grad(f_scalar)(x, y)
    assert value == pytest.approx(math.sin(x) * y + x ** 2) and g == pytest.approx(dx)


def test_gradients_have_the_structure_of_the_argument():
    def loss(params, data):
        return (params["w"] * data).sum() + params["b"][0] * params["b"][1]

    params = {"w": np.array([1.0, 2.0]), "b": [3.0, 4.0]}
    g = ad.grad(loss)(params, np.array([5.0, 6.0]))
    assert set(g) == {"w", "b"} and isinstance(g["b"], list)
    np.testing.assert_allclose(g["w"], [5.0, 6.0])
    assert g["b"] == [4.0, 3.0]
    assert ad.grad(lambda ps: sum(p * p for p in ps))([1.0, 2.0, 3.0]) == [2.0, 4.0, 6.0]
    assert ad.grad(lambda t: t[0] * t[1])((2.0, 5.0)) == (5.0, 2.0)


def test_inputs_the_output_ignores_get_zero_gradients():
    g = ad.grad(lambda a, b: a * 2, argnums=(0, 1))(1.0, np.ones(3))
    assert g[0] == 2.0 and np.array_equal(g[1], np.zeros(3))
    g = ad.trace(lambda a, b: a * 2, 1.0, 5.0)
    assert g.reverse().gradient == {"a": 2.0, "b": 0.0}


def test_array_leaves_the_output_ignores_get_zero_arrays_of_their_dtype():
    params = {"w": np.ones(3, np.float32), "unused": np.ones((2, 2), np.float32), "s": 1.0}
    value, g = ad.value_and_grad(lambda p: (p["w"] * 3.0).sum())(params)
    assert value == 9.0
    np.testing.assert_array_equal(g["w"], np.full(3, 3.0, np.float32))
    assert g["unused"].dtype == np.float32 and np.array_equal(g["unused"], np.zeros((2, 2)))
    assert g["s"] == 0.0


def test_zero_gradients_are_positive_zero_in_graphs_with_arrays_too():
    # -relu(s) at s < 0 gives -1·0 = -0.0, and 0.0 + -0.0 = 0.0 as in the float-only sweep
    A = np.ones(2)
    assert math.copysign(1.0, ad.grad(lambda s: 1.0 - ad.relu(s))(-1.0)) == 1.0
    gs, _ = ad.grad(lambda s, A: A.sum() - ad.relu(s), (0, 1))(-1.0, A)
    assert math.copysign(1.0, gs) == 1.0
    g = ad.trace(lambda s, A: (A * s).sum() * -0.0, s=3.0, A=A).reverse().gradient
    assert not np.signbit(g["A"]).any() and not np.signbit(g["s"])


def test_gradients_are_never_aliases_of_each_other_or_of_the_callers_cotangent():
    A, B, ct = np.ones(2), np.ones(2), np.array([1.0, 2.0])
    ga, gb = ad.vjp(lambda a, b: a + b, A, B)[1](ct)
    assert ga is not gb and ga is not ct and gb is not ct
    ga -= 1.0
    np.testing.assert_array_equal(gb, [1.0, 2.0])
    np.testing.assert_array_equal(ct, [1.0, 2.0])
    g = ad.grad(lambda p: (p["a"] + p["b"]).sum())({"a": A, "b": B})
    assert g["a"] is not g["b"]


def test_jvp_never_returns_the_callers_arrays_or_one_array_twice():
    A, T = np.ones(2), np.array([1.0, 2.0])
    out, tangent = ad.jvp(lambda x: x, (A,), (T,))
    assert out is not A and tangent is not T
    np.testing.assert_array_equal(out, A)
    np.testing.assert_array_equal(tangent, T)
    (y1, y2), (t1, t2) = ad.jvp(lambda x: (x * 2.0,) * 2, (A,), (T,))  # one node, output twice
    assert y1 is not y2 and t1 is not t2
    np.testing.assert_array_equal(t2, 2.0 * T)


def test_numpy_integers_are_accepted_as_argnums():
    assert ad.grad(lambda a, b: a * b, np.int64(1))(2.0, 3.0) == 2.0
    assert ad.grad(lambda a, b: a * b, (np.int64(0), 1))(2.0, 3.0) == (3.0, 2.0)
    np.testing.assert_array_equal(ad.jacrev(lambda a, b: a * b, np.int64(1))(2.0, np.ones(2)), 2.0 * np.eye(2))


def test_non_differentiated_arguments_stay_constants():
    seen = []

    def loss(w, X):
        seen.append(type(X))
        return (X @ w).sum()

    ad.grad(loss)(np.ones(2), np.ones((3, 2)))
    assert seen == [np.ndarray]


def test_grad_needs_a_scalar_output():
    with pytest.raises(ad.ShapeError, match=r"returned an array of shape \(2,\).*jacrev"):
        ad.grad(lambda v: v * 2)(np.ones(2))
    with pytest.raises(ad.TraceError, match="argnums=3 does not fit"):
        ad.grad(f_scalar, argnums=3)(1.0, 2.0)


def test_jvp_is_j_times_v():
    def f(x, y):
        return ad.tanh(x) * y, x + y

    out, tangent = ad.jvp(f, (0.5, 2.0), (1.0, 0.5))
    assert out == pytest.approx((math.tanh(0.5) * 2.0, 2.5))
    expected = (1 - math.tanh(0.5) ** 2) * 2.0 * 1.0 + math.tanh(0.5) * 0.5
    assert tangent == pytest.approx((expected, 1.5))
    with pytest.raises(ad.SeedError, match="has shape"):
        ad.jvp(lambda v: v.sum(), (np.ones(3),), (np.ones(2),))


def test_vjp_returns_one_cotangent_per_primal():
    W = np.array([[1.0, 2.0], [3.0, 4.0]])
    out, vjp_fn = ad.vjp(lambda W, x: W @ x, W, np.array([1.0, -1.0]))
    np.testing.assert_allclose(out, [-1.0, -1.0])
    dW, dx = vjp_fn(np.array([1.0, 0.5]))
    np.testing.assert_allclose(dW, np.outer([1.0, 0.5], [1.0, -1.0]))
    np.testing.assert_allclose(dx, W.T @ [1.0, 0.5])
    with pytest.raises(ad.SeedError, match="has shape"):
        vjp_fn(np.ones(3))


def test_vjp_with_an_output_returned_twice_adds_both_cotangents():
    _, vjp_fn = ad.vjp(lambda x: (x * 3, x * 3), 1.0)
    assert vjp_fn((1.0, 1.0)) == (6.0,)


def test_jacobians_by_both_modes_agree_and_have_jax_shapes():
    def f(x):
        return ad.sin(x) * x.sum()

    x = np.array([0.1, 0.2, 0.3])
    forward, reverse = ad.jacfwd(f)(x), ad.jacrev(f)(x)
    expected = np.diag(np.cos(x) * x.sum()) + np.sin(x)[:, None]
    np.testing.assert_allclose(forward, expected)
    np.testing.assert_allclose(reverse, expected)
    assert ad.jacfwd(lambda a: a * a)(3.0) == 6.0
    assert ad.jacrev(lambda ps: ps[0] * ps[1])([2.0, 3.0]) == [3.0, 2.0]


def test_check_grad_reports_agreement_and_mismatch():
    report = ad.check_grad(lambda x, y: (ad.exp(x) * y).sum(), 0.5, np.array([1.0, 2.0]))
    assert report and report.ok and report.checked == 3
    assert "all agree" in str(report) and "y[1]" in str(report)

    # At relu's kink the convention (0) and the central difference (½) disagree: a real mismatch.
    broken = ad.check_grad(ad.relu, 0.0)
    assert not broken and "MISMATCH" in str(broken)
    assert broken.rows[0].reverse == 0.0 and broken.rows[0].finite_difference == pytest.approx(0.5)


def test_check_grad_samples_large_inputs():
    report = ad.check_grad(lambda v: (v * v).sum(), np.linspace(0, 1, 500), max_elements=20)
    assert report.ok and report.checked == 20 and report.total == 500 and "sampled" in str(report)
