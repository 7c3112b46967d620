"""Recording numpy calls made on traced values (``np.sin(x)``, ``np.stack([h1, h2])``).

numpy hands ufuncs to ``Traced.__array_ufunc__`` and other functions to
``Traced.__array_function__``; both land here and map onto registry primitives, each
recorded under the name the user wrote. Read-only questions (``np.shape``, ``np.argmax``,
``np.allclose``) are answered with the concrete values, as comparisons are. Anything else
raises a ``TraceError`` naming the numpy function with its module path (``np.linalg.eig``).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .array_ops import einsum_parts, variadic
from .elementwise_ops import NUMPY_UFUNCS
from .errors import ShapeError, TraceError
from .primitives import REGISTRY
from .traced import _OBJECT_LOOP_UFUNCS, Traced, _matmul, _numpy_hooks, apply_binary, apply_general, apply_unary

__all__ = ["dispatch_ufunc", "dispatch_function", "SUPPORTED_UFUNCS", "SUPPORTED_FUNCTIONS", "numpy_name"]

_UFUNC_PRIMITIVES: dict[Any, str] = {
    np.add: "add", np.subtract: "sub", np.multiply: "mul", np.divide: "div",
    np.power: "pow", np.maximum: "maximum", np.negative: "neg", np.absolute: "abs",
    np.exp: "exp", np.log: "log", np.sin: "sin", np.cos: "cos", np.tan: "tan",
    np.tanh: "tanh", np.sqrt: "sqrt", **NUMPY_UFUNCS,
}
_CONCRETE_UFUNCS = frozenset({np.less, np.less_equal, np.greater, np.greater_equal, np.equal,
                              np.not_equal, np.isnan, np.isinf, np.isfinite, np.signbit,
                              np.logical_and, np.logical_or, np.logical_not, np.logical_xor})
_OPERATOR_UFUNCS = frozenset({"add", "subtract", "multiply", "divide", "true_divide", "floor_divide",
                              "remainder", "power", "negative", "positive", "absolute"})
SUPPORTED_UFUNCS = tuple(sorted({u.__name__ for u in _UFUNC_PRIMITIVES} | {"matmul", "positive", "float_power"}))


def numpy_name(func: Any) -> str:
    """How the user wrote a numpy function: ``np.sum``, ``np.linalg.inv``, ``np.fft.fft``."""
    name = getattr(func, "__name__", None) or type(func).__name__
    module = getattr(func, "__module__", None) or "numpy"
    public = [part for part in module.split(".") if part and not part.startswith("_")]
    if public and public[0] == "numpy":
        return ".".join(["np"] + public[1:] + [name])
    return f"{module}.{name}"


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
    if ufunc is np.float_power:
        return apply_binary(REGISTRY["pow"], *inputs)
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


# ---------------------------------------------------------------------------
# Helpers

def _value(x: Any) -> Any:
    return x.value if type(x) is Traced else x


def _concrete(x: Any) -> Any:
    """``x`` with every traced value replaced by its value, through lists and tuples."""
    if type(x) is Traced:
        return x.value
    if isinstance(x, (list, tuple)):
        return type(x)(_concrete(item) for item in x)
    return x


def _refuse(unsupported: dict, name: str) -> None:
    if unsupported:
        raise TraceError(f"{name} with {', '.join(sorted(unsupported))}= is not supported on traced values")


def _shape(x: Any) -> tuple[int, ...]:
    return np.shape(_value(x))


def _axis(axis: Any, ndim: int, name: str) -> int:
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool) or not -ndim <= axis < ndim:
        raise ShapeError(f"{name}: axis {axis!r} does not fit an array of {ndim} dimensions")
    return int(axis) % ndim


def _axes(axis: Any, ndim: int, name: str) -> tuple[int, ...] | None:
    if axis is None:
        return None
    items = axis if isinstance(axis, (tuple, list)) else (axis,)
    return tuple(sorted({_axis(a, ndim, name) for a in items}))


def _record(name: str, operands: list[Any] | tuple[Any, ...], params: dict | None, called: str) -> Any:
    if not any(type(o) is Traced for o in operands):  # (numpy came here for another argument)
        return REGISTRY[name].impl(*operands, **(params or {}))
    return apply_general(REGISTRY[name], operands, params, called)


def _reshaped(name: str, x: Any, target: tuple[int, ...], called: str) -> Any:
    if type(x) is not Traced:
        return np.reshape(x, target)
    if _shape(x) == tuple(target):
        return x
    return apply_general(REGISTRY[name], [x], {"shape": tuple(target)}, called)


def _probe(x: Any) -> np.ndarray:
    """An array of ``x``'s shape to ask numpy what shape an operation gives."""
    return np.empty(_shape(x), dtype=np.int8)


