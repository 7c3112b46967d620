"""The whole drawing as a ``graphviz.Digraph``: a graph, a step of a sweep or a
highlighted path, in full (scopes as clusters) or collapsed (one box per top-level scope).

``build`` returns a ``Drawing``: the Digraph (through the graphviz package, never
hand-formatted DOT) and, per node, the roles of its label's text runs, which ``svg.py``
needs to give the value and derivative texts their ids. Everything is emitted in recording
order, so the same graph always gives the same DOT. Given a ``Layout``, every node, edge
and cluster is pinned to it, for ``neato -n2``. Above ``max_nodes`` drawn nodes ``dot``
would run for minutes, so the graph is drawn collapsed (edges between boxes merged) or, if
that does not help or ``collapse=False``, a ``GraphTooLargeError`` says how many nodes
there are and what to pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import graphviz

from ..graph import Edge, Graph
from . import text
from .elements import (
    NORMAL,
    THICK,
    box_table,
    caption_box,
    caption_label,
    count_label,
    drawn_nodes,
    edge_attributes,
    edge_defaults,
    node_attributes,
    node_defaults,
    title_label,
)
from .engine import Layout, check
from .highlights import CURRENT, DONE, Highlights
from .options import FONT, THEMES, GraphTooLargeError, Options, Theme

__all__ = ["Plan", "plan", "box_keys", "neuron_groups", "scope_clusters", "add_collapsed", "Drawing", "build", "GRAPH_NAME"]


@dataclass(frozen=True)
class Plan:
    """Whether to collapse, the note to add to the caption when that was automatic, and
    for a collapsed drawing the box of each node in one (see :func:`box_keys`)."""

    collapsed: bool
    note: str = ""
    boxes: dict[int, str] | None = None


def _top_scope(scope: str) -> str:
    return scope.split("/", 1)[0]


def plan(graph: Graph, drawn: list[int], opts: Options) -> Plan:
    """Decide between a full and a collapsed drawing; raise if neither fits ``max_nodes``."""
    count = len(drawn)
    limit = opts.max_nodes
    if opts.collapse == "neurons":
        boxes = box_keys(graph, drawn, opts)
        total = len(set(boxes.values())) + len(drawn) - len(boxes)
        return Plan(True, "", boxes) if total <= limit else _too_many_groups(count, limit, total)
    if opts.collapse is not True and count <= limit:
        return Plan(False)
    if opts.collapse is False:
        raise GraphTooLargeError(
            f"this graph has {count:,} nodes to draw, more than max_nodes={limit:,} (dot would take minutes); "
            f"pass collapse=True to draw one box per name scope, or max_nodes={count} to draw every node anyway",
            count, limit)
    boxes = box_keys(graph, drawn, opts)
    loose = len(drawn) - len(boxes)
    total = len(set(boxes.values())) + loose
    if total > limit:
        raise GraphTooLargeError(
            f"this graph has {count:,} nodes to draw, more than max_nodes={limit:,} (dot would take minutes), "
            f"and collapsed by name scope it still has {total:,} boxes ({loose:,} nodes are in no scope); "
            f"group the computation with `with ad.scope(\"name\"):` while tracing, "
            f"or pass max_nodes={count} to draw every node anyway",
            count, limit)
    note = "" if opts.collapse else f"Collapsed by scope: {count:,} nodes is more than max_nodes={limit:,}"
    return Plan(True, note, boxes)


def box_keys(graph: Graph, drawn: list[int], opts: Options) -> dict[int, str]:
    """The box of each node in a collapsed drawing, {node: "scope<k>"}, boxes numbered in
    order of their first node (SVG id ``scope-<k>``); a node drawn on its own is absent. One
    box per top-level scope, or with ``collapse="neurons"`` per neuron (:func:`neuron_groups`)."""
    if opts.collapse == "neurons":
        return neuron_groups(graph, drawn)
    tape = graph.tape
    keys: dict[str, str] = {}
    boxes: dict[int, str] = {}
    for count, i in enumerate(drawn):
        if not count % 256:
            check(f"a graph of {len(drawn):,} nodes")
        top = _top_scope(tape.scope_of(i))
        if top:
            boxes[i] = keys.setdefault(top, f"scope{len(keys)}")
    return boxes


def _too_many_groups(count: int, limit: int, groups: int) -> Plan:
    raise GraphTooLargeError(
        f"this graph has {count:,} nodes to draw, more than max_nodes={limit:,}, and grouped into neurons it "
        f"still has {groups:,} boxes; pass max_nodes={count} to draw every node anyway", count, limit)


# The ops drawn inside their one user's box by collapse="neurons" (a neuron's arithmetic).
_FOLDED = frozenset({"input", "const", "add", "sub", "mul", "div", "neg", "pos", "sum", "matmul", "dot", "mean"})


def neuron_groups(graph: Graph, drawn: list[int]) -> dict[int, str]:
    """``collapse="neurons"``: an input or an arithmetic node (+ − × ÷ and the like) whose
    value one other node alone uses is drawn in that node's box, so a scalar network's neuron
    (its weights, products, sum and bias, up to its activation) is one box; a function (tanh,
    σ, relu, exp …) starts a box of its own. Returns {node: box key "scope<k>"} for the nodes
    in boxes of two or more (numbered in order of their first node); the others are drawn on
    their own."""
    drawn_set = set(drawn)
    outputs = set(graph.output_indices)
    root: dict[int, int] = {}
    for count, i in enumerate(reversed(drawn)):  # consumers are recorded after what they use
        if not count % 256:
            check(f"a graph of {len(drawn):,} nodes")
        users = {dst for dst, _ in graph.consumers(i) if dst in drawn_set}
        folds = len(users) == 1 and i not in outputs and graph.tape.ops[i].name in _FOLDED
        root[i] = root[next(iter(users))] if folds else i
    sizes: dict[int, int] = {}
    for r in root.values():
        sizes[r] = sizes.get(r, 0) + 1
    keys: dict[int, str] = {}
    groups: dict[int, str] = {}
    for i in drawn:
        r = root[i]
        if sizes[r] > 1:
            groups[i] = keys.setdefault(r, f"scope{len(keys)}")
    return groups


def scope_clusters(graph: Graph, drawn: list[int]) -> list[str]:
    """Every scope path that needs a cluster (including parents of nested scopes),
    in order of first appearance; the position in this list numbers the cluster."""
    seen: dict[str, None] = {}
    tape = graph.tape
    for count, i in enumerate(drawn):
        if not count % 256:
            check(f"a graph of {len(drawn):,} nodes")
        scope = tape.scope_of(i)
        if scope:
            parts = scope.split("/")
            for depth in range(1, len(parts) + 1):
                seen.setdefault("/".join(parts[:depth]), None)
    return list(seen)


def add_collapsed(dot: graphviz.Digraph, graph: Graph, drawn: list[int], boxes: dict[int, str],
                  names: text.DrawnNames, theme: Theme, hl: Highlights, opts: Options,
                  pins: Layout) -> dict[str, tuple[str | None, ...]]:
    """Draw one box per entry of ``boxes`` (:func:`box_keys`) and the other nodes on their
    own; return text-run roles of the individual nodes (boxes have no value or derivative line)."""
    tape = graph.tape
    group = {i: boxes.get(i, f"n{i}") for i in drawn}
    members: dict[str, list[int]] = {}
    for i in drawn:
        if i in boxes:
            members.setdefault(boxes[i], []).append(i)
    if opts.collapse == "neurons":  # a neuron's box is titled by the node it computes (its last): "v987: tanh"
        scope_of_box = {key: f"{names(m[-1])}: {tape.ops[m[-1]].name}" for key, m in members.items()}
    else:
        scope_of_box = {key: _top_scope(tape.scope_of(m[0])) for key, m in members.items()}
    spans: dict[str, tuple[str | None, ...]] = {}
    emitted: set[str] = set()
    for count, i in enumerate(drawn):
        if not count % 256:
            check(f"a graph of {len(drawn):,} nodes")
        key = group[i]
        if key in emitted:
            continue
        emitted.add(key)
        if key.startswith("n"):
            attrs, spans[key] = node_attributes(graph, i, names, theme, hl, opts)
            dot.node(key, **attrs, **pins.node(key))
        else:
            dot.node(key, **_box_attributes(key, scope_of_box[key], members[key], theme, hl, opts), **pins.node(key))

    merged: dict[tuple[str, str], list[Edge]] = {}
    for count, i in enumerate(drawn):
        if not count % 256:
            check(f"a graph of {len(drawn):,} nodes")
        for edge in _edges_into(graph, i):
            src = edge.src.index
            if src not in group:
                continue
            tail, head = group[src], group[i]
            if tail == head and not tail.startswith("n"):
                continue  # inside one box
            if tail.startswith("n") and head.startswith("n"):
                attrs = edge_attributes(edge, names, theme, hl, opts, pins.label_boxes.get(f"edge-{edge.id}"))
                dot.edge(tail, head, **attrs, **pins.edge(attrs["id"]))
            else:
                merged.setdefault((tail, head), []).append(edge)
    for (tail, head), edges in merged.items():
        attrs = {"id": f"edge-{tail}-{head}", "class": "collapsed"}
        if len(edges) > 1:
            attrs["label"] = count_label(f"{len(edges)} edges", theme.muted)
        if any(e.id in hl.terms for e in edges):
            attrs.update(color=theme.term, penwidth=THICK)
        elif any(e.id in hl.path_edges for e in edges):
            attrs.update(color=theme.path, penwidth=THICK)
        dot.edge(tail, head, **attrs, **pins.edge(attrs["id"]))
    return spans


def _edges_into(graph: Graph, index: int) -> list[Edge]:
    return [Edge(graph, index, slot) for slot in range(len(graph.tape.args_of(index)))]


def _box_attributes(key: str, scope: str, member_indices: list[int], theme: Theme, hl: Highlights,
                    opts: Options) -> dict[str, str]:
    lines = [f"{len(member_indices):,} nodes"]
    fill, colour, penwidth, style = theme.cluster_fill, theme.border, NORMAL, "filled"
    classes = ["scope"]
    if hl.mode:
        states = [hl.state(i) for i in member_indices]
        visited = sum(1 for s in states if s != "off")
        done = sum(1 for s in states if s in (DONE, CURRENT))
        lines.append(f"{done:,} of {visited:,} {'tangents' if hl.mode == 'forward' else 'adjoints'} known")
        if CURRENT in states:
            fill, colour, penwidth = theme.current_fill, theme.current_border, THICK
            classes.append("current")
        elif visited and done == visited:
            fill = theme.done_fill
            classes.append("done")
        else:
            style += ",dashed"
            classes.append("pending")
    elif opts.derivative_placeholder is not None:  # room for a front-end to count the sweep's progress
        n = len(member_indices)
        lines.append(f"{n:,} of {n:,} adjoints known")
    return {
        # box3d: a stack of nodes, distinct from every single node's shape (also in greyscale)
        "id": f"scope-{key[len('scope'):]}", "class": " ".join(classes), "shape": "box3d", "style": style,
        "fillcolor": fill, "color": colour, "penwidth": penwidth,
        "label": box_table(text.clip(text.visible(scope), opts.max_label), lines,
                           colour=theme.text, muted=theme.muted),
    }


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
    names = text.DrawnNames(graph, opts.max_label)
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
        spans = add_collapsed(dot, graph, drawn, decision.boxes or {}, names, theme, hl, opts, pins)
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


def _caption(hl: Highlights, names: text.DrawnNames, opts: Options, note: str) -> list[str]:
    if opts.caption is False:
        return [note] if note else []
    if isinstance(opts.caption, str):
        lines = [text.clip(text.visible(opts.caption), text.CAPTION_LIMIT)]
    else:
        lines = list(hl.captions)
        if hl.path is not None:
            lines.append(text.path_caption(hl.path, names, opts.digits))
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


def _add_full(dot: graphviz.Digraph, graph: Graph, drawn: list[int], names: text.DrawnNames, theme: Theme,
              hl: Highlights, opts: Options, pins: Layout) -> dict[str, tuple[str | None, ...]]:
    scopes = scope_clusters(graph, drawn)
    clusters = {scope: _cluster(k, scope, theme, opts, pins) for k, scope in enumerate(scopes)}
    spans: dict[str, tuple[str | None, ...]] = {}
    tape = graph.tape
    for count, i in enumerate(drawn):
        if not count % 256:
            check(f"a graph of {len(drawn):,} nodes")
        attrs, spans[f"n{i}"] = node_attributes(graph, i, names, theme, hl, opts)
        scope = tape.scope_of(i)
        (clusters[scope] if scope else dot).node(f"n{i}", **attrs, **pins.node(f"n{i}"))
    # Nested clusters: attach the deepest first, so each is complete when it is copied into its parent.
    position = {scope: k for k, scope in enumerate(scopes)}
    for scope in sorted(scopes, key=lambda s: (-s.count("/"), position[s])):
        parent = scope.rpartition("/")[0]
        (clusters[parent] if parent else dot).subgraph(clusters[scope])
    drawn_set = set(drawn)
    for count, i in enumerate(drawn):
        if not count % 256:
            check(f"a graph of {len(drawn):,} nodes")
        for slot, src in enumerate(tape.args_of(i)):
            if src in drawn_set:
                edge = Edge(graph, i, slot)
                attrs = edge_attributes(edge, names, theme, hl, opts, pins.label_boxes.get(f"edge-{edge.id}"))
                dot.edge(f"n{src}", f"n{i}", **attrs, **pins.edge(attrs["id"]))
    return spans


def _cluster(number: int, scope: str, theme: Theme, opts: Options, pins: Layout) -> graphviz.Digraph:
    title = text.clip(text.visible(scope.rpartition("/")[2]), opts.max_label)
    name = f"cluster_{number}"
    return graphviz.Digraph(name=name, graph_attr={
        "id": f"cluster-{number}", "class": "scope", "label": title_label(title, theme.muted),
        "style": "rounded,filled", "fillcolor": theme.cluster_fill, "color": theme.cluster_border,
        # labelloc is in layout coordinates: "b" is the top of the picture when rankdir=BT
        "labeljust": "l", "labelloc": "b" if opts.rankdir == "BT" else "t", **pins.cluster(name),
    })
