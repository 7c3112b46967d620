"""One layout for every frame of a sweep, so that frames line up on consecutive slides.

The envelope of a sweep (every derivative, every chain-rule term, the longest caption;
see ``frame.envelope``) is laid out once by ``dot -Tjson``. Each frame is then drawn at
those positions by ``neato -n2``: nodes keep their size and place, edges their route,
clusters their box, the canvas its size, and the caption its corner, whatever the frame
shows. Layouts are cached per sweep (sweeps are immutable).
"""

from __future__ import annotations

import json
import weakref
from dataclasses import dataclass, field
from typing import Any

from .binary import run_dot
from .errors import RenderError

__all__ = ["Layout", "parse_layout", "layout_of", "cached", "remember"]

# Graphviz puts a graph label this far (in points) from the left edge of its bounding box.
LABEL_MARGIN = 8.0
# Cell padding around an edge label's text (tables.edge_label), both sides together.
LABEL_PADDING = 2.0


@dataclass(frozen=True)
class Layout:
    """Positions from ``dot`` (points, Graphviz coordinates), by DOT node name, edge id and cluster name."""

    nodes: dict[str, dict[str, str]] = field(default_factory=dict)
    edges: dict[str, dict[str, str]] = field(default_factory=dict)
    clusters: dict[str, dict[str, str]] = field(default_factory=dict)
    bb: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    # left, vertical centre, width, height of the caption (points), if there is one
    caption: tuple[float, float, float, float] | None = None
    label_boxes: dict[str, tuple[float, float]] = field(default_factory=dict)  # edge id -> label size

    def node(self, name: str) -> dict[str, str]:
        return self.nodes.get(name, {})

    def edge(self, edge_id: str) -> dict[str, str]:
        return self.edges.get(edge_id, {})

    def cluster(self, name: str) -> dict[str, str]:
        return self.clusters.get(name, {})


def _floats(text: str) -> list[float]:
    return [float(part) for part in text.split(",")]


def parse_layout(raw: bytes) -> Layout:
    """The positions in ``dot -Tjson`` output."""
    try:
        data = json.loads(raw.decode("utf-8"))
        x0, y0, x1, y1 = _floats(data["bb"])
    except (ValueError, KeyError) as err:
        raise RenderError(f"could not read the layout dot produced ({err}); please report this with `dot -V`") from None
    nodes: dict[str, dict[str, str]] = {}
    clusters: dict[str, dict[str, str]] = {}
    for obj in data.get("objects", []):
        if "pos" in obj:
            nodes[obj["name"]] = {"pos": obj["pos"], "width": obj["width"], "height": obj["height"],
                                  "fixedsize": "true"}
        elif "bb" in obj:
            clusters[obj["name"]] = {key: obj[key] for key in ("bb", "lp") if key in obj}
    edges: dict[str, dict[str, str]] = {}
    label_boxes: dict[str, tuple[float, float]] = {}
    for edge in data.get("edges", []):
        if "id" not in edge:
            continue
        edges[edge["id"]] = {key: edge[key] for key in ("pos", "lp") if key in edge}
        box = _label_box(edge.get("_ldraw_", []))
        if box is not None:
            label_boxes[edge["id"]] = box
    caption = None
    if "lp" in data and "lwidth" in data:
        lefts = [op["pt"][0] for op in data.get("_ldraw_", []) if op.get("op") == "T"]
        left = min(lefts) if lefts else x0 + LABEL_MARGIN
        caption = (left, _floats(data["lp"])[1], float(data["lwidth"]) * 72, float(data["lheight"]) * 72)
    return Layout(nodes, edges, clusters, (x0, y0, x1, y1), caption, label_boxes)


def _label_box(ops: list[dict[str, Any]]) -> tuple[float, float] | None:
    """Width and height of an edge label: the extent of its text runs (``T`` operations)."""
    size = 14.0
    left = right = top = bottom = None
    for op in ops:
        if op.get("op") == "F":
            size = float(op["size"])
        elif op.get("op") == "T":
            x, y = op["pt"]
            width = float(op["width"])
            start = {"l": x, "r": x - width}.get(op.get("align"), x - width / 2)
            # a text line spans roughly from a quarter of the font size below its baseline to the size above it
            left = start if left is None else min(left, start)
            right = start + width if right is None else max(right, start + width)
            top = y + size if top is None else max(top, y + size)
            bottom = y - size / 4 if bottom is None else min(bottom, y - size / 4)
    if left is None:
        return None
    return right - left + LABEL_PADDING, top - bottom + LABEL_PADDING


def layout_of(source: str, *, timeout: float, what: str) -> Layout:
    """Lay out the DOT ``source`` with ``dot`` and return the positions."""
    return parse_layout(run_dot(source, "json", timeout=timeout, what=what))


_CACHE: "weakref.WeakKeyDictionary[Any, dict[Any, Layout]]" = weakref.WeakKeyDictionary()


def cached(sweep: Any, key: Any) -> Layout | None:
    return _CACHE.get(sweep, {}).get(key)


def remember(sweep: Any, key: Any, layout: Layout) -> None:
    _CACHE.setdefault(sweep, {})[key] = layout
