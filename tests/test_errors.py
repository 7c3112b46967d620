"""Every error path: the exception class, and a message that names the culprit and says what to do.
After an error the graph and the package stay usable."""

import math
import sys
import warnings

import numpy as np
import pytest

import graphviz_ad as ad


@pytest.fixture
def colah():
    return ad.parse("c = a + b; d = b + 1; e = c * d", a=2, b=1)


def test_unsupported_input_types_name_the_input():
    with pytest.raises(ad.TraceError, match=r"input 'params\[1\]' is a str \('x'\)"):
        ad.trace(lambda params: params[0], [1.0, "x"])
    with pytest.raises(ad.TraceError, match="input 'z' is complex"):
        ad.trace(lambda z: z, 1j)
    with pytest.raises(ad.TraceError, match="input 'm' is an array of dtype <U1"):
        ad.trace(lambda m: m, np.array(["a"]))
    with pytest.raises(ad.TraceError, match="argument 2 of mul is not a rectangular array"):
        ad.trace(lambda r: r * [[1.0, 2.0], [3.0]], 1.0)
    with pytest.raises(ad.TraceError, match="input 'n' is a NoneType"):
        ad.trace(lambda n: n, None)


def test_bad_constants_name_the_op_and_argument():
    with pytest.raises(ad.TraceError, match="argument 2 of mul is a str"):
        ad.trace(lambda x: x * "3", 1.0)
    with pytest.raises(ad.TraceError, match="argument 1 of add is a NoneType"):
        ad.trace(lambda x: None + x, 1.0)


def test_wrong_call_signature():
    with pytest.raises(ad.TraceError, match="cannot call .* with these arguments"):
        ad.trace(lambda a, b: a + b, 1.0)
    with pytest.raises(ad.TraceError, match="needs a function"):
        ad.trace(3.0, 1.0)


def test_shape_mismatch_names_both_operands_and_shapes():
    with pytest.raises(ad.ShapeError, match=r"add cannot combine u \(shape \(3,\)\) and v \(shape \(4,\)\)"):
        ad.trace(lambda u, v: u + v, np.ones(3), np.ones(4))
    with pytest.raises(ad.ShapeError, match=r"matmul cannot combine"):
        ad.trace(lambda u, v: u @ v, np.ones((2, 3)), np.ones((2, 3)))
    with pytest.raises(ad.ShapeError, match="matmul .* needs arrays .* got a scalar x"):
        ad.trace(lambda x: x @ np.ones(2), 1.0)
    with pytest.raises(ad.ShapeError, match="matmul .* needs arrays .* got a scalar x"):
        ad.trace(lambda x, y: x @ y, 1.0, 2.0)
    with pytest.raises(ad.ShapeError, match="matmul .* needs arrays .* got a scalar y"):
        ad.trace(lambda x, y: x @ y, np.ones(2), 2.0)
    with pytest.raises(ad.ShapeError, match=r"cannot reshape u of shape \(3,\) to \(2,\)"):
        ad.trace(lambda u: u.reshape(2), np.ones(3))
    with pytest.raises(ad.ShapeError, match=r"sum over axis \(2,\) does not fit u of shape \(3,\)"):
        ad.trace(lambda u: u.sum(axis=2), np.ones(3))
    with pytest.raises(ad.ShapeError, match="index 5 does not fit u"):
        ad.trace(lambda u: u[5], np.ones(3))


def test_unsupported_numpy_calls_name_the_function():
    with pytest.raises(ad.TraceError, match="np.spacing has no derivative rule"):
        ad.trace(lambda x: np.spacing(x), 1.0)
    # with the module path the user wrote, and the session stays usable
    with pytest.raises(ad.TraceError, match=r"^np\.linalg\.eig is not supported"):
        ad.trace(lambda x: np.linalg.eig(x), np.eye(2))
    with pytest.raises(ad.TraceError, match=r"^np\.fft\.fft is not supported"):
        ad.trace(lambda x: np.fft.fft(x), np.ones(4))
    with pytest.raises(ad.TraceError, match=r"np\.r_\[\.\.\.\] is not supported"):
        ad.trace(lambda x: np.r_[x, x], np.ones(2))
    with pytest.raises(ad.UnsupportedMethodError, match=r"\.sort\(\) is not supported"):
        ad.grad(lambda x: x.sort())(np.ones(2))
    with pytest.raises(ad.TraceError, match=r"np\.stack"):
        ad.grad(lambda x: np.array([x, x + 1]).sum())(np.ones(2))
    assert ad.grad(lambda x: np.stack([x, x + 1]).sum())(1.0) == 2.0
    with pytest.raises(ad.TraceError, match="np.sort is not supported on traced values"):
        ad.trace(lambda x: np.sort(x), np.ones(3))
    with pytest.raises(ad.TraceError, match="cannot be turned into a plain numpy array"):
        ad.trace(lambda x: np.asarray(x), np.ones(3))
    with pytest.raises(ad.TraceError, match="np.add with out= is not supported"):
        ad.trace(lambda x: np.add(x, 1, out=np.zeros(3)), np.ones(3))


