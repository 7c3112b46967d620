"""Every registry primitive, checked by the registry itself: adding an op adds its tests.

Partials against central differences, JVP against directional differences, VJP by the
inner-product identity ⟨ȳ, J·v⟩ = ⟨Jᵀ·ȳ, v⟩, the declared ``reads`` against what the
partial really uses, and (where autograd is installed) an independent reference.
"""

import math

import numpy as np
import pytest

from graphviz_ad.primitives import REGISTRY, as_value, derived_backward, shape_of, written_out_backward
from graphviz_ad.sweeps import forward_tangents, reverse_adjoints
from graphviz_ad.tape import Tape
from graphviz_ad.traced import Traced, apply_binary, apply_general, apply_unary
from tests.requirements import required

ELEMENTWISE = sorted(name for name, p in REGISTRY.items() if p.elementwise)
STRUCTURAL = sorted(name for name, p in REGISTRY.items() if not p.elementwise)
EPS = 1e-6


def sample(prim, rng, shapes):
    return tuple(rng.uniform(lo, hi, size=shape) if shape else float(rng.uniform(lo, hi))
                 for (lo, hi), shape in zip(prim.domain, shapes))


def cases(name, rng):
    """(inputs, params) test cases: scalars and broadcasting arrays, or the registry's examples."""
    prim = REGISTRY[name]
    if not prim.elementwise:
        return prim.examples(rng)
    if prim.arity == 1:
        shapes = [((),), ((3, 4),)]
    else:
        shapes = [((), ()), ((3, 4), (4,)), ((), (2, 3)), ((2, 1), (1, 3))]
    return [(sample(prim, rng, s), {}) for s in shapes]


def record(name, inputs, params):
    """Trace one application of the primitive on fresh input nodes."""
    prim = REGISTRY[name]
    tape = Tape()
    indices = [tape.add_input(np.array(v) if np.ndim(v) else v, f"x{i}") for i, v in enumerate(inputs)]
    traced = [Traced(tape, i, tape.values[i]) for i in indices]
    if not prim.elementwise:
        out = apply_general(prim, traced, params)
    elif prim.arity == 1:
        out = apply_unary(prim, traced[0])
    else:
        out = apply_binary(prim, traced[0], traced[1])
    return tape, indices, out._index


def evaluate(name, inputs, params):
    prim = REGISTRY[name]
    return np.asarray(prim.impl(*inputs, **params), dtype=np.float64)


def random_like(value, rng):
    return float(rng.standard_normal()) if np.ndim(value) == 0 else rng.standard_normal(np.shape(value))


def directional_difference(name, inputs, params, directions):
    plus = [x + EPS * v for x, v in zip(inputs, directions)]
    minus = [x - EPS * v for x, v in zip(inputs, directions)]
    return (evaluate(name, plus, params) - evaluate(name, minus, params)) / (2 * EPS)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_scalar_partials_match_central_differences(name):
    prim = REGISTRY[name]
    rng = np.random.default_rng(1)
    for _ in range(5):
        inputs = sample(prim, rng, [()] * prim.arity)
        tape, indices, out = record(name, inputs, {})
        for slot in range(prim.arity):
            partial = prim.partials[slot](*inputs, tape.values[out])
            direction = [1.0 if k == slot else 0.0 for k in range(prim.arity)]
            expected = float(directional_difference(name, inputs, {}, direction))
            assert type(partial) is float
            assert math.isclose(partial, expected, rel_tol=1e-6, abs_tol=1e-8), (name, slot, inputs)


@pytest.mark.parametrize("name", ELEMENTWISE + STRUCTURAL)
def test_jvp_matches_directional_differences(name):
    rng = np.random.default_rng(2)
    for inputs, params in cases(name, rng):
        tape, indices, out = record(name, inputs, params)
        directions = [random_like(x, rng) for x in inputs]
        tangents = forward_tangents(tape, dict(zip(indices, directions)))
        expected = directional_difference(name, inputs, params, directions)
        assert shape_of(tangents[out]) == expected.shape
        np.testing.assert_allclose(tangents[out], expected, rtol=1e-5, atol=1e-7, err_msg=name)


