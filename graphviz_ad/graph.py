"""The Graph: an immutable, named view of a finished tape, with nodes, edges and paths.

``Node`` and ``Edge`` are light views (a graph and an index) made on demand. An edge's
``partial`` is the local derivative ∂dst/∂src that the sweeps multiply by, computed by
the same registry rule; ``formula`` is the same derivative as text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

import numpy as np

from . import notation
from .errors import NodeLookupError, PathLimitError
from .formatting import format_operand, format_value
from .primitives import CONST, INPUT, Value, as_value, shape_of
from .tape import NARY, Tape

if TYPE_CHECKING:
    import os
    import pathlib

    from numpy.typing import ArrayLike

    from .sweeps import ForwardSweep, ReverseSweep
    from .tracing import Retrace

__all__ = ["Graph", "Node", "Edge", "Path", "DEFAULT_PATH_LIMIT"]

DEFAULT_PATH_LIMIT = 10_000


class Node:
    """One node of a Graph: an input, a constant, or an op applied to earlier nodes."""

    __slots__ = ("graph", "index")

    def __init__(self, graph: "Graph", index: int) -> None:
        self.graph = graph
        self.index = index

    @property
    def id(self) -> str:
        """Stable identifier (``n7``), used for SVG element ids."""
        return f"n{self.index}"

    @property
    def name(self) -> str:
        return self.graph.name_of(self.index)

    @property
    def op(self) -> str:
        return self.graph.tape.ops[self.index].name

    @property
    def primitive(self):
        return self.graph.tape.ops[self.index]

    @property
    def kind(self) -> str:
        """``"input"``, ``"const"`` or ``"op"``."""
        op = self.graph.tape.ops[self.index]
        return "input" if op is INPUT else "const" if op is CONST else "op"

    @property
    def value(self) -> Value:
        return self.graph.tape.values[self.index]

    @property
    def shape(self) -> tuple[int, ...]:
        return shape_of(self.value)

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.graph.tape.params.get(self.index, {}))

    @property
    def inputs(self) -> tuple["Node", ...]:
        return tuple(Node(self.graph, a) for a in self.graph.tape.args_of(self.index))

    @property
    def edges(self) -> tuple["Edge", ...]:
        """The incoming edges, one per argument slot (``x*x`` has two)."""
        return tuple(Edge(self.graph, self.index, slot) for slot in range(len(self.graph.tape.args_of(self.index))))

    @property
    def scope(self) -> str:
        return self.graph.tape.scope_of(self.index)

    @property
    def is_input(self) -> bool:
        return self.graph.tape.ops[self.index] is INPUT

    @property
    def is_output(self) -> bool:
        return self.index in self.graph.output_indices

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Node) and other.graph is self.graph and other.index == self.index

    def __hash__(self) -> int:
        return hash((id(self.graph), self.index))

    def __repr__(self) -> str:
        return f"<Node {self.graph.equation(self.index)} = {format_value(self.value)}>"


class Edge:
    """The edge into argument ``slot`` of ``dst`` from ``src``, labelled ∂dst/∂src."""

    __slots__ = ("graph", "dst_index", "slot")

    def __init__(self, graph: "Graph", dst_index: int, slot: int) -> None:
        self.graph = graph
        self.dst_index = dst_index
        self.slot = slot

    @property
    def src_index(self) -> int:
        return self.graph.tape.args_of(self.dst_index)[self.slot]

    @property
    def src(self) -> Node:
        return Node(self.graph, self.src_index)

    @property
    def dst(self) -> Node:
        return Node(self.graph, self.dst_index)

    @property
    def id(self) -> str:
        """Stable identifier (``e7_0``: into node 7, argument 0)."""
        return f"e{self.dst_index}_{self.slot}"

    @property
    def differentiable(self) -> bool:
        """False for edges from constants: sweeps do not differentiate with respect to them."""
        return self.src.kind != "const"

    @property
    def partial(self) -> Value | None:
        """∂dst/∂src at the recorded values: a float for scalars, an elementwise array for
        elementwise array ops, the gradient array for a scalar-valued structural op
        (``sum``), and ``None`` where the local Jacobian is not elementwise."""
        return self.graph.local_partial(self.dst_index, self.slot)

    @property
    def formula(self) -> str:
        """The local derivative as text, in terms of the operand names (``d``, ``cos(x)``)."""
        return notation.edge_formula(self)

    def text(self, labels: str = "both", digits: int = 4) -> str:
        """The edge's label: ``∂e/∂c = d = 2`` (``labels="symbolic"``: ``∂e/∂c = d``,
        ``"numeric"``: ``∂e/∂c = 2``); empty for an edge from a constant."""
        return notation.edge_text(self, labels, digits)

    @property
    def reads(self) -> tuple[Node, ...]:
        """The stored forward values this edge's partial needs (what reverse mode keeps)."""
        return tuple(Node(self.graph, i) for i in self.graph.reads_of(self.dst_index, self.slot))

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Edge) and other.graph is self.graph
                and other.dst_index == self.dst_index and other.slot == self.slot)

    def __hash__(self) -> int:
        return hash((id(self.graph), self.dst_index, self.slot))

    def __repr__(self) -> str:
        src = self.graph.operand_label(self.src_index)
        return (f"<Edge {src} → {self.dst.name}: ∂{self.dst.name}/∂{src} = "
                f"{self.formula} = {format_value(self.partial)}>")


