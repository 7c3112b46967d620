"""The tape: a computational graph stored as parallel arrays, in recording order.

Node ``i`` is ``ops[i]`` applied to the nodes ``arg0[i]`` and ``arg1[i]`` (``-1`` where
the op takes fewer arguments), with value ``values[i]``. An op of three or more arguments
(``np.stack``, ``np.einsum`` of several operands) has ``arg1[i] == NARY`` and its argument
list in ``more_args[i]``; ``args_of`` reads both forms. Recording order is a topological
order, so every sweep is a plain loop. Parallel lists keep a scalar node to about a
hundred bytes and create no per-node container objects that the garbage collector must
scan; the ``Node``/``Edge`` objects users see are views made on demand (``graph.py``).
(Plain lists, not ``array('q')``: appending and indexing them is about three times
faster, and the index ints they hold are shared with the traced values anyway.)

Nothing on a tape refers back to a traced value or to a ``Graph``, so a graph is freed
by reference counting alone.
"""

from __future__ import annotations

import bisect
from typing import Any

import numpy as np

from .errors import TraceError
from .primitives import CONST, INPUT, Primitive, as_value

__all__ = ["Tape", "to_input_value", "NARY"]

#: ``arg1`` of a node with three or more arguments (its list is in ``Tape.more_args``).
NARY = -2


def to_input_value(value: Any, what: str, *what_args: Any, keep: bool = True) -> Any:
    """Validate a number or array given as an input or constant, and freeze a copy of it.

    ``what.format(*what_args)`` names the value in error messages (``"input 'x'"``,
    ``"argument 2 of mul"``), formatted only past the two fast returns: ``array @ traced``
    in a grad'ed function makes a constant on every call.
    With ``keep=False`` (a graph that lives only inside one ``grad`` call) a float array
    is used as it is: no copy, and the caller's array is not made read-only.
    """
    kind = type(value)
    if kind is float:
        return value
    if kind is np.ndarray and not keep and value.dtype.kind == "f" and value.ndim > 0:
        return value
    if what_args:
        what = what.format(*what_args)
    if isinstance(value, (int, float, np.floating, np.integer, np.bool_)):
        try:
            return float(value)
        except OverflowError:
            digits = int(int(value).bit_length() * 0.30103) + 1  # (str() refuses ints past 4,300 digits)
            raise TraceError(f"{what} is an integer of about {digits:,} digits, too large for a float "
                             f"(the largest is about 1.8e308)") from None
    if isinstance(value, (np.ndarray, list, tuple)):
        try:
            arr = np.array(value)
        except ValueError as err:  # ragged nested lists
            raise TraceError(f"{what} is not a rectangular array: {err}") from None
        if arr.dtype.kind in "biu":
            arr = arr.astype(np.float64)
        elif arr.dtype == object and arr.size and all(isinstance(v, int) for v in arr.flat):
            raise TraceError(f"{what} holds integers too large for a float")
        elif arr.dtype.kind != "f":
            raise TraceError(
                f"{what} is an array of dtype {arr.dtype}; graphviz_ad differentiates real "
                "floating-point values only (use float32 or float64)")
        return as_value(arr)
    if isinstance(value, complex):
        raise TraceError(f"{what} is complex ({value!r}); graphviz_ad differentiates real values only")
    raise TraceError(
        f"{what} is a {kind.__name__} ({_short_repr(value)}); expected a number or a numpy array")


def _short_repr(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


class Tape:
    """Append-only record of one trace; closed (read-only) once the trace ends."""

    __slots__ = ("ops", "arg0", "arg1", "more_args", "values", "names", "params", "scope_marks",
                 "closed", "has_arrays", "label", "keep", "untested")

    def __init__(self, label: str = "trace", *, keep: bool = True) -> None:
        self.ops: list[Primitive] = []
        self.arg0: list[int] = []
        self.arg1: list[int] = []
        self.more_args: dict[int, tuple[int, ...]] = {}
        self.values: list[Any] = []
        self.names: dict[int, str] = {}
        self.params: dict[int, dict[str, Any]] = {}
        # (first node index, scope path) each time the scope changes; "" is the top level.
        self.scope_marks: list[tuple[int, str]] = []
        self.closed = False
        self.has_arrays = False
        self.label = label
        # False while a transform traces for one call only: arrays are then not copied.
        self.keep = keep
        # Array results to test for inf/nan when the trace ends: those no later result
        # vouches for (traced.record_array_result, traced.check_finite_arrays).
        self.untested: set[int] = set()

    def __len__(self) -> int:
        return len(self.values)

    def check_open(self, what: str) -> None:
        if self.closed:
            raise TraceError(
                f"cannot record {what}: this traced value belongs to a trace that has finished "
                f"({self.label}). Traced values are only valid inside the traced function; "
                "use the Graph it returned instead.")

    def append(self, op: Primitive, a: int, b: int, value: Any) -> int:
        self.ops.append(op)
        self.arg0.append(a)
        self.arg1.append(b)
        self.values.append(value)
        return len(self.values) - 1

    def add_input(self, value: Any, name: str) -> int:
        if type(value) is not float:
            self.has_arrays = True
        index = self.append(INPUT, -1, -1, value)
        self.names[index] = name
        return index

    def add_constant(self, value: Any, what: str, *what_args: Any) -> int:
        """Record ``value`` as a constant node (``what``, ``what_args``: as to_input_value)."""
        value = to_input_value(value, what, *what_args, keep=self.keep)
        if type(value) is not float:
            self.has_arrays = True
        return self.append(CONST, -1, -1, value)

    def append_nary(self, op: Primitive, args: tuple[int, ...], value: Any) -> int:
        """Append an op of any number of arguments. Such ops are swept by the general
        (array) loops, so the tape is marked as needing them."""
        if len(args) <= 2:
            return self.append(op, args[0] if args else -1, args[1] if len(args) == 2 else -1, value)
        index = self.append(op, args[0], NARY, value)
        self.more_args[index] = tuple(args)
        self.has_arrays = True
        return index

    def args_of(self, index: int) -> tuple[int, ...]:
        a = self.arg0[index]
        if a < 0:
            return ()
        b = self.arg1[index]
        if b == NARY:
            return self.more_args[index]
        return (a,) if b < 0 else (a, b)

    def scope_of(self, index: int) -> str:
        marks = self.scope_marks
        if not marks:
            return ""
        position = bisect.bisect_right(marks, (index, "\uffff")) - 1
        return marks[position][1] if position >= 0 else ""

    def mark_scope(self, path: str) -> None:
        marks = self.scope_marks
        here = len(self.values)
        if marks and marks[-1][0] == here:
            marks[-1] = (here, path)
        else:
            marks.append((here, path))
