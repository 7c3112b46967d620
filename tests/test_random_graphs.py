"""Random programs from hypothesis: forward = reverse = finite differences, at every node.

A program is a list of instructions over a growing list of values (inputs first), so
fan-out, reuse (``x*x``) and constants all occur. Arguments outside an op's domain are
mapped into it with recorded ops (``x*x + 0.5``), so every program is differentiable.
"""

import math
import operator
import warnings

import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

import graphviz_ad as ad
from graphviz_ad.primitives import REGISTRY
from graphviz_ad.traced import Traced
from tests.requirements import required

# Piecewise-constant ops (floor, x // y, ...) jump: finite differences across a jump mean
# nothing, and the registry tests cover their rules between jumps.
PIECEWISE = {"floor", "ceil", "trunc", "rint", "sign", "floor_divide", "remainder"}
OPS = sorted(name for name, p in REGISTRY.items() if p.elementwise and name not in PIECEWISE)
KINKED = {"relu", "abs", "fabs", "maximum", "minimum", "fmax", "fmin"}
# How user code reaches each elementwise primitive (works on traced values and on floats).
CALLS = {"add": operator.add, "sub": operator.sub, "mul": operator.mul, "div": operator.truediv,
         "pow": operator.pow, "neg": operator.neg, "abs": abs, "maximum": ad.maximum}
CALLS.update({name: getattr(ad, name) for name in OPS if name not in CALLS})

instruction = st.tuples(
    st.sampled_from(OPS),
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=0, max_value=10_000),
    st.one_of(st.none(), st.floats(min_value=-2, max_value=2, allow_nan=False)),
)
programs = st.tuples(
    st.lists(st.floats(min_value=-1.5, max_value=1.5, allow_nan=False), min_size=1, max_size=4),
    st.lists(instruction, min_size=1, max_size=14),
)


def into_domain(prim, slot, x):
    low, high = prim.domain[slot]
    if high < 3:  # tan, arcsin, arctanh: keep away from the poles and the ends
        return ad.tanh(x) * 0.9
    if low > -3:  # bounded below (log, sqrt, pow base, divisor; log1p above -1, arccosh above 1)
        return x * x + max(0.5, low + 0.3)
    return x


def _number(x):
    return x.value if isinstance(x, Traced) else float(x)


def run_program(instructions, values, kinks):
    values = list(values)
    for op, i, j, constant in instructions:
        prim = REGISTRY[op]
        x = values[i % len(values)]
        if prim.arity == 1:
            result = CALLS[op](into_domain(prim, 0, x))
        else:
            y = constant if constant is not None else values[j % len(values)]
            if op == "pow" and constant is None:  # keep exponents moderate so values stay finite
                y = ad.tanh(y) * 2
            x, y = into_domain(prim, 0, x), into_domain(prim, 1, y)
            if op in KINKED:
                kinks.append(abs(_number(x) - _number(y)))
            result = CALLS[op](x, y)
        if op in ("relu", "abs", "fabs"):
            kinks.append(abs(_number(x)))
        values.append(result)
    total = values[-1]
    for v in values[len(values) - 3:-1]:  # several outputs feed the result: more fan-in
        total = total + v
    return total


def make_function(instructions):
    def program(*xs):
        return run_program(instructions, [x for x in xs], [])
    return program


@settings(max_examples=150, deadline=None)
@given(programs)
def test_forward_equals_reverse_equals_finite_differences(program):
    inputs, instructions = program
    kinks: list[float] = []
    names = [f"x{i}" for i in range(len(inputs))]
    with warnings.catch_warnings():  # (an overflow is discarded just below, not an error here)
        warnings.simplefilter("ignore", ad.NonFiniteWarning)
        g = ad.trace(lambda **xs: run_program(instructions, list(xs.values()), kinks), **dict(zip(names, inputs)))
    values = [n.value for n in g.nodes]
    assume(all(math.isfinite(v) and abs(v) < 1e6 for v in values))
    assume(all(k > 1e-4 for k in kinks))  # finite differences are meaningless at a kink

    reverse = g.reverse().gradient
    f = make_function(instructions)
    for k, name in enumerate(names):
        forward = g.forward(wrt=name).result
        h = 1e-6
        plus, minus = list(inputs), list(inputs)
        plus[k] += h
        minus[k] -= h
        fd = (f(*plus) - f(*minus)) / (2 * h)
        assert math.isclose(forward, reverse[name], rel_tol=1e-9, abs_tol=1e-12)
        assert math.isclose(forward, fd, rel_tol=1e-4, abs_tol=1e-5), (name, forward, fd)


