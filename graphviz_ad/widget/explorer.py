"""The Explorer widget: step forward and reverse sweeps node by node, in Jupyter and in plain HTML.

The graph is drawn once (``graphviz_ad.render.to_svg``); every sweep is precomputed into
the explorer's data (``data.explorer_data``) and replayed in the browser by the
explorer's script (``script.explorer_script``), so stepping needs no kernel. ``step``,
``mode``, ``wrt`` and ``of`` are synced both ways.
"""

from __future__ import annotations

import functools
import math
import pathlib
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable

import anywidget
import numpy as np
import traitlets

from .. import notation
from ..errors import GraphvizADError, SeedError, StepIndexError, TraceError
from ..formatting import format_value
from ..graph import Graph
from ..render import DrawnNames
from ..render.text import matrix_shape, matrix_texts
from .data import FORWARD_SWEEP_LIMIT, explorer_data, split_element, sweep_key, unavailable
from .drawing import compact_svg
from .script import EXPLORER_CSS, explorer_script

__all__ = ["Explorer", "ExplorerError", "explore", "MODES"]

MODES = ("reverse", "forward", "paths")


class ExplorerError(GraphvizADError, ValueError):
    """An Explorer argument that makes no sense: an unknown mode, a graph that is not a Graph."""


def _rejects(validator):
    """Raise a validator's error as a ``traitlets.TraitError`` too (still its own class):
    a value from the browser arrives inside ``hold_trait_notifications``, which puts the
    old value back only for a TraitError, and would otherwise keep the rejected one."""

    @functools.wraps(validator)
    def checked(self, proposal):
        try:
            return validator(self, proposal)
        except GraphvizADError as err:
            raise _trait_error_class(type(err))(*err.args) from None

    return checked


@functools.lru_cache(maxsize=None)
def _trait_error_class(kind: type) -> type:
    return type(kind.__name__, (kind, traitlets.TraitError), {"__module__": kind.__module__})


