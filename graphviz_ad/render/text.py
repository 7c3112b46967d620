"""The text drawn on nodes, edges and captions, and the escaping that keeps it literal.

Every piece of user text (node names, scope names) goes through :func:`visible` (control
characters become visible escapes, over-long text is clipped) before it is composed into a
label, and every composed label goes through :func:`markup` before it enters an HTML-like
DOT label: ``<``, ``>``, ``&`` and quotes become entities, and backslashes are doubled
because Graphviz expands ``\\N``-style escapes even inside HTML-like labels. The
∂-notation itself comes from :mod:`graphviz_ad.notation`, given the names as drawn
(:class:`DrawnNames`: visible and clipped).
"""

from __future__ import annotations

import html
import re
import warnings
from typing import Any

import numpy as np

from .. import notation
from ..formatting import format_value
from ..graph import Graph, Path
from ..primitives import CONST, INPUT
from ..sweeps import Step

__all__ = [
    "visible", "clip", "markup", "DrawnNames", "expression", "step_caption", "path_caption",
    "value_text", "text_width", "NODE_MATRIX_LIMIT", "matrix_shape", "entry_text", "matrix_texts",
    "HEAT_CELLS", "heat_shape", "heat_colours", "array_grid", "block_means",
]


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
ELLIPSIS = "…"
CAPTION_LIMIT = 200
_PLAIN = re.compile(r"[^&<>\"'\\\]]*")


# Approximate advance widths (thousandths of an em) of the caption font, Helvetica and its
# metric twins (Liberation Sans, Arial): enough to tell which of two lines is wider.
_NARROW = dict.fromkeys(" !,./:;I[\\]fijlt|·'", 278)
_WIDTHS = {**_NARROW, '"': 355, "(": 333, ")": 333, "-": 333, "r": 333, "{": 334, "}": 334,
           "c": 500, "k": 500, "s": 500, "v": 500, "x": 500, "y": 500, "z": 500, "J": 500,
           "+": 584, "<": 584, "=": 584, ">": 584, "−": 584, "∂": 494, "m": 833, "w": 722,
           "M": 833, "W": 944, "%": 889, "@": 1015, "…": 1000, "—": 1000}


def text_width(text: str) -> int:
    """Roughly how wide ``text`` is drawn, in thousandths of an em (to pick the widest of
    several lines; character counts mislead: ``∂v/∂x·1`` is wider than ``(i, j, l)``)."""
    total = 0
    for ch in text:
        width = _WIDTHS.get(ch)
        if width is None:
            width = 667 if ch.isupper() else 556 if ch.isascii() else 600
        total += width
    return total


# Line separators, and the bidirectional controls that would reorder the rest of a label
# (a name "\u202eab" drawn as "ba", and everything after it on the line reversed).
_INVISIBLE = frozenset("\u2028\u2029\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"
                       "\u2066\u2067\u2068\u2069")


def visible(text: str) -> str:
    """``text`` with control, line-separator and bidirectional-control characters shown as
    escapes (``\\n``, ``\\u202e``), and lone surrogates too (they cannot be encoded), so
    one name is always one line that reads left to right; a blank name is shown quoted."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif code < 0x20 or 0x7F <= code < 0xA0 or ch in _INVISIBLE or 0xD800 <= code < 0xE000:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    shown = "".join(out)
    return shown if shown.strip() else repr(shown)


def clip(text: str, limit: int) -> str:
    """At most ``limit`` characters: longer text keeps its start and ends in an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def markup(text: str) -> str:
    """Plain text as the content of an HTML-like DOT label, drawn exactly as given.

    ``]`` becomes an entity too: dot 2.43 rejects a label text run that is just ``]``.
    """
    if _PLAIN.fullmatch(text):  # the common case: nothing to escape
        return text
    return html.escape(text.replace("\\", "\\\\"), quote=True).replace("]", "&#93;")


