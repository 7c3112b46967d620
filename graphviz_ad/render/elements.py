"""One node's or one edge's drawing: its DOT attributes (label, colours, shape, id and
classes) and the HTML-like label markup (node tables, edge labels, scope boxes, captions).

Kind (input / constant / op / output) is shown by shape and border, state (done / current
/ pending) by fill and border style, so both read in greyscale. Every function takes plain
text (already made visible and clipped by ``text``) and escapes it with
:func:`text.markup`. Node tables are built so that each text run is its own table cell;
the returned ``spans`` name those runs in the order ``dot`` writes them as SVG ``<text>``
elements, which is how ``svg.py`` gives the value and derivative texts their ids.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from .. import notation
from ..graph import Edge, Graph
from ..primitives import CONST, INPUT
from . import text
from .highlights import CURRENT, DONE, OFF, PENDING, Highlights
from .options import Options, Theme
from .text import markup

__all__ = [
    "NodeText", "node_table", "edge_label", "caption_label", "caption_box", "count_label", "box_table",
    "title_label", "TITLE_SIZE", "VALUE_SIZE", "EDGE_SIZE", "drawn_nodes", "is_inlined",
    "node_attributes", "edge_attributes", "node_defaults", "edge_defaults",
]


TITLE_SIZE = 14
VALUE_SIZE = 12
EDGE_SIZE = 11
CAPTION_SIZE = 13
NBSP = "&#160;"
# A short blank line under a caption, so that it does not touch the drawing.
CAPTION_GAP = f'<FONT POINT-SIZE="6">{NBSP}</FONT><BR ALIGN="LEFT"/>'
# The blank derivative line of a plain graph: as small as cairo accepts (1 pt makes pango complain).
PLACEHOLDER_SIZE = 2


@dataclass(frozen=True)
class NodeText:
    """The three lines of a node: ``name = expression``, ``= value``, and the derivative.

    The first line is drawn in the node's own font (``fontcolor``, ``fontsize``); the
    others in smaller type.

    ``derivative`` is ``None`` when nothing is known (a plain graph, or a node the sweep
    never visits): the line is then a tiny blank placeholder that keeps its id.
    """

    node_id: str
    name: str
    expression: str
    value: str
    derivative: str | None
    muted_colour: str
    derivative_colour: str
    derivative_bold: bool = False
    read_fill: str | None = None
    read_colour: str | None = None
    small: bool = False
    # A small array written out: (rows, columns) and its entries, row-major.
    value_grid: tuple[tuple[int, int], tuple[str, ...]] | None = None
    derivative_grid: tuple[tuple[int, int], tuple[str, ...]] | None = None
    # A larger array drawn as a heat map under its line: (rows, columns) of blocks and their
    # colours, row-major (HEAT_BLANK: a block a front-end colours in).
    value_heat: tuple[tuple[int, int], tuple[str, ...]] | None = None
    derivative_heat: tuple[tuple[int, int], tuple[str, ...]] | None = None


#: The colour of a heat-map block a front-end colours in (no value the map draws has it).
HEAT_BLANK = "#FEFEFE"
HEAT_BLOCK = 6  # points


def _heat(heat: tuple[tuple[int, int], tuple[str, ...]], colour: str) -> str:
    """A heat map's row of the node's table: small blocks in their colours, framed, in a
    cell of their own size (dot stretches a table to its column's width otherwise)."""
    (rows, cols), colours = heat
    cells = "".join(
        "<TR>" + "".join(f'<TD BGCOLOR="{colours[r * cols + c]}" WIDTH="{HEAT_BLOCK}" HEIGHT="{HEAT_BLOCK}" '
                         'FIXEDSIZE="TRUE"></TD>' for c in range(cols)) + "</TR>"
        for r in range(rows))
    # (the frame's 1 pt each side, and 1 pt to spare: a cell smaller than its content aborts dot)
    width, height = cols * HEAT_BLOCK + 3, rows * HEAT_BLOCK + 3
    return (f'<TR><TD FIXEDSIZE="TRUE" WIDTH="{width}" HEIGHT="{height}" CELLPADDING="0">'
            f'<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0" COLOR="{colour}">{cells}</TABLE>'
            "</TD></TR>")


def _matrix(grid: tuple[tuple[int, int], tuple[str, ...]], colour: str, size: int, bold: bool = False) -> str:
    """A matrix in brackets (lines on the left and right of its entries), entries right-aligned."""
    (rows, cols), entries = grid
    cells = []
    for r in range(rows):
        row = [f'<TD ROWSPAN="{rows}" SIDES="LTB" BORDER="1" WIDTH="3"></TD>'] if r == 0 else []
        for c in range(cols):
            if c:
                row.append('<TD WIDTH="5"></TD>')
            row.append(f'<TD ALIGN="RIGHT">{_font(markup(entries[r * cols + c]), colour, size, bold)}</TD>')
        if r == 0:
            row.append(f'<TD ROWSPAN="{rows}" SIDES="RTB" BORDER="1" WIDTH="3"></TD>')
        cells.append(f"<TR>{''.join(row)}</TR>")
    return (f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0" COLOR="{colour}">'
            f"{''.join(cells)}</TABLE>")


def _beside(left: str, matrix: str) -> str:
    """A line's text and a matrix after it (dot stretches the pair to the node's width: the
    two halves are aligned against each other)."""
    return (f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0">'
            f'<TR><TD ALIGN="RIGHT">{left}</TD><TD ALIGN="LEFT">{matrix}</TD></TR></TABLE>')


def _font(text: str, colour: str, size: int, bold: bool = False) -> str:
    body = f"<B>{text}</B>" if bold else text
    return f'<FONT COLOR="{colour}" POINT-SIZE="{size}">{body}</FONT>'


def node_table(t: NodeText) -> tuple[str, tuple[str | None, ...]]:
    """The label of one node and the roles of its text runs (``"value"``, ``"derivative"``).

    One cell per line; a line made of several runs (bold name, plain expression) is
    centred as a whole by ``dot``, and each run becomes one SVG ``<text>``.
    """
    value_size = VALUE_SIZE - 2 if t.small else VALUE_SIZE
    title = f"<B>{markup(t.name)}</B>"
    spans: list[str | None] = [None]
    if t.expression:
        title += NBSP + "= " + markup(t.expression)
        spans.append(None)
    value_colour = t.read_colour or t.muted_colour
    value_fill = f' BGCOLOR="{t.read_fill}"' if t.read_fill else ""
    if t.value_grid is not None:  # (no "value" text: a what-if page refills numbers only)
        value = _beside(_font("=" + NBSP, value_colour, value_size), _matrix(t.value_grid, value_colour, value_size))
        spans += [None] * (1 + len(t.value_grid[1]))
    else:
        value = (_font("=" + NBSP, value_colour, value_size)
                 + _font(markup(t.value), value_colour, value_size))
        spans += [None, "value"]
    if t.derivative is None:
        derivative = _font(NBSP, t.muted_colour, PLACEHOLDER_SIZE)
    elif t.derivative_grid is not None:
        derivative = _beside(
            _font(markup(t.derivative) + NBSP, t.derivative_colour, value_size, bold=t.derivative_bold),
            _matrix(t.derivative_grid, t.derivative_colour, value_size, bold=t.derivative_bold))
        spans += ["derivative"] + ["entry"] * len(t.derivative_grid[1])
    else:
        derivative = _font(markup(t.derivative), t.derivative_colour, value_size, bold=t.derivative_bold)
    if t.derivative_grid is None or t.derivative is None:
        spans.append("derivative")
    value_heat = _heat(t.value_heat, value_colour) if t.value_heat else ""
    derivative_heat = (_heat(t.derivative_heat, t.derivative_colour)
                       if t.derivative_heat and t.derivative is not None else "")
    rows = (f"<TR><TD>{title}</TD></TR>"
            f'<TR><TD ID="value-{t.node_id}"{value_fill}>{value}</TD></TR>{value_heat}'
            f'<TR><TD ID="deriv-{t.node_id}">{derivative}</TD></TR>{derivative_heat}')
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{rows}</TABLE>>', tuple(spans)


def edge_label(derivative: str, term: str, *, term_colour: str, box: tuple[float, float] | None = None) -> str:
    """An edge's local derivative, and under it the current step's term (if any).

    ``box`` (a pinned frame) fixes the label's size to the one it had in the sweep's
    layout, with the text against the left side, where ``dot`` put the edge.
    """
    # In the edge's own font (fontcolor, fontsize); the leading space keeps text off the edge,
    # which dot routes along the label's left side.
    lines = []
    if derivative:
        lines.append(NBSP + markup(derivative))
    if term:
        lines.append(f'<FONT COLOR="{term_colour}"><B>{NBSP}{markup(term)}</B></FONT>')
    if not lines:
        return ""
    if box is None:
        return f"<{'<BR/>'.join(lines)}>"
    width, height = box
    body = "".join(f'{line}<BR ALIGN="LEFT"/>' for line in lines)
    return (f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0"><TR>'
            f'<TD FIXEDSIZE="TRUE" WIDTH="{width:.0f}" HEIGHT="{height:.0f}" ALIGN="LEFT" VALIGN="TOP" BALIGN="LEFT">'
            f"{body}</TD></TR></TABLE>>")


def caption_label(lines: list[str], colour: str) -> str:
    """The caption over a drawing (the current step's chain rule, a path's product), left-aligned."""
    body = "".join(f'{_font(markup(line), colour, CAPTION_SIZE)}<BR ALIGN="LEFT"/>' for line in lines)
    return f"<{body}{CAPTION_GAP}>"


def caption_box(lines: list[str], colour: str, width: float, height: float) -> str:
    """The caption as a fixed-size box (a pinned frame): left-aligned, top-aligned lines."""
    body = "".join(f'{_font(markup(line), colour, CAPTION_SIZE)}<BR ALIGN="LEFT"/>' for line in lines)
    return (f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0"><TR>'
            f'<TD FIXEDSIZE="TRUE" WIDTH="{width:.0f}" HEIGHT="{height:.0f}" ALIGN="LEFT" VALIGN="TOP" BALIGN="LEFT">'
            f"{body}</TD></TR></TABLE>>")


def count_label(text: str, colour: str) -> str:
    """A short note on an edge (``3 edges`` between collapsed scopes)."""
    return f"<{_font(markup(text), colour, EDGE_SIZE)}>"


def title_label(text: str, colour: str) -> str:
    """The name of a scope, as a cluster's label."""
    return f"<{_font(markup(text), colour, VALUE_SIZE)}>"


def box_table(name: str, lines: list[str], *, colour: str, muted: str) -> str:
    """A collapsed scope: its name and a few lines of counts."""
    rows = [f"<TR><TD>{_font(markup(name), colour, TITLE_SIZE, bold=True)}</TD></TR>"]
    rows += [f"<TR><TD>{_font(markup(line), muted, VALUE_SIZE)}</TD></TR>" for line in lines]
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{"".join(rows)}</TABLE>>'


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


def node_attributes(graph: Graph, index: int, names: text.DrawnNames, theme: Theme, hl: Highlights,
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
    derivative_grid: tuple[tuple[int, int], tuple[str, ...]] | None = None
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
        symbol = notation.derivative(hl.mode or "reverse", names(hl.seed_index) + hl.seed_element, names(index))
        fill = theme.background
        if state == DONE:
            fill = theme.done_fill
            derivative, derivative_grid = _derivative_line(symbol, hl.derivatives[index], opts.digits)
        elif state == CURRENT:
            fill = theme.current_fill
            attrs.update(color=theme.current_border, penwidth=THICK)
            derivative, derivative_grid = _derivative_line(symbol, hl.derivatives[index], opts.digits)
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

    derivative_heat = None
    if state in (DONE, CURRENT):
        derivative_heat = _heat_of(hl.derivatives[index])
    elif derivative is not None and opts.derivative_placeholder is not None:  # for a front-end to colour in
        shape = text.heat_shape(value)
        derivative_heat = None if shape is None else (shape, (HEAT_BLANK,) * (shape[0] * shape[1]))
    entry = opts.entry_reserve.get(index) if opts.entry_reserve else None
    shape = text.matrix_shape(value) if entry is not None and derivative_grid is None else None
    if entry is not None and shape is not None and derivative is not None:  # room for a front-end's matrix
        derivative_grid = (shape, (entry,) * (shape[0] * shape[1]))
    if opts.derivative_reserve and derivative is not None:
        wide = opts.derivative_reserve.get(index)
        if wide is not None and len(wide) > len(derivative):  # room for what a front-end will write
            derivative = wide
    name = "const" if is_inlined(graph, index) else names(index)  # its value is on the next line
    node_text = NodeText(
        node_id=f"n{index}", name=name,
        expression=text.clip(text.expression(graph, index, names), 2 * opts.max_label),
        value=text.value_text(value, opts.digits),
        derivative=derivative, muted_colour=muted,
        derivative_colour=derivative_colour, derivative_bold=derivative_bold,
        read_fill=theme.read_fill if read else None, read_colour=theme.read_text if read else None,
        small=kind == "const",
        value_grid=_grid(value), derivative_grid=derivative_grid,
        value_heat=_heat_of(value), derivative_heat=derivative_heat,
    )
    attrs["label"], spans = node_table(node_text)
    defaults = node_defaults(theme)
    return {key: value for key, value in attrs.items() if defaults.get(key) != value}, spans


def edge_attributes(edge: Edge, names: text.DrawnNames, theme: Theme, hl: Highlights, opts: Options,
                    box: tuple[float, float] | None = None) -> dict[str, str]:
    """The attributes of one edge, including its derivative label (of size ``box`` if given)."""
    edge_id = edge.id  # a property that formats the id: read it once
    attrs: dict[str, str] = {"id": f"edge-{edge_id}"}
    classes = []
    term = hl.terms.get(edge_id)
    derivative = notation.edge_text(edge, opts.labels, opts.digits, names)
    term_text = ""
    if term is not None:
        seed = names(hl.seed_index) + hl.seed_element
        term_text = notation.term_text(hl.mode or "reverse", seed, term, opts.labels, opts.digits, names)
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


def _grid(value: Any) -> tuple[tuple[int, int], tuple[str, ...]] | None:
    shape = text.matrix_shape(value)
    return None if shape is None else (shape, text.matrix_texts(value))


def _heat_of(value: Any) -> tuple[tuple[int, int], tuple[str, ...]] | None:
    shape = text.heat_shape(value)
    return None if shape is None else (shape, text.heat_colours(value))


def _derivative_line(symbol: str, derivative: Any, digits: int) -> tuple[str, tuple | None]:
    """A derivative line: ``∂e/∂c = 2``, or ``∂C/∂W2 =`` and the matrix of a small array."""
    grid = _grid(derivative)
    if grid is not None:
        return f"{symbol} =", grid
    return f"{symbol} = {text.value_text(derivative, digits)}", None
