"""Name scopes and large graphs: clusters for scopes, the node-count policy, collapsed boxes.

A graph drawn in full shows each scope (``with ad.scope("layer1"):``) as a cluster. Above
``max_nodes`` drawn nodes ``dot`` would run for minutes, so the graph is drawn collapsed
(one box per top-level scope, with the edges between boxes merged) or, if that does not
help or ``collapse=False``, a ``GraphTooLargeError`` says how many nodes there are and
what to pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import graphviz

from ..graph import Edge, Graph
from . import labels
from .elements import NORMAL, THICK, edge_attributes, node_attributes
from .errors import GraphTooLargeError
from .frame import CURRENT, DONE, Highlights
from .layout import Layout
from .options import Options
from .tables import box_table, count_label
from .themes import Theme

__all__ = ["Plan", "plan", "scope_clusters", "add_collapsed"]


@dataclass(frozen=True)
class Plan:
    """Whether to collapse, and the note to add to the caption when that was automatic."""

    collapsed: bool
    note: str = ""


def _top_scope(scope: str) -> str:
    return scope.split("/", 1)[0]


def plan(graph: Graph, drawn: list[int], opts: Options) -> Plan:
    """Decide between a full and a collapsed drawing; raise if neither fits ``max_nodes``."""
    count = len(drawn)
    limit = opts.max_nodes
    if opts.collapse is not True and count <= limit:
        return Plan(False)
    if opts.collapse is False:
        raise GraphTooLargeError(
            f"this graph has {count:,} nodes to draw, more than max_nodes={limit:,} (dot would take minutes); "
            f"pass collapse=True to draw one box per name scope, or max_nodes={count} to draw every node anyway",
            count, limit)
    tape = graph.tape
    groups = {_top_scope(tape.scope_of(i)) or f"n{i}" for i in drawn}
    if len(groups) > limit:
        loose = sum(1 for i in drawn if not tape.scope_of(i))
        raise GraphTooLargeError(
            f"this graph has {count:,} nodes to draw, more than max_nodes={limit:,} (dot would take minutes), "
            f"and collapsed by name scope it still has {len(groups):,} boxes ({loose:,} nodes are in no scope); "
            f"group the computation with `with ad.scope(\"name\"):` while tracing, "
            f"or pass max_nodes={count} to draw every node anyway",
            count, limit)
    note = "" if opts.collapse else f"Collapsed by scope: {count:,} nodes is more than max_nodes={limit:,}"
    return Plan(True, note)


def scope_clusters(graph: Graph, drawn: list[int]) -> list[str]:
    """Every scope path that needs a cluster (including parents of nested scopes),
    in order of first appearance; the position in this list numbers the cluster."""
    seen: dict[str, None] = {}
    tape = graph.tape
    for i in drawn:
        scope = tape.scope_of(i)
        if scope:
            parts = scope.split("/")
            for depth in range(1, len(parts) + 1):
                seen.setdefault("/".join(parts[:depth]), None)
    return list(seen)


def add_collapsed(dot: graphviz.Digraph, graph: Graph, drawn: list[int], names: labels.Names,
                  theme: Theme, hl: Highlights, opts: Options, pins: Layout) -> dict[str, tuple[str | None, ...]]:
    """Draw one box per top-level scope and the nodes outside scopes; return text-run roles
    of the individual nodes (boxes have no value or derivative line)."""
    tape = graph.tape
    group: dict[int, str] = {}
    members: dict[str, list[int]] = {}
    box_names: dict[str, str] = {}  # top-level scope -> DOT name "scope<k>"
    for i in drawn:
        top = _top_scope(tape.scope_of(i))
        if top:
            key = box_names.setdefault(top, f"scope{len(box_names)}")
            members.setdefault(key, []).append(i)
        else:
            key = f"n{i}"
        group[i] = key

    scope_of_box = {key: top for top, key in box_names.items()}
    spans: dict[str, tuple[str | None, ...]] = {}
    emitted: set[str] = set()
    for i in drawn:
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
    for i in drawn:
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
    return {
        # box3d: a stack of nodes, distinct from every single node's shape (also in greyscale)
        "id": f"scope-{key[len('scope'):]}", "class": " ".join(classes), "shape": "box3d", "style": style,
        "fillcolor": fill, "color": colour, "penwidth": penwidth,
        "label": box_table(labels.clip(labels.visible(scope), opts.max_label), lines,
                           colour=theme.text, muted=theme.muted),
    }