class DrawnNames:
    """Node names as drawn: made visible and clipped to ``limit`` characters (cached)."""

    def __init__(self, graph: Graph, limit: int) -> None:
        self.graph = graph
        self.limit = limit
        self._cache: dict[int, str] = {}

    def __call__(self, index: int) -> str:
        name = self._cache.get(index)
        if name is None:
            name = self._cache[index] = clip(visible(self.graph.name_of(index)), self.limit)
        return name

    def operand(self, index: int) -> str:
        """How node ``index`` appears inside an expression: a scalar constant as its value."""
        graph = self.graph
        if graph.tape.ops[index] is CONST:
            return clip(visible(graph.operand_label(index)), self.limit)
        return self(index)


_INFIX = {"add": "+", "sub": "−", "mul": "·", "div": "/", "pow": "^", "matmul": "@"}
_FUNCTION = {"sqrt": "√", "sigmoid": "σ", "maximum": "max"}


def expression(graph: Graph, index: int, names: DrawnNames) -> str:
    """The right-hand side of node ``index``: ``a + b``, ``tanh(v2)``, ``xᵀ``, ``x[1, :]``;
    empty for inputs and constants."""
    tape = graph.tape
    prim = tape.ops[index]
    if prim is INPUT or prim is CONST:
        return ""
    args = [names.operand(a) for a in tape.args_of(index)]
    params = tape.params.get(index, {})
    op = prim.name
    if op in _INFIX and len(args) == 2:
        return f"{args[0]} {_INFIX[op]} {args[1]}"
    if op == "neg":
        return f"−{args[0]}"
    if op == "abs":
        return f"|{args[0]}|"
    if op == "transpose" and params.get("axes") is None:
        return f"{args[0]}ᵀ"
    if op == "getitem":
        return f"{args[0]}[{_index_text(params.get('index'))}]"
    shown = [f"{key}={_param_text(value)}" for key, value in params.items()
             if not (key == "keepdims" and value is False) and not (key == "axis" and value is None)]
    return f"{_FUNCTION.get(op, op)}({', '.join(args + shown)})"


def _index_text(index: Any) -> str:
    parts = index if isinstance(index, tuple) else (index,)
    return ", ".join(_param_text(part) for part in parts)