@pytest.mark.parametrize("name", ELEMENTWISE + STRUCTURAL)
def test_vjp_inner_product_identity(name):
    rng = np.random.default_rng(3)
    for inputs, params in cases(name, rng):
        tape, indices, out = record(name, inputs, params)
        cotangent = random_like(tape.values[out], rng)
        adjoints = reverse_adjoints(tape, {out: cotangent})
        directions = [random_like(x, rng) for x in inputs]
        lhs = float(np.sum(cotangent * directional_difference(name, inputs, params, directions)))
        rhs = sum(float(np.sum(adjoints[i] * v)) for i, v in zip(indices, directions))
        for i, x in zip(indices, inputs):
            assert shape_of(adjoints[i]) == np.shape(x), f"{name}: adjoint not un-broadcast"
        assert math.isclose(lhs, rhs, rel_tol=1e-6, abs_tol=1e-8), name


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_partials_read_only_what_they_declare(name):
    """Reverse mode keeps exactly the values in ``reads``; a partial must not need more."""
    prim = REGISTRY[name]
    rng = np.random.default_rng(4)
    inputs = sample(prim, rng, [()] * prim.arity)
    out = float(prim.impl(*inputs))
    names = ["x", "y"][:prim.arity] + ["out"]
    for slot in range(prim.arity):
        honest = prim.partials[slot](*inputs, out)
        blinded = [v if key in prim.reads[slot] else math.nan for key, v in zip(names, [*inputs, out])]
        assert prim.partials[slot](*blinded) == honest, f"{name} slot {slot} reads more than {prim.reads[slot]}"


FAST = sorted(name for name, p in REGISTRY.items() if written_out_backward(p))


@pytest.mark.parametrize("name", FAST)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_fast_reverse_rules_equal_the_derived_ones(name, dtype):
    """A written-out rule must give what the partials (or vjp rules) give: same values,
    same shape (un-broadcast) and, given arrays of one dtype, that dtype."""
    prim = REGISTRY[name]
    derived = derived_backward(prim)
    rng = np.random.default_rng(6)
    for inputs, params in cases(name, rng):
        inputs = tuple(np.asarray(v, dtype=dtype) if np.ndim(v) else v for v in inputs)
        out = as_value(np.asarray(prim.impl(*inputs, **params)))
        cotangent = random_like(out, rng)
        if np.ndim(cotangent):
            cotangent = cotangent.astype(dtype)
        x, y = inputs[0], inputs[1] if prim.arity == 2 else None
        for slot in range(prim.arity):
            fast = prim.backward[slot](cotangent, x, y, out, params)
            slow = derived[slot](cotangent, x, y, out, params)
            assert np.shape(fast) == np.shape(inputs[slot]), (name, slot)
            np.testing.assert_allclose(fast, slow, rtol=1e-6 if dtype == np.float32 else 1e-12,
                                       err_msg=f"{name}[{slot}]")
            if np.ndim(inputs[slot]) and np.ndim(cotangent):
                assert fast.dtype == dtype, (name, slot, fast.dtype)


SHOWING = sorted((name, slot) for name, p in REGISTRY.items() for slot, shows in enumerate(p.shows_non_finite) if shows)


@pytest.mark.parametrize("name,slot", SHOWING)
def test_an_inf_or_nan_in_a_showing_argument_always_reaches_the_result(name, slot):
    """``shows_non_finite`` lets tracing skip testing an argument whose consumer came out
    finite; so every inf or nan put in that argument, against every other value (zeros
    too: inf·0 is nan, not 0), must make the result non-finite."""
    prim = REGISTRY[name]
    rng = np.random.default_rng(9)
    for inputs, params in cases(name, rng):
        for bad in (np.inf, -np.inf, np.nan):
            for others in ("random", "zeros"):
                args = [np.zeros_like(v) if others == "zeros" and k != slot and np.ndim(v) else v
                        for k, v in enumerate(inputs)]
                if others == "zeros" and prim.arity == 2 and np.ndim(args[1 - slot]) == 0:
                    args[1 - slot] = 0.0
                target = np.array(args[slot], dtype=np.float64)
                target[np.unravel_index(int(rng.integers(target.size)), target.shape) if target.ndim else ()] = bad
                args[slot] = target if target.ndim else float(target)
                with np.errstate(all="ignore"):
                    out = np.asarray(prim.impl(*args, **params), dtype=np.float64)
                assert not np.isfinite(out).all(), (name, slot, bad, others, args)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_reverse_rules_give_a_float_for_a_float_argument(name):
    """The reverse loop casts an array contribution to its argument's dtype only after
    checking it is not a float; that is sound because a float argument (a scalar mixed into
    an array op, or a number reshaped) always gets a float back."""
    prim = REGISTRY[name]
    rng = np.random.default_rng(8)
    if prim.elementwise:
        checked = [(inputs, params) for inputs, params in cases(name, rng)
                   if any(type(v) is float for v in inputs)]
    elif name == "reshape":
        checked = [((float(rng.standard_normal()),), {"shape": (1,)})]
    else:
        return  # (the others refuse a number: matmul, getitem; or record nothing: sum, transpose)
    assert checked, name
    for inputs, params in checked:
        out = as_value(np.asarray(prim.impl(*inputs, **params)))
        cotangent = random_like(out, rng)
        x, y = inputs[0], inputs[1] if prim.arity == 2 else None
        for slot in range(prim.arity):
            if type(inputs[slot]) is float:
                contribution = prim.backward[slot](cotangent, x, y, out, params)
                assert type(contribution) is float, (name, slot, type(contribution))


