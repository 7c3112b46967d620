"""DOT attributes for one node or one edge: label, colours, shape, id and classes.

Kind (input / constant / op / output) is shown by shape and border, state (done /
current / pending) by fill and border style, so both read in greyscale.
"""

from __future__ import annotations

import functools
from typing import Any

from ..graph import Edge, Graph
from ..primitives import CONST, INPUT
from . import labels
from .frame import CURRENT, DONE, OFF, PENDING, Highlights
from .options import Options
from .tables import EDGE_SIZE, TITLE_SIZE, NodeText, edge_label, node_table
from .themes import Theme

__all__ = ["drawn_nodes", "is_inlined", "node_attributes", "edge_attributes", "node_defaults", "edge_defaults"]

THICK = "2.6"
NORMAL = "1.2"


def is_inlined(graph: Graph, index: int) -> bool:
    """A scalar, unnamed constant: written into the expressions that use it (``d = b + 1``)
    instead of drawn as a node, unless ``show_constants=True``."""
    return graph.tape.ops[index] is CONST and graph.operand_label(index) != graph.name_of(index)


def drawn_nodes(graph: Graph, opts: Options) -> list[int]:
    """Indices of the nodes that get a box, in recording order."""
    if opts.show_constants:
        return list(range(len(graph)))
    return [i for i in range(len(graph)) if not is_inlined(graph, i)]


@functools.lru_cache(maxsize=None)
def node_defaults(theme: Theme) -> dict[str, str]:
    """Attributes every node starts from (each node states only what differs); shared, do not modify."""
    return {"shape": "box", "margin": "0.10,0.05", "color": theme.border, "penwidth": NORMAL,
            "style": "filled", "fillcolor": theme.op_fill, "fontcolor": theme.text, "fontsize": str(TITLE_SIZE)}


@functools.lru_cache(maxsize=None)
def edge_defaults(theme: Theme) -> dict[str, str]:
    """Attributes every edge starts from; shared, do not modify."""
    return {"arrowsize": "0.7", "color": theme.edge, "penwidth": NORMAL, "fontcolor": theme.edge_label,
            "fontsize": str(EDGE_SIZE)}


def node_attributes(graph: Graph, index: int, names: labels.Names, theme: Theme, hl: Highlights,
                    opts: Options) -> tuple[dict[str, str], tuple[str | None, ...]]:
    """The attributes of node ``index`` and the roles of its label's text runs."""
    prim = graph.tape.ops[index]
    kind = "input" if prim is INPUT else "const" if prim is CONST else "op"
    is_output = index in graph.output_indices
    state = hl.state(index) if hl.mode else None
    value = graph.tape.values[index]

    classes = [kind]
    if is_output:
        classes.append("output")
    if state:
        classes.append(state)
    attrs: dict[str, Any] = {"id": f"node-n{index}"}
    style = ["filled"]
    if kind != "op":
        style.append("rounded")
    if is_output:
        attrs["peripheries"] = "2"

    text_colour, muted = theme.text, theme.muted
    derivative_colour, derivative_bold = theme.derivative, False
    derivative: str | None = None
    if state is None:
        fill = {"input": theme.input_fill, "const": theme.const_fill}.get(kind, theme.op_fill)
        if is_output:
            fill = theme.output_fill
        if kind == "const":
            style.append("dashed")
            attrs["color"] = theme.muted
        elif opts.derivative_placeholder is not None:  # room for a front-end to write into
            derivative = opts.derivative_placeholder.replace("{name}", names(index))
            derivative_colour = muted
    else:
        symbol = labels.derivative_symbol(hl.mode, names(hl.seed_index), names(index))
        fill = theme.background
        if state == DONE:
            fill = theme.done_fill
            derivative = f"{symbol} = {labels.value_text(hl.derivatives[index], opts.digits)}"
        elif state == CURRENT:
            fill = theme.current_fill
            attrs.update(color=theme.current_border, penwidth=THICK)
            derivative = f"{symbol} = {labels.value_text(hl.derivatives[index], opts.digits)}"
            derivative_colour, derivative_bold = theme.text, True
        elif state == PENDING:
            style.append("dashed")
            attrs["color"] = theme.pending_border
            derivative, derivative_colour = f"{symbol} = ?", muted
            text_colour = muted
        else:  # OFF: a constant, or a node the reverse sweep never reaches
            style.append("dotted")
            attrs["color"] = theme.pending_border
            text_colour = muted
            if opts.derivative_placeholder is not None and kind != "const":  # another sweep may reach it
                derivative = opts.derivative_placeholder.replace("{name}", names(index))
                derivative_colour = muted
    if index in hl.path_nodes:
        classes.append("path")
        if state != CURRENT:
            attrs.update(color=theme.path, penwidth=THICK)
    read = index in hl.reads
    if read:
        classes.append("read")
    attrs.update(fillcolor=fill, style=",".join(style), fontcolor=text_colour, **{"class": " ".join(classes)})
    if kind == "const":
        attrs["fontsize"] = str(TITLE_SIZE - 3)

    name = "const" if is_inlined(graph, index) else names(index)  # its value is on the next line
    text = NodeText(
        node_id=f"n{index}", name=name,
        expression=labels.clip(labels.expression(graph, index, names), 2 * opts.max_label),
        value=labels.value_text(value, opts.digits),
        derivative=derivative, muted_colour=muted,
        derivative_colour=derivative_colour, derivative_bold=derivative_bold,
        read_fill=theme.read_fill if read else None, read_colour=theme.read_text if read else None,
        small=kind == "const",
    )
    attrs["label"], spans = node_table(text)
    defaults = node_defaults(theme)
    return {key: value for key, value in attrs.items() if defaults.get(key) != value}, spans


def edge_attributes(edge: Edge, names: labels.Names, theme: Theme, hl: Highlights, opts: Options,
                    box: tuple[float, float] | None = None) -> dict[str, str]:
    """The attributes of one edge, including its derivative label (of size ``box`` if given)."""
    edge_id = edge.id  # a property that formats the id: read it once
    attrs: dict[str, str] = {"id": f"edge-{edge_id}"}
    classes = []
    term = hl.terms.get(edge_id)
    derivative = labels.edge_text(edge, names, opts.labels, opts.digits)
    term_text = ""
    if term is not None:
        term_text = labels.term_text(hl.mode, names(hl.seed_index), term, names, opts.labels, opts.digits)
    if not edge.differentiable:
        classes.append("const")
        attrs.update(style="dashed", color=theme.muted)
    elif hl.mode and hl.state(edge.dst_index) == OFF:
        attrs["color"] = theme.muted
    if edge_id in hl.path_edges:
        classes.append("path")
        attrs.update(color=theme.path, penwidth=THICK)
    if term is not None:
        classes.append("term")
        attrs.update(color=theme.term, penwidth=THICK)
    label = edge_label(derivative, term_text, term_colour=theme.term, box=box)
    if label:
        attrs["label"] = label
    if classes:
        attrs["class"] = " ".join(classes)
    defaults = edge_defaults(theme)
    return {key: value for key, value in attrs.items() if defaults.get(key) != value}
