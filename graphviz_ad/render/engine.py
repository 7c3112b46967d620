"""Running Graphviz: which one (the system's ``dot`` or the bundled ``graphviz-pure``),
within one deadline for the whole drawing, and the one layout every step of a sweep shares.

Graphviz runs with an argv list (never a shell) and a timeout, with one clear error when it
is missing, too slow, or fails. ``timeout=`` covers building the DOT too (``deadline``),
not only Graphviz's own run. ``graphviz-pure`` (a Rust port of Graphviz 16.1 with wheels
for Linux, macOS and Windows, installed with graphviz_ad) means ``pip install graphviz-ad``
draws SVG and PNG with nothing else on the machine; the system's Graphviz is preferred when
``dot`` is on PATH (the reference implementation, real font metrics for every character,
PDF). ``GRAPHVIZ_AD_ENGINE`` chooses: ``auto`` (default), ``system`` or ``bundled``.

The envelope of a sweep (see ``highlights.envelope``) is laid out once by ``dot -Tjson``;
each step is then drawn at those positions by ``neato -n2``: nodes keep their size and
place, edges their route, clusters their box, the canvas its size and the caption its
corner, so steps line up on consecutive slides. Layouts are cached per sweep.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import time
import warnings
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from .options import (
    INSTALL_HINT,
    DotFailedError,
    DotNotFoundError,
    DotTimeoutError,
    DotWarning,
    RenderError,
)

__all__ = [
    "deadline", "check", "remaining", "run_dot", "dot_available", "Engine", "ENGINE_VARIABLE",
    "choose_engine", "bundled_path", "engine_names", "Layout", "parse_layout", "layout_of", "cached",
    "remember",
]


# (the monotonic time it ends, the timeout it came from), or None outside a drawing
_ENDS: contextvars.ContextVar[tuple[float, float] | None] = contextvars.ContextVar("render_deadline", default=None)


@contextlib.contextmanager
def deadline(timeout: float) -> Iterator[None]:
    """Everything inside shares ``timeout`` seconds (an enclosing deadline keeps its own end)."""
    if _ENDS.get() is not None:
        yield
        return
    token = _ENDS.set((time.monotonic() + timeout, timeout))
    try:
        yield
    finally:
        _ENDS.reset(token)


def check(what: str = "the graph") -> None:
    """Raise ``DotTimeoutError`` if the drawing's time is up (called while building)."""
    ends = _ENDS.get()
    if ends is not None and time.monotonic() > ends[0]:
        raise DotTimeoutError(
            f"building the drawing of {what} took longer than timeout={ends[1]:g} s and was stopped; "
            "pass collapse=True (one box per name scope) or a smaller max_nodes= to draw less, "
            "or a larger timeout= to wait longer")


def remaining(default: float) -> float:
    """The seconds left for Graphviz itself (``default`` outside a deadline)."""
    ends = _ENDS.get()
    if ends is None:
        return default
    return max(ends[0] - time.monotonic(), 0.001)


def dot_available() -> bool:
    """Whether the Graphviz that ``GRAPHVIZ_AD_ENGINE`` asks for is there to draw with."""
    try:
        choose_engine()
    except (DotNotFoundError, RenderError):
        return False
    return True


