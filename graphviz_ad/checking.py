"""``check_grad``: compare reverse mode, forward mode and central finite differences.

The report lists every input element with the three derivatives and the error, is true
when all agree within tolerance, and prints as a small table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from .errors import TraceError
from .formatting import format_number
from .primitives import shape_of
from .seeds import input_groups, one_hot, output_seed, scalar_output
from .sweeps import forward_tangents, reverse_adjoints
from .tracing import trace_selected
from .trees import flatten, leaves

__all__ = ["check_grad", "GradCheck", "GradCheckRow"]


@dataclass(frozen=True)
class GradCheckRow:
    """One input element: reverse-mode, forward-mode and finite-difference derivatives."""

    name: str
    reverse: float
    forward: float
    finite_difference: float
    ok: bool

    @property
    def error(self) -> float:
        errors = (abs(self.reverse - self.finite_difference), abs(self.forward - self.finite_difference))
        return math.nan if any(e != e for e in errors) else max(errors)  # (max would drop a nan)


@dataclass(frozen=True)
class GradCheck:
    """The result of :func:`check_grad`; truthy when every row agrees."""

    rows: tuple[GradCheckRow, ...]
    rtol: float
    atol: float
    checked: int
    total: int

    @property
    def ok(self) -> bool:
        return all(row.ok for row in self.rows)

    def __bool__(self) -> bool:
        return self.ok

    @property
    def max_error(self) -> float:
        errors = [row.error for row in self.rows]
        return math.nan if any(e != e for e in errors) else max(errors, default=0.0)  # nan is never hidden

    def __str__(self) -> str:
        head = f"{'input':<14} {'reverse':>12} {'forward':>12} {'finite diff':>12} {'|error|':>10}  ok"
        lines = [head, "-" * len(head)]
        for row in self.rows:
            lines.append(
                f"{row.name:<14} {format_number(row.reverse, 6):>12} {format_number(row.forward, 6):>12} "
                f"{format_number(row.finite_difference, 6):>12} {row.error:>10.2e}  {'✓' if row.ok else '✗ MISMATCH'}")
        sampled = f" ({self.checked} of {self.total} elements, sampled)" if self.checked < self.total else ""
        verdict = "all agree" if self.ok else f"{sum(not r.ok for r in self.rows)} MISMATCH(ES)"
        lines.append(f"{verdict}{sampled}; max error {self.max_error:.2e} (rtol={self.rtol:g}, atol={self.atol:g})")
        return "\n".join(lines)

    __repr__ = __str__


def check_grad(f: Callable[..., Any], *args: Any, eps: float = 1e-6, rtol: float = 1e-4,
               atol: float = 1e-6, max_elements: int = 200, seed: int = 0) -> GradCheck:
    """Check ∂f/∂(every input element) three ways: reverse sweep, forward sweeps, and
    central differences ``(f(x+h) − f(x−h)) / 2h`` computed in float64.

    ``f`` must return a scalar. Above ``max_elements`` input elements a random sample
    (fixed by ``seed``) is checked. Returns a :class:`GradCheck` that is truthy when all agree.
    """
    positions = range(len(args))
    if not any(leaves(arg) for arg in args):
        raise TraceError(f"check_grad needs numbers to differentiate by; got {args!r}")
    graph = trace_selected(f, args, {}, differentiate=set(positions))
    out = scalar_output(graph, "check_grad")
    adjoints = reverse_adjoints(graph.tape, {out: output_seed(graph, out)})
    groups = input_groups(graph, positions)
    elements = [(position, leaf_number, index, element)
                for position in positions
                for leaf_number, index in enumerate(groups[position])
                for element in np.ndindex(*shape_of(graph.tape.values[index]))]
    total = len(elements)
    if total > max_elements:
        chosen = np.random.default_rng(seed).choice(total, size=max_elements, replace=False)
        elements = [elements[i] for i in sorted(chosen)]
    rows = []
    for position, leaf_number, index, element in elements:
        value = graph.tape.values[index]
        reverse = _element(adjoints[index] if index < len(adjoints) else 0.0, element)
        seed_value = 1.0 if type(value) is float else one_hot(value, element)
        forward = _element(forward_tangents(graph.tape, {index: seed_value})[out], ())
        fd = _central_difference(f, args, position, leaf_number, element, eps)
        ok = all(abs(d - fd) <= atol + rtol * abs(fd) for d in (reverse, forward))
        label = graph.name_of(index) + (str(list(element)) if element else "")
        rows.append(GradCheckRow(label, reverse, forward, fd, ok))
    return GradCheck(tuple(rows), rtol, atol, len(elements), total)


def _element(value: Any, element: tuple[int, ...]) -> float:
    """One entry of a derivative; the only one of an output of size 1 (``element == ()``)."""
    if type(value) is float:
        return value
    array = np.asarray(value)
    return float(array.reshape(()) if element == () else array[element])


def _central_difference(f, args, position, leaf_number, element, eps) -> float:
    def evaluate(delta: float) -> float:
        shifted = list(args)
        shifted[position] = _shift_leaf(args[position], leaf_number, element, delta)
        result = f(*shifted)
        if np.iscomplexobj(result):  # e.g. (-1e-7) ** 0.5 in Python: the step left f's real domain
            return math.nan
        return float(np.asarray(result, dtype=np.float64).reshape(()))

    base = _leaf_value(args[position], leaf_number, element)
    h = eps * max(1.0, abs(base))
    with np.errstate(all="ignore"):
        up, down = evaluate(h), evaluate(-h)
        if not (math.isfinite(up) and math.isfinite(down)) and 0.0 < abs(base) < 1.0:
            # A step of eps crossed the edge of f's domain (sqrt or log just above 0):
            # a step relative to the value stays inside it.
            h = eps * abs(base)
            up, down = evaluate(h), evaluate(-h)
        if math.isfinite(up) and math.isfinite(down):
            return (up - down) / (2 * h)
        # Still outside on one side: a one-sided difference.
        middle = evaluate(0.0)
        if math.isfinite(up) and math.isfinite(middle):
            return (up - middle) / h
        if math.isfinite(down) and math.isfinite(middle):
            return (middle - down) / h
    return math.nan


def _leaf_value(value: Any, leaf_number: int, element: tuple[int, ...]) -> float:
    leaf = leaves(value)[leaf_number]
    return float(np.asarray(leaf, dtype=np.float64)[element]) if element else float(leaf)


def _shift_leaf(value: Any, leaf_number: int, element: tuple[int, ...], delta: float) -> Any:
    """A copy of ``value``'s structure with one element of leaf ``leaf_number`` moved by
    ``delta`` (that leaf in float64; the others as they are)."""
    structure, pairs = flatten(value)
    shifted = [leaf for _, leaf in pairs]
    leaf = shifted[leaf_number]
    if element:
        arr = np.array(leaf, dtype=np.float64)
        arr[element] += delta
        shifted[leaf_number] = arr
    else:
        shifted[leaf_number] = float(leaf) + delta
    return structure.rebuild(iter(shifted))
