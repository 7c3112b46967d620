"""The four entry points the Graph and the sweeps call: ``to_dot``, ``to_svg``, ``save``
and ``mimebundle`` (Jupyter display).

A plain graph is laid out and drawn by one ``dot`` run. A sweep frame is drawn by
``neato -n2`` at the positions of the sweep's envelope layout (``layout.py``), so every
frame of one sweep has the same node positions and canvas.
"""

from __future__ import annotations

import dataclasses
import os
import pathlib
from typing import TYPE_CHECKING, Any, Callable

import graphviz

from ..graph import Graph
from .drawing import Drawing, build
from .engine import Layout, cached, choose_engine, deadline, layout_of, remember, run_dot
from .highlights import envelope, highlights
from .options import (
    DEFAULT_TIMEOUT,
    INSTALL_HINT,
    DotNotFoundError,
    Options,
    RenderError,
    RenderOptionError,
    resolve,
)
from .svg import add_ids

if TYPE_CHECKING:
    from ..sweeps import Sweep

__all__ = ["to_dot", "to_svg", "svg_later", "save", "mimebundle", "FORMATS"]


FORMATS = (".svg", ".png", ".pdf", ".dot", ".gv")


def _options(graph: Graph, options: dict[str, Any]) -> Options:
    if not isinstance(graph, Graph):
        raise RenderOptionError(f"expected a graphviz_ad Graph, got {type(graph).__name__}")
    return resolve(graph, options)


def _frame_step(graph: Graph, sweep: "Sweep | None", step: int | None) -> int | None:
    """``step`` checked against ``sweep`` (as ``sweep.to_svg(step=...)`` checks it), which
    must be a sweep of ``graph``: the frame code assumes both."""
    if sweep is None:
        if step is not None:
            raise RenderOptionError("step= picks a step of a sweep; pass sweep= as well")
        return None
    if getattr(sweep, "graph", None) is not graph:
        raise RenderOptionError("sweep= is a sweep of another graph; draw it with sweep.to_svg() "
                                "or pass the graph it was made from")
    return sweep._step_number(step)


def to_dot(graph: Graph, *, sweep: "Sweep | None" = None, step: int | None = None, **options: Any) -> graphviz.Digraph:
    """The drawing as a ``graphviz.Digraph`` (no Graphviz binary needed). For a sweep frame
    this is the frame on its own; ``to_svg``/``save`` also pin it to the sweep's layout."""
    opts = _options(graph, options)
    step = _frame_step(graph, sweep, step)
    return build(graph, opts, highlights(graph, sweep, step, opts.path)).digraph


def _sweep_layout(graph: Graph, sweep: "Sweep", opts: Options) -> Layout:
    # Colours, timeout and dpi do not move anything: one layout serves them all (per engine:
    # each measures text its own way).
    key = (dataclasses.replace(opts, theme="light", timeout=DEFAULT_TIMEOUT, dpi=Options.dpi), choose_engine().name)
    layout = cached(sweep, key)
    if layout is None:
        drawing = build(graph, opts, envelope(graph, sweep, opts.path))
        layout = layout_of(drawing.digraph.source, timeout=opts.timeout, what=drawing.what)
        remember(sweep, key, layout)
    return layout


def _render(graph: Graph, sweep: "Sweep | None", step: int | None, opts: Options, fmt: str,
            args: tuple[str, ...] = ()) -> tuple[Drawing, bytes]:
    with deadline(opts.timeout):
        return _render_in_time(graph, sweep, step, opts, fmt, args)


def _render_in_time(graph: Graph, sweep: "Sweep | None", step: int | None, opts: Options, fmt: str,
                    args: tuple[str, ...]) -> tuple[Drawing, bytes]:
    hl = highlights(graph, sweep, step, opts.path)
    if sweep is None:
        drawing = build(graph, opts, hl)
        return drawing, run_dot(drawing.digraph.source, fmt, timeout=opts.timeout, args=args, what=drawing.what)
    drawing = build(graph, opts, hl, _sweep_layout(graph, sweep, opts))
    return drawing, run_dot(drawing.digraph.source, fmt, timeout=opts.timeout, args=("-n2", *args),
                            what=drawing.what, program="neato")


