"""The ∂-notation in one place: how derivatives, edges, chain-rule terms, steps and paths
are written.

Every text that shows a derivative is made here: the labels on a drawing's edges, the
explanation of a sweep's step (``Step.text``, the explorer's pane), a path's product and
the sum over paths. So the notation is the same in a figure, in the widget and in Python.

Each function takes ``names``, how nodes are written: by default the graph's own names
(``GraphNames``); a drawing passes names made visible and clipped to its label width.
``labels`` chooses what an edge or term shows: ``"both"`` (symbols, then numbers),
``"symbolic"``, ``"numeric"`` or ``"none"``; ``digits`` is significant digits.

Products: ``·`` multiplies numbers, or a number and an array; ``⊙`` is the elementwise
(Hadamard) product of two arrays, as in Nielsen's BP1 and BP2. A term across an op whose
local Jacobian is not elementwise (``matmul``, ``sum`` along an axis, ``reshape``, ...) is
written with that op's rule in matrix form (its registry entry's ``chain_forms``): the
reverse step at W in ``z = W @ a`` reads ``∂C/∂W = ∂C/∂z·aᵀ``, Nielsen's BP4.

Values in a step's text are written out in full up to ``WRITTEN_OUT`` entries (a vector
``[0.5, -1, 0.25]``, a matrix row by row ``[[1, 2], [3, 4]]``); larger arrays as their
shape and a summary.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Protocol, Sequence

import numpy as np

from .formatting import format_value

if TYPE_CHECKING:
    from .graph import Edge, Graph, Path
    from .primitives import Value
    from .sweeps import Step, Term

__all__ = [
    "LABELS", "WRITTEN_OUT", "Names", "GraphNames", "derivative", "times", "value_text",
    "edge_formula", "edge_text", "term_symbols", "term_numbers", "term_text",
    "step_text", "step_template", "term_template", "SLOT", "path_route", "path_text", "path_sum_text",
]

LABELS = ("both", "symbolic", "numeric", "none")
#: Arrays with at most this many entries are written out in a step's text.
WRITTEN_OUT = 36


class Names(Protocol):
    """How nodes are written: ``names(i)`` for node ``i``'s name, ``names.operand(i)`` for
    the node inside an expression (a scalar constant as its value)."""

    def __call__(self, index: int) -> str: ...

    def operand(self, index: int) -> str: ...


class GraphNames:
    """Nodes written with the graph's own names (``Graph.name_of``)."""

    __slots__ = ("graph",)

    def __init__(self, graph: "Graph") -> None:
        self.graph = graph

    def __call__(self, index: int) -> str:
        return self.graph.name_of(index)

    def operand(self, index: int) -> str:
        return self.graph.operand_label(index)


def _names(graph: "Graph", names: Names | None) -> Names:
    return GraphNames(graph) if names is None else names


def derivative(mode: str, seed: str, name: str) -> str:
    """``dname/dseed`` (a tangent, forward mode) or ``∂seed/∂name`` (an adjoint, reverse mode).

    A tangent is written with d, the total derivative: the running total over every path
    from the seed, told apart from an edge's local partial ∂name/∂arg in the same chain rule
    (``dc/da = ∂c/∂a·da/da + ∂c/∂b·db/da``). An adjoint keeps ∂, as in Nielsen's δ = ∂C/∂z."""
    return f"d{name}/d{seed}" if mode == "forward" else f"∂{seed}/∂{name}"


def _is_array(value: "Value | None") -> bool:
    return value is not None and type(value) is not float and np.ndim(value) > 0


def times(a: "Value | None", b: "Value | None", elementwise: bool = True) -> str:
    """The product sign between two values: `` ⊙ `` between two arrays multiplied
    elementwise, else ``·`` (numbers, a number and an array, or an inner product)."""
    return " ⊙ " if elementwise and _is_array(a) and _is_array(b) else "·"


def _sign(term: "Term") -> str:
    edge = term.edge
    return times(term.factor, term.partial, edge.graph.tape.ops[edge.dst_index].elementwise)