def test_traced_values_cannot_escape_their_trace():
    leaked = []
    ad.trace(lambda x: leaked.append(x) or x * 2, 1.0)
    with pytest.raises(ad.TraceError, match="belongs to a trace that has finished"):
        leaked[0] + 1


def test_values_from_two_traces_do_not_mix():
    outer = []
    ad.trace(lambda x: outer.append(x) or x, 1.0)

    def inner(y):
        return y + outer[0]

    with pytest.raises(ad.TraceError, match=r"add mixes values from two different traces \(y from .*inner, x from"):
        ad.trace(inner, 2.0)

    def nested(x):  # the outer trace is still recording when the inner one uses its value
        return ad.trace(lambda y: y + x, 2.0)

    mixed = r"add mixes values from two different traces \(y from .*nested.<locals>.<lambda>, x from trace of .*nested\)"
    with pytest.raises(ad.TraceError, match=mixed):
        ad.trace(nested, 1.0)


def test_sweep_arguments_that_name_no_node(colah):
    with pytest.raises(ad.NodeLookupError, match="wrt 'z' names no node of this graph; named nodes: a, b, c, d, e"):
        colah.forward(wrt="z")
    with pytest.raises(ad.NodeLookupError, match="of 'q' names no node"):
        colah.reverse(of="q")
    with pytest.raises(ad.NodeLookupError, match="no node"):
        colah["nope"]
    with pytest.raises(ad.SeedError, match="wrt='c' is a add node, not an input; .* a, b"):
        colah.forward(wrt="c")
    with pytest.raises(ad.SeedError, match="2 inputs .* choose one with wrt="):
        colah.forward()


def test_seeds_for_arrays_must_be_given_and_fit():
    g = ad.trace(lambda v: v * 2, np.ones(3))
    with pytest.raises(ad.SeedError, match=r"array of shape \(3,\): pass seed= .* or index= .*index=\(0,\)"):
        g.forward(wrt="v")
    with pytest.raises(ad.SeedError, match=r"seed for input 'v' has shape \(2,\); it needs \(3,\)"):
        g.forward(wrt="v", seed=np.ones(2))
    with pytest.raises(ad.SeedError, match="index=7 does not fit output"):
        g.reverse(index=7)
    with pytest.raises(ad.SeedError, match="either seed= or index="):
        g.reverse(seed=np.ones(3), index=0)
    np.testing.assert_allclose(g.reverse(index=1).gradient["v"], [0.0, 2.0, 0.0])


def test_several_outputs_need_a_choice():
    g = ad.trace(lambda x: (x * 2, x * 3), 1.0)
    with pytest.raises(ad.SeedError, match=r"2 outputs .* choose one with of="):
        g.reverse()
    with pytest.raises(ad.NodeLookupError, match="2 outputs"):
        g.value
    assert g.reverse(of=g.outputs[1]).gradient == {"x": 3.0}


def test_paths_refuse_to_explode():
    def diamonds(x):
        for _ in range(30):
            x = ad.sin(x) + ad.cos(x)
        return x

    g = ad.trace(diamonds, 0.1)
    assert g.output.name == "x_2"  # the loop variable names the result; names stay unique
    assert g.count_paths("x", g.output) == 2 ** 30
    with pytest.raises(ad.PathLimitError, match="x → x_2 has 1,073,741,824 paths, more than limit=10,000"):
        g.paths("x", "x_2")


def test_non_finite_values_warn_with_the_node():
    with pytest.warns(ad.NonFiniteWarning, match=r"node #1 \(log\) produced a non-finite value nan from x = -1"):
        g = ad.trace(lambda x: ad.log(x) * 2, -1.0)
    assert np.isnan(g.value)  # recorded, not raised: the graph is still there to look at
    with pytest.warns(ad.NonFiniteWarning, match=r"^reverse sweep: ∂out/∂x is not finite \(inf\) at node 'x' \(input\)"):
        ad.trace(lambda x: ad.sqrt(x), 0.0).reverse()
    with pytest.warns(ad.NonFiniteWarning, match="div"):
        ad.trace(lambda x: x / 0.0, 1.0)


