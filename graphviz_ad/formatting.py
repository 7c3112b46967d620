"""Short, stable text for numbers and arrays, shared by listings, errors and drawings."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["format_number", "format_value", "format_operand"]


def format_number(x: float, digits: int = 4) -> str:
    """``6.0 -> "6"``, ``0.1234567 -> "0.1235"``, ``-0.0 -> "0"``: ``digits`` significant digits."""
    x = float(x)
    if x == 0.0:
        return "0"
    text = f"{x:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text


def format_value(value: Any, digits: int = 4) -> str:
    """A float as :func:`format_number`; an array as its shape and a compact summary."""
    if value is None:
        return "—"
    if isinstance(value, (float, int, np.floating, np.integer)):
        return format_number(float(value), digits)
    arr = np.asarray(value)
    if arr.ndim == 0:
        return format_number(float(arr), digits)
    shape = "×".join(str(n) for n in arr.shape)
    if arr.size == 0:
        return f"[{shape}] (empty)"
    if arr.size <= 4 and arr.ndim == 1:
        return "[" + ", ".join(format_number(v, 3) for v in arr) + "]"
    if arr.dtype.kind not in "fiub":
        return f"[{shape}] of {arr.dtype}"
    finite = arr[np.isfinite(arr)]
    bad = arr.size - finite.size
    note = f" ({bad} non-finite)" if bad else ""
    if finite.size == 0:
        return f"[{shape}] all non-finite"
    lo, hi = float(finite.min()), float(finite.max())
    with np.errstate(all="ignore"):  # (a summary never warns or raises, whatever numpy's error state)
        mean = float(finite.mean())
        if not np.isfinite(mean):  # the sum overflowed: average the entries scaled down first
            mean = float((finite / finite.size).sum())
    return f"[{shape}] mean {format_number(mean, 3)}, range {format_number(lo, 3)}…{format_number(hi, 3)}{note}"


def format_operand(value: Any) -> str:
    """A constant as it appears inside a formula: negative numbers in parentheses."""
    text = format_value(value)
    return f"({text})" if text.startswith("-") else text