# ---------------------------------------------------------------------------
# Reductions

def _reduction(name: str) -> Callable:
    def handler(a, axis=None, keepdims=False, **unsupported):
        _refuse(unsupported, f"np.{name}")
        if type(a) is not Traced:
            return getattr(np, name)(a, axis=axis, keepdims=keepdims)
        return getattr(a, name)(axis=axis, keepdims=keepdims)
    return handler


def _spread(name: str) -> Callable:
    def handler(a, axis=None, ddof=0, keepdims=False, **unsupported):
        _refuse(unsupported, f"np.{name}")
        if type(a) is not Traced:
            return getattr(np, name)(a, axis=axis, ddof=ddof, keepdims=keepdims)
        return getattr(a, name)(axis=axis, ddof=ddof, keepdims=keepdims)
    return handler


def _scan(name: str) -> Callable:
    def handler(a, axis=None, **unsupported):
        _refuse(unsupported, f"np.{name}")
        if axis is not None:
            axis = _axis(axis, len(_shape(a)), f"np.{name}")
        return _record(name, [a], {"axis": axis}, f"np.{name}")
    return handler


# ---------------------------------------------------------------------------
# Shapes

def _transpose(a, axes=None):
    return a.transpose(axes) if axes is not None else a.transpose()


def _reshape(a, shape=None, order="C", **unsupported):
    _refuse(unsupported, "np.reshape")
    if order != "C":
        raise TraceError(f"np.reshape with order={order!r} is not supported on traced values (only 'C')")
    return a.reshape(shape)


def _ravel(a, order="C"):
    if order != "C":
        raise TraceError(f"np.ravel with order={order!r} is not supported on traced values (only 'C')")
    return _reshaped("ravel", a, (int(np.prod(_shape(a))),), "np.ravel")


def _squeeze(a, axis=None):
    try:
        target = np.squeeze(_probe(a), axis).shape
    except ValueError as err:
        raise ShapeError(f"np.squeeze of shape {_shape(a)} over axis {axis}: {err}") from None
    return _reshaped("squeeze", a, target, "np.squeeze")


def _expand_dims(a, axis):
    try:
        target = np.expand_dims(_probe(a), axis).shape
    except (ValueError, TypeError, np.exceptions.AxisError) as err:
        raise ShapeError(f"np.expand_dims of shape {_shape(a)} at axis {axis}: {err}") from None
    return _reshaped("expand_dims", a, target, "np.expand_dims")


def _atleast(ndim: int) -> Callable:
    fn = {1: np.atleast_1d, 2: np.atleast_2d, 3: np.atleast_3d}[ndim]

    def handler(*arys):
        results = [_reshaped(f"atleast_{ndim}d", a, fn(_probe(a)).shape, f"np.atleast_{ndim}d") for a in arys]
        return results[0] if len(results) == 1 else results
    return handler


def _permuted(name: str, a: Any, axes: list[int]) -> Any:
    if axes == sorted(axes):
        return a
    return apply_general(REGISTRY[name], [a], {"axes": tuple(axes)}, f"np.{name}")


def _swapaxes(a, axis1, axis2):
    ndim = len(_shape(a))
    axes = list(range(ndim))
    i, j = _axis(axis1, ndim, "np.swapaxes"), _axis(axis2, ndim, "np.swapaxes")
    axes[i], axes[j] = axes[j], axes[i]
    return _permuted("swapaxes", a, axes)


def _moveaxis(a, source, destination):
    ndim = len(_shape(a))
    sources = [_axis(k, ndim, "np.moveaxis") for k in np.atleast_1d(source)]
    destinations = [_axis(k, ndim, "np.moveaxis") for k in np.atleast_1d(destination)]
    if len(sources) != len(destinations) or len(set(sources)) != len(sources):
        raise ShapeError(f"np.moveaxis: source {source!r} and destination {destination!r} do not pair up")
    order = [k for k in range(ndim) if k not in sources]  # (numpy's own construction)
    for dst, src in sorted(zip(destinations, sources)):
        order.insert(dst, src)
    return _permuted("moveaxis", a, order)


