"""HTML-like DOT label markup: node tables, edge labels, scope boxes and captions.

Every function takes plain text (already made visible and clipped by ``labels``) and
escapes it with :func:`labels.markup`. Node tables are built so that each text run is
its own table cell; the returned ``spans`` name those runs in the order ``dot`` writes
them as SVG ``<text>`` elements, which is how ``svg.py`` gives the value and derivative
texts their ids.
"""

from __future__ import annotations

from dataclasses import dataclass

from .labels import markup

__all__ = ["NodeText", "node_table", "edge_label", "caption_label", "caption_box", "count_label", "box_table", "title_label",
           "TITLE_SIZE", "VALUE_SIZE", "EDGE_SIZE"]

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
    value = (_font("=" + NBSP, value_colour, value_size)
             + _font(markup(t.value), value_colour, value_size))
    spans += [None, "value"]
    if t.derivative is None:
        derivative = _font(NBSP, t.muted_colour, PLACEHOLDER_SIZE)
    else:
        derivative = _font(markup(t.derivative), t.derivative_colour, value_size, bold=t.derivative_bold)
    spans.append("derivative")
    rows = (f"<TR><TD>{title}</TD></TR>"
            f'<TR><TD ID="value-{t.node_id}"{value_fill}>{value}</TD></TR>'
            f'<TR><TD ID="deriv-{t.node_id}">{derivative}</TD></TR>')
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
