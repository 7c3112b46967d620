"""Forward-mode and reverse-mode sweeps over a Graph, and the Step records they yield.

A forward sweep seeded at input X visits nodes in recording order and computes every
tangent ∂node/∂X; a reverse sweep seeded at node Z visits them in reverse order and
computes every adjoint ∂Z/∂node. Both are dense, as real AD is: each differentiable
edge costs one multiply-add per sweep, so ``cost`` is counted, not estimated.

The numbers come from two plain loops (``forward_tangents``, ``reverse_adjoints``) that
the function transforms use directly. ``Step`` records, one per visited node with the
chain-rule terms that were summed there, are made from those numbers on first access.
"""

from __future__ import annotations

import math
import warnings
from array import array
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Sequence, overload

import numpy as np

from . import notation
from .errors import NodeLookupError, NonFiniteWarning, SeedError, StepIndexError
from .formatting import format_value
from .fpstate import quiet_fp, restore_fp
from .graph import Edge, Graph, Node
from .primitives import CONST, INPUT, Value, dense, shape_of, unbroadcast
from .primitives import scaled as _scaled
from .seeds import node_seed
from .tape import NARY, Tape

if TYPE_CHECKING:
    import os
    import pathlib

    from numpy.typing import ArrayLike

__all__ = [
    "Term", "Step", "Steps", "Layer", "Sweep", "ForwardSweep", "ReverseSweep", "Frame",
    "forward_tangents", "reverse_adjoints", "edge_jvp", "edge_vjp",
]


# ---------------------------------------------------------------------------
# The two loops.

def edge_jvp(tape: Tape, dst: int, slot: int, tangent: Value) -> Value:
    """The contribution of argument ``slot`` of node ``dst`` to its tangent."""
    prim = tape.ops[dst]
    values = tape.values
    args = [values[a] for a in tape.args_of(dst)]
    if prim.elementwise:
        return _like(_scaled(prim.partials[slot](*args, values[dst]), tangent), values[dst])
    return _like(prim.jvp[slot](tangent, *args, values[dst], **tape.params.get(dst, {})), values[dst])


def edge_vjp(tape: Tape, dst: int, slot: int, cotangent: Value) -> Value:
    """The contribution of node ``dst``'s adjoint to the adjoint of its argument ``slot``.

    Computed from the edge's partial, not from the faster ``prim.backward`` rules that
    ``reverse_adjoints`` uses: a Step's term promises ``product == partial × factor``
    exactly, and a written-out rule such as log's ``ct / x`` differs from ``(1/x) · ct`` in
    the last bit (the registry tests hold the two to rounding)."""
    values = tape.values
    args = [values[a] for a in tape.args_of(dst)]
    prim = tape.ops[dst]
    params = tape.params.get(dst)
    if prim.elementwise:
        return _like(unbroadcast(_scaled(prim.partials[slot](*args, values[dst]), cotangent),
                                 shape_of(args[slot])), args[slot])
    return _like(prim.vjp[slot](cotangent, *args, values[dst], **(params or {})), args[slot])


def _accumulate(total: Any, contribution: Any) -> Any:
    """``total + contribution`` as a new value, never in place: a contribution may be a view
    of another node's adjoint. The first contribution is taken as it is, without a copy."""
    if type(total) is float and total == 0.0 and type(contribution) is not float:
        return contribution
    return total + contribution


def _like(derivative: Any, value: Any) -> Any:
    """Keep a derivative in its node's dtype (a float32 model gets float32 gradients)."""
    if type(value) is float or type(derivative) is float or derivative.dtype == value.dtype:
        return derivative
    return derivative.astype(value.dtype)