@settings(max_examples=60, deadline=None)
@given(programs)
# log's fast reverse rule computes ct / x; a Step term must be exactly partial × factor = (1/x)·ct.
@example(program=([1.0], [("log", 0, 0, None), ("abs", 0, 0, None), ("abs", 0, 0, None), ("pow", 1, 0, None)]))
def test_steps_sum_their_terms_and_cost_counts_them(program):
    inputs, instructions = program
    kinks: list[float] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ad.NonFiniteWarning)
        g = ad.trace(lambda *xs: run_program(instructions, list(xs), kinks), *inputs)
    assume(all(math.isfinite(n.value) and abs(n.value) < 1e6 for n in g.nodes))
    for sweep in (g.reverse(), g.forward(wrt=next(iter(g.inputs)))):
        for step in sweep.steps:
            if step.terms:
                # Summed in sweep order, not exactly: 1 + 1e-128 - 1 is 0, so the rounding
                # allowed scales with the terms, not with their (possibly cancelled) sum.
                scale = math.fsum(abs(t.product) for t in step.terms)
                assert math.isclose(step.value, math.fsum(t.product for t in step.terms),
                                    rel_tol=1e-12, abs_tol=1e-12 * scale + 1e-300)
                for term in step.terms:
                    assert term.product == term.partial * term.factor
        assert sweep.cost == sum(len(step.terms) for step in sweep.steps)


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=1, max_value=4), st.integers(min_value=1, max_value=3), st.integers(0, 2**32 - 1))
def test_jacfwd_equals_jacrev_on_arrays(n, m, seed):
    rng = np.random.default_rng(seed)
    W = rng.standard_normal((m, n))
    b = rng.standard_normal(m)

    def layer(x):
        return ad.tanh(W @ x + b) * ad.sigmoid(x.sum())

    x = rng.standard_normal(n)
    forward, reverse = ad.jacfwd(layer)(x), ad.jacrev(layer)(x)
    assert forward.shape == reverse.shape == (m, n)
    np.testing.assert_allclose(forward, reverse, rtol=1e-10, atol=1e-12)
    h = 1e-6
    fd = np.stack([(np.tanh(W @ (x + h * e) + b) * (1 / (1 + np.exp(-(x + h * e).sum())))
                    - np.tanh(W @ (x - h * e) + b) * (1 / (1 + np.exp(-(x - h * e).sum())))) / (2 * h)
                   for e in np.eye(n)], axis=1)
    np.testing.assert_allclose(forward, fd, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_array_graph_forward_reverse_agree_with_autograd(dtype):
    autograd = required("autograd")
    anp = required("autograd.numpy")
    rng = np.random.default_rng(7)
    X = rng.standard_normal((5, 3)).astype(dtype)
    W = rng.standard_normal((3, 4)).astype(dtype)
    v = rng.standard_normal(4).astype(dtype)

    def ours(W):
        h = ad.relu(X @ W + 0.1)
        return ((h @ v - 1.0) ** 2).mean()

    def reference(W):
        h = anp.maximum(anp.dot(X, W) + 0.1, 0.0)
        return anp.mean((anp.dot(h, v) - 1.0) ** 2)

    g = ad.trace(ours, W)
    grad = g.reverse().gradient["W"]
    assert grad.dtype == dtype and grad.shape == W.shape
    tol = 1e-4 if dtype == np.float32 else 1e-10
    np.testing.assert_allclose(grad, autograd.grad(reference)(W.astype(np.float64)), rtol=tol, atol=tol)
    direction = rng.standard_normal(W.shape).astype(dtype)
    jvp = g.forward(wrt="W", seed=direction).result
    assert math.isclose(jvp, float(np.sum(grad * direction)), rel_tol=tol * 10, abs_tol=tol)
