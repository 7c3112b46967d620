"""Post-processing of ``dot``'s SVG so that it keeps the documented id contract.

``dot`` 2.43 writes every ``-`` as ``&#45;`` and drops the ``ID`` of table cells; this
writes plain ids (``node-n2``, ``edge-e5_0``) and gives the value and derivative
``<text>`` of every node its id (``value-n2``, ``deriv-n2``), using the order in which
``dot`` writes a label's text runs (see ``tables.node_table``).
"""

from __future__ import annotations

from .options import RenderError

__all__ = ["add_ids", "ROLE_PREFIX"]


ROLE_PREFIX = {"value": "value", "derivative": "deriv"}

_NODE_START = '<g id="node-n'
_TEXT = "<text "


def add_ids(svg: str, spans: dict[str, tuple[str | None, ...]]) -> str:
    """``svg`` with plain ids and ids on each node's value and derivative text."""
    # dot writes every "-" as &#45; (so that no comment holds "--"); our DOT names contain no
    # "-", so the plain character is safe everywhere and makes ids greppable.
    svg = svg.replace("&#45;", "-")
    out: list[str] = []
    done = 0
    while True:
        start = svg.find(_NODE_START, done)
        if start < 0:
            break
        name_end = svg.index('"', start + len(_NODE_START))
        node = svg[start + len('<g id="node-'):name_end]
        end = svg.index("</g>", name_end)  # node groups hold no nested <g> (no anchors, no tooltips)
        roles = spans.get(node)
        out.append(svg[done:name_end])
        if roles is None:
            out.append(svg[name_end:end])
        else:
            out.append(_tag(node, svg[name_end:end], roles))
        done = end
    out.append(svg[done:])
    return "".join(out)


def _tag(node: str, body: str, roles: tuple[str | None, ...]) -> str:
    pieces = body.split(_TEXT)
    if len(pieces) - 1 != len(roles):
        raise RenderError(
            f"internal error: node {node} has {len(pieces) - 1} text runs in dot's SVG, "
            f"expected {len(roles)}; please report this with your Graphviz version (dot -V)")
    out = [pieces[0]]
    entry = 0
    for role, piece in zip(roles, pieces[1:]):
        if role == "entry":  # an entry of a derivative matrix: deriv-n5-0, deriv-n5-1, ...
            out.append(f'<text id="deriv-{node}-{entry}" ')
            entry += 1
        else:
            out.append(f'<text id="{ROLE_PREFIX[role]}-{node}" ' if role else _TEXT)
        out.append(piece)
    return "".join(out)