class Path:
    """One path of edges from a source node to a target; ``product`` multiplies their partials."""

    __slots__ = ("edges",)

    def __init__(self, edges: tuple[Edge, ...]) -> None:
        self.edges = edges

    @property
    def nodes(self) -> tuple[Node, ...]:
        if not self.edges:
            return ()
        return (self.edges[0].src,) + tuple(edge.dst for edge in self.edges)

    @property
    def product(self) -> float | None:
        """The product of the edge partials (scalar graphs); ``None`` if any is not a number."""
        product = 1.0
        for edge in self.edges:
            partial = edge.partial
            if type(partial) is not float:
                return None
            product *= partial
        return product

    def __len__(self) -> int:
        return len(self.edges)

    def text(self, digits: int = 4, labels: str = "both") -> str:
        """``b → c → e: ∂c/∂b·∂e/∂c = 1·2 = 2`` (``labels="numeric"``: without the symbols)."""
        return notation.path_text(self, digits, labels=labels)

    def __repr__(self) -> str:
        return f"<Path {self.text(labels='numeric')}>"


class Graph:
    """A recorded computation: nodes in recording (topological) order, named, immutable."""

    def __init__(self, tape: Tape, outputs: tuple[int, ...], *, out_structure=None,
                 arg_structures=(), kwarg_structures=None, function_name: str = "") -> None:
        tape.closed = True
        self.tape = tape
        self.output_indices = tuple(outputs)
        self.out_structure = out_structure
        self.arg_structures = arg_structures
        self.kwarg_structures = kwarg_structures or {}
        self.function_name = function_name
        self._unique: tuple[dict[int, str], dict[str, int]] | None = None
        self._consumers: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self.recipe: Retrace | None = None  # set by trace(): how to record this graph again
        self.expression: str | None = None  # set by parse(): the expression text

    def retrace(self, **values: float) -> "Graph":
        """Record the same computation again with some top-level number inputs changed::

            g2 = g.retrace(a=3.0)
        """
        if self.recipe is None:
            from .errors import TraceError
            raise TraceError("this graph does not know how it was recorded, so it cannot be retraced")
        return self.recipe.with_values(values)

    @property
    def scalar_inputs(self) -> dict[str, float]:
        """Top-level number inputs that :meth:`retrace` can change, with their values."""
        return {} if self.recipe is None else self.recipe.scalar_inputs()

    # -- names and lookup -----------------------------------------------------------
    @property
    def _names(self) -> dict[int, str]:
        return self._name_tables()[0]

    @property
    def _index_of_name(self) -> dict[str, int]:
        return self._name_tables()[1]

    def _name_tables(self) -> tuple[dict[int, str], dict[str, int]]:
        # Made on first use: grad() builds a Graph per call and never asks for a name.
        if self._unique is None:
            names = _unique_names(self.tape.names)
            self._unique = (names, {label: index for index, label in names.items()})
        return self._unique

    def name_of(self, index: int) -> str:
        label = self._names.get(index)
        if label is not None:
            return label
        auto = f"v{index}"
        return auto if auto not in self._index_of_name else f"v{index}_auto"

    def operand_label(self, index: int) -> str:
        """How node ``index`` appears inside a formula: its name, or a constant's value."""
        if self.tape.ops[index] is CONST and index not in self._names:
            value = self.tape.values[index]
            return format_operand(value) if type(value) is float else self.name_of(index)
        return self.name_of(index)

    def index_of(self, key: "str | Node", role: str = "node") -> int:
        """Resolve a node name (or Node of this graph) to its index; ``role`` is for messages."""
        if isinstance(key, Node):
            if key.graph is not self:
                raise NodeLookupError(f"{role} {key.name!r} is a node of a different graph")
            return key.index
        if not isinstance(key, str):
            raise NodeLookupError(f"{role} must be a node name (str) or a Node; got {type(key).__name__} {key!r}")
        index = self._index_of_name.get(key)
        if index is not None:
            return index
        if key.startswith("v") and key[1:].isdigit():
            candidate = int(key[1:])
            if candidate < len(self.tape) and self.name_of(candidate) == key:
                return candidate
        raise NodeLookupError(f"{role} {key!r} names no node of this graph; named nodes: {self._some_names()}")

    def _some_names(self, limit: int = 12) -> str:
        names = list(self._names.values())
        shown = ", ".join(names[:limit])
        return shown + (f", ... ({len(names)} in all)" if len(names) > limit else "") if names else "(none)"

    def __getitem__(self, key: str) -> Node:
        return Node(self, self.index_of(key))

    def __contains__(self, key: object) -> bool:
        try:
            self.index_of(key)  # type: ignore[arg-type]
        except NodeLookupError:
            return False
        return True

    def __len__(self) -> int:
        return len(self.tape)

    def __iter__(self) -> Iterator[Node]:
        return iter(self.nodes)

    # -- structure ------------------------------------------------------------------
    # One convention for every collection: ``nodes``, ``edges``, ``inputs`` and ``outputs``
    # are tuples of Node/Edge views in recording order (outputs in the order f returned
    # them); a node is found by name with ``g[name]``; ``*_indices`` are the same
    # collections as tape indices, for code that works on the tape.
    @property
    def nodes(self) -> tuple[Node, ...]:
        """Every node, in recording order (a topological order)."""
        return tuple(Node(self, i) for i in range(len(self.tape)))

    @property
    def inputs(self) -> tuple[Node, ...]:
        """The input nodes, in recording order."""
        return tuple(Node(self, i) for i in self.input_indices)

    @property
    def input_indices(self) -> tuple[int, ...]:
        ops = self.tape.ops
        return tuple(i for i in range(len(ops)) if ops[i] is INPUT)

    @property
    def outputs(self) -> tuple[Node, ...]:
        """The output nodes, in the order the traced function returned them."""
        return tuple(Node(self, i) for i in self.output_indices)

    @property
    def output(self) -> Node:
        """The single output node (an error if there are several)."""
        if len(set(self.output_indices)) != 1:
            names = ", ".join(self.output_names)
            raise NodeLookupError(f"this graph has {len(self.outputs)} outputs ({names}); "
                                  "pick one from g.outputs, or by name with g[name]")
        return Node(self, self.output_indices[0])

    @property
    def input_names(self) -> tuple[str, ...]:
        return tuple(self.name_of(i) for i in self.input_indices)

    @property
    def output_names(self) -> tuple[str, ...]:
        return tuple(self.name_of(i) for i in self.output_indices)

    @property
    def value(self) -> Value:
        """The value of the single output."""
        return self.output.value

    @property
    def edges(self) -> tuple[Edge, ...]:
        tape = self.tape
        return tuple(Edge(self, i, slot) for i in range(len(tape)) for slot in range(len(tape.args_of(i))))

    @property
    def differentiable_edge_count(self) -> int:
        """Edges that a sweep multiplies along: every edge except those leaving constants."""
        tape = self.tape
        ops, arg0, arg1 = tape.ops, tape.arg0, tape.arg1
        count = 0
        for i in range(len(ops)):
            a = arg0[i]
            if a >= 0:
                b = arg1[i]
                if b == NARY:
                    count += sum(ops[k] is not CONST for k in tape.more_args[i])
                    continue
                count += ops[a] is not CONST
                if b >= 0:
                    count += ops[b] is not CONST
        return count

    def consumers(self, index: int) -> tuple[tuple[int, int], ...]:
        """``(dst, slot)`` for every edge leaving node ``index``, in recording order."""
        if self._consumers is None:
            self._consumers = self._consumer_table()
        starts, dsts, slots = self._consumers
        lo, hi = int(starts[index]), int(starts[index + 1])
        return tuple(zip(dsts[lo:hi].tolist(), slots[lo:hi].tolist()))

    def _consumer_table(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every edge sorted by source, then target and slot (recording order), as three
        flat arrays: a million-node graph costs a few arrays, not a million tuples."""
        tape = self.tape
        n = len(tape)
        sources = np.concatenate([np.asarray(tape.arg0, dtype=np.int64), np.asarray(tape.arg1, dtype=np.int64)])
        targets = np.concatenate([np.arange(n), np.arange(n)])
        slot_of = np.repeat(np.array([0, 1]), n)
        if tape.more_args:  # ops of three or more arguments: their second and later edges
            nary = sorted(tape.more_args)
            rest = [(a, i, k) for i in nary for k, a in enumerate(tape.more_args[i]) if k]
            more = np.array(rest, dtype=np.int64).reshape(-1, 3)
            sources = np.concatenate([sources, more[:, 0]])
            targets = np.concatenate([targets, more[:, 1]])
            slot_of = np.concatenate([slot_of, more[:, 2]])
        used = sources >= 0
        sources, targets, slot_of = sources[used], targets[used], slot_of[used]
        order = np.lexsort((slot_of, targets, sources))
        starts = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(sources, minlength=n), out=starts[1:])
        return starts, targets[order], slot_of[order]

    def reads_of(self, dst: int, slot: int) -> tuple[int, ...]:
        """Indices of the stored values that the partial of edge (dst, slot) reads."""
        tape = self.tape
        args = tape.args_of(dst)
        reads = tape.ops[dst].reads
        if not reads:
            return ()
        where = {"x": (args[0],) if args else (), "y": (args[1],) if len(args) > 1 else (), "out": (dst,),
                 "others": tuple(a for k, a in enumerate(args) if k != slot)}
        return tuple(i for key in reads[slot] for i in where[key])

    def local_partial(self, dst: int, slot: int) -> Value | None:
        tape = self.tape
        prim = tape.ops[dst]
        values = [tape.values[a] for a in tape.args_of(dst)]
        out = tape.values[dst]
        if not tape.has_arrays and prim.elementwise:
            return prim.partials[slot](*values, out)  # the scalar rules already follow IEEE
        with np.errstate(all="ignore"):
            if prim.elementwise:
                partial = prim.partials[slot](*values, out)
                return partial if type(partial) is float else as_value(np.asarray(partial))
            if type(out) is float:
                return as_value(np.array(prim.vjp[slot](1.0, *values, out, **tape.params.get(dst, {}))))
        return None

    # -- text -----------------------------------------------------------------------
    def equation(self, index: int) -> str:
        """``c = add a b`` for node ``index`` (constants inline as values)."""
        tape = self.tape
        prim = tape.ops[index]
        if prim is INPUT or prim is CONST:
            return f"{self.name_of(index)} = {prim.name}"
        operands = " ".join(self.operand_label(a) for a in tape.args_of(index))
        params = tape.params.get(index)
        extra = "".join(f" {key}={_param_text(val)}" for key, val in params.items()) if params else ""
        return f"{self.name_of(index)} = {prim.name} {operands}{extra}"

    def __str__(self) -> str:
        tape = self.tape
        lines: list[str | tuple[str, str]] = []
        scope = ""
        for i in range(len(tape)):
            if tape.ops[i] is CONST and i not in self._names:
                continue  # shown inline where it is used
            node_scope = tape.scope_of(i)
            if node_scope != scope:
                lines.append(f"# scope {node_scope or '(top level)'}")
                scope = node_scope
            lines.append((self.equation(i), format_value(tape.values[i])))
        width = max((len(text) for entry in lines if isinstance(entry, tuple) for text in entry[:1]), default=0)
        body = [entry if isinstance(entry, str) else f"{entry[0]:<{width}}  # {entry[1]}" for entry in lines]
        body.append("outputs: " + ", ".join(self.name_of(i) for i in self.output_indices))
        return "\n".join(body)

    def __repr__(self) -> str:
        n_inputs = len(self.input_indices)
        return (f"<Graph of {self.function_name or 'an expression'}: {len(self)} nodes, "
                f"{n_inputs} input{'s' * (n_inputs != 1)}, outputs {', '.join(self.output_names)}>")

    # -- drawing (graphviz_ad.render does the work) -----------------------------------
    def to_dot(self, **options: Any):
        """The graph as a ``graphviz.Digraph``; options as for :func:`graphviz_ad.render.to_dot`
        (``labels=``, ``theme=``, ``path=`` to highlight one of ``g.paths(...)``, ...)."""
        from . import render
        return render.to_dot(self, **options)

    def to_svg(self, **options: Any) -> str:
        """The graph drawn by graphviz's ``dot`` as SVG text."""
        from . import render
        return render.to_svg(self, **options)

    def save(self, file: "str | os.PathLike[str]", **options: Any) -> pathlib.Path:
        """Write the drawing to ``file``; the format comes from the extension
        (``.svg``, ``.png`` with ``dpi=``, ``.pdf``, ``.dot``)."""
        from . import render
        return render.save(self, file, **options)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        from . import render
        return render.mimebundle(self)

    # -- sweeps and paths -------------------------------------------------------------
    def forward(self, wrt: "str | Node | None" = None, *, seed: "ArrayLike | None" = None,
                index: "int | tuple[int, ...] | None" = None) -> "ForwardSweep":
        """Forward mode: apply ∂/∂wrt to every node, in recording order (one input per sweep)."""
        from .sweeps import ForwardSweep
        return ForwardSweep(self, wrt, seed=seed, index=index)

    def reverse(self, of: "str | Node | None" = None, *, seed: "ArrayLike | None" = None,
                index: "int | tuple[int, ...] | None" = None) -> "ReverseSweep":
        """Reverse mode: apply ∂of/∂ to every node, in reverse order (all inputs in one sweep)."""
        from .sweeps import ReverseSweep
        return ReverseSweep(self, of, seed=seed, index=index)

    def count_paths(self, src: "str | Node", dst: "str | Node") -> int:
        """How many distinct edge paths lead from ``src`` to ``dst`` (without listing them)."""
        start, end = self.index_of(src, "source"), self.index_of(dst, "target")
        tape = self.tape
        if end < start:
            return 0
        counts = {start: 1}
        for i in range(start + 1, end + 1):
            total = 0
            for a in tape.args_of(i):
                total += counts.get(a, 0)
            if total:
                counts[i] = total
        return counts.get(end, 0) if end != start else 1

    def paths(self, src: "str | Node", dst: "str | Node", *, limit: int = DEFAULT_PATH_LIMIT) -> list[Path]:
        """Every path from ``src`` to ``dst``; the sum of their products is ∂dst/∂src.

        The number of paths grows exponentially with depth (that is why sweeps exist), so
        above ``limit`` paths this raises ``PathLimitError`` instead of running for ever.
        """
        if not isinstance(limit, (int, np.integer)) or isinstance(limit, bool) or limit < 0:
            raise PathLimitError(f"limit must be a whole number ≥ 0; got {limit!r}")
        start, end = self.index_of(src, "source"), self.index_of(dst, "target")
        total = self.count_paths(src, dst)
        if total > limit:
            raise PathLimitError(
                f"{self.name_of(start)} → {self.name_of(end)} has {total:,} paths, more than limit={limit:,}; "
                "use g.count_paths(...) to count them, or pass a larger limit=")
        if start == end:
            return [Path(())]
        reaches_end = self._nodes_reaching(start, end)
        found: list[Path] = []
        stack: list[tuple[int, tuple[Edge, ...]]] = [(start, ())]
        while stack:
            node, route = stack.pop()
            if node == end:
                found.append(Path(route))
                continue
            for consumer, slot in reversed(self.consumers(node)):
                if consumer in reaches_end:
                    stack.append((consumer, route + (Edge(self, consumer, slot),)))
        return found

    def _nodes_reaching(self, start: int, end: int) -> set[int]:
        tape = self.tape
        reach = {end}
        for i in range(end, start - 1, -1):
            if i in reach:
                reach.update(a for a in tape.args_of(i) if a >= start)
        return reach


def _unique_names(explicit: dict[int, str]) -> dict[int, str]:
    """Make names unique in recording order: a second ``h`` becomes ``h_2``."""
    taken: set[str] = set()
    unique: dict[int, str] = {}
    for index in sorted(explicit):
        label = explicit[index]
        candidate, k = label, 2
        while candidate in taken:
            candidate = f"{label}_{k}"
            k += 1
        taken.add(candidate)
        unique[index] = candidate
    return unique


def _param_text(value: Any) -> str:
    if isinstance(value, tuple):
        return "(" + ",".join(_param_text(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, slice):
        parts = ["" if p is None else str(p) for p in (value.start, value.stop, value.step)]
        return ":".join(parts[:2]) + (f":{parts[2]}" if value.step is not None else "")
    if isinstance(value, np.ndarray):
        return "[" + ",".join(str(v) for v in value.tolist()) + "]" if value.size <= 8 else f"array{value.shape}"
    return str(value)