def value_text(value: "Value | None", digits: int = 4) -> str:
    """A number to ``digits`` significant digits; an array of up to ``WRITTEN_OUT`` entries
    written out (rows in brackets); a larger one as a summary."""
    if not isinstance(value, np.ndarray) or value.ndim == 0 or value.size > WRITTEN_OUT:
        return format_value(value, digits)
    return _nested(value, digits)


def _nested(array: np.ndarray, digits: int) -> str:
    if array.ndim == 1:
        return "[" + ", ".join(format_value(float(v), digits) for v in array) + "]"
    return "[" + ", ".join(_nested(row, digits) for row in array) + "]"


def _chain_form(term: "Term", mode: str) -> str | None:
    """The registry's matrix-form template for this term's edge (``"{ct}·{y}ᵀ"``), or None
    for an elementwise edge, written as factor ⊙ partial."""
    edge = term.edge
    forms = edge.graph.tape.ops[edge.dst_index].chain_forms
    if not forms or term.partial is not None:
        return None
    reverse, forward = forms[edge.slot]
    return reverse if mode == "reverse" else forward


def _operands(edge: "Edge", show: Callable[[int], str]) -> dict[str, str]:
    """The fields of a chain form: ``{x}``, ``{y}`` (the edge's target's operands, through
    ``show``), ``{out}`` (the target), ``{others}`` (every operand but the edge's own) and
    the op's parameters by name."""
    tape = edge.graph.tape
    dst = edge.dst_index
    args = tape.args_of(dst)
    fields = {key: str(value) for key, value in tape.params.get(dst, {}).items()}
    fields.update(x=show(args[0]), y=show(args[1]) if len(args) > 1 else "", out=show(dst),
                  others=", ".join(show(a) for k, a in enumerate(args) if k != edge.slot))
    return fields


# -- edges ------------------------------------------------------------------------

def edge_formula(edge: "Edge", names: Names | None = None) -> str:
    """The local derivative ∂dst/∂src as a formula in the operands' names (``d``, ``cos(x)``)."""
    graph = edge.graph
    names = _names(graph, names)
    tape = graph.tape
    dst = edge.dst_index
    prim = tape.ops[dst]
    operands = [names.operand(a) for a in tape.args_of(dst)]
    if prim.formula_params:
        return prim.formulas[edge.slot](*operands, names(dst), **tape.params.get(dst, {}))
    return prim.formulas[edge.slot](*operands, names(dst))


def edge_text(edge: "Edge", labels: str = "both", digits: int = 4, names: Names | None = None) -> str:
    """The label of an edge: ``∂e/∂c = d = 2`` (both), ``∂e/∂c = d`` (symbolic),
    ``∂e/∂c = 2`` (numeric), or nothing (``"none"``, or an edge from a constant, which no
    sweep differentiates along)."""
    if labels == "none":
        return ""
    graph = edge.graph
    names = _names(graph, names)
    src = edge.src_index
    if graph.tape.ops[src].name == "const":
        return ""
    symbol = f"∂{names(edge.dst_index)}/∂{names(src)}"
    partial = graph.local_partial(edge.dst_index, edge.slot)
    formula = edge_formula(edge, names)
    number = None if partial is None else format_value(partial, digits)
    if labels == "symbolic" or number is None:
        return f"{symbol} = {formula}"
    if labels == "numeric" or formula.replace("−", "-") == number:
        return f"{symbol} = {number}"
    return f"{symbol} = {formula} = {number}"


# -- chain-rule terms and steps -----------------------------------------------------