def _broadcast_to(array, shape, subok=False):
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    try:
        np.broadcast_to(_probe(array), shape)
    except ValueError as err:
        raise ShapeError(f"np.broadcast_to of shape {_shape(array)} to {shape}: {err}") from None
    if _shape(array) == shape:
        return array
    return _record("broadcast_to", [array], {"shape": shape}, "np.broadcast_to")


def _moving(name: str, check: Callable[..., dict]) -> Callable:
    """A handler for an op that moves entries: ``check(a, *args, **kwargs)`` gives its
    parameters (normalised), and numpy tries them on a probe first."""
    def handler(a, *args, **kwargs):
        try:
            params = check(a, *args, **kwargs)
            getattr(np, name)(_probe(a), **params)
        except TypeError as err:
            raise TraceError(f"np.{name}: {err}") from None
        except (ValueError, IndexError, np.exceptions.AxisError) as err:
            raise ShapeError(f"np.{name} of shape {_shape(a)}: {err}") from None
        return _record(name, [a], params, f"np.{name}")
    return handler


def _flip_params(m, axis=None):
    return {"axis": _axes(axis, len(_shape(m)), "np.flip")}


def _tile_params(A, reps):
    return {"reps": tuple(reps) if isinstance(reps, (list, tuple)) else int(reps)}


def _repeat_params(a, repeats, axis=None):
    return {"repeats": tuple(repeats) if isinstance(repeats, (list, tuple, np.ndarray)) else int(repeats),
            "axis": None if axis is None else _axis(axis, len(_shape(a)), "np.repeat")}


def _roll_params(a, shift, axis=None):
    return {"shift": tuple(shift) if isinstance(shift, (list, tuple)) else int(shift),
            "axis": axis if axis is None or isinstance(axis, (int, np.integer)) else tuple(axis)}


def _rot90_params(m, k=1, axes=(0, 1)):
    return {"k": int(k), "axes": tuple(axes)}


def _pad_params(array, pad_width, mode="constant", **kwargs):
    if mode != "constant" or any(np.any(np.asarray(v) != 0) for v in kwargs.values()):
        raise TraceError("np.pad on traced values supports mode='constant' with zeros only")
    widths = np.broadcast_to(np.asarray(pad_width, dtype=int), (len(_shape(array)), 2))
    return {"pad_width": tuple(tuple(int(v) for v in row) for row in widths)}


def _k_params(m, k=0):
    return {"k": int(k)}


def _diagonal_params(a, offset=0, axis1=0, axis2=1):
    return {"offset": int(offset), "axis1": int(axis1), "axis2": int(axis2)}


def _trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    _refuse({k: v for k, v in (("dtype", dtype), ("out", out)) if v is not None}, "np.trace")
    params = _diagonal_params(a, offset, axis1, axis2)
    try:
        np.trace(_probe(a), **params)
    except ValueError as err:
        raise ShapeError(f"np.trace of shape {_shape(a)}: {err}") from None
    return _record("trace", [a], params, "np.trace")


def _flipud(m):
    return _moving("flip", _flip_params)(m, 0)


def _fliplr(m):
    if len(_shape(m)) < 2:
        raise ShapeError(f"np.fliplr needs at least 2 dimensions; got shape {_shape(m)}")
    return _moving("flip", _flip_params)(m, 1)


# ---------------------------------------------------------------------------
# Joining and splitting

def _join(name: str, arrays: Any, axis: int, called: str) -> Any:
    arrays = list(arrays)
    if not arrays:
        raise ShapeError(f"{called} needs at least one array")
    probes = [_probe(a) for a in arrays]
    try:
        getattr(np, name)(probes, axis=axis)
    except ValueError as err:
        shapes = ", ".join(str(p.shape) for p in probes)
        raise ShapeError(f"{called} cannot join arrays of shapes {shapes}: {err}") from None
    ndim = probes[0].ndim + (1 if name == "stack" else 0)
    params = {"axis": _axis(axis, ndim, called)}
    if not any(type(a) is Traced for a in arrays):
        return getattr(np, name)(arrays, axis=axis)
    return apply_general(variadic(name, len(arrays)), arrays, params, called)