@pytest.mark.parametrize("name", [n for n in FAST if REGISTRY[n].elementwise])
def test_fast_reverse_rules_read_only_what_they_declare(name):
    prim = REGISTRY[name]
    rng = np.random.default_rng(7)
    inputs = sample(prim, rng, [(3, 4)] * prim.arity)
    out = prim.impl(*inputs)
    cotangent = rng.standard_normal((3, 4))
    names = ["x", "y"][:prim.arity] + ["out"]
    for slot in range(prim.arity):
        honest = prim.backward[slot](cotangent, *inputs, *([None] if prim.arity == 1 else []), out, None)
        values = [v if key in prim.reads[slot] else np.full((3, 4), math.nan)
                  for key, v in zip(names, [*inputs, out])]
        if prim.arity == 1:
            values.insert(1, None)
        blinded = prim.backward[slot](cotangent, *values, None)
        np.testing.assert_array_equal(blinded, honest, err_msg=f"{name} slot {slot} reads more than {prim.reads[slot]}")


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_argument_has_a_formula(name):
    prim = REGISTRY[name]
    labels = ["x", "y", "z"][:prim.arity]
    params = prim.examples(np.random.default_rng(0))[0][1] if prim.formula_params else {}
    formulas = [prim.formulas[slot](*labels, "out", **params) for slot in range(prim.arity)]
    assert all(isinstance(f, str) and f for f in formulas)
    assert len(prim.reads) == prim.arity


autograd = required("autograd")
anp = required("autograd.numpy")

