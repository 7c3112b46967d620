"""Traced values: numbers and arrays that record every operation applied to them.

A ``Traced`` wraps one node of a tape. Python operators, ``ad.exp``-style functions and
numpy ufuncs on it compute the concrete result *and* append a node. Comparisons and
``bool()`` use the concrete value, so ordinary control flow records the branch taken.
"""

from __future__ import annotations

import functools
import math
import sys
import warnings
from types import FrameType
from typing import Any, Callable, Sequence

import numpy as np

from .array_ops import variadic
from .errors import NonFiniteWarning, ShapeError, TraceError, UnsupportedMethodError
from .fpstate import quiet_fp, restore_fp
from .primitives import CONST, REGISTRY, Primitive, shape_of
from .tape import Tape

__all__ = [
    "Traced", "apply_op", "apply_unary", "apply_binary", "apply_general", "record_array_result",
    "check_finite_arrays", "constant_index", "lift_traced_numbers",
]

ADD, SUB, MUL, DIV, POW = (REGISTRY[n] for n in ("add", "sub", "mul", "div", "pow"))
NEG, ABS, MATMUL, GETITEM = (REGISTRY[n] for n in ("neg", "abs", "matmul", "getitem"))
SUM, MEAN, MAX, MIN = (REGISTRY[n] for n in ("sum", "mean", "max", "min"))