def run_dot(source: str, fmt: str, *, timeout: float, args: tuple[str, ...] = (), what: str = "the graph",
            program: str = "dot") -> bytes:
    """``dot -T<fmt> [args]`` on ``source`` (or another Graphviz ``program``); its output as bytes.

    ``what`` describes the graph for messages (``"a graph of 1,200 nodes"``).
    """
    timeout = remaining(timeout)  # (inside a drawing's deadline: what building it left)
    engine = choose_engine()
    engine.check_format(fmt)
    argv = [*engine.command(program), f"-T{fmt}", *args]
    source = engine.drawable(source)
    try:
        done = subprocess.run(argv, input=source.encode("utf-8"), capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise DotTimeoutError(
            f"{program} did not finish drawing {what} within timeout={timeout:g} s and was stopped; "
            "pass collapse=True (one box per name scope) or a smaller max_nodes= to draw less, "
            "or a larger timeout= to wait longer") from None
    except OSError as err:  # found by which() a moment ago, but not runnable
        raise DotNotFoundError(f"could not run {argv[0]}: {err}. {INSTALL_HINT}") from None
    message = engine.quiet(done.stderr.decode("utf-8", "replace").strip())
    if done.returncode != 0:
        lines = message.splitlines()
        shown = "; ".join(lines[:3]) + (" ..." if len(lines) > 3 else "")
        raise DotFailedError(f"{program} failed on {what} (exit status {done.returncode}): {shown or 'no message'}")
    if message:
        warnings.warn(f"{program}: {message}", DotWarning, stacklevel=4)
    return done.stdout


ENGINE_VARIABLE = "GRAPHVIZ_AD_ENGINE"
_CHOICES = ("auto", "system", "bundled")
#: Formats graphviz-pure cannot write (it has no cairo or PostScript back ends).
_BUNDLED_CANNOT = frozenset({"pdf", "ps", "eps"})
#: Lines graphviz-pure prints for every label with a non-ASCII character (∂, ·, →): it
#: measures them as a space, which leaves such labels a little narrow; drawings were
#: checked by eye (the figures in the README), so the lines are not passed on as warnings.
_BUNDLED_NOISE = ("no value for width of non-ASCII character",)


#: Signs our labels use that graphviz-pure's built-in font (the text of its PNG) has no glyph
#: for, and what it is given instead: a circled operator as the operator in parentheses, as
#: plain text writes one. In every format, SVG too: a frame's PNG is drawn on the layout of
#: an earlier run, whose label sizes must be measured on the same text.
_BUNDLED_SIGNS = str.maketrans({"⊙": "(·)", "⊗": "(×)", "∘": "◦", "∗": "*", "⋅": "·"})


@dataclass(frozen=True)
class Engine:
    """A way to run Graphviz: ``command(program)`` is the argv prefix for ``dot`` or ``neato``."""

    name: str
    executable: str

    def command(self, program: str) -> list[str]:
        if self.name == "system":
            found = shutil.which(program)
            if found is None:
                raise DotNotFoundError(f"Graphviz's {program!r} was not found. {INSTALL_HINT}")
            return [found]
        return [self.executable, f"-K{program}"]

    def check_format(self, fmt: str) -> None:
        if self.name == "bundled" and fmt in _BUNDLED_CANNOT:
            raise RenderError(
                f"{fmt.upper()} needs the system Graphviz (the bundled graphviz-pure writes svg and png): "
                f"install Graphviz ({INSTALL_HINT.split('. ', 1)[-1]}) or save as .svg or .png")

    def drawable(self, source: str) -> str:
        """``source`` as this engine can draw it (the bundled engine's font lacks ⊙, ⊗)."""
        return source.translate(_BUNDLED_SIGNS) if self.name == "bundled" else source

    def quiet(self, message: str) -> str:
        """``message`` (the engine's stderr) without lines that mean nothing for our drawings."""
        if self.name != "bundled":
            return message
        lines = [line for line in message.splitlines() if not any(noise in line for noise in _BUNDLED_NOISE)]
        return "\n".join(lines).strip()


def bundled_path() -> str | None:
    """Where the ``graphviz-pure`` executable is: beside this Python (a venv that is not
    activated, a kernel), in the user's scripts folder, or on PATH."""
    name = "graphviz-pure" + (".exe" if sys.platform == "win32" else "")
    folders: list[str | Path] = [sysconfig.get_path("scripts"), Path(sys.executable).parent]
    try:
        folders.append(sysconfig.get_path("scripts", f"{os.name}_user"))
    except KeyError:
        pass
    for folder in folders:
        candidate = Path(folder) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which("graphviz-pure")


def choose_engine() -> Engine:
    """The engine ``GRAPHVIZ_AD_ENGINE`` asks for (default ``auto``: the system's Graphviz if
    ``dot`` is on PATH, else the bundled graphviz-pure)."""
    wanted = os.environ.get(ENGINE_VARIABLE, "auto").strip().lower() or "auto"
    if wanted not in _CHOICES:
        raise RenderError(f"{ENGINE_VARIABLE}={wanted!r} is not one of {', '.join(_CHOICES)}")
    if wanted in ("auto", "system") and shutil.which("dot") is not None:
        return Engine("system", "dot")
    if wanted == "system":
        raise DotNotFoundError(f"{ENGINE_VARIABLE}=system but Graphviz's 'dot' is not on PATH. {INSTALL_HINT}")
    bundled = bundled_path()
    if bundled is None:
        raise DotNotFoundError(
            f"no Graphviz found: neither 'dot' on PATH nor the bundled graphviz-pure "
            f"(pip install graphviz-pure). {INSTALL_HINT}")
    return Engine("bundled", bundled)


def engine_names() -> tuple[str, ...]:
    """The engines present on this machine (for tests that run under each)."""
    present = []
    if shutil.which("dot") is not None:
        present.append("system")
    if bundled_path() is not None:
        present.append("bundled")
    return tuple(present)


# Graphviz puts a graph label this far (in points) from the left edge of its bounding box.
LABEL_MARGIN = 8.0
# Cell padding around an edge label's text (tables.edge_label), both sides together.
LABEL_PADDING = 2.0


@dataclass(frozen=True)
class Layout:
    """Positions from ``dot`` (points, Graphviz coordinates), by DOT node name, edge id and cluster name."""

    nodes: dict[str, dict[str, str]] = field(default_factory=dict)
    edges: dict[str, dict[str, str]] = field(default_factory=dict)
    clusters: dict[str, dict[str, str]] = field(default_factory=dict)
    bb: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    # left, vertical centre, width, height of the caption (points), if there is one
    caption: tuple[float, float, float, float] | None = None
    label_boxes: dict[str, tuple[float, float]] = field(default_factory=dict)  # edge id -> label size

    def node(self, name: str) -> dict[str, str]:
        return self.nodes.get(name, {})

    def edge(self, edge_id: str) -> dict[str, str]:
        return self.edges.get(edge_id, {})

    def cluster(self, name: str) -> dict[str, str]:
        return self.clusters.get(name, {})


def _floats(text: str) -> list[float]:
    return [float(part) for part in text.split(",")]


def parse_layout(raw: bytes) -> Layout:
    """The positions in ``dot -Tjson`` output."""
    try:
        data = json.loads(raw.decode("utf-8"))
        x0, y0, x1, y1 = _floats(data["bb"])
    except (ValueError, KeyError) as err:
        raise RenderError(f"could not read the layout dot produced ({err}); please report this with `dot -V`") from None
    nodes: dict[str, dict[str, str]] = {}
    clusters: dict[str, dict[str, str]] = {}
    for obj in data.get("objects", []):
        if "pos" in obj:
            nodes[obj["name"]] = {"pos": obj["pos"], "width": obj["width"], "height": obj["height"],
                                  "fixedsize": "true"}
        elif "bb" in obj:
            clusters[obj["name"]] = {key: obj[key] for key in ("bb", "lp") if key in obj}
    edges: dict[str, dict[str, str]] = {}
    label_boxes: dict[str, tuple[float, float]] = {}
    for edge in data.get("edges", []):
        if "id" not in edge:
            continue
        edges[edge["id"]] = {key: edge[key] for key in ("pos", "lp") if key in edge}
        box = _label_box(edge.get("_ldraw_", []))
        if box is not None:
            label_boxes[edge["id"]] = box
    caption = None
    if "lp" in data and "lwidth" in data:
        lefts = [op["pt"][0] for op in data.get("_ldraw_", []) if op.get("op") == "T"]
        left = min(lefts) if lefts else x0 + LABEL_MARGIN
        caption = (left, _floats(data["lp"])[1], float(data["lwidth"]) * 72, float(data["lheight"]) * 72)
    return Layout(nodes, edges, clusters, (x0, y0, x1, y1), caption, label_boxes)


def _label_box(ops: list[dict[str, Any]]) -> tuple[float, float] | None:
    """Width and height of an edge label: the extent of its text runs (``T`` operations)."""
    size = 14.0
    left: float | None = None
    right: float | None = None
    top: float | None = None
    bottom: float | None = None
    for op in ops:
        if op.get("op") == "F":
            size = float(op["size"])
        elif op.get("op") == "T":
            x, y = op["pt"]
            width = float(op["width"])
            start = {"l": x, "r": x - width}.get(str(op.get("align")), x - width / 2)
            # a text line spans roughly from a quarter of the font size below its baseline to the size above it
            left = start if left is None else min(left, start)
            right = start + width if right is None else max(right, start + width)
            top = y + size if top is None else max(top, y + size)
            bottom = y - size / 4 if bottom is None else min(bottom, y - size / 4)
    if left is None or right is None or top is None or bottom is None:
        return None
    return right - left + LABEL_PADDING, top - bottom + LABEL_PADDING


def layout_of(source: str, *, timeout: float, what: str) -> Layout:
    """Lay out the DOT ``source`` with ``dot`` and return the positions."""
    return parse_layout(run_dot(source, "json", timeout=timeout, what=what))


_CACHE: "weakref.WeakKeyDictionary[Any, dict[Any, Layout]]" = weakref.WeakKeyDictionary()


def cached(sweep: Any, key: Any) -> Layout | None:
    return _CACHE.get(sweep, {}).get(key)


def remember(sweep: Any, key: Any, layout: Layout) -> None:
    _CACHE.setdefault(sweep, {})[key] = layout