class Explorer(anywidget.AnyWidget):
    """Click through the sweeps of a Graph; made by :func:`explore`.

    Synced traits (set them from Python to move the view; clicks in the browser set them):

    * ``step``: index into the current sweep's ``steps`` (0-based, as ``sweep.frame(step)``);
      in ``"paths"`` mode, the index of the highlighted path.
    * ``mode``: ``"reverse"``, ``"forward"`` or ``"paths"``.
    * ``wrt``: the input a forward sweep starts from (the paths' source).
    * ``of``: the output a reverse sweep starts from (the paths' target).
    """

    # Strings, not paths: given a Path, anywidget watches the file and connects every
    # instance to the watcher's signal, which keeps each explorer (and its graph) alive.
    _esm = explorer_script()
    _css = EXPLORER_CSS

    step = traitlets.Int(0).tag(sync=True)
    mode = traitlets.Unicode("reverse").tag(sync=True)
    wrt = traitlets.Unicode("").tag(sync=True)
    of = traitlets.Unicode("").tag(sync=True)
    controls = traitlets.Bool(False).tag(sync=True)
    height = traitlets.Int(460).tag(sync=True)
    #: The browser writes new input values here (input sliders); the kernel retraces.
    input_values = traitlets.Dict().tag(sync=True)
    _svg = traitlets.Unicode("").tag(sync=True)
    #: A large network drawn one box per neuron (render's collapse="neurons"), or "".
    _svg_grouped = traitlets.Unicode("").tag(sync=True)
    _data = traitlets.Dict().tag(sync=True)
    #: Input sliders: {name: value}, empty when the graph cannot be retraced.
    _inputs = traitlets.Dict().tag(sync=True)
    _message = traitlets.Unicode("").tag(sync=True)
    _standalone = traitlets.Bool(False).tag(sync=True)

    def __init__(self, graph: Graph, *, mode: str = "reverse", wrt: str | None = None, of: str | None = None,
                 step: int = 0, controls: bool = False, height: int = 460,
                 forward_limit: int = FORWARD_SWEEP_LIMIT, **render_options: Any) -> None:
        if not isinstance(graph, Graph):
            raise ExplorerError(
                f"explore() needs a Graph (from ad.trace or ad.parse); got {type(graph).__name__}")
        for label, value in (("step", step), ("height", height)):
            if not isinstance(value, (int, np.integer)) or isinstance(value, bool):
                raise ExplorerError(f"{label} must be an int; got {type(value).__name__} {value!r}")
        self.graph = graph
        self._forward_limit = forward_limit
        self._render_options = render_options
        inputs = _check_controls(graph) if controls else {}
        data, svg, grouped = self._build(graph)
        super().__init__(_svg=svg, _svg_grouped=grouped, _data=data, _inputs=inputs,
                         controls=bool(controls), height=height)
        with self.hold_trait_notifications():
            self.wrt = wrt if wrt is not None else self._default_wrt()
            self.of = of if of is not None else self._default_of()
            self.mode = mode
        self.step = step

    # -- building --------------------------------------------------------------------
    def _build(self, graph: Graph, extra_forward: tuple[str, ...] = ()) -> tuple[dict[str, Any], str, str]:
        """The data and the two drawings. Each drawing is one Graphviz run on the plain graph
        (the browser restyles every state with CSS and writes every derivative line), laid
        out for the derivative texts of the sweeps the data stores: it starts as soon as
        those sweeps are known, and Graphviz works while the data's texts are written."""
        from ..render.options import resolve
        opts = resolve(graph, self._render_options)
        drawings: dict[str, tuple[Future[str], list[int] | None]] = {}

        def start_drawings(sweeps: list[Any]) -> None:
            reserves = _reserves(graph, sweeps, DrawnNames(graph, opts.max_label), opts.digits)
            grouped = self._grouped_options(graph)
            for field, options in (("boxes", self._render_options), ("groups", grouped)):
                if options is not None:  # (its DOT built here, at once; Graphviz runs in a worker)
                    draw, box_of = self._draw(graph, reserves, options)
                    drawings[field] = (_DRAWING.submit(draw), box_of)

        data = explorer_data(graph, forward_limit=self._forward_limit, extra_forward=extra_forward,
                             digits=opts.digits, max_label=opts.max_label, on_sweeps=start_drawings)
        drawn = {field: (future.result(), box_of) for field, (future, box_of) in drawings.items()}
        svg, data["boxes"] = drawn["boxes"]
        grouped_svg, data["groups"] = drawn.get("groups", ("", None))
        return data, svg, grouped_svg

    def _grouped_options(self, graph: Graph) -> dict[str, Any] | None:
        """For a network of over GROUPED_FROM nodes, the options of a second drawing, one box
        per neuron, left to right, so that Fit shows it legibly; None when that is no
        grouping worth drawing."""
        from ..render.drawing import plan
        from ..render.elements import drawn_nodes
        from ..render.options import resolve
        if self._render_options.get("collapse") is not None:
            return None
        options = {**self._render_options, "caption": False, "collapse": "neurons", "rankdir": "LR"}
        opts = resolve(graph, options)
        drawn = drawn_nodes(graph, opts)
        if len(drawn) <= GROUPED_FROM:
            return None
        boxes = plan(graph, drawn, opts).boxes or {}
        total = len(set(boxes.values())) + len(drawn) - len(boxes)
        if not 2 <= total <= min(GROUPED_MAX_BOXES, len(drawn) // 3):
            return None  # a chain folds into one box, a wide sum into none
        return options

    def _draw(self, graph: Graph, reserves: dict[str, dict[int, str]],
              options: dict[str, Any]) -> tuple[Callable[[], str], list[int] | None]:
        """``graph`` to be drawn with ``options`` for the browser (the function returned
        runs Graphviz and returns the SVG), each node's derivative line laid out for
        ``reserves``; and the box of each node (-1 for none) when the drawing is collapsed,
        else None."""
        from .. import render
        from ..render.drawing import plan
        from ..render.elements import drawn_nodes
        from ..render.options import resolve
        opts = resolve(graph, options)
        names = DrawnNames(graph, opts.max_label)
        boxes = plan(graph, drawn_nodes(graph, opts), opts).boxes  # (to_svg plans again: linear, cheap)
        box_of = [int(boxes[i][len("scope"):]) if i in boxes else -1 for i in range(len(graph))] if boxes else None
        full = {"caption": False,  # the widget writes its own explanation
                "derivative_placeholder": f"∂{names(graph.output_indices[0])}/∂{{name}} = ?",
                **reserves, **options}
        draw = render.svg_later(graph, **full)
        return (lambda: compact_svg(draw(), names)), box_of

    def _explorer_data(self, graph: Graph, extra_forward: tuple[str, ...] = ()) -> dict[str, Any]:
        opts = self._drawing_options
        return explorer_data(graph, forward_limit=self._forward_limit, extra_forward=extra_forward,
                            digits=opts.digits, max_label=opts.max_label)

    @property
    def _drawing_options(self):
        from ..render.options import resolve
        return resolve(self.graph, self._render_options)  # (checks them too, once per use)

    def _default_wrt(self) -> str:
        sweeps, elements = self._data["sweeps"], self._data.get("elements", {})
        for name in (self.graph.name_of(i) for i in self._data["inputs"]):
            if sweep_key("forward", name) in sweeps:
                return name
            if elements.get(name, {}).get("keys"):  # an array input: its first element
                return name + elements[name]["keys"][0]
        return ""

    def _default_of(self) -> str:
        names = [self.graph.name_of(i) for i in self._data["outputs"]]
        return names[0] if names else ""

    @property
    def _wrt_input(self) -> str:
        """The input ``wrt`` names: itself, or ``W2`` for one element ``W2[1, 2]``."""
        element = split_element(self.graph, self.wrt) if self.wrt else None
        return element[0] if element else self.wrt

    def _sweep(self) -> dict[str, Any] | None:
        key = sweep_key("forward", self.wrt) if self.mode == "forward" else sweep_key("reverse", self.of)
        return self._data["sweeps"].get(key)

    @property
    def data(self) -> dict[str, Any]:
        """The precomputed data the browser replays (see ``graphviz_ad.widget.data``)."""
        return self._data

    @property
    def step_count(self) -> int:
        """Steps in the current sweep (paths in ``"paths"`` mode)."""
        if self.mode == "paths":
            entry = self._data["paths"].get(f"{self._wrt_input}>{self.of}")
            return len(entry["texts"]) if entry else 0
        sweep = self._sweep()
        return len(sweep["steps"]["node"]) if sweep else 0

    @property
    def text(self) -> str:
        """The explanation the widget shows for the current step."""
        if self.mode == "paths":
            entry = self._data["paths"].get(f"{self._wrt_input}>{self.of}")
            if entry is None:
                return "No paths to show: choose an input whose forward sweep is available."
            if not entry["texts"]:
                return entry["sum_text"]
            return entry["texts"][self.step]
        sweep = self._sweep()
        if sweep is None:
            seed = self.wrt if self.mode == "forward" else self.of
            reason = unavailable(self._data, sweep_key(self.mode, seed)) or "; ".join(
                why for key, why in self._data["unavailable"].items() if key.startswith(self.mode + ":")
            ) or f"this graph has no {'inputs' if self.mode == 'forward' else 'outputs'}"
            return f"This sweep is not available: {reason}"
        return sweep["steps"]["text"][self.step]

    # -- validation (runs for values set from Python and from the browser) ---------------
    @traitlets.validate("mode")
    @_rejects
    def _valid_mode(self, proposal):
        mode = proposal["value"]
        if mode not in MODES:
            raise ExplorerError(f"mode={mode!r} is not a mode of the explorer; use one of {', '.join(MODES)}")
        return mode  # (a mode with no sweep to show says why: see ``text``)

    @traitlets.validate("wrt")
    @_rejects
    def _valid_wrt(self, proposal):
        name = proposal["value"]
        inputs = [self.graph.name_of(i) for i in self._data["inputs"]]
        if name == "":  # none chosen: only when no input has a forward sweep
            return name
        element = split_element(self.graph, name)  # "W2[1, 2]": one element of an array input
        if element is None:
            index = self.graph.index_of(name, "wrt")  # NodeLookupError for unknown names
            if name not in inputs:
                raise SeedError(f"wrt={name!r} is a {self.graph.nodes[index].op} node, not an input; "
                                f"a forward sweep starts at an input: {', '.join(inputs)}")
        key = sweep_key("forward", name)
        if key not in self._data["sweeps"]:
            if element is None and name in self._data.get("elements", {}):  # an array: its first element
                first = self._data["elements"][name]["keys"][:1] or ["[" + ", ".join(
                    "0" for _ in self._data["elements"][name]["shape"]) + "]"]
                return self._valid_wrt({"value": name + first[0]})
            self._data = self._explorer_data(self.graph, extra_forward=(name,))  # computed on demand
            if key not in self._data["sweeps"]:
                raise SeedError(f"no forward sweep from {name!r}: {unavailable(self._data, key)}")
        return name

    @traitlets.validate("of")
    @_rejects
    def _valid_of(self, proposal):
        name = proposal["value"]
        outputs = [self.graph.name_of(i) for i in self._data["outputs"]]
        self.graph.index_of(name, "of")
        if name not in outputs:
            raise SeedError(f"of={name!r} is not an output; the explorer starts reverse sweeps at an output: "
                            f"{', '.join(outputs)}")
        # An output whose reverse sweep cannot be shown (an array output needs a seed) is
        # still a valid choice: the widget says why there is nothing to step through.
        return name

    @traitlets.validate("step")
    @_rejects
    def _valid_step(self, proposal):
        step, count = proposal["value"], self.step_count
        if count == 0 and step == 0:
            return 0
        if not -count <= step < count:
            what = "paths" if self.mode == "paths" else f"steps of the {self.mode} sweep"
            raise StepIndexError(f"step={step} is out of range: there are {count} {what} (0…{count - 1})")
        return step % count

    @traitlets.observe("mode", "wrt", "of")
    def _sweep_changed(self, change):
        self.step = 0

    # -- live inputs -----------------------------------------------------------------------
    @traitlets.observe("input_values")
    def _retrace(self, change):
        values = change["new"]
        if not values:
            return
        try:
            graph = self.graph.retrace(**{k: float(v) for k, v in values.items()})
        except (GraphvizADError, ArithmeticError, ValueError) as err:
            self._message = f"could not retrace: {err}"
            return
        self.set_graph(graph, inputs=_finite({**self._inputs, **values}))

    def set_graph(self, graph: Graph, *, inputs: dict[str, float] | None = None) -> None:
        """Show ``graph`` instead (same names expected, e.g. retraced); keeps mode and step."""
        step = self.step
        extra = (self.wrt,) if self.wrt and sweep_key("forward", self.wrt) in self._data["sweeps"] else ()
        self.graph = graph
        with self.hold_sync():
            self._data, self._svg, self._svg_grouped = self._build(graph, extra_forward=extra)
            if inputs is not None:
                self._inputs = inputs
            self._message = ""
            self.step = min(step, max(self.step_count - 1, 0))
            self.send_state("step")

    # -- display and export ----------------------------------------------------------------
    def save_html(self, path: "str | pathlib.Path", *, title: str | None = None) -> pathlib.Path:
        """Write one self-contained HTML page (inline JS, CSS, SVG and data; no network
        request of any kind) that works from ``file://``."""
        from .standalone import save_html
        return save_html(self, path, title=title)

    def to_html(self, *, title: str | None = None) -> str:
        """The kernel-free page as a string (what :meth:`save_html` writes)."""
        from .standalone import page_html
        return page_html(self, title=title)

    def _repr_mimebundle_(self, **kwargs: Any):
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is None:
            return None
        data, metadata = bundle
        # Where no widget manager runs (nbconvert without saved widget state, GitHub,
        # Jupyter Book), the kernel-free page is shown instead, in a sandboxed iframe.
        from .standalone import iframe_html
        data["text/html"] = iframe_html(self)
        return data, metadata

    def __repr__(self) -> str:
        where = f"step {self.step + 1}/{self.step_count}" if self.step_count else "no steps"
        return f"<Explorer {self.mode} of {self.graph!r}: {where}, wrt={self.wrt!r}, of={self.of!r}>"


#: A graph of more drawn nodes than this also gets a drawing grouped by neuron, when that
#: gives between 2 and GROUPED_MAX_BOXES boxes and at most a third as many as nodes.
GROUPED_FROM = 200
GROUPED_MAX_BOXES = 400
# The explorer's drawings run here, while the data's texts are written (Graphviz is a
# subprocess: the thread waits on it without the GIL); two workers draw both drawings at once.
_DRAWING = ThreadPoolExecutor(max_workers=2, thread_name_prefix="graphviz-ad-drawing")


def _reserves(graph: Graph, sweeps: list[Any], names: DrawnNames, digits: int) -> dict[str, dict[int, str]]:
    """For each node, the longest derivative line any of ``sweeps`` writes into it
    (``derivative_reserve``: the texts the data stores, ``sweep_data``) and, for a node
    drawn with a matrix, its widest entry (``entry_reserve``; at least as wide as
    ``-0.000``, for sweeps made later)."""
    widest: dict[int, str] = {}
    entries: dict[int, str] = {}
    for sweep in sweeps:
        seed = names(sweep.seed_index) + sweep.seed_element
        for step in sweep.steps:
            node = step.node.index
            symbol = notation.derivative(sweep.mode, seed, names(node))
            if matrix_shape(step.value) is not None:
                line = f"{symbol} ="
                entries[node] = max((entries.get(node, "-0.000"), *matrix_texts(step.value)), key=len)
            else:
                line = f"{symbol} = {format_value(step.value, digits)}"
            if len(line) > len(widest.get(node, "")):
                widest[node] = line
    return {"derivative_reserve": widest, "entry_reserve": entries}


def _finite(inputs: dict[str, Any]) -> dict[str, float]:
    """The inputs a slider can show: inf and nan have no place on one (nor in JSON)."""
    return {name: float(v) for name, v in inputs.items() if math.isfinite(float(v))}


def _check_controls(graph: Graph) -> dict[str, float]:
    inputs = _finite(graph.scalar_inputs)
    if not inputs:
        raise TraceError("controls=True needs a graph made by ad.trace or ad.parse with number inputs; "
                         "this one cannot be retraced")
    return inputs


def explore(graph: Graph, mode: str = "reverse", wrt: str | None = None, of: str | None = None, *,
            step: int = 0, controls: bool = False, height: int = 460,
            forward_limit: int = FORWARD_SWEEP_LIMIT, **render_options: Any) -> Explorer:
    """An interactive view that steps through the sweeps of ``graph``::

        ex = ad.explore(ad.parse("c = a + b; d = b + 1; e = c * d", a=2, b=1))
        ex.step = 3            # ∂e/∂b = ∂e/∂c·∂c/∂b + ∂e/∂d·∂d/∂b = 2·1 + 3·1 = 5
        ex.save_html("colah.html")

    ``mode`` is ``"reverse"`` (from output ``of``), ``"forward"`` (from input ``wrt``) or
    ``"paths"`` (every path from ``wrt`` to ``of``). ``controls=True`` adds input sliders
    that retrace the graph (live kernel only). Forward sweeps of the first
    ``forward_limit`` inputs are stored; others are computed when chosen (with a kernel).
    Other keyword arguments go to ``graphviz_ad.render.to_svg`` (e.g. ``labels=``).
    """
    return Explorer(graph, mode=mode, wrt=wrt, of=of, step=step, controls=controls, height=height,
                    forward_limit=forward_limit, **render_options)