class Traced:
    """A value being traced: behaves like its float or array, and records what is done to it."""

    __slots__ = ("_tape", "_index", "value")
    __array_priority__ = 1000  # let numpy hand binary operators to us

    def __init__(self, tape: Tape, index: int, value: Any) -> None:
        self._tape = tape
        self._index = index
        self.value = value

    # -- description --------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._tape.names.get(self._index, f"#{self._index}")

    def __repr__(self) -> str:
        return f"Traced({self.name} = {self.value!r})"

    @property
    def shape(self) -> tuple[int, ...]:
        return shape_of(self.value)

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        return math.prod(self.shape)

    @property
    def dtype(self):
        if type(self.value) is float:
            # A traced number stands for a Python float, which has no dtype; numpy's own
            # mean and var of an object array test for one (np.mean([x, y]) needs this).
            raise AttributeError("dtype")
        return np.result_type(self.value)

    def conjugate(self):
        """The complex conjugate: the value itself (traced values are real). numpy's var
        of an object array (``np.var([x, y])``) asks for it."""
        return self

    @property
    def real(self):
        return self

    # -- concrete views ---------------------------------------------------------------
    def __float__(self) -> float:
        # float(x), math.exp(x), np.float64(x) would carry on with a plain number, and every
        # derivative through it would silently come out 0. (Truth tests and comparisons
        # stay concrete: they only choose a branch.)
        raise TraceError(
            f"float() of traced value {self.name} would take it out of the graph, so "
            "derivatives through the result would be lost (math.exp(x), math.sin(x) and "
            "np.float64(x) call float() too); use ad.exp, ad.sin, ... or numpy ufuncs on "
            "traced values, or read .value deliberately")

    def __int__(self) -> int:
        # Rounding is piecewise constant: its derivative is 0 wherever it exists, so the
        # concrete result is exact for the graph too (and range(int(n)) works).
        return int(self.value)

    def __round__(self, ndigits: int | None = None):
        return round(self.value, ndigits) if ndigits is not None else round(self.value)

    # (So are floor, ceil and trunc: math.floor(x), and np.floor([x, y]), whose loop over
    # an object array calls them.)
    def __floor__(self) -> int: return math.floor(self.value)
    def __ceil__(self) -> int: return math.ceil(self.value)
    def __trunc__(self) -> int: return math.trunc(self.value)

    def __bool__(self) -> bool:
        return bool(self.value)

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)

    def __array__(self, dtype=None, copy=None):
        if type(self.value) is float and (dtype is None or np.dtype(dtype) == np.dtype(object)):
            # np.array([x, y]), np.mean([x, y]), np.r_[x, y]: numpy builds an object array
            # holding the traced numbers themselves and does its arithmetic on them through
            # their operators; a recorded op that meets such an array records it as one
            # array node (lifted, below).
            holder = np.empty((), dtype=object)
            holder[()] = self
            return holder
        if type(self.value) is float:
            raise TraceError(
                f"numpy was asked to turn traced value {self.name} into a plain {np.dtype(dtype)} number "
                "(np.array([...], dtype=...), np.float64(x)), which would drop it from the graph: leave "
                "out dtype= (or read .value deliberately)")
        raise TraceError(
            f"traced array {self.name} cannot be turned into a plain numpy array while tracing: that "
            f"would drop it from the graph. {_array_call_hint()} (.value reads the array deliberately)")

    __hash__ = object.__hash__

    # Comparisons read the concrete values (control flow records the branch taken).
    def __lt__(self, other): return self.value < _concrete(other)
    def __le__(self, other): return self.value <= _concrete(other)
    def __gt__(self, other): return self.value > _concrete(other)
    def __ge__(self, other): return self.value >= _concrete(other)
    def __eq__(self, other): return self.value == _concrete(other)
    def __ne__(self, other): return self.value != _concrete(other)

    # -- arithmetic (methods made by _binary_method, below) ------------------------
    def __pow__(self, other, modulo=None):
        if modulo is not None:
            raise TraceError(f"pow({self.name}, y, {modulo!r}) with a modulus is not supported on traced values")
        return _pow(self, other)

    def __divmod__(self, other):
        return self // other, self % other

    def __rdivmod__(self, other):
        return other // self, other % self

    def __neg__(self): return apply_unary(NEG, self)
    def __pos__(self): return self
    def __abs__(self): return apply_unary(ABS, self)
    def __rmatmul__(self, other): return _matmul(other, self)

    # -- array methods ----------------------------------------------------------------
    def sum(self, axis=None, dtype=None, out=None, keepdims=False, **unsupported):
        return _reduce(SUM, self, axis, keepdims, _given(unsupported, dtype=dtype, out=out))

    def mean(self, axis=None, dtype=None, out=None, keepdims=False, **unsupported):
        return _reduce(MEAN, self, axis, keepdims, _given(unsupported, dtype=dtype, out=out))

    def max(self, axis=None, out=None, keepdims=False, **unsupported):
        """The largest element (along ``axis``); tied elements share the derivative."""
        return _reduce(MAX, self, axis, keepdims, _given(unsupported, out=out))

    def min(self, axis=None, out=None, keepdims=False, **unsupported):
        """The smallest element (along ``axis``); tied elements share the derivative."""
        return _reduce(MIN, self, axis, keepdims, _given(unsupported, out=out))

    def prod(self, axis=None, dtype=None, out=None, keepdims=False, **unsupported):
        return _reduce(REGISTRY["prod"], self, axis, keepdims, _given(unsupported, dtype=dtype, out=out))

    def var(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False, **unsupported):
        return _reduce(REGISTRY["var"], self, axis, keepdims, _given(unsupported, dtype=dtype, out=out), ddof=ddof)

    def std(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False, **unsupported):
        return _reduce(REGISTRY["std"], self, axis, keepdims, _given(unsupported, dtype=dtype, out=out), ddof=ddof)

    def cumsum(self, axis=None):
        return _numpy_hooks["function"](np.cumsum, (self,), {"axis": axis})

    def cumprod(self, axis=None):
        return _numpy_hooks["function"](np.cumprod, (self,), {"axis": axis})

    def squeeze(self, axis=None):
        return _numpy_hooks["function"](np.squeeze, (self,), {"axis": axis})

    def swapaxes(self, axis1, axis2):
        return _numpy_hooks["function"](np.swapaxes, (self, axis1, axis2), {})

    def repeat(self, repeats, axis=None):
        return _numpy_hooks["function"](np.repeat, (self, repeats), {"axis": axis})

    def diagonal(self, offset=0, axis1=0, axis2=1):
        return _numpy_hooks["function"](np.diagonal, (self, offset, axis1, axis2), {})

    def trace(self, offset=0, axis1=0, axis2=1):
        return _numpy_hooks["function"](np.trace, (self, offset, axis1, axis2), {})

    def clip(self, min=None, max=None):
        return _numpy_hooks["function"](np.clip, (self, min, max), {})

    def copy(self):
        """The value itself: recorded values are never changed in place."""
        return self

    def astype(self, dtype, copy=True):
        """A float dtype keeps the value traced (a cast node, or none if it is that dtype
        already); other dtypes would take it out of the graph."""
        try:
            target = np.dtype(dtype)
        except TypeError:
            raise TraceError(f".astype({dtype!r}) of traced value {self.name}: not a numpy dtype") from None
        if target.kind != "f":
            raise TraceError(f".astype({target.name}) of traced value {self.name} would take it out "
                             "of the graph; only float dtypes keep it traced")
        if type(self.value) is float or self.value.dtype == target:
            return self
        return apply_general(REGISTRY["astype"], [self], {"dtype": target.name}, ".astype()")

    def item(self, *args):
        """The one element (or the element at ``args``) as a traced number, still in the graph
        (numpy's item gives a plain float, which would drop it; ``.value`` reads it deliberately)."""
        if args:
            index = args[0] if len(args) == 1 else args
            if isinstance(index, (int, np.integer)) and self.ndim != 1:
                index = np.unravel_index(int(index), self.shape)
            return self[index]
        if self.size != 1:
            raise ShapeError(f".item() of {self.name} (shape {self.shape}) needs an index: it has {self.size} elements")
        return self if self.ndim == 0 else self.reshape(())

    def argmax(self, axis=None):
        return np.argmax(self.value, axis=axis)

    def argmin(self, axis=None):
        return np.argmin(self.value, axis=axis)

    def argsort(self, axis=-1):
        return np.argsort(self.value, axis=axis)

    def any(self, axis=None):
        return np.any(self.value, axis=axis)

    def all(self, axis=None):
        return np.all(self.value, axis=axis)

    def nonzero(self):
        return np.nonzero(self.value)

    def __getattr__(self, name: str):
        # (Only reached for names Traced does not have. numpy probes protocol attributes
        # with hasattr: UnsupportedMethodError is an AttributeError too, so those still work.)
        if name.startswith("__"):
            raise AttributeError(name)
        if type(self.value) is float:
            # numpy's loops over an object array call a ufunc's method of each element
            # (np.exp([x, y]) calls x.exp()): record the ufunc itself.
            ufunc = _OBJECT_LOOP_UFUNCS.get(name)
            if ufunc is not None:
                return functools.partial(ufunc, self)
            if name == "dtype":
                raise AttributeError("a traced number has no dtype, like the Python float it stands for")
        raise UnsupportedMethodError(
            f"ndarray method .{name}() is not supported on traced values (it has no derivative rule "
            "in graphviz_ad); see the README's table of what is recorded")

    def reshape(self, *shape):
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        try:
            target = np.empty(self.shape, dtype=np.int8).reshape(shape).shape
        except (TypeError, ValueError) as err:
            raise ShapeError(f"cannot reshape {self.name} of shape {self.shape} to {shape}: {err}") from None
        if target == self.shape:
            return self
        return apply_op(REGISTRY["reshape"], (self,), {"shape": target})

    def flatten(self):
        """A 1-D array of the elements (recorded as a reshape)."""
        return self.reshape(-1)

    ravel = flatten

    def dot(self, other):
        """``np.dot(self, other)``: a matrix product (a product by a scalar)."""
        return _numpy_hooks["function"](np.dot, (self, other), {})

    def transpose(self, *axes):
        if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
            axes = tuple(axes[0])
        ndim = self.ndim
        if axes and sorted(int(a) % ndim if isinstance(a, (int, np.integer)) and -ndim <= a < ndim else -1
                           for a in axes) != list(range(ndim)):
            raise ShapeError(f"transpose{tuple(axes)} is not a permutation of the {self.ndim} axes of {self.name}")
        if self.ndim < 2:
            return self
        return apply_op(REGISTRY["transpose"], (self,), {"axes": tuple(axes) if axes else None})

    @property
    def T(self):
        return self.transpose()

    def __getitem__(self, index):
        if self.ndim == 0:
            raise TraceError(f"cannot index {self.name}: it is a scalar")
        return apply_op(GETITEM, (self,), {"index": _safe_index(index, self)})

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TraceError(f"{self.name} is a scalar and has no len()")
        return self.shape[0]

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    # -- numpy interoperation -----------------------------------------------------
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        # `array @ traced` arrives here (numpy's operator hands it to the ufunc): the
        # commonest case in array models, so it skips the general dispatch.
        if ufunc is np.matmul and method == "__call__" and not kwargs and len(inputs) == 2:
            return _matmul(*inputs)
        return _numpy_hooks["ufunc"](ufunc, method, inputs, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        return _numpy_hooks["function"](func, args, kwargs)


# Filled in by numpy_dispatch when the package is imported (it imports this module).
_numpy_hooks: dict[str, Any] = {}
_OBJECT_LOOP_UFUNCS: dict[str, np.ufunc] = {}  # x.exp() -> np.exp, for numpy's object loops


def constant_index(tape: Tape, value: Any, what: str, *what_args: Any) -> int:
    """The node of an untraced operand: a constant, or, for numpy's object array of traced
    numbers (``np.array([x, y])``) or a list of them, the array node built from them."""
    if type(value) in (list, tuple) or (type(value) is np.ndarray and value.dtype == object):
        lifted = lift_traced_numbers(tape, value)
        if lifted is not None:
            return lifted._index
    return tape.add_constant(value, what, *what_args)


def lift_traced_numbers(tape: Tape, value: Any) -> Traced | None:
    """The traced array of an object array (or list) holding traced numbers, recorded as
    one ``stack`` of its elements (and a reshape, unless it is a vector); None when it
    holds none."""
    if type(value) is np.ndarray:
        held = value
    else:
        try:
            held = np.asarray(value)  # (a list of traced numbers gives objects)
        except ValueError:
            return None  # (ragged: the constant's own check says so)
    if held.dtype != object:
        return None
    elements = list(held.flat)
    if not any(type(e) is Traced for e in elements):
        return None
    for element in elements:
        if type(element) is Traced:
            if element._tape is not tape:
                raise TraceError(f"an array built from traced values mixes values from two different traces "
                                 f"({element.name} from {element._tape.label})")
        elif not isinstance(element, (int, float, np.integer, np.floating)) or isinstance(element, bool):
            raise TraceError(f"an array built from traced values also holds {type(element).__name__} "
                             f"{element!r}; only numbers can join them")
    if held.ndim == 0:
        element = elements[0]
        return element if type(element) is Traced else None
    stacked = apply_general(variadic("stack", len(elements)), elements, {"axis": 0}, "np.array([...])")
    if held.ndim == 1:
        return stacked
    return apply_general(REGISTRY["reshape"], [stacked], {"shape": held.shape}, "np.array([...])")


def _binary_method(prim: Primitive, general: Callable[[Any, Any], Traced] | None = None):
    """``Traced.__add__`` and friends. Traced ∘ traced, on floats (the commonest case when
    tracing scalar code) or on arrays, is recorded inline here: the hottest path of tracing.

    ``general(self, other)`` records every other case, with its checks (default:
    ``apply_binary``); an op that gives one also leaves floats to it (matmul)."""
    impl, array_impl = prim.impl, prim.array_impl
    floats = general is None  # (matmul has no float case: its general path says so)
    if general is None:
        general = functools.partial(apply_binary, prim)  # (a partial adds no Python frame)

    def method(self: Traced, other: Any) -> Traced:
        if type(other) is Traced:
            tape = self._tape
            xv = self.value
            yv = other.value
            if other._tape is tape and not tape.closed:
                if floats and type(xv) is float and type(yv) is float:
                    out = impl(xv, yv)
                    values = tape.values
                    index = len(values)
                    tape.ops.append(prim)
                    tape.arg0.append(self._index)
                    tape.arg1.append(other._index)
                    values.append(out)
                    if out - out:  # true only for inf and nan: a cheap finiteness test
                        _warn_non_finite(prim, tape, index, (self._index, other._index))
                    return Traced(tape, index, out)
                if type(xv) is np.ndarray and type(yv) is np.ndarray:
                    try:
                        out = array_impl(xv, yv)
                    except ValueError:
                        return general(self, other)  # raises the ShapeError
                    return record_array_result(prim, tape, self._index, other._index, out)
        return general(self, other)

    method.__name__ = f"__{prim.name}__"
    return method


def _reflected_method(prim: Primitive):
    def method(self: Traced, other: Any) -> Traced:
        return apply_binary(prim, other, self)

    method.__name__ = f"__r{prim.name}__"
    return method


def _concrete(value: Any) -> Any:
    return value.value if type(value) is Traced else value


def _given(unsupported: dict, **maybe: Any) -> dict:
    """The keyword arguments of an array method that were given and are not supported."""
    return {**unsupported, **{key: value for key, value in maybe.items() if value is not None}}


def _array_call_hint() -> str:
    """What turned a traced value into an array, when numpy's Python code says so
    (``np.r_[x, y]``), and what to write instead."""
    frame: FrameType | None = sys._getframe(2)
    while frame is not None and frame.f_globals.get("__name__", "").startswith("numpy"):
        owner = frame.f_locals.get("self")
        kind = type(owner).__name__ if owner is not None else ""
        if kind in ("RClass", "CClass"):
            name = "np.r_" if kind == "RClass" else "np.c_"
            return f"{name}[...] is not supported on traced values: use np.concatenate or np.stack."
        frame = frame.f_back
    return ("np.array([...]) and np.asarray of traced arrays cannot be recorded (lists of traced "
            "numbers can): join traced arrays with np.stack([...]) or np.concatenate.")


def _safe_index(index: Any, owner: Traced) -> tuple:
    """Only plain indices (ints, slices, None, ..., integer or boolean arrays) are recorded."""
    items = index if type(index) is tuple else (index,)
    clean: list[Any] = []
    for item in items:
        if type(item) is Traced:
            raise TraceError(f"cannot index {owner.name} with a traced value; indices must be concrete")
        if item is None or item is Ellipsis or isinstance(item, (int, np.integer, slice)):
            clean.append(item)
        elif isinstance(item, (list, np.ndarray)):
            arr = np.asarray(item)
            if arr.dtype.kind not in "biu":
                raise TraceError(f"cannot index {owner.name} with an array of dtype {arr.dtype}")
            clean.append(arr)
        else:
            raise TraceError(f"cannot index {owner.name} with {type(item).__name__} {item!r}")
    try:
        np.empty(owner.shape, dtype=np.int8)[tuple(clean)]
    except IndexError as err:
        raise ShapeError(f"index {index!r} does not fit {owner.name} of shape {owner.shape}: {err}") from None
    return tuple(clean)


def _reduce(prim: Primitive, x: Traced, axis, keepdims: bool, unsupported: dict | None = None, **extra):
    if unsupported:
        raise TraceError(f".{prim.name}() with {', '.join(sorted(unsupported))}= is not supported on traced values")
    value = x.value
    if type(value) is float and not extra:  # the sum, mean, max, min or product of one number
        return x
    ndim = np.ndim(value)
    if type(axis) is int and -ndim <= axis < ndim:
        axis = (axis % ndim,)
    elif axis is not None:
        axes = (axis,) if not isinstance(axis, (tuple, list)) else tuple(axis)
        if any(not isinstance(a, (int, np.integer)) or isinstance(a, bool) or not -ndim <= int(a) < ndim
               for a in axes):
            raise ShapeError(f"{prim.name} over axis {axes!r} does not fit {x.name} of shape {x.shape}")
        axis = tuple(sorted({int(a) % ndim for a in axes}))
    tape = x._tape
    if tape.closed:
        tape.check_open(prim.name)
    keepdims = bool(keepdims)
    params = {"axis": axis, "keepdims": keepdims, **extra}
    if extra:  # (var, std: through the general recorder, which numbers also take)
        return apply_general(prim, [x], params, f".{prim.name}()")
    try:
        out = prim.impl(value, axis=axis, keepdims=keepdims)
    except ValueError as err:  # the max of no elements
        raise ShapeError(f"{prim.name} of {x.name} (shape {x.shape}) over axis {axis}: {err}") from None
    return record_array_result(prim, tape, x._index, -1, out, params)


def _matmul(x: Any, y: Any) -> Traced:
    xv = x.value if type(x) is Traced else x
    yv = y.value if type(y) is Traced else y
    if not (type(xv) is np.ndarray and xv.ndim and type(yv) is np.ndarray and yv.ndim):
        for operand, value in ((x, xv), (y, yv)):
            if np.ndim(value) == 0:
                raise ShapeError(
                    f"matmul (@) needs arrays with at least one dimension; got a scalar "
                    f"{operand.name if type(operand) is Traced else repr(operand)} (use * for scalars)")
    return apply_binary(MATMUL, x, y)


# ---------------------------------------------------------------------------
# Recording.  These functions are the hot path of tracing.
#
# Array ops run without np.errstate of their own: tracing runs the whole traced function
# with numpy's floating-point warnings off (fpstate.quiet_fp, in tracing.py), because
# entering errstate costs more than most small ops, and non-finite values are reported
# instead, naming the node: a number's when it is recorded, the arrays' when the traced
# function returns (check_finite_arrays).

def _warn_non_finite(prim: Primitive, tape: Tape, index: int, args: tuple[int, ...]) -> None:
    values, ops = tape.values, tape.ops
    if any(ops[a].arity and not _finite(values[a]) for a in args):
        return  # inherited from an op's result: the node where it started has already warned
    shown = ", ".join(f"{_label(tape, a)} = {_brief(values[a])}" for a in args)
    warnings.warn(
        f"node #{index} ({prim.name}) produced a non-finite value {_brief(values[index])} from {shown}",
        NonFiniteWarning, stacklevel=_caller_level())


def _caller_level() -> int:
    """The ``stacklevel`` that points a warning at the first frame outside graphviz_ad (the
    user's line), however many of our frames the op went through (operator, ad.exp, np.sin)."""
    frame: FrameType | None = sys._getframe(1)
    level = 1
    while frame is not None and frame.f_globals.get("__name__", "").startswith("graphviz_ad."):
        frame, level = frame.f_back, level + 1
    return level


def _label(tape: Tape, index: int) -> str:
    if index in tape.names:
        return tape.names[index]
    return "a constant" if tape.ops[index] is CONST else f"#{index}"


def _finite(value: Any) -> bool:
    if type(value) is float:
        return math.isfinite(value)
    return bool(np.isfinite(value).all())


def _brief(value: Any) -> str:
    if type(value) is float:
        return f"{value:.6g}"
    return f"array{value.shape}"


def check_finite_arrays(tape: Tape) -> None:
    """Warn (NonFiniteWarning) for each op whose array result holds an inf or nan that none
    of its arguments had, naming the node; ops that only passed one on are not named.

    Tracing calls this once, when the traced function has returned, instead of testing
    every result as it is recorded: a finite result proves finite every argument that
    would have shown an inf or nan (``Primitive.shows_non_finite``: the operands of + − ·,
    a sum's input, ...), so only the results in ``tape.untested``, which nothing later
    vouches for, are tested (``record_array_result`` keeps that set), once, after the
    large products rather than between them. Only if one of them holds an inf or nan is
    the whole graph searched for where it started. (A warning points at the line
    that called trace or grad; its text names the node.)
    """
    values = tape.values
    found: list[int] = []
    # (Quiet, whatever error state the traced function left: a float16 sum of squares can
    # overflow, and under np.seterr(all="raise") numpy's dot would raise.)
    fp_token = quiet_fp()
    try:
        for i in tape.untested:
            if not _all_finite(values[i]):
                found = _non_finite_arrays(tape)
                break
    finally:
        restore_fp(fp_token)
    for i in found:  # _warn_non_finite names only those whose arguments were finite
        a, b = tape.arg0[i], tape.arg1[i]
        _warn_non_finite(tape.ops[i], tape, i, (a,) if b < 0 else (a, b))


def _all_finite(array: np.ndarray) -> bool:
    # A finite sum of squares proves every element finite (an inf or nan makes it inf or
    # nan; squares cannot cancel), and BLAS computes it in one vectorised pass, 2-3x faster
    # than np.isfinite(...).all(). Only when it is not finite (a real inf/nan, or squares
    # beyond the dtype's range, as float16's soon are) are the elements tested one by one.
    flat = array.ravel()  # (a view when contiguous, else a copy: right either way)
    return math.isfinite(flat.dot(flat)) or bool(np.isfinite(array).all())


def _non_finite_arrays(tape: Tape) -> list[int]:
    """Every array op result holding an inf or nan, in recording order (only when one of
    the untested results did: then each result is tested, as it was when recorded)."""
    ops, arg0, arg1, values = tape.ops, tape.arg0, tape.arg1, tape.values
    found = []
    for i in range(len(values)):
        a, b, out = arg0[i], arg1[i], values[i]
        if a < 0 or type(out) is float:
            continue  # an input or constant, or a number (reported when it was recorded)
        # An op that keeps finite values finite, applied to other ops' results, inherits any
        # inf or nan: the node where it started is found on its own.
        if ops[i].keeps_finite and ops[a].arity and (b < 0 or ops[b].arity):
            continue
        if not _all_finite(out):
            found.append(i)
    return found


def record_array_result(prim: Primitive, tape: Tape, a: int, b: int, out: Any, params=None) -> Traced:
    """Append an op's result when an argument is an array (the result may still be a
    scalar). A number is tested for inf and nan at once; an array joins ``tape.untested``,
    tested when the trace ends unless a later finite result vouches for it
    (``check_finite_arrays``)."""
    array = type(out) is np.ndarray and out.ndim
    if array:
        if tape.keep:
            out.flags.writeable = False  # nobody may change a recorded value in place
        tape.has_arrays = True
    else:
        out = float(out)
    ops = tape.ops
    values = tape.values
    index = len(values)
    ops.append(prim)
    tape.arg0.append(a)
    tape.arg1.append(b)
    values.append(out)
    if params:
        tape.params[index] = params
    shows = prim.shows_non_finite
    if array:
        # An op that keeps finite values finite and shows nothing (relu), applied to other
        # ops' results, needs no test: its arguments are tested, or vouched for, themselves.
        if shows or not (prim.keeps_finite and ops[a].arity and (b < 0 or ops[b].arity)):
            tape.untested.add(index)
        vouches = shows and out.size  # (once found finite; an empty result shows nothing)
    elif out - out:  # true only for inf and nan
        _warn_non_finite(prim, tape, index, (a,) if b < 0 else (a, b))
        vouches = False
    else:
        vouches = shows  # a finite number
    if vouches:  # for the arguments it shows: they need no test of their own
        if shows[0]:
            tape.untested.discard(a)
        if b >= 0 and shows[1]:
            tape.untested.discard(b)
    return Traced(tape, index, out)


def apply_binary(prim: Primitive, x: Any, y: Any) -> Traced:
    """Record ``prim(x, y)`` where at least one of ``x``, ``y`` is traced."""
    if type(x) is Traced:
        tape = x._tape
        a = x._index
        xv = x.value
        if type(y) is Traced:
            if y._tape is not tape:
                raise _mixed_traces(prim, x, y)
            b = y._index
            yv = y.value
        else:
            b = constant_index(tape, y, "argument 2 of {}", prim.name)
            yv = tape.values[b]
    else:
        tape = y._tape
        b = y._index
        yv = y.value
        a = constant_index(tape, x, "argument 1 of {}", prim.name)
        xv = tape.values[a]
    if tape.closed:
        tape.check_open(prim.name)
    if type(xv) is float and type(yv) is float:
        out = prim.impl(xv, yv)
        index = tape.append(prim, a, b, out)
        if out - out:  # true only for inf and nan: a cheap finiteness test on the hot path
            _warn_non_finite(prim, tape, index, (a, b))
        return Traced(tape, index, out)
    try:
        out = prim.array_impl(xv, yv)
    except ValueError as err:
        raise ShapeError(
            f"{prim.name} cannot combine {_describe(tape, a)} and {_describe(tape, b)}: {err}") from None
    return record_array_result(prim, tape, a, b, out)


def apply_unary(prim: Primitive, x: Traced) -> Traced:
    """Record the elementwise ``prim(x)``."""
    tape = x._tape
    if tape.closed:
        tape.check_open(prim.name)
    xv = x.value
    a = x._index
    if type(xv) is float:
        out = prim.impl(xv)
        index = tape.append(prim, a, -1, out)
        if out - out:
            _warn_non_finite(prim, tape, index, (a,))
        return Traced(tape, index, out)
    out = prim.array_impl(xv)
    return record_array_result(prim, tape, a, -1, out)


def apply_op(prim: Primitive, args: tuple[Traced, ...], params: dict[str, Any]) -> Traced:
    """Record a structural op (sum, reshape, getitem, ...) with its parameters."""
    x = args[0]
    tape = x._tape
    tape.check_open(prim.name)
    out = prim.impl(*(arg.value for arg in args), **params)
    return record_array_result(prim, tape, x._index, args[1]._index if len(args) > 1 else -1, out, params)


def apply_general(prim: Primitive, operands: Sequence[Any], params: dict[str, Any] | None = None,
                  called: str = "") -> Traced:
    """Record ``prim(*operands, **params)`` for any op and any number of operands, traced
    or not (those become constants). ``called`` names what the user wrote (``np.stack``)
    in errors. Used by the numpy functions beyond the operators' fast paths."""
    called = called or prim.name
    traced = [o for o in operands if type(o) is Traced]
    tape = traced[0]._tape
    for other in traced[1:]:
        if other._tape is not tape:
            raise _mixed_traces(prim, traced[0], other)
    tape.check_open(called)
    indices = tuple(o._index if type(o) is Traced else constant_index(tape, o, "argument {} of {}", k + 1, called)
                    for k, o in enumerate(operands))
    values = [tape.values[i] for i in indices]
    try:
        out = prim.impl(*values, **(params or {}))
    except (ValueError, IndexError, np.linalg.LinAlgError) as err:
        shapes = ", ".join(_describe(tape, i) for i in indices)
        raise ShapeError(f"{called} cannot be applied to {shapes}: {err}") from None
    except (TypeError, ArithmeticError) as err:  # (a parameter numpy cannot use: clip(x, 10**400))
        raise TraceError(f"{called} with {params or 'these arguments'}: {err}") from None
    if type(out) is not np.ndarray or out.ndim == 0:
        out = float(out)
    elif tape.keep:
        out.flags.writeable = False
    index = tape.append_nary(prim, indices, out)
    tape.has_arrays = True  # (these ops are swept by the general loops, also on numbers)
    if params:
        tape.params[index] = params
    if type(out) is float:
        if out - out:
            _warn_non_finite(prim, tape, index, indices)
    else:
        tape.untested.add(index)
    return Traced(tape, index, out)


def _describe(tape: Tape, index: int) -> str:
    name = tape.names.get(index, f"#{index}")
    return f"{name} (shape {shape_of(tape.values[index])})"


def _mixed_traces(prim: Primitive, x: Traced, y: Traced) -> TraceError:
    return TraceError(
        f"{prim.name} mixes values from two different traces ({x.name} from {x._tape.label}, "
        f"{y.name} from {y._tape.label}); nested traces cannot share values. Pass the value in "
        "as an argument of the inner function instead.")


# Traced's arithmetic operators, made once the recording functions above exist.
for _dunder, _prim in (("add", ADD), ("sub", SUB), ("mul", MUL), ("truediv", DIV),
                       ("mod", REGISTRY["remainder"]), ("floordiv", REGISTRY["floor_divide"])):
    setattr(Traced, f"__{_dunder}__", _binary_method(_prim))
    setattr(Traced, f"__r{_dunder}__", _reflected_method(_prim))
_pow = _binary_method(POW)  # (Traced.__pow__ calls it after refusing a modulus)
setattr(Traced, "__rpow__", _reflected_method(POW))


def _refused_operator(symbol: str):
    def method(self: Traced, *other: Any) -> Traced:
        raise TraceError(f"the operator {symbol} on traced value {self.name} has no derivative rule "
                         "(bitwise and shift operators are for integers)")
    return method


for _dunder, _symbol in (("lshift", "<<"), ("rshift", ">>"), ("and", "&"), ("or", "|"), ("xor", "^")):
    setattr(Traced, f"__{_dunder}__", _refused_operator(_symbol))
    setattr(Traced, f"__r{_dunder}__", _refused_operator(_symbol))
setattr(Traced, "__invert__", _refused_operator("~"))
# traced @ traced arrays inline; floats and everything else through _matmul's checks.
setattr(Traced, "__matmul__", _binary_method(MATMUL, general=_matmul))

# Last, because it imports this module: registers the numpy hooks used by Traced.
from . import numpy_dispatch  # noqa: E402,F401
