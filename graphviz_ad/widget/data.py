"""The explorer's data: a Graph and its sweeps as one compact, JSON-able description.

The browser lays the SVG out once and replays every step from this data, so its size is
O(nodes + edges + steps). Lists of one field each ("columns") keep it small and every
field named. All ∂-text is made here, by :mod:`graphviz_ad.notation`, with the names as
the drawing shows them (visible, clipped to ``max_label``): the browser script only displays
text. Made by :func:`explorer_data`::

    version: 2
    title: str
    nodes:  {name: [str], kind: [str], op: [str], value: [str], expression: [str]}
            node i is SVG ``node-n<i>``
            in a graph of arrays also array: [entries | None] (``arrays.array_entries``)
    edges:  {dst: [int], slot: [int], src: [int], formula: [str] (∂c/∂a = b)}   edge j is SVG ``edge-e<dst>_<slot>``
    inputs, outputs: [node index]; input_names, output_names: their whole names (wrt and of)
    sweeps: {"forward:<input>" | "reverse:<output>": {
               mode, seed (node index), seed_name, cost (multiply-adds),
               heading (what the sweep computes), column (the table's derivative header),
               steps: {node: [int], value: [str], symbol: [str] (∂e/∂c), text: [str] (the chain rule),
                       term_edges: [[edge j]], term_texts: [[str]] (null for one term: the text
                       after its first " = "), reads: [[node index]],
                       in a graph of arrays also array: [entries | None] (the derivative's) and
                       operands: [[["d" | "v", node]]] (what the step multiplies: the sweep's
                       derivative at a node, or a node's stored value)},
               layers: {scope: [str], start: [int], stop: [int]} (runs of steps in one scope)}}
    boxes, groups: [box number | -1] per node, or None: the box (SVG id ``scope-<box>``) that
            holds each node in the drawing when it is collapsed, and in the drawing one box per
            neuron (set by ``Explorer``, from ``render.drawing.box_keys``)
    elements: {input name: {shape, keys: [str]}}   an array input's one-element forward sweeps
            stored under "forward:<input>[i, j]" (keys are the "[i, j]" parts, row-major)
    unavailable: {"forward:<input>": reason, ...}   sweeps not precomputed, and why; "forward:*"
            is the reason for every input not named (those beyond the limits), see ``unavailable``
    paths:  {"<input>><output>": {src, dst, count, listed, heading, sum_text,
               edges: [[edge j]], texts: [str], forward_text, reverse_text}}
    cost:   {inputs, outputs, edges, forward_sweeps (one per input entry), forward_total,
             reverse: {output name: multiply-adds}}
    limits: {forward, reverse, paths}
    digits: int
    whatif: None, or for a graph of numbers {ops, args, kinds, values} (``whatif.whatif_spec``);
            then edges also have label (the label's text before its number), and each sweep's
            steps template, slots, term_templates, term_slots (``notation.step_template``)
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING, Any, Callable

import numpy as np

from .. import notation
from ..errors import PathLimitError, SeedError
from ..formatting import format_value
from ..graph import Graph
from ..render import DrawnNames
from ..render.text import clip, expression
from .arrays import array_entries
from .whatif import whatif_spec

if TYPE_CHECKING:
    from ..graph import Edge
    from ..sweeps import Step, Sweep

__all__ = [
    "FORMAT_VERSION", "FORWARD_SWEEP_LIMIT", "REVERSE_SWEEP_LIMIT", "PATH_LIST_LIMIT",
    "ELEMENT_SWEEP_LIMIT", "split_element", "unavailable",
    "explorer_data", "sweep_data", "sweep_key",
]

FORMAT_VERSION = 2
#: Forward sweeps precomputed (one per input, in input order), at most as many as fit in
#: FORWARD_STEP_BUDGET steps (but always one). Beyond this, a live kernel
#: computes the chosen input's sweep on demand; a kernel-free page lists the others as
#: unavailable. Each forward sweep costs as much data as the whole reverse sweep.
FORWARD_SWEEP_LIMIT = 16
FORWARD_STEP_BUDGET = 1_000
#: Reverse sweeps precomputed (one per output), on the same terms.
REVERSE_SWEEP_LIMIT = 16
#: Paths listed per (input, output) pair; above it only their number is shown (the number
#: of paths grows exponentially with depth, which is the point of sweeps).
PATH_LIST_LIMIT = 64
#: One-element forward sweeps of array inputs stored in a page (an array input has no
#: single forward sweep: the learner picks an element). Shared round-robin by the array
#: inputs, and capped so that they hold at most ELEMENT_STEP_BUDGET steps in all.
ELEMENT_SWEEP_LIMIT = 64
ELEMENT_STEP_BUDGET = 20_000


def sweep_key(mode: str, name: str) -> str:
    """``"forward:b"`` / ``"reverse:e"``: how sweeps are keyed in the data."""
    return f"{mode}:{name}"


def sweep_data(graph: Graph, sweep: "Sweep", edge_index: dict[tuple[int, int], int], names: DrawnNames, *,
               digits: int = 4, templates: bool = False) -> dict[str, Any]:
    """One sweep (see the module docstring), its texts written with ``names``; with
    ``templates``, also each text with its numbers as slots, for what-if in the browser."""
    seed = names(sweep.seed_index) + sweep.seed_element
    keys = ["node", "value", "symbol", "text", "term_edges", "term_texts", "reads"]
    if templates:
        keys += ["template", "slots", "term_templates", "term_slots"]
    arrays = graph.tape.has_arrays
    if arrays:
        keys += ["array", "operands"]
    columns: dict[str, list[Any]] = {key: [] for key in keys}
    for step in sweep.steps:
        if templates:
            template, slots = notation.step_template(step, names)
            columns["template"].append(template)
            columns["slots"].append(slots)
            pairs = [notation.term_template(sweep.mode, seed, t, names) for t in step.terms]
            columns["term_templates"].append([text for text, _ in pairs])
            columns["term_slots"].append([slots for _, slots in pairs])
        node = step.node.index
        columns["node"].append(node)
        columns["value"].append(format_value(step.value, digits))
        columns["symbol"].append(notation.derivative(sweep.mode, seed, names(node)))
        columns["text"].append(notation.step_text(step, digits, names))
        columns["term_edges"].append([edge_index[(t.edge.dst_index, t.edge.slot)] for t in step.terms])
        # One term: its text is the step's after "symbol = " (the page takes it from there).
        columns["term_texts"].append(None if len(step.terms) == 1 and not templates else
                                     [notation.term_text(sweep.mode, seed, t, "both", digits, names) for t in step.terms])
        columns["reads"].append([n.index for n in step.reads])
        if arrays:
            columns["array"].append(array_entries(step.value, digits))
            columns["operands"].append(_operands(step))
    if sweep.mode == "forward":
        heading = (f"Forward sweep from input {seed}, in recording order: the tangent d·/d{seed} of every node "
                   f"(the running total over every path from {seed}; ∂ marks one edge's local partial)")
        column = f"d·/d{seed}"
    else:
        heading = f"Reverse sweep from output {seed}: the adjoint ∂{seed}/∂node of every node, in reverse order"
        column = f"∂{seed}/∂·"
    layers = sweep.steps.layers()
    return {"mode": sweep.mode, "seed": sweep.seed_index, "seed_name": seed, "cost": sweep.cost,
            "heading": heading, "column": column, "steps": columns,
            "layers": {"scope": [layer.scope for layer in layers], "start": [layer.start for layer in layers],
                       "stop": [layer.stop for layer in layers]}}


def _operands(step: "Step") -> list[list[Any]]:
    """What a step multiplies, for showing them as arrays: each term's factor (the sweep's
    derivative at the other end of its edge), then the stored values the step reads."""
    seen: list[list[Any]] = []
    for term in step.terms:
        edge = term.edge
        other = edge.dst_index if step.mode == "reverse" else edge.src_index
        if ["d", other] not in seen:
            seen.append(["d", other])
    for node in step.reads:
        if ["v", node.index] not in seen:
            seen.append(["v", node.index])
    return seen


def split_element(graph: Graph, name: str) -> tuple[str, tuple[int, ...]] | None:
    """``"W2[1, 2]"`` → ``("W2", (1, 2))`` when W2 is an array input and [1, 2] one of its
    elements; None for anything else (a whole input's name is never split)."""
    match = _ELEMENT.fullmatch(name)
    if match is None or name in graph.input_names:
        return None
    base, index = match.group(1), tuple(int(k) for k in match.group(2).split(","))
    if base not in graph.input_names:
        return None
    shape = getattr(graph.tape.values[graph.index_of(base)], "shape", ())
    if len(shape) != len(index) or not all(0 <= k < n for k, n in zip(index, shape)):
        return None
    return base, index


_ELEMENT = re.compile(r"(.+)\[(\d+(?:, ?\d+)*)\]")


def _edges(graph: Graph) -> tuple[dict[str, list[Any]], dict[tuple[int, int], int]]:
    columns: dict[str, list[Any]] = {"dst": [], "slot": [], "src": []}
    index: dict[tuple[int, int], int] = {}
    for edge in graph.edges:
        index[(edge.dst_index, edge.slot)] = len(columns["dst"])
        columns["dst"].append(edge.dst_index)
        columns["slot"].append(edge.slot)
        columns["src"].append(edge.src_index)
    return columns, index


def _path_data(graph: Graph, src: int, dst: int, edge_index: dict[tuple[int, int], int], names: DrawnNames,
               limit: int, digits: int) -> dict[str, Any]:
    count = graph.count_paths(graph.nodes[src], graph.nodes[dst])
    source, target = names(src), names(dst)
    entry: dict[str, Any] = {
        "src": src, "dst": dst, "count": count, "edges": [], "texts": [], "sum_text": "",
        "heading": f"Paths from {source} to {target}: ∂{target}/∂{source} is the sum over the paths "
                   "of the product of their edges' local derivatives",
    }
    try:
        paths = graph.paths(graph.nodes[src], graph.nodes[dst], limit=limit)
    except PathLimitError:
        entry["listed"] = False
        return entry
    entry["listed"] = True
    for path in paths:
        entry["edges"].append([edge_index[(e.dst_index, e.slot)] for e in path.edges])
        entry["texts"].append(notation.path_text(path, digits, names, labels="numeric"))
    entry["sum_text"] = notation.path_sum_text(graph, src, dst, paths, digits, names) if paths else ""
    return entry


def explorer_data(graph: Graph, *, title: str | None = None,
                  forward_limit: int = FORWARD_SWEEP_LIMIT, reverse_limit: int = REVERSE_SWEEP_LIMIT,
                  path_limit: int = PATH_LIST_LIMIT, extra_forward: tuple[str, ...] = (),
                  digits: int = 4, max_label: int = 40,
                  on_sweeps: Callable[[list["Sweep"]], None] | None = None) -> dict[str, Any]:
    """Precompute every sweep the Explorer can show, as a JSON-able dict.

    Forward sweeps for the first ``forward_limit`` inputs (plus any named in
    ``extra_forward``), reverse sweeps for the first ``reverse_limit`` outputs, and the
    paths of every (precomputed input, precomputed output) pair. ``digits`` and
    ``max_label`` are the drawing's options of those names, so both show the same (a
    10,000-character name is stored clipped, as it is drawn). ``on_sweeps`` is called with
    the sweeps to be stored before their texts are written (the explorer starts its
    drawing, laid out for them, meanwhile).
    """
    names = DrawnNames(graph, max_label)
    edges, edge_index = _edges(graph)
    inputs = list(graph.input_indices)
    outputs = list(dict.fromkeys(graph.output_indices))
    whatif = whatif_spec(graph)
    unavailable: dict[str, str] = {}
    chosen: dict[str, Sweep] = {}

    # (a 1,000-node graph stores one forward sweep: its page stays within 2 MB, explore() near dot alone)
    forward_limit = min(forward_limit, max(1, FORWARD_STEP_BUDGET // max(1, len(graph))))
    forward_inputs = [i for k, i in enumerate(inputs) if k < forward_limit or graph.name_of(i) in extra_forward]
    for i in inputs:
        key = sweep_key("forward", graph.name_of(i))
        if i not in forward_inputs:  # (one reason for them all, under "forward:*")
            unavailable["forward:*"] = (f"only the first {len(forward_inputs)} inputs' forward sweeps are stored "
                                        "in this page; choose this input with a running kernel")
            continue
        try:
            chosen[key] = graph.forward(wrt=graph.name_of(i))
        except SeedError as err:  # e.g. an array input, which needs an explicit seed
            unavailable[key] = _clipped(str(err))
    elements = _element_sweeps(graph, forward_inputs, extra_forward, chosen)
    for name, entry in elements.items():  # an array input: its elements' sweeps stand for it
        unavailable[sweep_key("forward", name)] = (
            f"{_clipped(names(graph.index_of(name)))} is an array: choose one of its elements" if entry["keys"] else
            f"{_clipped(names(graph.index_of(name)))} is an array and this page has no room for its elements' sweeps; "
            "with a running kernel, choose an element")
    for k, i in enumerate(outputs):
        key = sweep_key("reverse", graph.name_of(i))
        if k >= reverse_limit:
            unavailable[key] = f"only the first {reverse_limit} outputs' reverse sweeps are stored in this page"
            continue
        try:
            chosen[key] = graph.reverse(of=graph.name_of(i))
        except SeedError as err:
            unavailable[key] = _clipped(str(err))
    if on_sweeps is not None:
        on_sweeps(list(chosen.values()))
    templates = whatif is not None  # (an element's sweep is of an array input: no what-if)
    sweeps = {key: sweep_data(graph, sweep, edge_index, names, digits=digits,
                              templates=templates and not sweep.seed_element) for key, sweep in chosen.items()}

    # each edge's local partial with its formula (∂c/∂a = b), for a clicked node's details
    edges["formula"] = [notation.edge_text(edge, "symbolic", digits, names) for edge in graph.edges]
    if whatif is not None:  # what the browser needs to recompute the edge labels too
        edges["label"] = [_edge_label_prefix(edge, names) for edge in graph.edges]
    nodes: dict[str, list[Any]] = {"name": [], "kind": [], "op": [], "value": [], "expression": []}
    arrays = graph.tape.has_arrays
    if arrays:
        nodes["array"] = []
    for node in graph.nodes:
        nodes["name"].append(names(node.index))
        nodes["kind"].append(node.kind)
        nodes["op"].append(node.op)
        nodes["value"].append(format_value(node.value, digits))
        nodes["expression"].append(clip(expression(graph, node.index, names), 2 * max_label))
        if arrays:
            nodes["array"].append(array_entries(node.value, digits))

    paths: dict[str, Any] = {}
    for i in forward_inputs:
        for o in outputs[:reverse_limit]:
            entry = _path_data(graph, i, o, edge_index, names, path_limit, digits)
            forward = sweeps.get(sweep_key("forward", graph.name_of(i)))
            reverse = sweeps.get(sweep_key("reverse", graph.name_of(o)))
            # How each sweep arrives at the same sum: its step at the other end of the paths.
            entry["forward_text"] = _text_at(forward, o)
            entry["reverse_text"] = _text_at(reverse, i)
            paths[f"{graph.name_of(i)}>{graph.name_of(o)}"] = entry

    edge_total = graph.differentiable_edge_count
    # A whole gradient in forward mode takes one sweep per input entry (an array's every element).
    forward_sweeps = sum(max(1, int(np.size(graph.tape.values[i]))) for i in inputs)
    reverse_costs = {graph.name_of(o): sweeps[sweep_key("reverse", graph.name_of(o))]["cost"]
                     for o in outputs if sweep_key("reverse", graph.name_of(o)) in sweeps}
    return {
        "version": FORMAT_VERSION,
        "title": title if title is not None else (graph.expression or graph.function_name or "graph"),
        "nodes": nodes,
        "edges": edges,
        "inputs": inputs,
        "outputs": outputs,
        # the values of wrt and of that Python and the page share: the names, whole
        "input_names": [graph.name_of(i) for i in inputs],
        "output_names": [graph.name_of(i) for i in outputs],
        "sweeps": sweeps,
        "unavailable": unavailable,
        "elements": elements,
        "paths": paths,
        "cost": {"inputs": len(inputs), "outputs": len(outputs), "edges": edge_total,
                 "forward_sweeps": forward_sweeps, "forward_total": forward_sweeps * edge_total,
                 "reverse": reverse_costs},
        "limits": {"forward": forward_limit, "reverse": reverse_limit, "paths": path_limit},
        "digits": digits,
        "whatif": whatif,
    }


def _element_sweeps(graph: Graph, inputs: list[int], extra: tuple[str, ...],
                    chosen: dict[str, "Sweep"]) -> dict[str, Any]:
    """One-element forward sweeps of the array inputs (round-robin, within the limits),
    plus any element named in ``extra``, added to ``chosen``; returns the ``elements``
    index of the data."""
    arrays = [i for i in inputs if np.ndim(graph.tape.values[i]) > 0]
    if not arrays:
        return {}
    budget = min(ELEMENT_SWEEP_LIMIT, ELEMENT_STEP_BUDGET // max(1, len(graph)))
    picked: list[tuple[int, tuple[int, ...]]] = []
    orders = [np.ndindex(*np.shape(graph.tape.values[i])) for i in arrays]
    for row in itertools.zip_longest(*orders):
        for i, index in zip(arrays, row):
            if index is not None and len(picked) < budget:
                picked.append((i, tuple(int(k) for k in index)))
        if len(picked) >= budget:
            break
    for name in extra:
        split = split_element(graph, name)
        if split is not None:
            picked.append((graph.index_of(split[0]), split[1]))
    elements: dict[str, Any] = {}
    for i, index in picked:
        entry = elements.setdefault(graph.name_of(i), {"shape": list(np.shape(graph.tape.values[i])), "keys": []})
        sweep = graph.forward(wrt=graph.name_of(i), index=index)
        key = sweep_key("forward", graph.name_of(i) + sweep.seed_element)
        if key in chosen:
            continue
        chosen[key] = sweep
        entry["keys"].append(sweep.seed_element)
    for i in arrays:
        elements.setdefault(graph.name_of(i), {"shape": list(np.shape(graph.tape.values[i])), "keys": []})
    return elements


def unavailable(data: dict[str, Any], key: str) -> str | None:
    """Why the sweep ``key`` is not in ``data`` (None when nothing says so)."""
    reasons = data["unavailable"]
    return reasons.get(key) or (reasons.get("forward:*") if key.startswith("forward:") else None)


def _edge_label_prefix(edge: "Edge", names: DrawnNames) -> str:
    """An edge label without its number (``∂e/∂c = d``), for the browser to add a new one;
    "" for an edge from a constant, which has no label."""
    label = notation.edge_text(edge, "symbolic", 4, names)
    symbol, _, formula = label.partition(" = ")
    try:
        float(formula.replace("−", "-"))
    except ValueError:
        return label
    return symbol  # (a formula that is a number, "1": the number alone says it)


def _clipped(reason: str) -> str:
    """A reason as the page shows it: a message naming a very long node is cut short."""
    return reason if len(reason) <= 400 else reason[:399] + "…"


def _text_at(sweep: dict[str, Any] | None, node: int) -> str:
    """The chain-rule text of ``sweep``'s step at ``node`` ("" without one)."""
    if sweep is None:
        return ""
    steps = sweep["steps"]
    return next((text for n, text in zip(steps["node"], steps["text"]) if n == node), "")