def forward_tangents(tape: Tape, seeds: dict[int, Value]) -> list[Any]:
    """Tangent of every node for the given input seeds (a dense forward sweep)."""
    n = len(tape)
    tangents: list[Any] = [0.0] * n
    for index, seed in seeds.items():
        tangents[index] = seed
    ops, arg0, arg1, values = tape.ops, tape.arg0, tape.arg1, tape.values
    if not tape.has_arrays:
        for i in range(n):
            a = arg0[i]
            if a < 0:
                continue  # an input (seeded above) or a constant
            # Dense, as real forward mode is: every partial is computed. A term with a zero
            # factor or partial is 0, though, even against an infinite other (0·∞ = 0, see
            # ZERO_TERMS): a node that does not depend on X keeps tangent exactly 0.
            partials = ops[i].partials
            out = values[i]
            b = arg1[i]
            ta = tangents[a]
            if b < 0:
                p = partials[0](values[a], out)
                tangents[i] = p * ta if p and ta else 0.0
                continue
            x = values[a]
            y = values[b]
            t: Any = 0.0  # (a float here; the array loop below reuses the name for arrays)
            if ops[a] is not CONST:
                p = partials[0](x, y, out)
                if p and ta:
                    t += p * ta
            if ops[b] is not CONST:
                p = partials[1](x, y, out)
                tb = tangents[b]
                if p and tb:
                    t += p * tb
            tangents[i] = t
        return tangents
    # Nodes that do not depend on the seeded inputs keep the float 0.0 (made dense by the
    # sweeps' readers): they contribute nothing, not 0 × partial, which is nan where the
    # partial is infinite.
    with np.errstate(all="ignore"):
        for i in range(n):
            if arg0[i] < 0:
                continue
            t = 0.0
            for slot, a in enumerate(tape.args_of(i)):
                ta = tangents[a]
                if ops[a] is not CONST and (type(ta) is not float or ta):
                    t = _accumulate(t, edge_jvp(tape, i, slot, ta))
            out_shape = shape_of(values[i])
            if shape_of(t) != out_shape and (type(t) is not float or t):  # a scalar tangent broadcast into an array
                t = np.broadcast_to(t, out_shape) + np.zeros((), dtype=np.result_type(values[i]))
            tangents[i] = t
    return tangents


def reverse_adjoints(tape: Tape, seeds: dict[int, Value], *, release: bool = False) -> list[Any]:
    """Adjoint of every node up to the last seeded one (a dense reverse sweep).

    ``release=True`` is for a tape swept once and then dropped (``grad``): an op node's
    adjoint and forward value are let go as soon as the sweep has passed it, because
    nothing visited later reads them (the returned list then holds None for released
    nodes, and for inputs the seed never reached, meaning 0.0; inputs, constants and the
    seeded nodes are kept). Like real AD systems, that returns activation memory during the
    backward pass, so its arrays are reused while still in cache."""
    last = max(seeds)
    ops, arg0, arg1, values = tape.ops, tape.arg0, tape.arg1, tape.values
    # Arrays: None marks an adjoint that nothing has reached yet, so an array node left
    # at None is skipped (its contributions would be zero arrays).
    adjoints: list[Any] = [None if tape.has_arrays else 0.0] * (last + 1)
    for index, seed in seeds.items():
        adjoints[index] = seed
    if not tape.has_arrays:
        for i in range(last, -1, -1):
            a = arg0[i]
            if a < 0:
                continue
            ct = adjoints[i]
            partials = ops[i].partials
            out = values[i]
            b = arg1[i]
            # Dense, as the forward loop: every partial is computed. A zero adjoint or partial
            # makes a zero term, also against an infinite other (0·∞ = 0, see ZERO_TERMS).
            if b < 0:
                p = partials[0](values[a], out)
                if p and ct:
                    adjoints[a] += p * ct
                continue
            x = values[a]
            y: Any = values[b]  # (None for one-argument ops in the array loop below)
            if ops[a] is not CONST:
                p = partials[0](x, y, out)
                if p and ct:
                    adjoints[a] += p * ct
            if ops[b] is not CONST:
                p = partials[1](x, y, out)
                if p and ct:
                    adjoints[b] += p * ct
        return adjoints
    params = tape.params
    fp_token = quiet_fp()
    try:
        for i in range(last, -1, -1):
            ct = adjoints[i]
            if ct is None:
                continue  # unreached (or a constant)
            a = arg0[i]
            if a < 0 or (type(ct) is float and not ct):
                continue  # an input, or a zero factor
            backward = ops[i].backward
            x = values[a]
            b = arg1[i]
            if b == NARY:
                _nary_backward(tape, i, ct, adjoints)
                if release and i not in seeds:
                    adjoints[i] = None
                    values[i] = None
                continue
            # _like and _accumulate, written out: this loop is the hot path of grad(). A
            # rule returns a float for a float argument (the registry tests hold it to that),
            # so only an array contribution can need casting to its argument's dtype.
            y = None if b < 0 else values[b]
            out = values[i]
            p = params.get(i)
            if b < 0 or ops[a] is not CONST:  # (a one-argument op's argument is never a constant)
                c = backward[0](ct, x, y, out, p)
                if type(c) is not float and c.dtype is not x.dtype and c.dtype != x.dtype:
                    c = c.astype(x.dtype)
                total = adjoints[a]
                # (c + 0.0 for a float: as 0.0 + c in the float loop, -0.0 becomes 0.0)
                adjoints[a] = (c + 0.0 if type(c) is float else c) if total is None else total + c
            if b >= 0 and ops[b] is not CONST:
                c = backward[1](ct, x, y, out, p)
                if type(c) is not float and c.dtype is not y.dtype and c.dtype != y.dtype:
                    c = c.astype(y.dtype)
                total = adjoints[b]
                adjoints[b] = (c + 0.0 if type(c) is float else c) if total is None else total + c
            if release and i not in seeds:
                adjoints[i] = None
                values[i] = None
    finally:
        restore_fp(fp_token)
    if not release:  # (released: the caller reads inputs only, None there meaning 0.0)
        for index in range(last + 1):
            if adjoints[index] is None:
                adjoints[index] = 0.0
    return adjoints