def _concatenate(arrays, axis=0, out=None, dtype=None, casting="same_kind"):
    _refuse({k: v for k, v in (("out", out), ("dtype", dtype)) if v is not None}, "np.concatenate")
    arrays = list(arrays)
    if axis is None:
        arrays = [_ravel(a) for a in arrays]
        axis = 0
    return _join("concatenate", arrays, axis, "np.concatenate")


def _stack(arrays, axis=0, out=None, dtype=None, casting="same_kind"):
    _refuse({k: v for k, v in (("out", out), ("dtype", dtype)) if v is not None}, "np.stack")
    return _join("stack", list(arrays), axis, "np.stack")


def _vstack(tup, dtype=None, casting="same_kind"):
    return _join("concatenate", [_atleast(2)(a) for a in tup], 0, "np.vstack")


def _hstack(tup, dtype=None, casting="same_kind"):
    arrays = [_atleast(1)(a) for a in tup]
    return _join("concatenate", arrays, 0 if len(_shape(arrays[0])) == 1 else 1, "np.hstack")


def _dstack(tup):
    return _join("concatenate", [_atleast(3)(a) for a in tup], 2, "np.dstack")


def _column_stack(tup):
    columns = [_reshaped("atleast_2d", a, (_shape(a)[0], 1), "np.column_stack") if len(_shape(a)) < 2 else a
               for a in tup]
    return _join("concatenate", columns, 1, "np.column_stack")


def _append(arr, values, axis=None):
    if axis is None:
        return _join("concatenate", [_ravel(arr), _ravel(values)], 0, "np.append")
    return _join("concatenate", [arr, values], axis, "np.append")


def _splitter(name: str) -> Callable:
    def handler(ary, indices_or_sections, axis=0):
        ndim = len(_shape(ary))
        if name in ("hsplit", "vsplit"):
            axis = 0 if name == "vsplit" or ndim == 1 else 1
        axis = _axis(axis, ndim, f"np.{name}")
        try:
            splitter = np.split if name in ("split", "hsplit", "vsplit") else np.array_split
            pieces = splitter(np.arange(_shape(ary)[axis]), indices_or_sections)
        except (ValueError, TypeError) as err:
            raise ShapeError(f"np.{name} of shape {_shape(ary)} along axis {axis}: {err}") from None
        lead = (slice(None),) * axis
        return [ary[lead + (slice(int(p[0]), int(p[-1]) + 1) if len(p) else slice(0, 0),)] for p in pieces]
    return handler


# ---------------------------------------------------------------------------
# Products and contractions

def _letters(count: int, start: int = 0) -> str:
    return "abcdefghijklmnopqrstuvwxyz"[start:start + count]


def _contract(name: str, operands: list[Any], subscripts: str, called: str) -> Any:
    return apply_general(variadic(name, len(operands)), operands, {"subscripts": subscripts}, called)


def _einsum(*operands, **kwargs):
    _refuse({k: v for k, v in kwargs.items() if k != "optimize"}, "np.einsum")
    if not operands or not isinstance(operands[0], str):
        raise TraceError("np.einsum on traced values needs its subscripts as a string first "
                         "(np.einsum('ij,jk->ik', A, B))")
    subscripts, arrays = operands[0], list(operands[1:])
    try:
        parts, output = einsum_parts(subscripts, len(arrays))
        for part, array in zip(parts, arrays):
            if len(part) != len(_shape(array)):
                raise ValueError(f"{part!r} has {len(part)} indices for an array of shape {_shape(array)}")
        np.einsum(subscripts, *[np.empty(_shape(a)) for a in arrays])
    except ValueError as err:
        raise ShapeError(f"np.einsum({subscripts!r}, ...): {err}") from None
    return _contract("einsum", arrays, ",".join(parts) + "->" + output, "np.einsum")


