"""Arrays for the browser: an array value as its shape and rounded entries, so the explorer
can write a small one out as a matrix and draw a large one as a heat map.

``array_entries(value, digits)`` gives ``None`` for a scalar, otherwise::

    {"shape": [int, ...],     the array's own shape
     "rows": int, "cols": int, the 2-D grid it is shown as (leading axes merged into rows)
     "data": [number | str],   rows×cols entries, row-major, rounded to ``digits`` significant
                               digits; a non-finite entry is the string "nan", "inf" or "-inf"
     "bin": [int, int]}        present for a large array: each entry is the mean of a block
                               of bin[0]×bin[1] entries, so the grid is at most GRID_LIMIT² cells
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..render.text import array_grid, block_means

__all__ = ["GRID_LIMIT", "array_entries"]

#: A heat map has at most this many rows and columns; larger arrays are shown in blocks.
GRID_LIMIT = 64


def _round(x: float, digits: int) -> float | str:
    if not math.isfinite(x):
        return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")
    if x == 0.0:
        return 0
    rounded = float(f"{x:.{digits}g}")
    return int(rounded) if rounded.is_integer() and abs(rounded) < 1e15 else rounded


def array_entries(value: Any, digits: int = 4) -> dict[str, Any] | None:
    """The shape and entries of ``value`` for the browser (see the module docstring)."""
    if value is None or isinstance(value, (float, int, np.floating, np.integer)):
        return None
    arr = np.asarray(value)
    if arr.ndim == 0 or arr.size == 0 or arr.dtype.kind not in "fiub":
        return None
    grid, block = block_means(array_grid(arr), GRID_LIMIT)
    entry: dict[str, Any] = {"shape": list(arr.shape)}
    if block != (1, 1):
        entry["bin"] = list(block)
    rows, cols = grid.shape
    entry["rows"], entry["cols"] = rows, cols
    entry["data"] = [_round(x, digits) for x in grid.ravel().tolist()]
    return entry