def term_symbols(mode: str, seed: str, term: "Term", names: Names | None = None) -> str:
    """A term in symbols: reverse ``∂e/∂c·∂c/∂b`` (adjoint of the edge's target times the
    edge), forward ``∂c/∂b·db/da`` (the edge times the tangent of its source); ``⊙``
    between arrays; a structural op's rule in matrix form (``∂C/∂z·aᵀ``)."""
    edge = term.edge
    names = _names(edge.graph, names)
    src, dst = names(edge.src_index), names(edge.dst_index)
    factor = derivative(mode, seed, src if mode == "forward" else dst)
    form = _chain_form(term, mode)
    if form is not None:
        return form.format(ct=factor, t=factor, **_operands(edge, names.operand))
    sign = _sign(term)
    if mode == "forward":
        return f"∂{dst}/∂{src}{sign}{factor}"
    return f"{factor}{sign}∂{dst}/∂{src}"


def term_numbers(mode: str, term: "Term", digits: int = 4) -> str:
    """A term's factors in numbers, in the order of :func:`term_symbols`."""
    factor = value_text(term.factor, digits)
    form = _chain_form(term, mode)
    if form is not None:
        values = term.edge.graph.tape.values
        return form.format(ct=factor, t=factor, **_operands(term.edge, lambda i: value_text(values[i], digits)))
    partial = value_text(term.partial, digits)
    sign = _sign(term)
    first, second = (factor, partial) if mode == "reverse" else (partial, factor)
    if second.startswith("-"):  # 1·(-0.52), not 1·-0.52
        second = f"({second})"
    return f"{first}{sign}{second}"


def term_text(mode: str, seed: str, term: "Term", labels: str = "both", digits: int = 4,
              names: Names | None = None) -> str:
    """A term with its product, as a drawing labels the term's edge:
    reverse ``∂e/∂c·∂c/∂b = 2·1 = 2``, forward ``∂c/∂b·db/db = 1·1 = 1``."""
    if labels == "none":
        return ""
    symbols = term_symbols(mode, seed, term, names)
    if labels == "symbolic":
        return symbols
    product = format_value(term.product, digits)
    numbers = term_numbers(mode, term, digits)
    if labels == "numeric":
        return f"{numbers} = {product}"
    return f"{symbols} = {numbers} = {product}"


def step_text(step: "Step", digits: int = 4, names: Names | None = None) -> str:
    """The chain rule at a step, in symbols and in numbers:
    ``∂e/∂b = ∂e/∂c·∂c/∂b + ∂e/∂d·∂d/∂b = 2·1 + 3·1 = 5``."""
    graph = step.node.graph
    names = _names(graph, names)
    seed = names(step.seed_index) + step.seed_element
    symbol = derivative(step.mode, seed, names(step.node.index))
    value = value_text(step.value, digits)
    if not step.terms:
        return f"{symbol} = {value} ({_why_no_terms(step, names)})"
    symbols = " + ".join(term_symbols(step.mode, seed, term, names) for term in step.terms)
    numbers = " + ".join(term_numbers(step.mode, term, digits) for term in step.terms)
    return f"{symbol} = {symbols} = {numbers} = {value}"


#: How a template marks its k-th number (a character no name uses, unlike braces).
SLOT = "⟨{}⟩"


def step_template(step: "Step", names: Names | None = None) -> tuple[str, list[tuple[Any, ...]]]:
    """:func:`step_text` of a step between numbers, with each number left as a slot
    ``⟨k⟩`` and ``slots[k]`` saying which: ``("d", node)`` the sweep's derivative at a node
    (a tangent or an adjoint), ``("p", dst, slot)`` an edge's local partial. A page with no
    kernel fills them in after recomputing (what-if; ``widget/whatif.js``)."""
    graph = step.node.graph
    names = _names(graph, names)
    seed = names(step.seed_index) + step.seed_element
    node = step.node.index
    symbol = derivative(step.mode, seed, names(node))
    slots: list[tuple[Any, ...]] = []

    def slot(*what: Any) -> str:
        slots.append(what)
        return SLOT.format(len(slots) - 1)

    if not step.terms:
        return f"{symbol} = {slot('d', node)} ({_why_no_terms(step, names)})", slots
    symbols = " + ".join(term_symbols(step.mode, seed, term, names) for term in step.terms)
    numbers = []
    for term in step.terms:
        edge = term.edge
        if step.mode == "reverse":
            numbers.append(f"{slot('d', edge.dst_index)}·{slot('p', edge.dst_index, edge.slot)}")
        else:
            numbers.append(f"{slot('p', edge.dst_index, edge.slot)}·{slot('d', edge.src_index)}")
    return f"{symbol} = {symbols} = {' + '.join(numbers)} = {slot('d', node)}", slots


