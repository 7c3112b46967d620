"""Registry entries for the rest of numpy's elementwise maths: hyperbolic and inverse
trigonometric functions, logarithms and exponentials in other bases, rounding, and the
two-argument functions (minimum, remainder, arctan2, hypot, logaddexp, ...).

Each entry is like ``mul``'s in ``primitives``: per argument the local partial, its
formula and the stored values it reads. Rounding (floor, ceil, sign, ``//``) is piecewise
constant: its derivative is 0 wherever it exists, and is taken as 0 at the jumps.
"""

from __future__ import annotations

import math
import operator
from typing import Any, Callable

import numpy as np

from .primitives import ANY, POSITIVE, Primitive, _binary, _ieee, _register, _step, _unary, div_, exp_, sign_, sqrt_

__all__ = ["NUMPY_UFUNCS"]

UNIT = (-0.9, 0.9)
PIECEWISE = "its derivative is 0 wherever it exists, and is taken as 0 at the jumps"


def _numpy_only(np_fn: Callable) -> Callable:
    """A scalar version of a ufunc that ``math`` lacks, with numpy's IEEE results."""
    return lambda x: _ieee(np_fn, x)


def _as_float(math_fn: Callable) -> Callable:
    return lambda x: float(math_fn(x))  # math.floor/ceil give ints


def _zero_like(like: Any) -> Any:
    return 0.0 if type(like) is float else np.zeros_like(like)


_LN2, _LN10 = math.log(2.0), math.log(10.0)


def _sinc_partial(x, out):
    # d/dx sin(πx)/(πx) = (cos(πx) − sinc(x))/x, and 0 at x = 0 (sinc is even).
    with np.errstate(all="ignore"):
        value = (np.cos(np.pi * x) - out) / x
    return float(np.where(x == 0, 0.0, value)) if type(x) is float else np.where(x == 0, 0.0, value)


def _unary_entry(name: str, impl: Callable, partial: Callable, formula: Callable, reads: tuple[str, ...],
                 domain: tuple[float, float] = ANY, kinks: str = "") -> None:
    _register(Primitive(name, 1, impl, partials=(partial,), formulas=(formula,), reads=(reads,),
                        domain=(domain,), kinks=kinks))


_unary_entry("sinh", _unary(math.sinh, np.sinh), lambda x, out: _unary(math.cosh, np.cosh)(x),
             lambda x, out: f"cosh({x})", ("x",))
_unary_entry("cosh", _unary(math.cosh, np.cosh), lambda x, out: _unary(math.sinh, np.sinh)(x),
             lambda x, out: f"sinh({x})", ("x",))
_unary_entry("arcsin", _unary(math.asin, np.arcsin), lambda x, out: div_(1.0, sqrt_(1.0 - x * x)),
             lambda x, out: f"1/√(1−{x}²)", ("x",), UNIT)
_unary_entry("arccos", _unary(math.acos, np.arccos), lambda x, out: -div_(1.0, sqrt_(1.0 - x * x)),
             lambda x, out: f"−1/√(1−{x}²)", ("x",), UNIT)
_unary_entry("arctan", _unary(math.atan, np.arctan), lambda x, out: div_(1.0, 1.0 + x * x),
             lambda x, out: f"1/(1+{x}²)", ("x",))
_unary_entry("arcsinh", _unary(math.asinh, np.arcsinh), lambda x, out: div_(1.0, sqrt_(x * x + 1.0)),
             lambda x, out: f"1/√({x}²+1)", ("x",))
_unary_entry("arccosh", _unary(math.acosh, np.arccosh), lambda x, out: div_(1.0, sqrt_(x * x - 1.0)),
             lambda x, out: f"1/√({x}²−1)", ("x",), (1.2, 3.0))
_unary_entry("arctanh", _unary(math.atanh, np.arctanh), lambda x, out: div_(1.0, 1.0 - x * x),
             lambda x, out: f"1/(1−{x}²)", ("x",), UNIT)
_unary_entry("log2", _unary(math.log2, np.log2), lambda x, out: div_(1.0, x * _LN2),
             lambda x, out: f"1/({x}·ln 2)", ("x",), POSITIVE)
_unary_entry("log10", _unary(math.log10, np.log10), lambda x, out: div_(1.0, x * _LN10),
             lambda x, out: f"1/({x}·ln 10)", ("x",), POSITIVE)