def test_non_finite_inputs_and_constants_are_reported_where_they_enter():
    with pytest.warns(ad.NonFiniteWarning, match=r"node #2 \(mul\) produced a non-finite value nan from x = nan, a constant = 2"):
        ad.trace(lambda x: x * 2.0, math.nan)
    with pytest.warns(ad.NonFiniteWarning, match=r"\(add\) produced a non-finite value array\(3,\) from x = .*a constant"):
        ad.trace(lambda x: x + np.array([1.0, np.inf, 2.0]), np.ones(3))
    with pytest.warns(ad.NonFiniteWarning) as caught:  # reported once, where it started
        ad.grad(lambda x: (ad.log(x) * 2.0 + 1.0).sum())(np.array([1.0, -1.0]))
    assert len([w for w in caught if issubclass(w.category, ad.NonFiniteWarning)]) == 1
    assert "(log)" in str(caught[0].message)


def test_a_non_finite_array_hidden_by_later_ops_is_still_reported_where_it_started():
    # x / 0 is inf; exp(-inf) = 0 hides it from the output, and the warning still names div
    with pytest.warns(ad.NonFiniteWarning, match=r"\(div\) produced a non-finite value") as caught:
        g = ad.trace(lambda x: ad.exp(x / 0.0 * -1.0).sum(), np.ones(3))
    assert g.value == 0.0
    assert len([w for w in caught if issubclass(w.category, ad.NonFiniteWarning)]) == 1
    with pytest.warns(ad.NonFiniteWarning, match=r"\(matmul\) produced .* from a constant = .*, W = "):
        ad.grad(lambda W, X: ad.relu(X @ W + 1.0).sum())(np.array([[np.inf], [1.0]]), np.ones((2, 2)))


def test_a_finite_result_vouches_only_for_arguments_that_would_have_shown_an_inf():
    # exp(-inf) = 0 hides the inf; a sum over an empty array hides everything: both times
    # the op that made the inf is still named, once.
    for f in (lambda x: ad.exp(-(x / 0.0)).sum(), lambda x: ((x / 0.0) + np.zeros((0, 3))).sum()):
        with pytest.warns(ad.NonFiniteWarning, match=r"\(div\) produced a non-finite value") as caught:
            assert ad.trace(f, np.ones(3)).value == 0.0
        assert len([w for w in caught if issubclass(w.category, ad.NonFiniteWarning)]) == 1
    with warnings.catch_warnings():  # and a finite chain warns about nothing
        warnings.simplefilter("error", ad.NonFiniteWarning)
        ad.grad(lambda x: (ad.log(ad.exp(x) + 1.0) * 2.0).mean())(np.ones(4))


def test_an_inf_hidden_by_a_later_op_is_still_reported_where_it_started():
    # In an MLP's loss every array result but relu's input is shown by a later op (+, ·, a
    # sum, log) whose result comes out finite; relu(-inf) = 0 hides an inf that its input
    # holds, so that input is the one result tested on its own, and the warning names it.
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((4, 3)), np.eye(2)[[0, 1, 1, 0]]

    def loss(W1, b1, W2):
        h = ad.relu(X @ W1 + b1)
        z = h @ W2
        return (ad.log(ad.exp(z).sum(axis=1)) - (z * Y).sum(axis=1)).mean()

    b1 = np.zeros(5)
    b1[2] = -np.inf
    named = r"\(add\) produced a non-finite value array\(4, 5\) from #\d+ = array\(4, 5\), b1 = array\(5,\)"
    with pytest.warns(ad.NonFiniteWarning, match=named) as caught:
        g = ad.trace(loss, rng.standard_normal((3, 5)), b1, rng.standard_normal((5, 2)))
    assert math.isfinite(g.value)
    assert len([w for w in caught if issubclass(w.category, ad.NonFiniteWarning)]) == 1
    with warnings.catch_warnings():  # finite inputs: nothing to report
        warnings.simplefilter("error", ad.NonFiniteWarning)
        ad.trace(loss, rng.standard_normal((3, 5)), np.zeros(5), rng.standard_normal((5, 2)))


@pytest.mark.parametrize("make", [lambda x: ad.log(x), lambda x: np.log(x), lambda x: x / 0.0,
                                  lambda x: (x * np.zeros(2)) / 0.0])
def test_non_finite_warnings_point_at_the_users_line(make):
    # An array's inf or nan is found when the traced function returns: the warning points
    # at the line that called trace (as the README says), a number's at the op's own line.
    with pytest.warns(ad.NonFiniteWarning) as caught:
        call_line = sys._getframe().f_lineno + 1
        ad.trace(make, np.array([-1.0, 2.0]))
    assert (caught[0].filename, caught[0].lineno) == (__file__, call_line)

    def scalar_log(x):
        return ad.log(x)

    with pytest.warns(ad.NonFiniteWarning) as caught:
        ad.trace(scalar_log, -1.0)
    assert (caught[0].filename, caught[0].lineno) == (__file__, scalar_log.__code__.co_firstlineno + 1)


