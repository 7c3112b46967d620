"""Frames: a Graph and its sweeps as one compact, JSON-able description for the Explorer.

The browser lays the SVG out once and replays every step from this data, so its size is
O(nodes + edges + steps): nodes and edges once, then per step only indices and short
display texts. The chain-rule explanation of a step is the engine's own ``Step.text``.

Layout of the dict made by :func:`build_frames` (lists rather than dicts keep it small)::

    nodes:  [[name, kind, op, value_text], ...]            node i is SVG ``node-n<i>``
    edges:  [[dst, slot, src, formula, partial_text, differentiable], ...]
                                                           edge j is SVG ``edge-e<dst>_<slot>``
    inputs, outputs: node indices
    sweeps: {"forward:<input>" | "reverse:<output>":
               {mode, seed, seed_name, cost, steps: [[node, value_text, symbol, text,
                                                        [[edge_j, partial, factor, product], ...],
                                                        [read node, ...]], ...]}}
    unavailable: {"forward:<input>": reason, ...}        sweeps not precomputed, and why
    paths:  {"<src>><dst>": {count, listed, sum_text, paths: [[[edge_j, ...], route, factors], ...],
                               forward_text, reverse_text}}
    cost:   {inputs, outputs, edges, forward_total, reverse_per_output}
"""

from __future__ import annotations

from typing import Any

from ..errors import PathLimitError, SeedError
from ..formatting import format_value
from ..graph import Graph
from ..notation import derivative as derivative_symbol
from ..render import DrawnNames as Names

__all__ = [
    "FORMAT_VERSION", "FORWARD_SWEEP_LIMIT", "REVERSE_SWEEP_LIMIT", "PATH_LIST_LIMIT",
    "build_frames", "sweep_frames", "sweep_key",
]

FORMAT_VERSION = 1
#: Forward sweeps precomputed (one per input, in input order). Beyond this, a live kernel
#: computes the chosen input's sweep on demand; a kernel-free page lists the others as
#: unavailable. Each forward sweep costs as much data as the whole reverse sweep.
FORWARD_SWEEP_LIMIT = 16
#: Reverse sweeps precomputed (one per output), on the same terms.
REVERSE_SWEEP_LIMIT = 16
#: Paths listed per (input, output) pair; above it only their number is shown (the number
#: of paths grows exponentially with depth, which is the point of sweeps).
PATH_LIST_LIMIT = 64


def sweep_key(mode: str, name: str) -> str:
    """``"forward:b"`` / ``"reverse:e"``: how sweeps are keyed in the frames dict."""
    return f"{mode}:{name}"


def sweep_frames(graph: Graph, sweep: Any, edge_index: dict[tuple[int, int], int], *,
                 digits: int = 4, max_label: int = 40) -> dict[str, Any]:
    """One sweep as ``{mode, seed, seed_name, cost, steps}`` (see the module docstring).

    The symbol (``∂e/∂c``) is written into the drawing, so it uses the names as drawn:
    made visible and clipped to ``max_label``, like the static figure's."""
    names = Names(graph, max_label)
    seed = names(sweep.seed_index)
    steps = []
    for step in sweep.steps:
        terms = [[edge_index[(term.edge.dst_index, term.edge.slot)], format_value(term.partial, digits),
                  format_value(term.factor, digits), format_value(term.product, digits)] for term in step.terms]
        symbol = derivative_symbol(sweep.mode, seed, names(step.node.index))
        steps.append([step.node.index, format_value(step.value, digits), symbol, step.text_with(digits), terms,
                      [node.index for node in step.reads]])
    return {"mode": sweep.mode, "seed": sweep.seed_index, "seed_name": sweep.seed_name,
            "cost": sweep.cost, "steps": steps}


def _edges(graph: Graph, digits: int) -> tuple[list[list[Any]], dict[tuple[int, int], int]]:
    rows: list[list[Any]] = []
    index: dict[tuple[int, int], int] = {}
    for edge in graph.edges:
        index[(edge.dst_index, edge.slot)] = len(rows)
        rows.append([edge.dst_index, edge.slot, edge.src_index,
                     edge.formula, format_value(edge.partial, digits), int(edge.differentiable)])
    return rows, index


