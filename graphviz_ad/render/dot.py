"""Building the ``graphviz.Digraph`` for a graph, a sweep frame or a highlighted path.

``build`` returns a ``Drawing``: the Digraph (through the graphviz package, never
hand-formatted DOT) and, per node, the roles of its label's text runs, which ``svg.py``
needs to give the value and derivative texts their ids. Everything is emitted in recording
order, so the same graph always gives the same DOT. Given a ``Layout`` (``layout.py``),
every node, edge and cluster is pinned to it, for ``neato -n2``.
"""

from __future__ import annotations

from dataclasses import dataclass

import graphviz

from ..graph import Edge, Graph
from . import labels
from .collapse import add_collapsed, plan, scope_clusters
from .elements import drawn_nodes, edge_attributes, edge_defaults, node_attributes, node_defaults
from .frame import Highlights
from .layout import Layout
from .options import Options
from .tables import caption_box, caption_label, title_label
from .themes import FONT, THEMES, Theme

__all__ = ["Drawing", "build", "GRAPH_NAME"]

GRAPH_NAME = "graphviz_ad"
# Above this many boxes dot's network simplex (x positions) and crossing minimisation get
# iteration limits: a 1,000-node chain then takes seconds instead of half a minute, and
# deep chains come out as a column instead of a staircase many pages wide.
LARGE_GRAPH = 200
LARGE_GRAPH_LIMITS = {"nslimit": "0.5", "mclimit": "0.5"}
NO_PINS = Layout()


@dataclass(frozen=True)
class Drawing:
    """A Digraph ready for Graphviz, the text-run roles of each node, and how many boxes it has."""

    digraph: graphviz.Digraph
    spans: dict[str, tuple[str | None, ...]]
    node_count: int
    collapsed: bool

    @property
    def what(self) -> str:
        """The drawing's size, for messages: ``a graph of 1,200 nodes``."""
        return f"a graph of {self.node_count:,} {'boxes' if self.collapsed else 'nodes'}"


def build(graph: Graph, opts: Options, hl: Highlights, pins: Layout | None = None) -> Drawing:
    """The drawing of ``graph`` with highlights ``hl``, pinned to ``pins`` if given."""
    theme = THEMES[opts.theme]
    names = labels.Names(graph, opts.max_label)
    drawn = drawn_nodes(graph, opts)
    decision = plan(graph, drawn, opts)
    caption = _caption(hl, names, opts, decision.note)
    dot = graphviz.Digraph(
        name=GRAPH_NAME,
        graph_attr=_graph_attributes(theme, opts, [] if pins else caption, large=len(drawn) > LARGE_GRAPH),
        node_attr={"fontname": FONT, **node_defaults(theme)},
        edge_attr={"fontname": FONT, **edge_defaults(theme)},
    )
    pins = pins or NO_PINS
    if decision.collapsed:
        spans = add_collapsed(dot, graph, drawn, names, theme, hl, opts, pins)
    else:
        spans = _add_full(dot, graph, drawn, names, theme, hl, opts, pins)
    if pins is not NO_PINS:
        _pin_canvas(dot, pins, caption, theme)
    return Drawing(dot, spans, len(drawn), decision.collapsed)


def _graph_attributes(theme: Theme, opts: Options, caption: list[str], large: bool) -> dict[str, str]:
    attrs = {
        "rankdir": opts.rankdir, "bgcolor": theme.background, "fontname": FONT, "fontcolor": theme.text,
        "nodesep": "0.3", "ranksep": "0.35", "pad": "0.15",
    }
    if large:
        attrs.update(LARGE_GRAPH_LIMITS)
    if caption:
        attrs.update(label=caption_label(caption, theme.text), labelloc="t", labeljust="l")
    return attrs


def _caption(hl: Highlights, names: labels.Names, opts: Options, note: str) -> list[str]:
    if opts.caption is False:
        return [note] if note else []
    if isinstance(opts.caption, str):
        lines = [labels.clip(labels.visible(opts.caption), labels.CAPTION_LIMIT)]
    else:
        lines = list(hl.captions)
        if hl.path is not None:
            lines.append(labels.path_caption(hl.path, names, opts.digits))
    return lines + ([note] if note else [])


def _pin_canvas(dot: graphviz.Digraph, pins: Layout, caption: list[str], theme: Theme) -> None:
    """The caption where the layout put it, and two invisible corner points that keep the
    canvas the size of the layout (``neato -n2`` would otherwise shrink it to the nodes)."""
    if caption and pins.caption is not None:
        left, middle, width, height = pins.caption
        dot.node("caption", id="caption", shape="plain", style="solid", pos=f"{left + width / 2:.2f},{middle:.2f}",
                 label=caption_box(caption, theme.text, width, height))
    x0, y0, x1, y1 = pins.bb
    for k, (x, y) in enumerate(((x0, y0), (x1, y1))):
        dot.node(f"corner{k}", id=f"corner-{k}", shape="point", style="invis", width="0.01", height="0.01",
                 pos=f"{x:g},{y:g}")


def _add_full(dot: graphviz.Digraph, graph: Graph, drawn: list[int], names: labels.Names, theme: Theme,
              hl: Highlights, opts: Options, pins: Layout) -> dict[str, tuple[str | None, ...]]:
    scopes = scope_clusters(graph, drawn)
    clusters = {scope: _cluster(k, scope, theme, opts, pins) for k, scope in enumerate(scopes)}
    spans: dict[str, tuple[str | None, ...]] = {}
    tape = graph.tape
    for i in drawn:
        attrs, spans[f"n{i}"] = node_attributes(graph, i, names, theme, hl, opts)
        scope = tape.scope_of(i)
        (clusters[scope] if scope else dot).node(f"n{i}", **attrs, **pins.node(f"n{i}"))
    # Nested clusters: attach the deepest first, so each is complete when it is copied into its parent.
    position = {scope: k for k, scope in enumerate(scopes)}
    for scope in sorted(scopes, key=lambda s: (-s.count("/"), position[s])):
        parent = scope.rpartition("/")[0]
        (clusters[parent] if parent else dot).subgraph(clusters[scope])
    drawn_set = set(drawn)
    for i in drawn:
        for slot, src in enumerate(tape.args_of(i)):
            if src in drawn_set:
                edge = Edge(graph, i, slot)
                attrs = edge_attributes(edge, names, theme, hl, opts, pins.label_boxes.get(f"edge-{edge.id}"))
                dot.edge(f"n{src}", f"n{i}", **attrs, **pins.edge(attrs["id"]))
    return spans


def _cluster(number: int, scope: str, theme: Theme, opts: Options, pins: Layout) -> graphviz.Digraph:
    title = labels.clip(labels.visible(scope.rpartition("/")[2]), opts.max_label)
    name = f"cluster_{number}"
    return graphviz.Digraph(name=name, graph_attr={
        "id": f"cluster-{number}", "class": "scope", "label": title_label(title, theme.muted),
        "style": "rounded,filled", "fillcolor": theme.cluster_fill, "color": theme.cluster_border,
        # labelloc is in layout coordinates: "b" is the top of the picture when rankdir=BT
        "labeljust": "l", "labelloc": "b" if opts.rankdir == "BT" else "t", **pins.cluster(name),
    })