def test_no_numpy_floating_point_warnings_leak_from_traced_ops(recwarn):
    with pytest.warns(ad.NonFiniteWarning):
        ad.value_and_grad(lambda x: ad.exp(x * 1000.0).sum())(np.ones(3))
    assert not [w for w in recwarn if not issubclass(w.category, ad.NonFiniteWarning)]


def test_numpy_error_state_is_quiet_inside_a_trace_and_restored_after_it():
    before = np.geterr()
    seen = {}

    def f(x):
        seen.update(np.geterr())
        return x * 2.0

    ad.value_and_grad(lambda x: f(x).sum())(np.ones(2))
    assert set(seen.values()) == {"ignore"}
    assert np.geterr() == before

    def fails(x):
        raise KeyError("inside f")

    with pytest.raises(KeyError):
        ad.trace(fails, np.ones(2))
    assert np.geterr() == before
    with np.errstate(divide="raise"):  # the caller's own setting survives a trace
        ad.trace(lambda x: x * 2.0, np.ones(2))
        with pytest.raises(FloatingPointError):
            np.ones(1) / 0.0


def test_the_callers_error_callback_and_buffer_size_stay_in_force_inside_a_trace():
    calls, seen = [], {}
    old_call, old_size = np.seterrcall(lambda kind, flag: calls.append(kind)), np.getbufsize()
    np.setbufsize(4 * 8192)
    try:
        def f(x):
            seen["bufsize"] = np.getbufsize()
            with np.errstate(divide="call"):
                np.ones(1) / 0.0
            return (x * x).sum()

        ad.grad(f)(np.ones(2))
    finally:
        np.seterrcall(old_call)
        np.setbufsize(old_size)
    assert calls == ["divide by zero"] and seen["bufsize"] == 4 * 8192


@pytest.mark.parametrize("x", [np.full(3, 300.0, np.float16), np.full((2, 2), 1e200).T])
def test_the_finiteness_test_never_raises_or_warns_under_the_functions_own_errstate(x, recwarn):
    # 600 is finite in float16 but its square is not; so are the squares of 1e200. tanh
    # could hide an inf, so y itself is tested, by its sum of squares, which overflows.
    def f(v):
        with np.errstate(all="raise"):
            y = v * 2.0
        return ad.tanh(y).sum()

    def leaves_raise_on(v):
        np.seterr(all="raise")  # still in force when it returns; the trace restores the caller's
        return ad.tanh(v * 2.0).sum()

    before = np.geterr()
    for g in (f, leaves_raise_on):
        ad.trace(g, x)
        ad.grad(g)(x)
        assert np.geterr() == before
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_kink_conventions_are_documented_and_used():
    assert ad.grad(ad.relu)(0.0) == 0.0
    assert ad.grad(abs)(0.0) == 0.0
    assert ad.grad(lambda x: ad.maximum(x, 1.0))(1.0) == 1.0
    assert "0 at x = 0" in ad.relu.__doc__


def test_graph_and_package_stay_usable_after_errors(colah):
    for bad in ({"wrt": "zz"}, {"wrt": "c"}, {"wrt": "a", "seed": np.ones(2)}):
        with pytest.raises(ad.GraphvizADError):
            colah.forward(**bad)
    assert colah.forward(wrt="b").result == 5.0
    leaked = []

    def fails(x):
        leaked.append(x)
        with ad.scope("half-done"):
            return 1 // 0 + x

    with pytest.raises(ZeroDivisionError):
        ad.trace(fails, 1.0)  # the user's own error propagates unchanged
    with pytest.raises(ad.TraceError, match="belongs to a trace that has finished"):
        leaked[0] * 2  # the failed trace is closed, not left recording
    g = ad.trace(lambda x: x + 1, 1.0)
    assert g.value == 2.0 and g.nodes[-1].scope == ""  # and its scope did not leak into the next
    assert colah.reverse().gradient == {"a": 2.0, "b": 5.0}


def test_error_classes_are_also_builtin_kinds():
    assert issubclass(ad.ShapeError, ValueError) and issubclass(ad.TraceError, TypeError)
    assert issubclass(ad.NodeLookupError, LookupError) and issubclass(ad.ParseError, ValueError)
    assert str(ad.NodeLookupError("plain message")) == "plain message"