def _tensordot_subscripts(a_ndim: int, b_ndim: int, axes: Any) -> str:
    if isinstance(axes, (int, np.integer)):
        a_axes, b_axes = list(range(a_ndim - int(axes), a_ndim)), list(range(int(axes)))
    else:
        a_axes, b_axes = ([axes[0]] if np.ndim(axes[0]) == 0 else list(axes[0]),
                          [axes[1]] if np.ndim(axes[1]) == 0 else list(axes[1]))
    a_axes = [int(k) % a_ndim for k in a_axes]
    b_axes = [int(k) % b_ndim for k in b_axes]
    a = list(_letters(a_ndim))
    b = list(_letters(b_ndim, 13))
    for i, j in zip(a_axes, b_axes):
        b[j] = a[i]
    out = [c for k, c in enumerate(a) if k not in a_axes] + [c for k, c in enumerate(b) if k not in b_axes]
    return "".join(a) + "," + "".join(b) + "->" + "".join(out)


def _tensordot(a, b, axes=2):
    try:
        np.tensordot(_probe(a).astype(float), _probe(b).astype(float), axes)
        subscripts = _tensordot_subscripts(len(_shape(a)), len(_shape(b)), axes)
    except (ValueError, IndexError, TypeError) as err:
        raise ShapeError(f"np.tensordot of shapes {_shape(a)} and {_shape(b)} with axes={axes!r}: {err}") from None
    return _contract("tensordot", [a, b], subscripts, "np.tensordot")


def _outer(a, b, out=None):
    _refuse({"out": out} if out is not None else {}, "np.outer")
    return _contract("outer", [_ravel(a), _ravel(b)], "a,n->an", "np.outer")


def _inner(a, b):
    na, nb = len(_shape(a)), len(_shape(b))
    if na == 0 or nb == 0:
        return apply_binary(REGISTRY["mul"], a, b)
    if _shape(a)[-1] != _shape(b)[-1]:
        raise ShapeError(f"np.inner: the last axes of shapes {_shape(a)} and {_shape(b)} differ")
    left, right = _letters(na - 1), _letters(nb - 1, 13)
    return _contract("inner", [a, b], f"{left}z,{right}z->{left}{right}", "np.inner")


def _dot(a, b, out=None):
    _refuse({"out": out} if out is not None else {}, "np.dot")
    na, nb = len(_shape(a)), len(_shape(b))
    if 0 in (na, nb):
        return apply_binary(REGISTRY["mul"], a, b)
    if max(na, nb) <= 2:
        return _matmul(a, b)
    # np.dot pairs a's last axis with b's second-to-last, every stack of a with every stack of b.
    return _tensordot_named(a, b, ([na - 1], [max(nb - 2, 0)]), "np.dot")


def _tensordot_named(a, b, axes, called):
    try:
        subscripts = _tensordot_subscripts(len(_shape(a)), len(_shape(b)), axes)
        np.einsum(subscripts, np.empty(_shape(a)), np.empty(_shape(b)))
    except ValueError as err:
        raise ShapeError(f"{called} of shapes {_shape(a)} and {_shape(b)}: {err}") from None
    return _contract("tensordot", [a, b], subscripts, called)


def _kron(a, b):
    if len(_shape(a)) != len(_shape(b)) or len(_shape(a)) == 0:
        raise ShapeError(f"np.kron on traced values needs arrays of the same number of dimensions (≥ 1); "
                         f"got shapes {_shape(a)} and {_shape(b)}")
    return _record("kron", [a, b], None, "np.kron")


def _cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    if (axisa, axisb, axisc) != (-1, -1, -1):
        raise TraceError("np.cross with axisa=, axisb= or axisc= is not supported on traced values; use axis=")
    axis = -1 if axis is None else axis
    if _shape(a)[axis:][:1] != (3,) or _shape(b)[axis:][:1] != (3,):
        raise ShapeError(f"np.cross on traced values needs vectors of length 3 along axis {axis}; "
                         f"got shapes {_shape(a)} and {_shape(b)}")
    return _record("cross", [a, b], {"axis": axis}, "np.cross")


# ---------------------------------------------------------------------------
# Linear algebra

def _square_matrix(a: Any, called: str) -> None:
    shape = _shape(a)
    if len(shape) < 2 or shape[-1] != shape[-2]:
        raise ShapeError(f"{called} needs square matrices; got shape {shape}")