AUTOGRAD_REFERENCE = {
    "add": lambda x, y: x + y, "sub": lambda x, y: x - y, "mul": lambda x, y: x * y,
    "div": lambda x, y: x / y, "pow": lambda x, y: x ** y, "maximum": anp.maximum,
    "neg": lambda x: -x, "abs": anp.abs, "exp": anp.exp, "log": anp.log, "sin": anp.sin,
    "cos": anp.cos, "tan": anp.tan, "tanh": anp.tanh, "sqrt": anp.sqrt,
    "sigmoid": lambda x: 1 / (1 + anp.exp(-x)), "relu": lambda x: anp.maximum(x, 0.0),
    "matmul": anp.matmul,
    "sum": lambda x, axis, keepdims: anp.sum(x, axis=axis, keepdims=keepdims),
    "mean": lambda x, axis, keepdims: anp.mean(x, axis=axis, keepdims=keepdims),
    "max": lambda x, axis, keepdims: anp.max(x, axis=axis, keepdims=keepdims),
    "min": lambda x, axis, keepdims: anp.min(x, axis=axis, keepdims=keepdims),
    "reshape": lambda x, shape: anp.reshape(x, shape),
    "transpose": lambda x, axes: anp.transpose(x, axes),
    "getitem": lambda x, index: x[index],
    **{name: getattr(anp, name) for name in (
        "sinh", "cosh", "arcsin", "arccos", "arctan", "arcsinh", "arccosh", "arctanh", "log2", "log10",
        "log1p", "expm1", "exp2", "square", "reciprocal", "fabs", "deg2rad", "rad2deg", "sinc", "sign",
        "floor", "ceil", "trunc", "rint", "minimum", "fmax", "fmin", "remainder", "floor_divide",
        "logaddexp", "logaddexp2", "arctan2", "hypot")},
    "where": lambda x, y, condition: x * condition + y * (1.0 - condition),  # (anp.where does not un-broadcast)
    "clip": lambda x, lo, hi: anp.clip(x, lo, hi),
    "tile": lambda x, reps: anp.tile(x, reps),
    "repeat": lambda x, repeats, axis: anp.repeat(x, repeats, axis),
    "broadcast_to": lambda x, shape: x * anp.ones(shape),
    "flip": lambda x, axis: x[tuple(slice(None, None, -1) if axis is None or a in axis else slice(None)
                                    for a in range(x.ndim))],
    "roll": lambda x, shift, axis: anp.roll(x, shift, axis),
    "rot90": lambda x, k, axes: anp.rot90(x, k),  # (the examples use axes=(0, 1))
    "diag": lambda x, k: anp.diag(x, k),
    "diagonal": lambda x, offset, axis1, axis2: anp.diag(x, offset),  # (2-D examples)
    "tril": lambda x, k: anp.tril(x, k), "triu": lambda x, k: anp.triu(x, k),
    "pad": lambda x, pad_width: anp.pad(x, pad_width, mode="constant"),
    "trace": lambda x, offset, axis1, axis2: anp.sum(x * anp.eye(x.shape[-1]), axis=(-2, -1)),  # (last two axes)
    **{name: (lambda x, shape: anp.reshape(x, shape))
       for name in ("squeeze", "expand_dims", "ravel", "atleast_1d", "atleast_2d", "atleast_3d")},
    "swapaxes": lambda x, axes: anp.transpose(x, axes), "moveaxis": lambda x, axes: anp.transpose(x, axes),
    "astype": lambda x, dtype: x,  # (autograd does not follow dtype casts; values compared in float64)
    "prod": lambda x, axis, keepdims: anp.prod(x, axis=axis, keepdims=keepdims),
    "var": lambda x, axis, keepdims, ddof: anp.var(x, axis=axis, keepdims=keepdims, ddof=ddof),
    "std": lambda x, axis, keepdims, ddof: anp.std(x, axis=axis, keepdims=keepdims, ddof=ddof),
    "cumsum": lambda x, axis: anp.cumsum(x, axis=axis),
    "cumprod": lambda x, axis: _cumprod_by_products(x, axis),
    "concatenate": lambda *xs, axis: anp.concatenate(xs, axis=axis),
    "stack": lambda *xs, axis: anp.stack(xs, axis=axis),
    **{name: (lambda *xs, subscripts: anp.einsum(subscripts, *xs))
       for name in ("einsum", "tensordot", "outer", "inner")},
    "kron": anp.kron, "cross": lambda x, y, axis: anp.cross(x, y, axis=axis),
    **{name: getattr(anp.linalg, name) for name in ("inv", "solve", "det", "pinv")},
    # numpy's cholesky reads the lower triangle only: the reference says so
    "cholesky": lambda x: anp.linalg.cholesky(anp.tril(x) + anp.swapaxes(anp.tril(x, -1), -1, -2)),
    "slogdet": lambda x: anp.linalg.slogdet(x)[1],
    "norm": lambda x, ord, axis, keepdims: (anp.sum(anp.abs(x), axis=axis, keepdims=keepdims) if ord == 1
                                            else anp.linalg.norm(x, ord=ord, axis=axis, keepdims=keepdims)),
}


def _cumprod_by_products(x, axis):
    """cumprod as products of prefixes (autograd has no rule for cumprod itself)."""
    if axis is None:
        x, axis = anp.ravel(x), 0
    moved = anp.moveaxis(x, axis, -1)
    prefixes = [anp.prod(moved[..., :k + 1], axis=-1) for k in range(moved.shape[-1])]
    return anp.moveaxis(anp.stack(prefixes, axis=-1), -1, axis)


def test_the_reference_table_covers_the_registry():
    assert set(AUTOGRAD_REFERENCE) == set(REGISTRY)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_vjp_matches_autograd(name):
    rng = np.random.default_rng(5)
    reference = AUTOGRAD_REFERENCE[name]
    for inputs, params in cases(name, rng):
        tape, indices, out = record(name, inputs, params)
        cotangent = random_like(tape.values[out], rng)
        adjoints = reverse_adjoints(tape, {out: cotangent})
        for slot, index in enumerate(indices):
            def scalarised(v, slot=slot):
                args = list(inputs)
                args[slot] = v
                return anp.sum(reference(*args, **params) * cotangent)
            expected = autograd.grad(scalarised)(np.asarray(inputs[slot], dtype=np.float64))
            np.testing.assert_allclose(adjoints[index], expected, rtol=1e-7, atol=1e-10, err_msg=f"{name}[{slot}]")
