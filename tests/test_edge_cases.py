"""Edge cases of the core that users hit: concrete conversions, 0·∞ terms, pow at 0,
structured tangents and cotangents, aliasing, sweep results, numpy comparisons,
Jacobians by several arguments, finite differences at a domain's edge, parse inputs."""

import gc
import math
import tracemalloc
import warnings

import numpy as np
import pytest

import graphviz_ad as ad

# -- converting a traced value ------------------------------------------------------

@pytest.mark.parametrize("convert", [float, math.exp, math.sin, np.float64], ids=lambda f: f.__name__)
def test_a_conversion_to_float_is_refused_instead_of_silently_losing_the_derivative(convert):
    with pytest.raises(ad.TraceError, match=r"traced value x .*(out of|drop it from) the graph"):
        ad.grad(lambda x: convert(x) * x)(3.0)


def test_rounding_stays_concrete_because_its_derivative_is_zero():
    assert ad.grad(lambda x: x * int(x))(2.5) == 2.0
    assert ad.grad(lambda x: x * round(x))(2.6) == 3.0
    assert ad.grad(lambda x: sum(x for _ in range(int(x))))(3.2) == 3.0


# -- 0·∞: terms with a zero factor ------------------------------------------------------

def test_a_node_the_output_does_not_depend_on_gets_gradient_zero_even_with_an_infinite_partial():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ad.NonFiniteWarning)
        dead = ad.parse("s = sqrt(y); e = x * 2", x=3.0, y=0.0)
        assert dead.reverse(of="e").gradient == {"x": 2.0, "y": 0.0}
        g = ad.parse("s = sqrt(y); e = x * s", x=3.0, y=0.0)
        assert g.forward(wrt="x").result == 0.0 == g.reverse().gradient["x"]
        step = g.forward(wrt="x").steps[-2]  # s = sqrt(y): its partial is ∞, its factor 0
        assert step.node.name == "s" and step.value == 0.0 and step.terms[0].product == 0.0
        assert ad.trace(lambda x, n: x ** n, x=-2.0, n=2.0).forward(wrt="x").result == -4.0
        # sqrt(relu(x)) is 0 for x < 0: both modes give 0 (relu' = 0 meets sqrt' = ∞)
        f = lambda x: ad.sqrt(ad.relu(x))
        assert ad.grad(f)(-1.0) == 0.0 == ad.trace(f, -1.0).forward().result
        # a scalar node that never reaches the output of an array graph
        gx, gy = ad.grad(lambda x, y: (x * 2).sum() + 0 * ad.sqrt(y), argnums=(0, 1))(np.ones(2), 0.0)
        assert gx.tolist() == [2.0, 2.0] and gy == 0.0
    # Inside arrays the products stay IEEE (documented): only unreached nodes add nothing.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ad.NonFiniteWarning)
        inside = ad.grad(lambda x: (ad.sqrt(x) * 0.0).sum())(np.array([0.0, 1.0]))
    assert math.isnan(inside[0]) and inside[1] == 0.0


def test_powers_are_differentiable_at_zero():
    poly = lambda x: 1.0 + 2.0 * x ** 1 + 3.0 * x ** 0
    assert ad.grad(poly)(0.0) == 2.0
    assert ad.trace(poly, 0.0).forward().result == 2.0
    assert ad.check_grad(lambda x: x ** 3 + x ** 0, 0.0)
    assert ad.grad(lambda x: (x ** 0).sum())(np.zeros(3, np.float32)).tolist() == [0.0, 0.0, 0.0]
    # ∂(x^y)/∂y where x^y = 0 is 0 (not 0·ln 0)
    dx, dy = ad.grad(lambda x, n: (x ** n).sum(), argnums=(0, 1))(np.array([0.0, 2.0]), np.array([2.0, 0.0]))
    assert dx.tolist() == [0.0, 0.0] and dy == pytest.approx([0.0, math.log(2.0)])


# -- tangents and cotangents have the structure of what they seed --------------------------

def test_dict_tangents_and_cotangents_are_matched_by_key_not_by_order():
    f = lambda p: 10 * p["a"] + p["b"]
    assert ad.jvp(f, ({"a": 2.0, "b": 3.0},), ({"b": 0.0, "a": 1.0},)) == (23.0, 10.0)
    _, vjp_fn = ad.vjp(lambda x: {"a": 10 * x, "b": x}, 2.0)
    assert vjp_fn({"b": 0.0, "a": 1.0}) == (10.0,)


@pytest.mark.parametrize("cotangent, message", [
    ([1.0, 0.0], "must be a dict with the keys 'a', 'b'; got a list"),
    ({"a": 1.0, "c": 0.0}, "got the keys 'a', 'c'"),
])
def test_a_cotangent_of_the_wrong_structure_is_refused(cotangent, message):
    _, vjp_fn = ad.vjp(lambda x: {"a": 10 * x, "b": x}, 2.0)
    with pytest.raises(ad.SeedError, match=message):
        vjp_fn(cotangent)
    assert vjp_fn({"a": 1.0, "b": 1.0}) == (11.0,)  # still usable