_unary_entry("log1p", _unary(math.log1p, np.log1p), lambda x, out: div_(1.0, 1.0 + x),
             lambda x, out: f"1/(1+{x})", ("x",), (-0.8, 3.0))
_unary_entry("expm1", _unary(math.expm1, np.expm1), lambda x, out: out + 1.0,
             lambda x, out: f"exp({x})", ("out",))
exp2_ = _unary(lambda x: 2.0 ** x, np.exp2)
_unary_entry("exp2", exp2_,
             lambda x, out: out * _LN2, lambda x, out: f"2^{x}·ln 2", ("out",))
_unary_entry("square", _unary(lambda x: x * x, np.square), lambda x, out: 2.0 * x,
             lambda x, out: f"2·{x}", ("x",))
_unary_entry("reciprocal", _unary(lambda x: 1.0 / x, np.reciprocal), lambda x, out: -(out * out),
             lambda x, out: f"−1/{x}²", ("out",), POSITIVE)
_unary_entry("fabs", _unary(math.fabs, np.fabs), lambda x, out: sign_(x),
             lambda x, out: f"sign({x})", ("x",), kinks="∂|x|/∂x is taken as 0 at x = 0")
_unary_entry("deg2rad", _unary(math.radians, np.deg2rad), lambda x, out: math.pi / 180.0,
             lambda x, out: "π/180", ())
_unary_entry("rad2deg", _unary(math.degrees, np.rad2deg), lambda x, out: 180.0 / math.pi,
             lambda x, out: "180/π", ())
_unary_entry("sinc", _unary(_numpy_only(np.sinc), np.sinc), _sinc_partial,
             lambda x, out: f"(cos(π{x})−sinc({x}))/{x}", ("x", "out"), POSITIVE)
for _name, _impl in (("sign", sign_),
                     ("floor", _unary(_as_float(math.floor), np.floor)),
                     ("ceil", _unary(_as_float(math.ceil), np.ceil)),
                     ("trunc", _unary(_as_float(math.trunc), np.trunc)),
                     ("rint", _unary(lambda x: float(np.rint(x)), np.rint))):
    _unary_entry(_name, _impl, lambda x, out: _zero_like(x), lambda x, out: "0", (),
                 (0.1, 0.4), f"{_name} is piecewise constant: {PIECEWISE}")
# (The registry tests sample rounding ops between jumps: (0.1, 0.4) holds none.)


# --- two arguments -------------------------------------------------------------

def _binary_entry(name: str, impl: Callable, partials: tuple[Callable, Callable],
                  formulas: tuple[Callable, Callable], reads: tuple[tuple[str, ...], tuple[str, ...]],
                  domain: tuple = (ANY, ANY), kinks: str = "", symbol: str = "") -> None:
    _register(Primitive(name, 2, impl, partials=partials, formulas=formulas, reads=reads,
                        domain=domain, kinks=kinks, symbol=symbol))


def _first_of_fmax(x: Any, y: Any) -> Any:
    return (x >= y) | (y != y)  # (y != y: y is nan, and fmax takes x)


def _first_of_fmin(x: Any, y: Any) -> Any:
    return (x <= y) | (y != y)


def _negated(condition: Any) -> Any:
    return (not condition) if type(condition) is bool else ~condition


def _minus_floor_ratio(x: Any, y: Any, out: Any) -> Any:
    ratio = -np.floor(div_(x, y))
    return float(ratio) if type(x) is float and type(y) is float else ratio


_binary_entry(
    "minimum", _binary(min, np.minimum),
    (lambda x, y, out: _step(x <= y, x), lambda x, y, out: _step(x > y, y)),
    (lambda x, y, out: f"[{x}≤{y}]", lambda x, y, out: f"[{x}>{y}]"),
    (("x", "y"), ("x", "y")), kinks="at a tie x = y the whole derivative goes to the first argument",
    symbol="min")