def _nary_backward(tape: Tape, i: int, ct: Any, adjoints: list[Any]) -> None:
    """The reverse loop's step at a node of three or more arguments (np.stack, ...)."""
    for slot, a in enumerate(tape.args_of(i)):
        if tape.ops[a] is CONST:
            continue
        c = edge_vjp(tape, i, slot, ct)
        total = adjoints[a]
        adjoints[a] = (c + 0.0 if type(c) is float else c) if total is None else total + c


# ---------------------------------------------------------------------------
# Step records.

@dataclass(frozen=True, slots=True)
class Term:
    """One summand of the chain rule at a step: ``product = partial × factor``.

    Forward mode: ``edge`` enters the step's node, ``factor`` is the tangent of its source.
    Reverse mode: ``edge`` leaves the step's node, ``factor`` is the adjoint of its target.
    ``partial`` is ``None`` for an array edge whose local Jacobian is not elementwise.
    ``mode`` and ``seed_index`` are the sweep's, so a term can write itself.
    """

    edge: Edge
    partial: Value | None
    factor: Value
    product: Value
    mode: str
    seed_index: int

    def text(self, labels: str = "both", digits: int = 4) -> str:
        """Reverse ``∂e/∂c·∂c/∂b = 2·1 = 2``, forward ``∂c/∂b·∂b/∂b = 1·1 = 1``."""
        graph = self.edge.graph
        return notation.term_text(self.mode, graph.name_of(self.seed_index), self, labels, digits)


@dataclass(frozen=True, slots=True)
class Step:
    """The visit of one node: its tangent or adjoint ``value`` and the terms summed for it.

    ``reads`` are the stored forward values the step used (reverse mode reads the
    activations kept from the forward pass; forward mode computes its partials alongside
    the values, so it keeps nothing).
    """

    number: int
    mode: str
    node: Node
    value: Value
    terms: tuple[Term, ...]
    reads: tuple[Node, ...]
    seed_index: int
    #: "" when the whole seed node is seeded; "[1, 2]" for a one-hot seed of one element
    seed_element: str = ""

    @property
    def seed_name(self) -> str:
        """The seed as the symbols write it: ``W2``, or ``W2[1, 2]`` for one element."""
        return self.node.graph.name_of(self.seed_index) + self.seed_element

    @property
    def symbol(self) -> str:
        """``∂c/∂b`` (forward from b) or ``∂e/∂c`` (reverse from e)."""
        return notation.derivative(self.mode, self.seed_name, self.node.name)

    @property
    def text(self) -> str:
        """The chain rule at this step, with symbols and numbers:
        ``∂e/∂b = ∂e/∂c·∂c/∂b + ∂e/∂d·∂d/∂b = 2·1 + 3·1 = 5``."""
        return notation.step_text(self, digits=4)

    def text_with(self, digits: int) -> str:
        """:attr:`text` with numbers to ``digits`` significant digits."""
        return notation.step_text(self, digits)


@dataclass(frozen=True, slots=True)
class Layer:
    """A run of consecutive steps whose nodes share one scope (``with ad.scope("layer 2"):``):
    the coarse step of a sweep. ``steps[start:stop]`` are its node steps; ``scope`` is ""
    for nodes recorded outside any scope (a network's inputs and parameters)."""

    scope: str
    start: int
    stop: int

    def __len__(self) -> int:
        return self.stop - self.start