def _path_frames(graph: Graph, src: int, dst: int, edge_index: dict[tuple[int, int], int],
                 limit: int, digits: int) -> dict[str, Any]:
    src_node, dst_node = graph.nodes[src], graph.nodes[dst]
    count = graph.count_paths(src_node, dst_node)
    entry: dict[str, Any] = {"src": src, "dst": dst, "count": count, "paths": [], "sum_text": ""}
    try:
        paths = graph.paths(src_node, dst_node, limit=limit)
    except PathLimitError:
        entry["listed"] = False
        return entry
    entry["listed"] = True
    for path in paths:
        route = " → ".join(node.name for node in path.nodes)
        factors = "·".join(format_value(edge.partial, digits) for edge in path.edges)
        entry["paths"].append([[edge_index[(e.dst_index, e.slot)] for e in path.edges], route,
                               f"{factors} = {format_value(path.product, digits)}"])
    products = [path.product for path in paths]
    if paths and all(p is not None for p in products):
        symbol = f"∂{graph.name_of(dst)}/∂{graph.name_of(src)}"
        shown = " + ".join(format_value(p, digits) for p in products)
        entry["sum_text"] = f"{symbol} = {shown} = {format_value(sum(products), digits)}"
    return entry


def build_frames(graph: Graph, *, title: str | None = None,
                 forward_limit: int = FORWARD_SWEEP_LIMIT, reverse_limit: int = REVERSE_SWEEP_LIMIT,
                 path_limit: int = PATH_LIST_LIMIT, extra_forward: tuple[str, ...] = (),
                 digits: int = 4, max_label: int = 40) -> dict[str, Any]:
    """Precompute every sweep the Explorer can show, as a JSON-able dict.

    Forward sweeps for the first ``forward_limit`` inputs (plus any named in
    ``extra_forward``), reverse sweeps for the first ``reverse_limit`` outputs, and the
    paths of every (precomputed input, precomputed output) pair. ``digits`` and
    ``max_label`` are the drawing's options of those names, so both show the same.
    """
    edges, edge_index = _edges(graph, digits)
    nodes = [[node.name, node.kind, node.op, format_value(node.value, digits)] for node in graph.nodes]
    inputs = list(graph.input_indices)
    outputs = list(dict.fromkeys(graph.output_indices))
    sweeps: dict[str, Any] = {}
    unavailable: dict[str, str] = {}

    forward_inputs = [i for k, i in enumerate(inputs) if k < forward_limit or graph.name_of(i) in extra_forward]
    for i in inputs:
        key = sweep_key("forward", graph.name_of(i))
        if i not in forward_inputs:
            unavailable[key] = (f"only the first {forward_limit} inputs' forward sweeps are stored "
                                "in this page; choose this input with a running kernel")
            continue
        try:
            sweeps[key] = sweep_frames(graph, graph.forward(wrt=graph.name_of(i)), edge_index,
                                       digits=digits, max_label=max_label)
        except SeedError as err:  # e.g. an array input, which needs an explicit seed
            unavailable[key] = str(err)
    for k, i in enumerate(outputs):
        key = sweep_key("reverse", graph.name_of(i))
        if k >= reverse_limit:
            unavailable[key] = f"only the first {reverse_limit} outputs' reverse sweeps are stored in this page"
            continue
        try:
            sweeps[key] = sweep_frames(graph, graph.reverse(of=graph.name_of(i)), edge_index,
                                       digits=digits, max_label=max_label)
        except SeedError as err:
            unavailable[key] = str(err)

    paths: dict[str, Any] = {}
    for i in forward_inputs:
        for o in outputs[:reverse_limit]:
            entry = _path_frames(graph, i, o, edge_index, path_limit, digits)
            forward = sweeps.get(sweep_key("forward", graph.name_of(i)))
            reverse = sweeps.get(sweep_key("reverse", graph.name_of(o)))
            # How each sweep arrives at the same sum: its step at the other end of the paths.
            entry["forward_text"] = next((s[3] for s in forward["steps"] if s[0] == o), "") if forward else ""
            entry["reverse_text"] = next((s[3] for s in reverse["steps"] if s[0] == i), "") if reverse else ""
            paths[f"{graph.name_of(i)}>{graph.name_of(o)}"] = entry

    edge_total = graph.differentiable_edge_count
    reverse_costs = {graph.name_of(o): sweeps[sweep_key("reverse", graph.name_of(o))]["cost"]
                     for o in outputs if sweep_key("reverse", graph.name_of(o)) in sweeps}
    return {
        "version": FORMAT_VERSION,
        "title": title if title is not None else (graph.expression or graph.function_name or "graph"),
        "nodes": nodes,
        "edges": edges,
        "inputs": inputs,
        "outputs": outputs,
        "sweeps": sweeps,
        "unavailable": unavailable,
        "paths": paths,
        "cost": {"inputs": len(inputs), "outputs": len(outputs), "edges": edge_total,
                 "forward_total": len(inputs) * edge_total, "reverse": reverse_costs},
        "limits": {"forward": forward_limit, "reverse": reverse_limit, "paths": path_limit},
    }