def _svg(graph: Graph, sweep: "Sweep | None", step: int | None, opts: Options) -> str:
    drawing, raw = _render(graph, sweep, step, opts, "svg")
    return add_ids(raw.decode("utf-8"), drawing.spans)


def to_svg(graph: Graph, *, sweep: "Sweep | None" = None, step: int | None = None, **options: Any) -> str:
    """The drawing as SVG text; ids and classes as documented in :mod:`graphviz_ad.render`."""
    opts = _options(graph, options)
    return _svg(graph, sweep, _frame_step(graph, sweep, step), opts)


def svg_later(graph: Graph, **options: Any) -> Callable[[], str]:
    """``to_svg`` of the plain graph in two halves: the DOT is built now, and the function
    returned runs Graphviz on it and returns the SVG, e.g. in a worker thread while the
    caller goes on (Graphviz is a subprocess: the thread waits without the GIL)."""
    opts = _options(graph, options)
    drawing = build(graph, opts, highlights(graph, None, None, opts.path))

    def draw() -> str:
        with deadline(opts.timeout):
            raw = run_dot(drawing.digraph.source, "svg", timeout=opts.timeout, what=drawing.what)
        return add_ids(raw.decode("utf-8"), drawing.spans)

    return draw


def save(graph: Graph, file: str | os.PathLike[str], *, sweep: "Sweep | None" = None, step: int | None = None,
         **options: Any) -> pathlib.Path:
    """Write the drawing to ``file`` in the format its extension names: ``.svg``, ``.png``
    (at ``dpi=``), ``.pdf``, ``.dot``/``.gv`` (DOT text). Returns the path written."""
    if not isinstance(file, (str, os.PathLike)):
        raise RenderOptionError(f"save needs a file name or path (like 'graph.svg'); got {type(file).__name__} {file!r}")
    path = pathlib.Path(file)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise RenderOptionError(
            f"cannot tell the format of {str(path)!r} from its extension; use one of {', '.join(FORMATS)}")
    opts = _options(graph, options)
    step = _frame_step(graph, sweep, step)
    if suffix in (".dot", ".gv"):
        with deadline(opts.timeout):
            data = build(graph, opts, highlights(graph, sweep, step, opts.path)).digraph.source.encode("utf-8")
    elif suffix == ".svg":
        data = _svg(graph, sweep, step, opts).encode("utf-8")
    elif suffix == ".png":
        data = _render(graph, sweep, step, opts, "png", (f"-Gdpi={opts.dpi:g}",))[1]
    else:
        data = _render(graph, sweep, step, opts, "pdf")[1]
    path.write_bytes(data)
    return path


def mimebundle(graph: Graph, *, sweep: "Sweep | None" = None, step: int | None = None) -> dict[str, str]:
    """What Jupyter shows: the SVG and a text form. Never raises for a drawing problem:
    without ``dot`` (or for a graph too large to draw) the text form says why."""
    text = _text(graph, sweep, step)
    try:
        svg = to_svg(graph, sweep=sweep, step=step)
    except DotNotFoundError:
        return {"text/plain": f"{text}\n({INSTALL_HINT})"}
    except RenderError as err:
        return {"text/plain": f"{text}\n(not drawn: {err})"}
    return {"image/svg+xml": svg, "text/plain": text}


def _text(graph: Graph, sweep: "Sweep | None", step: int | None) -> str:
    if sweep is None:
        return repr(graph)
    steps = sweep.steps
    k = len(steps) - 1 if step is None else step
    return f"{sweep!r}\nstep {k + 1} of {len(steps)}: {steps[k].text}"