def term_template(mode: str, seed: str, term: "Term", names: Names | None = None) -> tuple[str, list[tuple[Any, ...]]]:
    """:func:`term_text` with its numbers as slots (see :func:`step_template`); the last,
    ``("x", 0, 1)``, is the product of slots 0 and 1 (0 when either is 0, ZERO_TERMS)."""
    edge = term.edge
    partial = ("p", edge.dst_index, edge.slot)
    factor = ("d", edge.dst_index) if mode == "reverse" else ("d", edge.src_index)
    slots = [factor, partial] if mode == "reverse" else [partial, factor]
    numbers = f"{SLOT.format(0)}·{SLOT.format(1)} = {SLOT.format(2)}"
    return f"{term_symbols(mode, seed, term, names)} = {numbers}", [*slots, ("x", 0, 1)]


def _why_no_terms(step: "Step", names: Names) -> str:
    seed = names(step.seed_index) + step.seed_element
    if step.node.index == step.seed_index:
        return "the seed"
    if step.mode == "forward":
        return "another input: it does not change with " + seed if step.node.is_input else "no path"
    return f"{seed} does not depend on {names(step.node.index)}"


# -- paths ------------------------------------------------------------------------

def path_route(path: "Path", names: Names | None = None) -> str:
    """``b → c → e``."""
    if not path.edges:
        return ""
    names = _names(path.edges[0].graph, names)
    return " → ".join(names(node.index) for node in path.nodes)


def path_text(path: "Path", digits: int = 4, names: Names | None = None, labels: str = "both") -> str:
    """A path and its product: ``b → c → e: ∂c/∂b·∂e/∂c = 1·2 = 2`` (``labels="numeric"``
    leaves out the symbols: ``b → c → e: 1·2 = 2``)."""
    if not path.edges:
        return "a path of length 0 (the node itself): 1"
    graph = path.edges[0].graph
    names = _names(graph, names)
    numbers = "·".join(_path_factor(edge, digits, names) for edge in path.edges)
    if path.product is None:  # a non-elementwise edge: the product is a Jacobian, not an array of factors
        first, last = path.edges[0].src_index, path.edges[-1].dst_index
        rows, cols = (int(np.size(graph.tape.values[i])) for i in (last, first))
        product = f"a {rows}×{cols} Jacobian (the sweeps apply it without forming it)"
    else:
        product = format_value(path.product, digits)
    if labels == "numeric":
        return f"{path_route(path, names)}: {numbers} = {product}"
    symbols = "·".join(f"∂{names(e.dst_index)}/∂{names(e.src_index)}" for e in path.edges)
    return f"{path_route(path, names)}: {symbols} = {numbers} = {product}"


def _path_factor(edge: "Edge", digits: int, names: Names) -> str:
    """One edge's factor in a path's product: its local partial, or for an edge whose
    Jacobian is not elementwise, the rule it applies (``(a1ᵀ (right-multiplied))``)."""
    if edge.partial is not None:
        return format_value(edge.partial, digits)
    return "(" + edge_text(edge, "symbolic", digits, names).partition(" = ")[2] + ")"


def path_sum_text(graph: "Graph", src: int, dst: int, paths: Sequence["Path"], digits: int = 4,
                  names: Names | None = None) -> str:
    """The sum over paths: ``∂e/∂b = 2 + 3 = 5``; empty when a product is not a number."""
    products = [path.product for path in paths]
    if not paths or any(p is None for p in products):
        return ""
    names = _names(graph, names)
    shown = " + ".join(format_value(p, digits) for p in products)
    return f"∂{names(dst)}/∂{names(src)} = {shown} = {format_value(sum(products), digits)}"
