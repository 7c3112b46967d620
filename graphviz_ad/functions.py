"""Elementary functions (``ad.exp``, ``ad.sin``, ``ad.relu``, ...) for numbers, arrays and traced values.

On a traced value they record a node; on a plain number they return a float and on an
array an array, so the same model code runs traced or not.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .primitives import REGISTRY, Primitive
from .tape import to_input_value
from .traced import Traced, apply_binary, apply_unary, record_array_result

__all__ = ["exp", "log", "sin", "cos", "tan", "tanh", "sigmoid", "relu", "sqrt", "maximum", "ELEMENTARY", "FUNCTIONS"]


def plain_apply(prim: Primitive, *args: Any) -> Any:
    """``prim`` on untraced numbers/arrays, with IEEE inf/nan instead of exceptions."""
    # keep=False: a float array is used as it is, not copied (nothing is recorded here).
    values = [to_input_value(a, "argument {} of {}", i + 1, prim.name, keep=False) for i, a in enumerate(args)]
    with np.errstate(all="ignore"):
        result = prim.impl(*values)
    return result if type(result) is float or np.ndim(result) else float(result)


def _make_unary(prim: Primitive) -> Callable[[Any], Any]:
    impl, array_impl = prim.impl, prim.array_impl

    def function(x):
        if type(x) is float:
            return impl(x)  # the scalar impls already give IEEE results: no errstate needed
        if type(x) is Traced:
            if type(x.value) is np.ndarray and not x._tape.closed:  # an array model's layer
                return record_array_result(prim, x._tape, x._index, -1, array_impl(x.value))
            return apply_unary(prim, x)
        return plain_apply(prim, x)

    function.__name__ = function.__qualname__ = prim.name
    function.__doc__ = (
        f"{prim.name}(x) on a number, a numpy array or a traced value (then it records a node).\n\n"
        f"Local derivative drawn on its edge: ∂{prim.name}(x)/∂x = {prim.formulas[0]('x', 'out')}."
        + (f"\nConvention: {prim.kinks}." if prim.kinks else ""))
    return function


def _make_binary(prim: Primitive) -> Callable[[Any, Any], Any]:
    def function(x, y):
        if type(x) is Traced or type(y) is Traced:
            return apply_binary(prim, x, y)
        return plain_apply(prim, x, y)

    function.__name__ = function.__qualname__ = prim.name
    function.__doc__ = (
        f"{prim.name}(x, y) elementwise, on numbers, numpy arrays or traced values.\n\n"
        f"Local derivatives: ∂/∂x = {prim.formulas[0]('x', 'y', 'out')}, "
        f"∂/∂y = {prim.formulas[1]('x', 'y', 'out')}."
        + (f"\nConvention: {prim.kinks}." if prim.kinks else ""))
    return function


def _made_for_every_elementwise_entry() -> dict[str, Callable[..., Any]]:
    """``ad.sinh``, ``ad.hypot``, ...: one function per elementwise registry entry that has
    no operator of its own (+, −, ·, /, **, %, //, abs and unary − are Python's)."""
    by_operator = {"add", "sub", "mul", "div", "pow", "neg", "abs", "remainder", "floor_divide"}
    made = {}
    for name, prim in REGISTRY.items():
        if prim.elementwise and name not in by_operator:
            made[name] = _make_unary(prim) if prim.arity == 1 else _make_binary(prim)
    return made


exp = _make_unary(REGISTRY["exp"])
log = _make_unary(REGISTRY["log"])
sin = _make_unary(REGISTRY["sin"])
cos = _make_unary(REGISTRY["cos"])
tan = _make_unary(REGISTRY["tan"])
tanh = _make_unary(REGISTRY["tanh"])
sigmoid = _make_unary(REGISTRY["sigmoid"])
relu = _make_unary(REGISTRY["relu"])
sqrt = _make_unary(REGISTRY["sqrt"])
maximum = _make_binary(REGISTRY["maximum"])

# The functions the expression parser may call, by name.
ELEMENTARY: dict[str, Callable[..., Any]] = {
    "exp": exp, "log": log, "sin": sin, "cos": cos, "tan": tan, "tanh": tanh,
    "sigmoid": sigmoid, "relu": relu, "sqrt": sqrt, "maximum": maximum, "abs": abs,
}

#: Every elementwise function by name (``ad.arctan2``, ``ad.log1p``, ...); the README's
#: table lists them.
FUNCTIONS: dict[str, Callable[..., Any]] = {**_made_for_every_elementwise_entry(), **{
    "exp": exp, "log": log, "sin": sin, "cos": cos, "tan": tan, "tanh": tanh, "sigmoid": sigmoid,
    "relu": relu, "sqrt": sqrt, "maximum": maximum}}