def _unary_linalg(name: str) -> Callable:
    def handler(a, *args, **kwargs):
        called = f"np.linalg.{name}"
        if args or kwargs:
            raise TraceError(f"{called} with extra arguments is not supported on traced values")
        if name != "pinv":
            _square_matrix(a, called)
        elif len(_shape(a)) != 2:
            raise ShapeError(f"{called} on traced values needs a matrix; got shape {_shape(a)}")
        return _record(name, [a], None, called)
    return handler


def _solve(a, b):
    _square_matrix(a, "np.linalg.solve")
    if len(_shape(a)) != 2 or len(_shape(b)) not in (1, 2) or _shape(b)[0] != _shape(a)[0]:
        raise ShapeError(f"np.linalg.solve on traced values needs an n×n matrix and a vector or matrix of "
                         f"n rows; got shapes {_shape(a)} and {_shape(b)}")
    return _record("solve", [a, b], None, "np.linalg.solve")


def _slogdet(a):
    _square_matrix(a, "np.linalg.slogdet")
    sign = np.linalg.slogdet(_value(a))[0]
    return sign, _record("slogdet", [a], None, "np.linalg.slogdet")


def _norm(x, ord=None, axis=None, keepdims=False):
    ndim = len(_shape(x))
    axes = _axes(axis, ndim, "np.linalg.norm")
    vector = (axes is None and ndim == 1) or (axes is not None and len(axes) == 1)
    matrix = (axes is None and ndim == 2) or (axes is not None and len(axes) == 2)
    if vector and ord not in (None, 1, 2, np.inf):
        raise TraceError(f"np.linalg.norm with ord={ord!r} is not supported on traced values (vectors: None, 1, 2, inf)")
    if matrix and ord not in (None, "fro"):
        raise TraceError(f"np.linalg.norm of a matrix with ord={ord!r} is not supported on traced values "
                         "(matrices: None or 'fro')")
    if not (vector or matrix):
        if ord is not None:
            raise TraceError(f"np.linalg.norm with ord={ord!r} over {ndim} dimensions is not supported")
    if axes is not None and len(axes) == 1:
        axes = axes[0]  # (np.linalg.norm takes an int or a pair)
    return _record("norm", [x], {"ord": ord, "axis": axes, "keepdims": bool(keepdims)}, "np.linalg.norm")


# ---------------------------------------------------------------------------
# where and clip

def _where(condition, *branches):
    if len(branches) != 2:
        raise TraceError("np.where(condition) (the indices form) is not supported on traced values; "
                         "use np.where(condition, x, y)")
    x, y = branches
    mask = np.asarray(_value(condition)).astype(bool)
    if type(x) is not Traced and type(y) is not Traced:
        return np.where(mask, x, y)
    try:
        np.broadcast_shapes(mask.shape, _shape(x), _shape(y))
    except ValueError as err:
        raise ShapeError(f"np.where of shapes {mask.shape}, {_shape(x)}, {_shape(y)}: {err}") from None
    return apply_general(REGISTRY["where"], [x, y], {"condition": mask}, "np.where")


def _clip(a, a_min=None, a_max=None, out=None, *, min=None, max=None, **unsupported):
    _refuse(dict(unsupported, **({"out": out} if out is not None else {})), "np.clip")
    lo = a_min if a_min is not None else min
    hi = a_max if a_max is not None else max
    if type(lo) is Traced or type(hi) is Traced:  # bounds that are traced too: max then min
        result = a if lo is None else apply_binary(REGISTRY["maximum"], a, lo)
        return result if hi is None else apply_binary(REGISTRY["minimum"], result, hi)
    if lo is None and hi is None:
        raise TraceError("np.clip needs a lower or an upper bound")
    return _record("clip", [a], {"lo": lo, "hi": hi}, "np.clip")


# ---------------------------------------------------------------------------
# Questions answered with the concrete values

def _concretely(func: Callable) -> Callable:
    def handler(*args, **kwargs):
        return func(*_concrete(args), **{k: _concrete(v) for k, v in kwargs.items()})
    return handler


def _sinc(x):
    return apply_unary(REGISTRY["sinc"], x)


def _round(a, decimals=0, out=None):
    if decimals != 0 or out is not None:
        raise TraceError("np.round on traced values supports decimals=0 only (its derivative is 0 everywhere else)")
    return apply_unary(REGISTRY["rint"], a)