def test_jvp_wants_tuples_of_primals_and_tangents():
    with pytest.raises(ad.SeedError, match=r"jvp takes the primals as a tuple.*jvp\(f, \(x,\), \(t,\)\); got a float"):
        ad.jvp(lambda x: x, 1.0, 1.0)
    with pytest.raises(ad.SeedError, match="tangent 0 must be a list or tuple of 2 entries; got 3 entries"):
        ad.jvp(lambda xs: xs[0] * xs[1], ([2.0, 3.0],), ([1.0, 0.0, 0.0],))


# -- results never share memory with each other or with the caller's arrays -------------

def test_views_made_by_the_rules_do_not_alias_results():
    gx, gy = ad.grad(lambda x, y: (x.reshape(2, 2) + y).sum(), argnums=(0, 1))(np.ones(4), np.ones((2, 2)))
    assert not np.shares_memory(gx, gy)
    x, t = np.arange(6.0), np.ones(6)
    primal, tangent = ad.jvp(lambda x: x.reshape(2, 3), (x,), (t,))
    assert not np.shares_memory(primal, x) and not np.shares_memory(tangent, t)
    _, vjp_fn = ad.vjp(lambda x: x.T, np.ones((2, 3)))
    ct = np.ones((3, 2))
    assert not np.shares_memory(vjp_fn(ct)[0], ct)


def test_vjp_and_jvp_both_hand_back_writable_primal_outputs():
    out, _ = ad.vjp(lambda x: x * 2, np.ones(3))
    primal, _ = ad.jvp(lambda x: x * 2, (np.ones(3),), (np.ones(3),))
    out[0] = primal[0] = 5.0  # the caller's own arrays
    both, _ = ad.vjp(lambda x: (x * 2, x * 2), np.ones(2))
    assert not np.shares_memory(both[0], both[1])


def test_sweeps_copy_the_seed_and_hand_out_read_only_arrays():
    g = ad.trace(lambda x: (x * 2).sum(), np.ones(3))
    seed, sweeps = np.zeros(3), []
    for i in range(3):  # one array reused as the seed of three sweeps
        seed[:] = 0
        seed[i] = 1
        sweeps.append(g.forward(wrt="x", seed=seed))
    assert [s.tangents["x"].tolist() for s in sweeps] == np.eye(3).tolist()
    assert [s.result for s in sweeps] == [2.0, 2.0, 2.0]
    doubled = ad.trace(lambda x: x * 2, np.ones(3)).forward(seed=np.ones(3))
    with pytest.raises(ValueError, match="read-only"):
        doubled.tangents["out"][0] = 99.0
    assert doubled.result.tolist() == [2.0, 2.0, 2.0]


# -- numpy on traced values ---------------------------------------------------------------

def test_numpy_comparisons_and_tests_read_concrete_values_from_either_side():
    absolute = lambda a: a if np.float64(0.0) < a else -a
    assert (ad.grad(absolute)(2.0), ad.grad(absolute)(-2.0)) == (1.0, -1.0)
    masked = ad.grad(lambda x: (x * (np.zeros(3) < x)).sum())(np.array([-1.0, 2.0, 3.0]))
    assert masked.tolist() == [0.0, 1.0, 1.0]
    assert ad.grad(lambda x: x if not np.isnan(x) and np.isfinite(x) else 0.0)(1.0) == 1.0


def test_array_methods_flatten_ravel_and_dot():
    x = np.arange(6.0).reshape(2, 3)
    assert ad.grad(lambda x: (x.flatten() * np.arange(6.0)).sum())(x).tolist() == [[0, 1, 2], [3, 4, 5]]
    assert ad.grad(lambda x: x.ravel().sum())(x).shape == (2, 3)
    assert ad.grad(lambda x: x.dot(np.ones(3)).sum())(x).tolist() == [[1, 1, 1], [1, 1, 1]]
    assert ad.check_grad(lambda x: (x.dot(x.T) ** 2).sum(), x)
    assert ad.grad(lambda s: (s.flatten() * 3.0).sum())(2.0) == 3.0  # a number, reshaped to [1]
    assert ad.jacrev(lambda s: s.ravel())(2.0).tolist() == [1.0]