class Steps(Sequence[Step]):
    """A sweep's steps, one per visited node, made when asked for: ``steps[k]`` builds
    step ``k`` (its terms and reads) from the sweep's numbers, so a sweep over a million
    nodes costs nothing until a step is read, and a loop over it keeps one step at a time."""

    __slots__ = ("_sweep", "_order")

    def __init__(self, sweep: "Sweep", order: array) -> None:
        self._sweep = sweep
        self._order = order  # node index of each step, in visiting order

    def __len__(self) -> int:
        return len(self._order)

    @overload
    def __getitem__(self, k: int) -> Step: ...

    @overload
    def __getitem__(self, k: slice) -> list[Step]: ...

    def __getitem__(self, k: int | slice) -> Step | list[Step]:
        if isinstance(k, slice):
            return [self[j] for j in range(*k.indices(len(self._order)))]
        if not isinstance(k, (int, np.integer)) or isinstance(k, bool):
            raise StepIndexError(f"steps are numbered by int; got {type(k).__name__} {k!r}")
        try:
            number = range(len(self._order))[k]
        except IndexError:
            raise StepIndexError(f"step {k} is outside this sweep's {len(self._order)} steps") from None
        return self._sweep._make_step(number, self._order[number])

    def node_index(self, k: int) -> int:
        """The node visited at step ``k``, without building the step."""
        return self._order[k]

    def layers(self) -> tuple[Layer, ...]:
        """The steps in runs of one scope each, in visiting order (a reverse sweep through
        a network: the cost, then each layer from the last to the first, then the inputs)."""
        tape = self._sweep.graph.tape
        runs: list[Layer] = []
        start, scope = 0, None
        for k, index in enumerate(self._order):
            node_scope = tape.scope_of(index)
            if node_scope != scope:
                if scope is not None:
                    runs.append(Layer(scope, start, k))
                start, scope = k, node_scope
        if scope is not None:
            runs.append(Layer(scope, start, len(self._order)))
        return tuple(runs)

    def __repr__(self) -> str:
        return f"<{len(self)} steps of a {self._sweep.mode} sweep>"


def element_suffix(index: "int | tuple[int, ...] | None") -> str:
    """``(1, 2)`` → ``"[1, 2]"``: how a one-hot seed's element follows the node's name."""
    if index is None:
        return ""
    entries = index if isinstance(index, tuple) else (index,)
    return "[" + ", ".join(str(int(k)) for k in entries) + "]"


def _warn_if_non_finite(graph: Graph, values: list[Any], order: range, mode: str, seed_name: str) -> None:
    if not graph.tape.has_arrays and math.isfinite(sum(values)):
        return
    for i in order:
        value = values[i]
        if type(value) is float:
            bad = not math.isfinite(value)
        else:
            bad = not bool(np.isfinite(value).all())
        if bad:
            name = graph.name_of(i)
            symbol = notation.derivative(mode, seed_name, name)
            warnings.warn(
                f"{mode} sweep: {symbol} is not finite ({format_value(value)}) at node {name!r} "
                f"({graph.tape.ops[i].name}); a local derivative there is infinite or undefined",
                NonFiniteWarning, stacklevel=4)
            return


