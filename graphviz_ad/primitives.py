"""The one registry of primitive operations and their local derivatives.

Each ``Primitive`` says how to compute an op (on Python floats and on numpy arrays), and,
*per argument*, its local partial derivative, the symbolic formula drawn on that edge, and
which stored forward values that partial reads. The per-argument partial is the number
drawn on the edge *and* the number the sweeps multiply by: there is one source of truth.
Elementwise ops get their array JVP/VJP from the partial (with un-broadcasting);
structural ops (matmul, sum, reshape, ...) give explicit JVP/VJP rules.

Adding an op is adding one entry to ``REGISTRY``; the tests iterate over it.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass, field
from typing import Any, Callable, TypeAlias

import numpy as np

__all__ = [
    "Primitive",
    "REGISTRY",
    "Value",
    "INPUT",
    "CONST",
    "shape_of",
    "unbroadcast",
    "as_value",
    "dense",
    "scaled",
    "ZERO_TERMS",
    "derived_backward",
    "written_out_backward",
    "completed",
]

inf = math.inf
nan = math.nan


# ---------------------------------------------------------------------------
# Values: scalars are Python floats, everything else a read-only numpy array.

#: What a node holds, and what a derivative is: a Python float or a numpy array.
Value: TypeAlias = "float | np.ndarray"


def shape_of(value: Value) -> tuple[int, ...]:
    """The numpy shape of a node value; a Python float has shape ``()``."""
    return value.shape if isinstance(value, np.ndarray) else ()


def as_value(result: Any) -> Value:
    """Normalise an op result: 0-d arrays and numpy scalars become Python floats,
    arrays are frozen so that nobody can change a recorded value in place."""
    if type(result) is float:
        return result
    if isinstance(result, np.ndarray) and result.ndim > 0:
        result.flags.writeable = False
        return result
    return float(result)


def dense(value: Value, like: Value) -> Value:
    """``value``, or, where it is the float 0.0 that marks a derivative never touched and
    ``like`` (its node's value) is an array, that zero as an array of ``like``'s shape."""
    if not isinstance(like, np.ndarray) or type(value) is not float:
        return value
    return np.full(like.shape, value, dtype=like.dtype)


_add_reduce = np.add.reduce


def unbroadcast(grad: Any, shape: tuple[int, ...]) -> Any:
    """Sum ``grad`` down to ``shape``: the VJP of numpy broadcasting."""
    if type(grad) is float:
        return grad if shape == () else np.broadcast_to(grad, shape)
    if grad.shape == shape:
        return grad
    if shape == ():
        return float(_add_reduce(grad, axis=None))
    extra = grad.ndim - len(shape)
    if extra > 0:  # (np.add.reduce: ndarray.sum adds a Python-level wrapper)
        grad = _add_reduce(grad, axis=0 if extra == 1 else tuple(range(extra)))
        if grad.shape == shape:  # a bias added to every row: nothing more to do
            return grad
    kept = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if kept:
        grad = _add_reduce(grad, axis=kept, keepdims=True)
    if grad.shape != shape:  # a length-1 argument broadcast against nothing: widen it
        grad = np.broadcast_to(grad, shape)
    return grad


def unbroadcast_like(grad: Any, like: Any) -> Any:
    """``unbroadcast(grad, shape_of(like))`` in one call, for the reverse loop's hot rules."""
    if type(like) is float:
        return grad if type(grad) is float else float(_add_reduce(grad, axis=None))
    if type(grad) is not float and grad.shape == like.shape:
        return grad
    return unbroadcast(grad, like.shape)


ZERO_TERMS = ("a chain-rule term partial × factor between numbers is 0 when either is exactly 0, "
              "even if the other is infinite (0·∞ = 0); for arrays, a node the seed does not reach "
              "adds nothing, and elementwise products follow IEEE (0·∞ = nan)")


def scaled(partial: Any, factor: Any) -> Any:
    """``partial * factor`` under the ZERO_TERMS convention, skipping the multiplication
    for the ±1 partials of add and sub."""
    if type(partial) is float:
        if type(factor) is float:
            return 0.0 if not partial or not factor else partial * factor
        if partial == 1.0:
            return factor
        if partial == -1.0:
            return -factor
        if not partial:
            return np.zeros_like(factor) if type(factor) is np.ndarray else 0.0
    elif type(factor) is float and not factor:
        return np.zeros_like(partial) if type(partial) is np.ndarray else 0.0
    return partial * factor


# ---------------------------------------------------------------------------
# Scalar maths that follows IEEE (inf/nan) instead of raising, like numpy does.

def _ieee(np_fn: Callable, *args: float) -> float:
    with np.errstate(all="ignore"):
        return float(np_fn(*(np.float64(a) for a in args)))


def _unary(math_fn: Callable, np_fn: Callable) -> Callable:
    """One function for Python floats (fast ``math``) and arrays (numpy)."""

    def apply(x):
        if type(x) is float:
            try:
                return math_fn(x)
            except (ArithmeticError, ValueError):  # e.g. log(0), exp(1000): give -inf / inf
                return _ieee(np_fn, x)
        return np_fn(x)

    apply.__name__ = np_fn.__name__
    setattr(apply, "array_fn", np_fn)  # what Primitive.array_impl calls: no float test, one frame less
    return apply


def _binary(py_op: Callable, np_fn: Callable) -> Callable:
    def apply(x, y):
        if type(x) is float and type(y) is float:
            try:
                result = py_op(x, y)
            except (ArithmeticError, ValueError):  # 1/0, 0**-1, overflow
                return _ieee(np_fn, x, y)
            if type(result) is complex:  # (-8) ** 0.5 is complex in Python, nan in numpy
                return nan
            return result
        return np_fn(x, y)

    apply.__name__ = np_fn.__name__
    setattr(apply, "array_fn", np_fn)
    return apply


def _sigmoid_scalar(x: float) -> float:
    # Two branches so that exp never overflows.
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _sigmoid_array(x):
    return 0.5 * (np.tanh(0.5 * x) + 1.0)


def _relu_scalar(x: float) -> float:
    return x if x > 0.0 else 0.0


def _relu_array(x):
    return np.maximum(x, 0)


def _step(condition, like):
    """1 where ``condition`` holds, else 0, as a float or an array of ``like``'s dtype."""
    if type(condition) is bool:
        return 1.0 if condition else 0.0
    return condition.astype(np.result_type(like, np.float32))


def _sign_scalar(x: float) -> float:
    return 1.0 if x > 0.0 else (-1.0 if x < 0.0 else 0.0)


exp_ = _unary(math.exp, np.exp)
log_ = _unary(math.log, np.log)
sin_ = _unary(math.sin, np.sin)
cos_ = _unary(math.cos, np.cos)
tan_ = _unary(math.tan, np.tan)
tanh_ = _unary(math.tanh, np.tanh)
sqrt_ = _unary(math.sqrt, np.sqrt)
abs_ = _unary(abs, np.abs)
sign_ = _unary(_sign_scalar, np.sign)
sigmoid_ = _unary(_sigmoid_scalar, _sigmoid_array)
relu_ = _unary(_relu_scalar, _relu_array)
div_ = _binary(operator.truediv, np.true_divide)
pow_ = _binary(operator.pow, np.power)
maximum_ = _binary(max, np.maximum)


# ---------------------------------------------------------------------------
# The Primitive record.

Partial = Callable[..., Any]
Formula = Callable[..., str]
Rule = Callable[..., Any]  # a JVP or VJP rule: (t, *inputs, out, **params) -> array
Backward = Callable[..., Any]  # (ct, x, y, out, params) -> the contribution to argument k


@dataclass(frozen=True, eq=False, slots=True)
class Primitive:
    """One operation: what it computes and, per argument, its local derivative.

    What an entry says about the op:
    ``impl`` computes it (on Python floats and on numpy arrays).
    ``partials[k](*inputs, out)`` is ∂out/∂input_k, elementwise for arrays.
    ``formulas[k](*labels, out_label)`` is the same derivative as text (``"cos(x)"``).
    ``reads[k]`` names the stored forward values that partial uses (``"x"``, ``"y"``
    for the inputs, ``"out"`` for the result): what reverse mode must keep.
    Structural ops set ``jvp``/``vjp`` (per argument, ``rule(t, *inputs, out, **params)``)
    and leave the elementwise partials out; ``chain_forms[k]`` then writes those rules as
    text, ``(reverse, forward)`` templates in ``{ct}`` (the output's adjoint), ``{t}``
    (argument k's tangent), ``{x}`` and ``{y}`` (the operands): matmul's reverse rule for
    its first argument is ``"{ct}·{y}ᵀ"`` (Nielsen's BP4, ∂C/∂W = δ aᵀ); ``{out}`` is the
    result, and an op's parameters are there by name (``{subscripts}``). ``formula_params``:
    the formulas take the op's parameters as keywords too (einsum's subscripts). ``kinks``
    states the convention at points where the op is not differentiable.

    Where the registry tests try it: ``domain[k]`` is the open interval where the op is
    smooth in argument k; ``examples`` gives (inputs, params) cases for structural ops.

    Filled in at registration, for the loops (see "Speed" at the end of this module):
    ``backward[k](ct, x, y, out, params)``, the reverse rule the reverse loop calls;
    ``array_impl``; ``keeps_finite`` and ``shows_non_finite``, what tracing's inf/nan
    check may rely on.
    """

    name: str
    arity: int
    impl: Callable[..., Any]
    partials: tuple[Partial, ...] = ()
    formulas: tuple[Formula, ...] = ()
    reads: tuple[tuple[str, ...], ...] = ()
    jvp: tuple[Rule, ...] = ()
    vjp: tuple[Rule, ...] = ()
    chain_forms: tuple[tuple[str, str], ...] = ()
    symbol: str = ""
    kinks: str = ""
    formula_params: bool = False
    domain: tuple[tuple[float, float], ...] = ()
    examples: Callable[[np.random.Generator], list[tuple[tuple, dict]]] | None = None
    backward: tuple[Backward, ...] = field(default=(), init=False, repr=False)
    array_impl: Callable[..., Any] = field(default=None, init=False, repr=False)  # type: ignore[assignment]
    keeps_finite: bool = field(default=False, init=False, repr=False)
    shows_non_finite: tuple[bool, ...] = field(default=(), init=False, repr=False)

    @property
    def elementwise(self) -> bool:
        return not self.vjp and self.arity > 0

    def __repr__(self) -> str:
        return f"<primitive {self.name}>"


REGISTRY: dict[str, Primitive] = {}


def _register(prim: Primitive) -> Primitive:
    if prim.name in REGISTRY:
        raise ValueError(f"primitive {prim.name!r} registered twice")
    REGISTRY[prim.name] = completed(prim)
    return prim


def completed(prim: Primitive) -> Primitive:
    """Check an entry and fill in what the loops use (``backward``, ``array_impl``). Done by
    registration, and for each operand count of an op that takes any number of arguments
    (``np.stack``), whose registry entry is one example count."""
    if prim.elementwise and not (len(prim.partials) == len(prim.formulas) == len(prim.reads) == prim.arity):
        raise ValueError(f"primitive {prim.name!r} needs one partial, formula and reads per argument")
    if not prim.elementwise and prim.arity and len(prim.chain_forms) != prim.arity:
        raise ValueError(f"structural primitive {prim.name!r} needs one chain_forms entry per argument")
    object.__setattr__(prim, "backward", derived_backward(prim))
    object.__setattr__(prim, "array_impl", getattr(prim.impl, "array_fn", prim.impl))
    return prim


def derived_backward(prim: Primitive) -> tuple[Backward, ...]:
    """The per-argument reverse rules ``(ct, x, y, out, params) -> contribution`` that
    follow from an entry's partials (elementwise ops) or its ``vjp`` rules."""
    return tuple(_derived_rule(prim, slot) for slot in range(prim.arity))


def _derived_rule(prim: Primitive, slot: int) -> Backward:
    if prim.elementwise:
        partial = prim.partials[slot]
        if prim.arity == 1:
            return lambda ct, x, y, out, params: scaled(partial(x, out), ct)
        return lambda ct, x, y, out, params: unbroadcast(scaled(partial(x, y, out), ct), shape_of(y if slot else x))
    vjp = prim.vjp[slot]
    if prim.arity == 1:
        return lambda ct, x, y, out, params: vjp(ct, x, out, **(params or {}))
    return lambda ct, x, y, out, params: vjp(ct, x, y, out, **(params or {}))


def _recorded(*args: Any, **params: Any) -> Any:
    raise TypeError("inputs and constants are recorded values; nothing computes them")


INPUT = Primitive("input", 0, _recorded, symbol="input")
CONST = Primitive("const", 0, _recorded, symbol="const")

ANY = (-3.0, 3.0)
POSITIVE = (0.2, 3.0)

# --- elementwise binary ------------------------------------------------------

_register(Primitive(
    "add", 2, operator.add,
    partials=(lambda x, y, out: 1.0, lambda x, y, out: 1.0),
    formulas=(lambda x, y, out: "1", lambda x, y, out: "1"),
    reads=((), ()), symbol="+", domain=(ANY, ANY),
))
_register(Primitive(
    "sub", 2, operator.sub,
    partials=(lambda x, y, out: 1.0, lambda x, y, out: -1.0),
    formulas=(lambda x, y, out: "1", lambda x, y, out: "−1"),
    reads=((), ()), symbol="−", domain=(ANY, ANY),
))
_register(Primitive(
    "mul", 2, operator.mul,
    partials=(lambda x, y, out: y, lambda x, y, out: x),
    formulas=(lambda x, y, out: y, lambda x, y, out: x),
    reads=(("y",), ("x",)), symbol="·", domain=(ANY, ANY),
))
_register(Primitive(
    "div", 2, div_,
    partials=(lambda x, y, out: div_(1.0, y), lambda x, y, out: -div_(out, y)),
    formulas=(lambda x, y, out: f"1/{y}", lambda x, y, out: f"−{x}/{y}²"),
    reads=(("y",), ("out", "y")), symbol="/", domain=(ANY, POSITIVE),
))


def _pow_formula_base(x: str, y: str, out: str) -> str:
    try:
        exponent = float(y)
    except ValueError:
        return f"{y}·{x}^({y}−1)"
    if exponent == 2:
        return f"2·{x}"
    if exponent == 1:
        return "1"
    lowered = exponent - 1
    shown = f"{lowered:g}" if lowered >= 0 else f"({lowered:g})"
    return f"{y}·{x}^{shown}"


def _zero_where(derivative, condition):
    """``derivative``, but exactly 0 where ``condition`` holds (it may be 0·∞ = nan there)."""
    if type(derivative) is float:
        return 0.0 if condition else derivative
    return np.where(condition, 0.0, derivative).astype(derivative.dtype, copy=False)


def _pow_partial_base(x, y, out):
    # x^0 = 1 for every x: its derivative is 0, also at x = 0 where y·x^(y−1) is 0·∞.
    return _zero_where(y * pow_(x, y - 1.0), y == 0.0)


def _pow_partial_exponent(x, y, out):
    # 0^y = 0 for every y > 0: its derivative in y is 0, where x^y·ln(x) is 0·(−∞).
    return _zero_where(out * log_(x), out == 0.0)


_register(Primitive(
    "pow", 2, pow_,
    partials=(_pow_partial_base, _pow_partial_exponent),
    formulas=(_pow_formula_base, lambda x, y, out: f"{out}·ln({x})"),
    reads=(("x", "y"), ("out", "x")), symbol="^", domain=(POSITIVE, ANY),
    kinks="∂(x^y)/∂x is taken as 0 where y = 0 (x^0 = 1 for every x), "
          "and ∂(x^y)/∂y as 0 where x^y = 0",
))
_register(Primitive(
    "maximum", 2, maximum_,
    partials=(lambda x, y, out: _step(x >= y, x), lambda x, y, out: _step(x < y, y)),
    formulas=(lambda x, y, out: f"[{x}≥{y}]", lambda x, y, out: f"[{x}<{y}]"),
    reads=(("x", "y"), ("x", "y")), symbol="max", domain=(ANY, ANY),
    kinks="at a tie x = y the whole derivative goes to the first argument",
))

# --- elementwise unary -------------------------------------------------------

_register(Primitive(
    "neg", 1, operator.neg,
    partials=(lambda x, out: -1.0,), formulas=(lambda x, out: "−1",),
    reads=((),), symbol="−", domain=(ANY,),
))
_register(Primitive(
    "abs", 1, abs_,
    partials=(lambda x, out: sign_(x),), formulas=(lambda x, out: f"sign({x})",),
    reads=(("x",),), domain=(ANY,), kinks="∂|x|/∂x is taken as 0 at x = 0",
))
_register(Primitive(
    "exp", 1, exp_,
    partials=(lambda x, out: out,), formulas=(lambda x, out: f"exp({x})",),
    reads=(("out",),), domain=(ANY,),
))
_register(Primitive(
    "log", 1, log_,
    partials=(lambda x, out: div_(1.0, x),), formulas=(lambda x, out: f"1/{x}",),
    reads=(("x",),), domain=(POSITIVE,),
))
_register(Primitive(
    "sin", 1, sin_,
    partials=(lambda x, out: cos_(x),), formulas=(lambda x, out: f"cos({x})",),
    reads=(("x",),), domain=(ANY,),
))
_register(Primitive(
    "cos", 1, cos_,
    partials=(lambda x, out: -sin_(x),), formulas=(lambda x, out: f"−sin({x})",),
    reads=(("x",),), domain=(ANY,),
))
_register(Primitive(
    "tan", 1, tan_,
    partials=(lambda x, out: 1.0 + out * out,), formulas=(lambda x, out: f"1+tan²({x})",),
    reads=(("out",),), domain=((-1.2, 1.2),),
))
_register(Primitive(
    "tanh", 1, tanh_,
    partials=(lambda x, out: 1.0 - out * out,), formulas=(lambda x, out: f"1−tanh²({x})",),
    reads=(("out",),), domain=(ANY,),
))
_register(Primitive(
    "sigmoid", 1, sigmoid_,
    partials=(lambda x, out: out * (1.0 - out),), formulas=(lambda x, out: f"σ({x})·(1−σ({x}))",),
    reads=(("out",),), symbol="σ", domain=(ANY,),
))
_register(Primitive(
    "relu", 1, relu_,
    partials=(lambda x, out: _step(x > 0.0, x),), formulas=(lambda x, out: f"[{x}>0]",),
    reads=(("x",),), domain=(ANY,), kinks="∂relu(x)/∂x is taken as 0 at x = 0",
))
_register(Primitive(
    "sqrt", 1, sqrt_,
    partials=(lambda x, out: div_(0.5, out),), formulas=(lambda x, out: f"1/(2·√{x})",),
    reads=(("out",),), symbol="√", domain=(POSITIVE,),
))


# --- structural (array) ops: explicit JVP and VJP rules ------------------------

def _as_matrix_operands(x, y):
    """View 1-D matmul operands as matrices, as numpy does, and say how to undo it."""
    x2 = x[np.newaxis, :] if x.ndim == 1 else x
    y2 = y[:, np.newaxis] if y.ndim == 1 else y
    return x2, y2


def _matmul_ct(ct, x, y):
    x2, y2 = _as_matrix_operands(x, y)
    shape = np.broadcast_shapes(x2.shape[:-2], y2.shape[:-2]) + (x2.shape[-2], y2.shape[-1])
    return x2, y2, np.reshape(ct, shape)


def _matmul_vjp_x(ct, x, y, out):
    if x.ndim == 2 and y.ndim == 2:  # the common case, without the reshaping below
        return ct @ y.T
    x2, y2, ct2 = _matmul_ct(ct, x, y)
    return np.reshape(unbroadcast(ct2 @ np.swapaxes(y2, -1, -2), x2.shape), x.shape)


def _matmul_vjp_y(ct, x, y, out):
    if x.ndim == 2 and y.ndim == 2:
        return x.T @ ct
    x2, y2, ct2 = _matmul_ct(ct, x, y)
    return np.reshape(unbroadcast(np.swapaxes(x2, -1, -2) @ ct2, y2.shape), y.shape)


def _matmul_examples(rng):
    r = rng.standard_normal
    return [((r((3, 4)), r((4, 2))), {}), ((r(4), r((4, 2))), {}),
            ((r((3, 4)), r(4)), {}), ((r(4), r(4)), {}), ((r((2, 3, 4)), r((4, 2))), {})]


_register(Primitive(
    "matmul", 2, np.matmul,
    formulas=(lambda x, y, out: f"{y}ᵀ (right-multiplied)", lambda x, y, out: f"{x}ᵀ (left-multiplied)"),
    reads=(("y",), ("x",)),
    jvp=(lambda t, x, y, out: np.matmul(t, y), lambda t, x, y, out: np.matmul(x, t)),
    chain_forms=(("{ct}·{y}ᵀ", "{t}·{y}"), ("{x}ᵀ·{ct}", "{x}·{t}")),
    vjp=(_matmul_vjp_x, _matmul_vjp_y),
    symbol="@", examples=_matmul_examples,
))


def _expanded(value, x, axis, keepdims):
    """A reduction's output (or cotangent) with the reduced axes put back as length 1."""
    if axis is None or keepdims or type(value) is float:
        return value
    kept = list(x.shape)
    for a in axis:
        kept[a] = 1
    return value.reshape(kept)


def _reduced_shape_ct(ct, x, axis, keepdims):
    """Broadcast a reduction's cotangent back over the reduced axes of ``x``."""
    if type(ct) is float:
        spread = np.empty(x.shape, dtype=x.dtype)
        spread[...] = ct  # np.full, without its two Python-level calls
        return spread
    ct = _expanded(ct, x, axis, keepdims)
    spread = np.empty(x.shape, dtype=x.dtype if ct.dtype == x.dtype else np.result_type(ct, x))
    spread[...] = ct  # (cheaper than np.broadcast_to, whose Python wrapper costs more than the copy)
    return spread


def _count(x, axis):
    if axis is None:
        return x.size
    return math.prod(x.shape[a] for a in axis)


def _mean(x, axis, keepdims):
    # The same sum and division as np.mean, without its Python-level argument handling.
    if type(x) is not np.ndarray or x.dtype.itemsize < 4:  # float16 sums in float32 there
        return np.mean(x, axis=axis, keepdims=keepdims)
    return np.add.reduce(x, axis=axis, keepdims=keepdims) / _count(x, axis)


def _reduction_examples(rng):
    r = rng.standard_normal
    return [((r((3, 4)),), {"axis": None, "keepdims": False}),
            ((r((3, 4)),), {"axis": (0,), "keepdims": False}),
            ((r((2, 3, 4)),), {"axis": (1, 2), "keepdims": True})]


_register(Primitive(
    "sum", 1, np.add.reduce,  # called as impl(x, axis=..., keepdims=...)
    formulas=(lambda x, out: "1",), reads=((),), symbol="Σ",
    chain_forms=(("spread({ct})", "Σ {t}"),),
    jvp=(lambda t, x, out, axis, keepdims: np.sum(t, axis=axis, keepdims=keepdims),),
    vjp=(lambda ct, x, out, axis, keepdims: _reduced_shape_ct(ct, x, axis, keepdims),),
    examples=_reduction_examples,
))
_register(Primitive(
    "mean", 1, _mean,
    formulas=(lambda x, out: "1/n",), reads=((),),
    chain_forms=(("spread({ct})/n", "mean({t})"),),
    jvp=(lambda t, x, out, axis, keepdims: np.mean(t, axis=axis, keepdims=keepdims),),
    vjp=(lambda ct, x, out, axis, keepdims:
         _reduced_shape_ct(ct, x, axis, keepdims) / _count(x, axis),),
    examples=_reduction_examples,
))


def _chosen(x, out, axis, keepdims):
    """Where max/min took its value, as weights: 1/k on each of k tied elements, else 0."""
    hits = (x == _expanded(out, x, axis, keepdims)).astype(x.dtype)
    return hits / np.add.reduce(hits, axis=axis, keepdims=True)


def _chooser_vjp(ct, x, out, axis, keepdims):
    return _chosen(x, out, axis, keepdims) * _expanded(ct, x, axis, keepdims)


def _chooser_jvp(t, x, out, axis, keepdims):
    return np.add.reduce(_chosen(x, out, axis, keepdims) * t, axis=axis, keepdims=keepdims)


for _name, _reduce_fn in (("max", np.maximum.reduce), ("min", np.minimum.reduce)):
    _register(Primitive(
        _name, 1, _reduce_fn,  # called as impl(x, axis=..., keepdims=...), like sum
        formulas=(lambda x, out, _name=_name: f"[{x} = {_name}]/ties",), reads=(("x", "out"),),
        chain_forms=((f"[{{x}} = {_name}]/ties ⊙ spread({{ct}})", f"Σ [{{x}} = {_name}]/ties ⊙ {{t}}"),),
        jvp=(_chooser_jvp,), vjp=(_chooser_vjp,),
        kinks=f"where several elements tie for the {_name}, they share its derivative equally",
        examples=_reduction_examples,
    ))
_register(Primitive(
    "reshape", 1, lambda x, shape: np.reshape(x, shape),
    formulas=(lambda x, out: "1 (reshaped)",), reads=((),),
    chain_forms=(("reshape({ct})", "reshape({t})"),),
    jvp=(lambda t, x, out, shape: np.reshape(t, shape),),
    vjp=(lambda ct, x, out, shape: float(np.reshape(ct, ())) if type(x) is float else np.reshape(ct, x.shape),),
    examples=lambda rng: [((rng.standard_normal((3, 4)),), {"shape": (2, 6)}),
                          ((rng.standard_normal((3, 4)),), {"shape": (12,)})],
))
_register(Primitive(
    "transpose", 1, lambda x, axes: np.transpose(x, axes),
    formulas=(lambda x, out: "1 (transposed)",), reads=((),), symbol="ᵀ",
    chain_forms=(("{ct}ᵀ", "{t}ᵀ"),),
    jvp=(lambda t, x, out, axes: np.transpose(t, axes),),
    vjp=(lambda ct, x, out, axes: np.transpose(ct, None if axes is None else np.argsort(axes)),),
    examples=lambda rng: [((rng.standard_normal((3, 4)),), {"axes": None}),
                          ((rng.standard_normal((2, 3, 4)),), {"axes": (1, 2, 0)})],
))


def _getitem_vjp(ct, x, out, index):
    grad = np.zeros(x.shape, dtype=np.result_type(x, np.float32))
    np.add.at(grad, index, ct)  # add.at, not +=, so repeated indices accumulate
    return grad


_register(Primitive(
    "getitem", 1, lambda x, index: x[index],
    formulas=(lambda x, out: "1 (selected)",), reads=((),), symbol="[]",
    chain_forms=(("{ct} put back in place", "{t} selected"),),
    jvp=(lambda t, x, out, index: t[index],),
    vjp=(_getitem_vjp,),
    examples=lambda rng: [((rng.standard_normal((3, 4)),), {"index": (1,)}),
                          ((rng.standard_normal((3, 4)),), {"index": (slice(None), 2)}),
                          ((rng.standard_normal(5),), {"index": (np.array([0, 2, 2]),)})],
))


# ---------------------------------------------------------------------------
# Speed. Nothing below changes what an op means or computes; the registry tests hold
# every rule here to the entries above.
#
# Reverse rules written out for the ops that dominate array models: the reverse loop of
# grad() calls these instead of the rules derived from the partials or vjp above, because
# every Python frame counts there (see benchmarks/engine.py, the array MLP). With two
# arrays of one shape (the usual case) add, sub and mul return without a further call.

# Reverse rules of add, sub and mul, written out: with two arrays of one shape (the usual
# case) they return without a further call, because every Python frame counts in the
# reverse loop of grad() (see benchmarks/engine.py, the array MLP).

def _add_vjp_x(ct, x, y, out, p):
    if type(ct) is np.ndarray and type(x) is np.ndarray and ct.shape == x.shape:
        return ct
    return unbroadcast_like(ct, x)


def _add_vjp_y(ct, x, y, out, p):
    if type(ct) is np.ndarray and type(y) is np.ndarray:
        return ct if ct.shape == y.shape else unbroadcast(ct, y.shape)  # (a bias: unbroadcast)
    return unbroadcast_like(ct, y)


def _sub_vjp_y(ct, x, y, out, p):
    if type(ct) is np.ndarray and type(y) is np.ndarray and ct.shape == y.shape:
        return -ct
    return -unbroadcast_like(ct, y)


def _mul_vjp_x(ct, x, y, out, p):
    c = ct * y
    if type(c) is np.ndarray and type(x) is np.ndarray and c.shape == x.shape:
        return c
    return unbroadcast_like(c, x)


def _mul_vjp_y(ct, x, y, out, p):
    c = ct * x
    if type(c) is np.ndarray and type(y) is np.ndarray and c.shape == y.shape:
        return c
    return unbroadcast_like(c, y)


def _mean_backward(ct, x, y, out, p):
    # Divides the small cotangent, not the spread one.
    return _reduced_shape_ct(ct / (_count(x, p["axis"]) or 1), x, p["axis"], p["keepdims"])


_WRITTEN_OUT_BACKWARD: dict[str, tuple[Backward, ...]] = {
    "add": (_add_vjp_x, _add_vjp_y),
    "sub": (_add_vjp_x, _sub_vjp_y),
    "mul": (_mul_vjp_x, _mul_vjp_y),
    "neg": (lambda ct, x, y, out, p: -ct,),
    "exp": (lambda ct, x, y, out, p: ct * out,),
    "log": (lambda ct, x, y, out, p: ct / x if type(x) is np.ndarray else div_(ct, x),),
    "tanh": (lambda ct, x, y, out, p: ct * (1.0 - out * out),),
    "sigmoid": (lambda ct, x, y, out, p: ct * (out * (1.0 - out)),),
    "relu": (lambda ct, x, y, out, p: ct * (x > 0.0),),
    "matmul": (lambda ct, x, y, out, p: ct @ y.T if x.ndim == 2 and y.ndim == 2 else _matmul_vjp_x(ct, x, y, out),
               lambda ct, x, y, out, p: x.T @ ct if x.ndim == 2 and y.ndim == 2 else _matmul_vjp_y(ct, x, y, out)),
    "sum": (lambda ct, x, y, out, p: _reduced_shape_ct(ct, x, p["axis"], p["keepdims"]),),
    "mean": (_mean_backward,),
}

# What tracing's inf/nan check may rely on (``traced.check_finite_arrays``). An op that
# keeps finite gives a finite output for finite inputs, so its result need not be tested.
_KEEPS_FINITE = frozenset({"maximum", "neg", "abs", "relu", "max", "min", "reshape", "transpose", "getitem"})

# Per argument: an inf or nan anywhere in it always puts one in the result (inf + y,
# nan·y, log(inf), a sum over it; not exp(−inf) = 0, relu or tanh), so a finite result
# proves that argument finite without testing it.
_SHOWS_NON_FINITE: dict[str, tuple[bool, ...]] = {
    "add": (True, True), "sub": (True, True), "mul": (True, True), "div": (True, False),
    "neg": (True,), "abs": (True,), "log": (True,), "sin": (True,), "cos": (True,), "tan": (True,),
    "sqrt": (True,), "sum": (True,), "mean": (True,), "reshape": (True,), "transpose": (True,),
}


def _install_speed_facts() -> None:
    for table in (_WRITTEN_OUT_BACKWARD, _SHOWS_NON_FINITE):
        for op, per_argument in table.items():
            if len(per_argument) != REGISTRY[op].arity:  # (a KeyError names an op not registered)
                raise ValueError(f"primitive {op!r} needs one entry per argument in the speed tables")
    for prim in REGISTRY.values():
        if prim.name in _WRITTEN_OUT_BACKWARD:
            object.__setattr__(prim, "backward", _WRITTEN_OUT_BACKWARD[prim.name])
        object.__setattr__(prim, "keeps_finite", prim.name in _KEEPS_FINITE)
        object.__setattr__(prim, "shows_non_finite", _SHOWS_NON_FINITE.get(prim.name, ()))
    missing = _KEEPS_FINITE - REGISTRY.keys()
    if missing:
        raise ValueError(f"the speed tables name ops that are not registered: {sorted(missing)}")


def written_out_backward(prim: Primitive) -> bool:
    """Whether the reverse loop uses a written-out rule for ``prim`` (the speed tables)."""
    return prim.name in _WRITTEN_OUT_BACKWARD


# The rest of numpy's surface registers itself here (it imports this module).
# The rest of numpy's surface registers itself here (it imports this module).
from . import (  # noqa: E402,F401
    array_ops,
    elementwise_ops,
    linalg_ops,  # noqa: E402,F401
)

_install_speed_facts()