def test_max_and_min_make_a_numerically_stable_softmax_possible():
    def logsumexp(z):  # the stable form every course writes: subtract the row maximum first
        m = z.max(axis=1, keepdims=True)
        return (ad.log(ad.exp(z - m).sum(axis=1)) + m[:, 0]).sum()

    z = np.array([[1000.0, 1001.0], [3.0, 3.0]], np.float32)  # exp(1000) overflows float32
    softmax = ad.grad(logsumexp)(z)
    assert softmax.dtype == np.float32
    np.testing.assert_allclose(softmax, [[1 / (1 + np.e), np.e / (1 + np.e)], [0.5, 0.5]], rtol=1e-6)
    assert ad.check_grad(logsumexp, np.array([[0.3, -1.2, 2.0], [0.5, 0.5, 0.1]]))
    ties = np.array([2.0, 2.0, 1.0])
    assert ad.grad(lambda x: np.max(x))(ties).tolist() == [0.5, 0.5, 0.0]  # ties share equally
    edge = ad.trace(lambda x: x.max(), ties).edges[0]
    assert edge.formula == "[x = max]/ties" and edge.partial.tolist() == [0.5, 0.5, 0.0]
    assert ad.grad(lambda x: np.min(x, axis=0).sum())(np.array([[1.0, 5.0], [2.0, 4.0]])).tolist() == [[1, 0], [0, 1]]
    with pytest.raises(ad.ShapeError, match=r"max of x \(shape \(0,\)\)"):
        ad.trace(lambda x: x.max(), np.zeros(0))


def test_np_dot_beyond_two_dimensions_pairs_every_stack_as_numpy_does():
    rng = np.random.default_rng(3)
    a, b = rng.standard_normal((2, 3, 4)), rng.standard_normal((5, 4, 2))
    g = ad.trace(lambda a, b: np.dot(a, b), a, b)
    assert g.value.shape == (2, 3, 5, 2)  # not matmul's broadcast (which would refuse these shapes)
    np.testing.assert_allclose(g.value, np.dot(a, b))
    assert ad.check_grad(lambda a, b: (np.dot(a, b) ** 2).sum(), a, b)
    assert ad.trace(lambda a, b: np.dot(a, b), np.ones((3, 4)), np.ones((4, 5))).nodes[-1].op == "matmul"


# -- Jacobians ------------------------------------------------------------------------------

@pytest.mark.parametrize("jacobian", [ad.jacfwd, ad.jacrev], ids=["jacfwd", "jacrev"])
def test_jacobians_by_several_arguments_keep_the_dtype(jacobian):
    x, y = np.ones(2, np.float32), np.full(2, 3.0, np.float32)
    jx, jy = jacobian(lambda x, y: x * y, argnums=(0, 1))(x, y)
    assert jx.dtype == jy.dtype == np.float32
    assert jx.tolist() == [[3.0, 0.0], [0.0, 3.0]] and jy.tolist() == [[1.0, 0.0], [0.0, 1.0]]
    assert jacobian(lambda p: p["a"] * p["b"])({"a": 2.0, "b": 3.0}) == {"a": 3.0, "b": 2.0}
    first, again = jacobian(lambda x: x * 3.0, argnums=(0, 0))(np.array([1.0, 2.0]))
    assert first.tolist() == again.tolist() and not np.shares_memory(first, again)


# -- check_grad ---------------------------------------------------------------------------

def test_check_grad_stays_inside_the_domain_and_never_hides_a_nan():
    near_zero = ad.check_grad(lambda x: x ** 0.5, 1e-7)  # a step of 1e-6 would cross 0
    assert near_zero.ok and near_zero.rows[0].finite_difference == pytest.approx(0.5 / math.sqrt(1e-7))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ad.NonFiniteWarning)
        undefined = ad.check_grad(lambda x, n: x ** n, -2.0, 2.0)  # ∂/∂n = x^n·ln(x): nan
    assert not undefined.ok and math.isnan(undefined.max_error)
    assert "MISMATCH" in str(undefined)


# -- parse -------------------------------------------------------------------------------------

def test_parse_refuses_containers_and_numbers_too_large_for_a_float():
    with pytest.raises(ad.ParseError, match=r"input 'a' is a list; .*np.array"):
        ad.parse("c = a * 2", a=[1.0, 2.0])
    with pytest.raises(ad.ParseError, match="too large for a float"):
        ad.parse(str(2 ** 1024) + " + a", a=1.0)
    assert ad.parse(str(2 ** 1023) + " + a", a=1.0).value == float(2 ** 1023)


# -- failed traces are freed -------------------------------------------------------------------

def test_a_trace_whose_function_raises_leaves_no_reference_cycle():
    def failing(x):
        hidden = ad.tanh(x @ x)  # noqa: F841  (kept alive by the frame if the frame leaks)
        raise KeyError("from the user's code")

    big = np.ones((300, 300))
    gc.collect()
    gc.disable()
    try:
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(3):
            with pytest.raises(KeyError):
                ad.trace(failing, big)
        grown = tracemalloc.get_traced_memory()[0] - before
        tracemalloc.stop()
    finally:
        gc.enable()
    assert grown < big.nbytes, grown  # each leaked trace would hold its own 720 kB result