def _param_text(value: Any) -> str:
    if isinstance(value, slice):
        start, stop, step = ("" if p is None else str(p) for p in (value.start, value.stop, value.step))
        return f"{start}:{stop}" + (f":{step}" if step else "")
    if value is None:
        return "newaxis"
    if value is Ellipsis:
        return "…"
    if isinstance(value, np.ndarray):
        return "[" + ",".join(str(v) for v in value.tolist()) + "]" if value.size <= 6 else f"array{value.shape}"
    if isinstance(value, tuple):
        return "(" + ", ".join(_param_text(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    return clip(visible(str(value)), 24)


#: An array of up to this many entries (one or two dimensions) is written out in its node.
NODE_MATRIX_LIMIT = 16
#: A vector of up to this many entries is written as a column (Nielsen's vectors are).
COLUMN_LIMIT = 6


def matrix_shape(value: Any) -> tuple[int, int] | None:
    """The rows and columns ``value`` is written in inside its node, if it is written out."""
    if type(value) is not np.ndarray or not 1 <= value.ndim <= 2 or not 1 <= value.size <= NODE_MATRIX_LIMIT:
        return None
    if value.dtype.kind not in "fiub":
        return None
    if value.ndim == 2:
        return value.shape[0], value.shape[1]
    return (value.size, 1) if value.size <= COLUMN_LIMIT else (1, value.size)


def entry_text(x: float, digits: int = 3) -> str:
    """One entry of a matrix, as the explorer's script writes it (arrays.js ``entryText``)."""
    x = float(x)
    if not np.isfinite(x):
        return "nan" if np.isnan(x) else ("inf" if x > 0 else "-inf")
    if x == 0:
        return "0"
    if abs(x) < 1e-3 or abs(x) >= 1e6:
        mantissa, exponent = f"{x:.{digits - 1}e}".split("e")
        mantissa = mantissa.rstrip("0").rstrip(".") if "." in mantissa else mantissa
        return f"{mantissa}e{int(exponent)}"
    rounded = float(f"{x:.{digits}g}")
    return str(int(rounded)) if rounded.is_integer() else repr(rounded)


def matrix_texts(value: Any, digits: int = 3) -> tuple[str, ...]:
    """The entries of ``value`` (row-major), written out."""
    return tuple(entry_text(x, digits) for x in np.asarray(value, dtype=float).ravel())


#: A larger array is drawn in its node as a heat map of at most this many rows and columns
#: of blocks (each the mean of its entries; leading axes merged into rows).
HEAT_CELLS = 12
# A diverging scale centred on 0 (the explorer's arrays.js uses the same).
_NEGATIVE, _ZERO, _POSITIVE = (33, 102, 172), (247, 247, 247), (178, 24, 43)


def array_grid(value: np.ndarray) -> np.ndarray:
    """``value`` as the 2-D grid it is shown as: leading axes merged into rows (a vector: one row)."""
    return value.astype(float).reshape(-1, value.shape[-1]) if value.ndim > 1 else value.astype(float).reshape(1, -1)


def block_means(grid: np.ndarray, limit: int) -> tuple[np.ndarray, tuple[int, int]]:
    """``grid`` in at most ``limit`` × ``limit`` blocks, each the mean of its entries (nan
    where it has none but nan), and the block size; a grid within the limit comes back whole."""
    rows, cols = grid.shape
    block = (-(-rows // limit), -(-cols // limit))
    if block == (1, 1):
        return grid, block
    shape = (-(-rows // block[0]), -(-cols // block[1]))
    padded = np.full((shape[0] * block[0], shape[1] * block[1]), np.nan)
    padded[:rows, :cols] = grid
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # (a block of only nan: nan)
        return np.nanmean(padded.reshape(shape[0], block[0], shape[1], block[1]), axis=(1, 3)), block


def heat_shape(value: Any) -> tuple[int, int] | None:
    """The blocks (rows, columns) ``value`` is drawn in as a heat map, if it is one."""
    if type(value) is not np.ndarray or value.ndim < 1 or value.size <= NODE_MATRIX_LIMIT:
        return None
    if value.dtype.kind not in "fiub":
        return None
    rows, cols = (1, value.size) if value.ndim == 1 else (value.size // value.shape[-1], value.shape[-1])
    block_rows, block_cols = -(-rows // HEAT_CELLS), -(-cols // HEAT_CELLS)
    return -(-rows // block_rows), -(-cols // block_cols)


def heat_colours(value: Any) -> tuple[str, ...]:
    """The colour of each block of ``value``'s heat map, row-major: blue below 0, red above,
    as strong as the block's mean is against the largest block mean (grey: no finite entry)."""
    if heat_shape(value) is None:
        return ()
    grid = array_grid(value)
    means = block_means(np.where(np.isfinite(grid), grid, np.nan), HEAT_CELLS)[0].ravel()
    finite = means[np.isfinite(means)]
    scale = float(np.abs(finite).max()) if finite.size else 0.0
    return tuple(_diverging(float(m), scale) for m in means)


def _diverging(v: float, scale: float) -> str:
    if not np.isfinite(v):
        return "#808080"
    t = max(-1.0, min(1.0, v / scale)) if scale else 0.0
    end = _NEGATIVE if t < 0 else _POSITIVE
    k = abs(t)
    return "#" + "".join(f"{round(z + (e - z) * k):02x}" for z, e in zip(_ZERO, end))


def value_text(value: Any, digits: int) -> str:
    """A node value: a number with ``digits`` significant digits, an array as shape + summary."""
    return format_value(value, digits)


def step_caption(step: Step, count: int) -> str:
    """``Step 4 of 5 (reverse mode): ∂e/∂b = ∂e/∂c·∂c/∂b + ... = 5``."""
    return clip(f"Step {step.number + 1} of {count} ({step.mode} mode): {visible(step.text)}", CAPTION_LIMIT)


def path_caption(path: Path, names: DrawnNames, digits: int) -> str:
    """``Path b → c → e: ∂c/∂b·∂e/∂c = 1·2 = 2``."""
    if not path.edges:
        return "Path of length 0"
    return clip(f"Path {notation.path_text(path, digits, names)}", CAPTION_LIMIT)