class Sweep:
    mode = ""

    def __init__(self, graph: Graph, seed_index: int, values: list[Any]) -> None:
        self.graph = graph
        self.seed_index = seed_index
        for value in values:  # handed out by tangents, adjoints, gradient and steps: read-only,
            if type(value) is np.ndarray:  # as the graph's own values are
                value.flags.writeable = False
        self._values = values
        self._order: array | None = None  # the visited nodes (not the Steps: that would be a cycle)
        self.seed_element = ""  # "[1, 2]" when one element of an array was seeded (index=)

    @property
    def seed_name(self) -> str:
        return self.graph.name_of(self.seed_index)

    @property
    def seed_label(self) -> str:
        """The seed as the symbols write it: ``W2``, or ``W2[1, 2]`` for one element (index=)."""
        return self.seed_name + self.seed_element

    @property
    def cost(self) -> int:
        """Multiply-adds performed: one per differentiable edge the sweep crossed
        (for arrays, one JVP/VJP application per edge)."""
        return self._edge_count()

    def _edge_count(self) -> int:
        raise NotImplementedError

    @property
    def steps(self) -> Steps:
        """One :class:`Step` per visited node, in visiting order (built when read)."""
        if self._order is None:
            self._order = array("q", self._visited())
        return Steps(self, self._order)

    def _make_step(self, number: int, index: int) -> Step:
        raise NotImplementedError

    def _term(self, dst: int, slot: int, factor: Value) -> Term:
        """The chain-rule term along edge (``dst``, ``slot``): this sweep's JVP or VJP of
        ``factor`` across it, computed from the edge's partial."""
        edge = Edge(self.graph, dst, slot)
        rule = edge_jvp if self.mode == "forward" else edge_vjp
        with np.errstate(all="ignore"):
            product = rule(self.graph.tape, dst, slot, factor)
        return Term(edge, edge.partial, factor, product, self.mode, self.seed_index)

    def __len__(self) -> int:
        return len(self.steps)

    def _visited(self) -> Iterable[int]:
        raise NotImplementedError

    # -- drawing (graphviz_ad.render does the work) -----------------------------------
    def _step_number(self, step: int | None) -> int:
        last = len(self.steps) - 1
        if step is None:
            return last
        if not isinstance(step, int) or not -len(self.steps) <= step <= last:
            raise StepIndexError(f"step={step!r} is out of range: this sweep has steps 0…{last}")
        return step % len(self.steps)

    def to_dot(self, step: int | None = None, **options: Any):
        """The graph as it stands after ``steps[step]`` (default: the finished sweep)."""
        from . import render
        return render.to_dot(self.graph, sweep=self, step=self._step_number(step), **options)

    def to_svg(self, step: int | None = None, **options: Any) -> str:
        from . import render
        return render.to_svg(self.graph, sweep=self, step=self._step_number(step), **options)

    def save(self, file: "str | os.PathLike[str]", step: int | None = None, **options: Any) -> pathlib.Path:
        from . import render
        return render.save(self.graph, file, sweep=self, step=self._step_number(step), **options)

    def frame(self, step: int) -> "Frame":
        """One step of the sweep as an object that draws itself in a notebook."""
        return Frame(self, self._step_number(step))

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        from . import render
        return render.mimebundle(self.graph, sweep=self, step=self._step_number(None))

    def _value_of(self, index: int) -> Value:
        return dense(self._values[index], self.graph.tape.values[index])


class ForwardSweep(Sweep):
    """Forward mode from one input X: ``tangents[name]`` is ∂name/∂X for every node."""

    mode = "forward"

    def __init__(self, graph: Graph, wrt: "str | Node | None" = None, *, seed: "ArrayLike | None" = None,
                 index: "int | tuple[int, ...] | None" = None) -> None:
        if wrt is None:
            inputs = graph.input_indices
            if len(inputs) != 1:
                raise SeedError(
                    f"this graph has {len(inputs)} inputs ({', '.join(graph.input_names)}); "
                    "choose one with wrt= — a forward sweep follows one input")
            wrt_index = inputs[0]
        else:
            wrt_index = graph.index_of(wrt, "wrt")
        if graph.tape.ops[wrt_index] is not INPUT:
            raise SeedError(
                f"wrt={graph.name_of(wrt_index)!r} is a {graph.tape.ops[wrt_index].name} node, not an input; "
                f"a forward sweep starts at an input: {', '.join(graph.input_names)}")
        seed_value = node_seed(graph, wrt_index, seed, index, "input")
        tangents = forward_tangents(graph.tape, {wrt_index: seed_value})
        super().__init__(graph, wrt_index, tangents)
        self.seed_element = element_suffix(index)
        _warn_if_non_finite(graph, tangents, range(len(graph)), "forward", self.seed_name)

    @property
    def wrt(self) -> str:
        return self.seed_name

    def _visited(self) -> Iterable[int]:
        ops = self.graph.tape.ops
        return (i for i in range(len(ops)) if ops[i] is not CONST)

    def _edge_count(self) -> int:
        return self.graph.differentiable_edge_count

    @property
    def tangents(self) -> dict[str, Value]:
        """∂node/∂X for every node except constants, in recording order."""
        return {self.graph.name_of(i): self._value_of(i) for i in self._visited()}

    @property
    def result(self) -> Value:
        """∂output/∂X for the graph's single output (see :attr:`results` for several)."""
        outputs = set(self.graph.output_indices)
        if len(outputs) != 1:
            raise NodeLookupError(
                f"this graph has {len(outputs)} outputs ({', '.join(self.results)}); "
                "use .results, a dict by output name")
        return self._value_of(outputs.pop())

    @property
    def results(self) -> dict[str, Value]:
        """∂output/∂X for every output, by output name."""
        graph = self.graph
        return {graph.name_of(i): self._value_of(i) for i in graph.output_indices}

    def _make_step(self, number: int, i: int) -> Step:
        graph, tape = self.graph, self.graph.tape
        terms = []
        for slot, a in enumerate(tape.args_of(i)):
            if tape.ops[a] is CONST:
                continue
            terms.append(self._term(i, slot, self._value_of(a)))
        return Step(number, "forward", Node(graph, i), self._value_of(i), tuple(terms), (), self.seed_index,
                    self.seed_element)

    def __repr__(self) -> str:
        shown = ", ".join(f"∂{k}/∂{self.wrt} = {format_value(v)}" for k, v in list(self.results.items())[:6])
        return f"<ForwardSweep ∂/∂{self.wrt}: {len(self.graph)} nodes, {shown}>"