def _nan_ignoring_entry(name: str, pick: Callable, first: Callable, ties: str) -> None:
    """fmax/fmin: like maximum/minimum, but a nan argument is ignored and gets no derivative."""
    _binary_entry(
        name, _binary(lambda x, y: y if x != x else (x if y != y else pick(x, y)), getattr(np, name)),
        (lambda x, y, out: _step(first(x, y), x), lambda x, y, out: _step(_negated(first(x, y)), y)),
        (lambda x, y, out: f"[{x}{ties}{y}]", lambda x, y, out: f"[not {x}{ties}{y}]"),
        (("x", "y"), ("x", "y")),
        kinks="at a tie x = y the whole derivative goes to the first argument; a nan argument gets none")


_nan_ignoring_entry("fmax", max, _first_of_fmax, "≥")
_nan_ignoring_entry("fmin", min, _first_of_fmin, "≤")
_binary_entry(
    "remainder", _binary(operator.mod, np.remainder),
    (lambda x, y, out: 1.0, _minus_floor_ratio),
    (lambda x, y, out: "1", lambda x, y, out: f"−floor({x}/{y})"),
    ((), ("x", "y")), domain=((0.1, 0.9), (1.2, 3.0)), symbol="%",
    kinks="x % y = x − y·floor(x/y) is differentiated as written, with floor's derivative 0 "
          "(at the jumps too)")
_binary_entry(
    "floor_divide", _binary(operator.floordiv, np.floor_divide),
    (lambda x, y, out: _zero_like(out), lambda x, y, out: _zero_like(out)),
    (lambda x, y, out: "0", lambda x, y, out: "0"),
    ((), ()), domain=((0.1, 0.9), (1.2, 3.0)), symbol="//",
    kinks=f"x // y is piecewise constant: {PIECEWISE}")
_binary_entry(
    "logaddexp", _binary(lambda x, y: float(np.logaddexp(x, y)), np.logaddexp),
    (lambda x, y, out: exp_(x - out), lambda x, y, out: exp_(y - out)),
    (lambda x, y, out: f"exp({x}−{out})", lambda x, y, out: f"exp({y}−{out})"),
    (("x", "out"), ("out", "y")))
_binary_entry(
    "logaddexp2", _binary(lambda x, y: float(np.logaddexp2(x, y)), np.logaddexp2),
    (lambda x, y, out: exp2_(x - out), lambda x, y, out: exp2_(y - out)),
    (lambda x, y, out: f"2^({x}−{out})", lambda x, y, out: f"2^({y}−{out})"),
    (("x", "out"), ("out", "y")))
_binary_entry(
    "arctan2", _binary(math.atan2, np.arctan2),
    (lambda x, y, out: div_(y, x * x + y * y), lambda x, y, out: -div_(x, x * x + y * y)),
    (lambda x, y, out: f"{y}/({x}²+{y}²)", lambda x, y, out: f"−{x}/({x}²+{y}²)"),
    (("x", "y"), ("x", "y")), domain=(POSITIVE, POSITIVE))
_binary_entry(
    "hypot", _binary(math.hypot, np.hypot),
    (lambda x, y, out: div_(x, out), lambda x, y, out: div_(y, out)),
    (lambda x, y, out: f"{x}/{out}", lambda x, y, out: f"{y}/{out}"),
    (("x", "out"), ("out", "y")), domain=(POSITIVE, POSITIVE))

#: numpy ufuncs recorded by the entries above, by the name numpy gives them.
NUMPY_UFUNCS: dict[Any, str] = {
    np.sinh: "sinh", np.cosh: "cosh", np.arcsin: "arcsin", np.arccos: "arccos", np.arctan: "arctan",
    np.arcsinh: "arcsinh", np.arccosh: "arccosh", np.arctanh: "arctanh", np.log2: "log2",
    np.log10: "log10", np.log1p: "log1p", np.expm1: "expm1", np.exp2: "exp2", np.square: "square",
    np.reciprocal: "reciprocal", np.fabs: "fabs", np.deg2rad: "deg2rad", np.radians: "deg2rad",
    np.rad2deg: "rad2deg", np.degrees: "rad2deg", np.sign: "sign", np.floor: "floor", np.ceil: "ceil",
    np.trunc: "trunc", np.rint: "rint", np.minimum: "minimum", np.fmax: "fmax", np.fmin: "fmin",
    np.remainder: "remainder", np.floor_divide: "floor_divide", np.logaddexp: "logaddexp",
    np.logaddexp2: "logaddexp2", np.arctan2: "arctan2", np.hypot: "hypot",
}
