"""What-if without a kernel: the description of a scalar graph that ``whatif.js``
recomputes in the browser when a reader edits an input (issue: course pages have no kernel).

Only graphs of numbers built from elementwise ops qualify: their every value, partial,
tangent and adjoint is a number that the browser can recompute with the rules in
``whatif.js``, which restate the registry's and are tested against it.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from ..graph import Graph
from ..primitives import CONST, INPUT

__all__ = ["whatif_spec", "why_no_whatif", "SCRIPT", "WHATIF_NODE_LIMIT"]

#: The browser side, an ES module (its exports: SCALAR_RULES, evaluate, forwardTangents,
#: reverseAdjoints, formatNumber).
SCRIPT = (Path(__file__).parent / "js" / "whatif.js").read_text(encoding="utf-8")


#: Graphs up to this many nodes carry what-if: the number templates roughly double the
#: texts a page stores, which a course graph affords and a 1,000-node network should not.
WHATIF_NODE_LIMIT = 300


def why_no_whatif(graph: Graph) -> str | None:
    """Why the browser cannot recompute ``graph`` (None when it can)."""
    tape = graph.tape
    if len(tape) > WHATIF_NODE_LIMIT:
        return f"the graph has {len(tape):,} nodes, more than the {WHATIF_NODE_LIMIT} a page recomputes"
    for i, op in enumerate(tape.ops):
        value = tape.values[i]
        if type(value) is not float:
            return f"node {graph.name_of(i)} holds an array (what-if works on graphs of numbers)"
        if op is not INPUT and op is not CONST and not op.elementwise:
            return f"node {graph.name_of(i)} is a {op.name}, which the browser does not recompute"
        if not math.isfinite(value):
            return f"node {graph.name_of(i)} is not finite"
    return None


def whatif_spec(graph: Graph) -> dict[str, Any] | None:
    """``{ops, args, kinds, values}`` for ``whatif.js``'s ``evaluate``, or None when
    :func:`why_no_whatif` gives a reason."""
    if why_no_whatif(graph) is not None:
        return None
    tape = graph.tape
    kinds = ["input" if op is INPUT else "const" if op is CONST else "op" for op in tape.ops]
    return {
        "ops": [op.name for op in tape.ops],
        "args": [list(tape.args_of(i)) for i in range(len(tape))],
        "kinds": kinds,
        "values": [tape.values[i] if kinds[i] != "op" else None for i in range(len(tape))],
    }
