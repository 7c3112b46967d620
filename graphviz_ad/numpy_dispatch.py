"""Recording numpy calls made on traced values (``np.sin(x)``, ``np.sum(x, axis=0)``).

numpy hands ufuncs to ``Traced.__array_ufunc__`` and other functions to
``Traced.__array_function__``; both land here and map onto registry primitives.
Anything without a derivative rule raises a ``TraceError`` naming the numpy function.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import TraceError
from .primitives import REGISTRY
from .traced import Traced, _matmul, _numpy_hooks, apply_binary, apply_unary

__all__ = ["dispatch_ufunc", "dispatch_function", "SUPPORTED_UFUNCS", "SUPPORTED_FUNCTIONS"]

_UFUNC_PRIMITIVES = {
    np.add: "add", np.subtract: "sub", np.multiply: "mul", np.divide: "div",
    np.power: "pow", np.maximum: "maximum", np.negative: "neg", np.absolute: "abs",
    np.exp: "exp", np.log: "log", np.sin: "sin", np.cos: "cos", np.tan: "tan",
    np.tanh: "tanh", np.sqrt: "sqrt",
}
SUPPORTED_UFUNCS = tuple(sorted(u.__name__ for u in _UFUNC_PRIMITIVES)) + ("matmul", "positive", "square")


def dispatch_ufunc(ufunc: np.ufunc, method: str, inputs: tuple, kwargs: dict) -> Any:
    name = f"np.{ufunc.__name__}"
    if method != "__call__":
        raise TraceError(f"{name}.{method} is not supported on traced values; call {name}(...) directly")
    if kwargs:
        raise TraceError(f"{name} with {', '.join(sorted(kwargs))}= is not supported on traced values")
    if ufunc is np.matmul:
        return _matmul(*inputs)
    if ufunc is np.positive:
        return inputs[0]
    if ufunc is np.square:
        return apply_binary(REGISTRY["pow"], inputs[0], 2.0)
    if ufunc in _CONCRETE_UFUNCS:
        # Comparisons and tests read the concrete values, as Traced's own operators do
        # (np.float64(0) < x comes here, not to Traced.__gt__): they choose branches.
        return ufunc(*(_value(x) for x in inputs))
    prim_name = _UFUNC_PRIMITIVES.get(ufunc)
    if prim_name is None:
        raise TraceError(
            f"{name} has no derivative rule in graphviz_ad; supported numpy ufuncs: "
            f"{', '.join(SUPPORTED_UFUNCS)}")
    prim = REGISTRY[prim_name]
    if prim.arity == 1:
        return apply_unary(prim, inputs[0])
    return apply_binary(prim, *inputs)


def _sum(a, axis=None, keepdims=False, **unsupported):
    _refuse(unsupported, "np.sum")
    return a.sum(axis=axis, keepdims=keepdims) if type(a) is Traced else np.sum(a, axis=axis, keepdims=keepdims)


def _mean(a, axis=None, keepdims=False, **unsupported):
    _refuse(unsupported, "np.mean")
    return a.mean(axis=axis, keepdims=keepdims)


def _max(a, axis=None, keepdims=False, **unsupported):
    _refuse(unsupported, "np.max")
    return a.max(axis=axis, keepdims=keepdims)


def _min(a, axis=None, keepdims=False, **unsupported):
    _refuse(unsupported, "np.min")
    return a.min(axis=axis, keepdims=keepdims)


def _transpose(a, axes=None):
    return a.transpose(axes) if axes is not None else a.transpose()


def _reshape(a, shape=None, **unsupported):
    _refuse(unsupported, "np.reshape")
    return a.reshape(shape)


_CONCRETE_UFUNCS = frozenset({np.less, np.less_equal, np.greater, np.greater_equal, np.equal,
                              np.not_equal, np.isnan, np.isinf, np.isfinite, np.signbit})


def _dot(a, b):
    ndims = (np.ndim(_value(a)), np.ndim(_value(b)))
    if 0 in ndims:
        return apply_binary(REGISTRY["mul"], a, b)
    if max(ndims) > 2:  # np.dot pairs every stack of a with every stack of b; matmul does not
        raise TraceError(
            f"np.dot of arrays with {ndims[0]} and {ndims[1]} dimensions is not supported on traced "
            "values; use a @ b (matmul, which broadcasts stacks) or reshape to 2-D first")
    return _matmul(a, b)


def _value(x):
    return x.value if type(x) is Traced else x


def _refuse(unsupported: dict, name: str) -> None:
    if unsupported:
        raise TraceError(f"{name} with {', '.join(sorted(unsupported))}= is not supported on traced values")


_FUNCTIONS = {np.sum: _sum, np.mean: _mean, np.max: _max, np.min: _min, np.amax: _max, np.amin: _min,
              np.transpose: _transpose, np.reshape: _reshape, np.dot: _dot}
SUPPORTED_FUNCTIONS = tuple(sorted(f"np.{f.__name__}" for f in _FUNCTIONS))


def dispatch_function(func: Any, args: tuple, kwargs: dict) -> Any:
    handler = _FUNCTIONS.get(func)
    if handler is None:
        raise TraceError(
            f"np.{getattr(func, '__name__', func)} is not supported on traced values; supported: "
            f"{', '.join(SUPPORTED_FUNCTIONS)} and the ufuncs {', '.join(SUPPORTED_UFUNCS)}")
    return handler(*args, **kwargs)


_numpy_hooks["ufunc"] = dispatch_ufunc
_numpy_hooks["function"] = dispatch_function