class ReverseSweep(Sweep):
    """Reverse mode from one node Z: ``adjoints[name]`` is ∂Z/∂name; ``gradient`` for every input."""

    mode = "reverse"

    def __init__(self, graph: Graph, of: "str | Node | None" = None, *, seed: "ArrayLike | None" = None,
                 index: "int | tuple[int, ...] | None" = None) -> None:
        if of is None:
            outputs = sorted(set(graph.output_indices))
            if len(outputs) != 1:
                raise SeedError(
                    f"this graph has {len(outputs)} outputs ({', '.join(graph.output_names)}); choose one with of=")
            of_index = outputs[0]
        else:
            of_index = graph.index_of(of, "of")
        seed_value = node_seed(graph, of_index, seed, index, "output")
        adjoints = reverse_adjoints(graph.tape, {of_index: seed_value})
        super().__init__(graph, of_index, adjoints)
        self.seed_element = element_suffix(index)
        _warn_if_non_finite(graph, adjoints, range(of_index, -1, -1), "reverse", self.seed_name)

    @property
    def of(self) -> str:
        return self.seed_name

    def _visited(self) -> Iterable[int]:
        ops = self.graph.tape.ops
        return (i for i in range(self.seed_index, -1, -1) if ops[i] is not CONST)

    def _edge_count(self) -> int:
        tape = self.graph.tape
        ops = tape.ops
        return sum(1 for i in range(self.seed_index + 1) for a in tape.args_of(i) if ops[a] is not CONST)

    @property
    def adjoints(self) -> dict[str, Value]:
        """∂Z/∂node for every node up to Z (nodes recorded after Z cannot affect it)."""
        return {self.graph.name_of(i): self._value_of(i) for i in self._visited()}

    @property
    def gradient(self) -> dict[str, Value]:
        """∂Z/∂input for every input of the graph (zero where Z does not depend on it)."""
        graph = self.graph
        values = self._values
        return {graph.name_of(i): dense(values[i] if i < len(values) else 0.0, graph.tape.values[i])
                for i in graph.input_indices}

    def _make_step(self, number: int, i: int) -> Step:
        graph = self.graph
        last = self.seed_index
        terms = []
        reads: list[int] = []
        for consumer, slot in graph.consumers(i):  # in recording order, as drawn
            if consumer > last:
                continue
            terms.append(self._term(consumer, slot, self._value_of(consumer)))
            reads.extend(r for r in graph.reads_of(consumer, slot) if r not in reads)
        return Step(number, "reverse", Node(graph, i), self._value_of(i), tuple(terms),
                    tuple(Node(graph, r) for r in reads), self.seed_index, self.seed_element)

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}: {format_value(v)}" for k, v in list(self.gradient.items())[:6])
        return f"<ReverseSweep ∂{self.of}/∂: gradient {{{shown}}}>"


class Frame:
    """The state of a sweep after one step; displays itself in Jupyter."""

    __slots__ = ("sweep", "step")

    def __init__(self, sweep: Sweep, step: int) -> None:
        self.sweep = sweep
        self.step = step

    def to_svg(self, **options: Any) -> str:
        return self.sweep.to_svg(step=self.step, **options)

    def to_dot(self, **options: Any):
        return self.sweep.to_dot(step=self.step, **options)

    def save(self, file: "str | os.PathLike[str]", **options: Any) -> pathlib.Path:
        """Write this frame to ``file`` (.svg, .png, .pdf or .dot, by extension)."""
        return self.sweep.save(file, step=self.step, **options)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        from . import render
        return render.mimebundle(self.sweep.graph, sweep=self.sweep, step=self.step)

    def __repr__(self) -> str:
        return f"<Frame {self.step + 1}/{len(self.sweep.steps)} of {self.sweep.mode} sweep: {self.sweep.steps[self.step].text}>"