def _copy(a, order="K", subok=False):
    return a  # recorded values are never changed in place: the value itself is a copy


_CONCRETE_FUNCTIONS = (np.shape, np.ndim, np.size, np.argmax, np.argmin, np.argsort, np.allclose,
                       np.isclose, np.array_equal, np.any, np.all, np.nonzero, np.count_nonzero,
                       np.isfinite, np.isnan, np.isinf, np.result_type, np.iscomplexobj, np.isrealobj,
                       np.may_share_memory, np.shares_memory)

_FUNCTIONS: dict[Any, Callable] = {
    np.sum: _reduction("sum"), np.mean: _reduction("mean"), np.max: _reduction("max"),
    np.min: _reduction("min"), np.amax: _reduction("max"), np.amin: _reduction("min"),
    np.prod: _reduction("prod"), np.var: _spread("var"), np.std: _spread("std"),
    np.cumsum: _scan("cumsum"), np.cumprod: _scan("cumprod"),
    np.transpose: _transpose, np.reshape: _reshape, np.ravel: _ravel, np.squeeze: _squeeze,
    np.expand_dims: _expand_dims, np.atleast_1d: _atleast(1), np.atleast_2d: _atleast(2),
    np.atleast_3d: _atleast(3), np.swapaxes: _swapaxes, np.moveaxis: _moveaxis,
    np.broadcast_to: _broadcast_to, np.copy: _copy,
    np.flip: _moving("flip", _flip_params), np.flipud: _flipud, np.fliplr: _fliplr,
    np.roll: _moving("roll", _roll_params), np.rot90: _moving("rot90", _rot90_params),
    np.tile: _moving("tile", _tile_params), np.repeat: _moving("repeat", _repeat_params),
    np.pad: _moving("pad", _pad_params), np.diag: _moving("diag", _k_params),
    np.diagonal: _moving("diagonal", _diagonal_params), np.tril: _moving("tril", _k_params),
    np.triu: _moving("triu", _k_params), np.trace: _trace,
    np.concatenate: _concatenate, np.stack: _stack, np.vstack: _vstack, np.hstack: _hstack,
    np.dstack: _dstack, np.column_stack: _column_stack, np.append: _append,
    np.split: _splitter("split"), np.array_split: _splitter("array_split"),
    np.hsplit: _splitter("hsplit"), np.vsplit: _splitter("vsplit"),
    np.einsum: _einsum, np.tensordot: _tensordot, np.outer: _outer, np.inner: _inner, np.dot: _dot,
    np.kron: _kron, np.cross: _cross,
    np.linalg.inv: _unary_linalg("inv"), np.linalg.det: _unary_linalg("det"),
    np.linalg.pinv: _unary_linalg("pinv"), np.linalg.cholesky: _unary_linalg("cholesky"),
    np.linalg.solve: _solve, np.linalg.slogdet: _slogdet, np.linalg.norm: _norm,
    np.where: _where, np.clip: _clip, np.sinc: _sinc, np.round: _round, np.around: _round,
    **{f: _concretely(f) for f in _CONCRETE_FUNCTIONS},
}
SUPPORTED_FUNCTIONS = tuple(sorted(numpy_name(f) for f in _FUNCTIONS))


def dispatch_function(func: Any, args: tuple, kwargs: dict) -> Any:
    handler = _FUNCTIONS.get(func)
    if handler is None:
        raise TraceError(
            f"{numpy_name(func)} is not supported on traced values; see the README's table of what is "
            f"recorded ({len(SUPPORTED_FUNCTIONS)} numpy functions and {len(SUPPORTED_UFUNCS)} ufuncs)")
    try:
        return handler(*args, **kwargs)
    except TypeError as err:
        if isinstance(err, TraceError):
            raise
        raise TraceError(f"{numpy_name(func)}: {err}") from None


_numpy_hooks["ufunc"] = dispatch_ufunc
# numpy's loops over object arrays (np.exp([x, y])) call each element's method of the ufunc's
# name; the ufuncs that have an operator (add, negative, ...) use the operator instead.
_OBJECT_LOOP_UFUNCS.update(
    (u.__name__, u) for u in _UFUNC_PRIMITIVES if u.nin in (1, 2) and u.__name__ not in _OPERATOR_UFUNCS)
_numpy_hooks["function"] = dispatch_function
