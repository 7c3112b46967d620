"""Function transforms in the style of JAX: grad, value_and_grad, jvp, vjp, jacfwd, jacrev.

Each one traces the function once on the given arguments and runs sweeps over the
recorded graph. A gradient has the structure of the argument it is taken with respect
to: a list of floats gives a list of floats, a dict of arrays a dict of arrays.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Sequence

import numpy as np

from .errors import SeedError, TraceError
from .graph import Graph
from .primitives import Value, dense, shape_of
from .seeds import argument_seeds, input_groups, one_hot, output_seed, scalar_output
from .sweeps import forward_tangents, reverse_adjoints
from .tracing import trace_selected
from .trees import leaves

__all__ = ["grad", "value_and_grad", "jvp", "vjp", "jacfwd", "jacrev"]


def _plain_argnums(argnums: Any) -> Any:
    """``argnums`` with numpy integers as Python ints (``np.argmax(...)`` is a fine argnum)."""
    if isinstance(argnums, np.integer):
        return int(argnums)
    if isinstance(argnums, (list, tuple)):
        return tuple(int(p) if isinstance(p, np.integer) else p for p in argnums)
    return argnums


def _positions(argnums: int | Sequence[int], count: int, who: str) -> tuple[int, ...]:
    if type(argnums) is int and -count <= argnums < count:  # the usual case, checked at once
        return (argnums % count,)
    if isinstance(argnums, int):
        positions: tuple[object, ...] = (argnums,)
    elif isinstance(argnums, (tuple, list)):
        positions = tuple(argnums)
    else:
        raise TraceError(f"{who}: argnums must be an int or a tuple of ints; got {argnums!r}")
    checked: list[int] = []
    for p in positions:
        if not isinstance(p, int) or isinstance(p, bool) or not -count <= p < count:
            raise TraceError(f"{who}: argnums={argnums!r} does not fit a call with {count} positional arguments")
        checked.append(p % count)
    return tuple(checked)


def _rebuild(graph: Graph, position: int, indices: Sequence[int], values: list[Value | None], taken: set[int]) -> Any:
    """Argument ``position``'s leaves from ``values`` (adjoints by node), in its structure.

    ``taken`` holds the owners of buffers already handed out (and of the caller's own seed
    arrays): one array, or views of one buffer, can be the adjoint of two inputs (``A + B``
    passes the same cotangent to both) and must not come back as two aliases (``_unshared``)."""
    structure = graph.arg_structures[position][1]
    tape_values = graph.tape.values
    known = len(values)
    leaves = []
    for i in indices:
        value = values[i] if i < known else None
        if value is None:  # never reached (reverse_adjoints with release=True)
            value = 0.0
        like = tape_values[i]
        if type(value) is float and type(like) is not float:
            value = dense(value, like)  # a zero never touched, for an array input
        leaves.append(_unshared(value, taken))
    return structure.rebuild(iter(leaves))


def _output_value(graph: Graph) -> Any:
    """f's result, in its structure, as arrays of the caller's own (writable, as jvp's are;
    the graph's values stay read-only for vjp_fn)."""
    values = graph.tape.values
    return graph.out_structure.rebuild(
        iter(values[i] if type(values[i]) is float else values[i].copy() for i in graph.output_indices))


def _value_and_grad(f: Callable[..., Any], argnums: int | Sequence[int], who: str) -> Callable[..., tuple[Any, Any]]:
    """value_and_grad's work; ``who`` is the transform the user called, for error messages."""
    argnums = _plain_argnums(argnums)

    def value_and_grad_f(*args: Any, **kwargs: Any) -> tuple[Any, Any]:
        positions = _positions(argnums, len(args), who)
        for p in positions:
            if type(args[p]) is not float and type(args[p]) is not np.ndarray and not leaves(args[p]):
                raise TraceError(f"{who}: argument {p} has no numbers to differentiate by; got {args[p]!r:.60}")
        graph = trace_selected(f, args, kwargs, differentiate=set(positions), keep=False, name_locals=False)
        out = scalar_output(graph, who)
        adjoints = reverse_adjoints(graph.tape, {out: output_seed(graph, out)}, release=True)  # the graph dies here
        groups = input_groups(graph, positions)
        taken: set[int] = set()
        if isinstance(argnums, int):
            return graph.tape.values[out], _rebuild(graph, positions[0], groups[positions[0]], adjoints, taken)
        return graph.tape.values[out], tuple(_rebuild(graph, p, groups[p], adjoints, taken) for p in positions)

    return value_and_grad_f


def value_and_grad(f: Callable[..., Any], argnums: int | Sequence[int] = 0) -> Callable[..., tuple[Any, Any]]:
    """``f``'s value and its gradient with respect to argument(s) ``argnums`` (one reverse sweep)."""
    return functools.wraps(f)(_value_and_grad(f, argnums, "value_and_grad"))


def grad(f: Callable[..., Any], argnums: int | Sequence[int] = 0) -> Callable[..., Any]:
    """The gradient of scalar ``f`` with respect to argument(s) ``argnums``."""
    both = _value_and_grad(f, argnums, "grad")

    @functools.wraps(f)
    def grad_f(*args: Any, **kwargs: Any) -> Any:
        return both(*args, **kwargs)[1]

    return grad_f


def _as_argument_tuple(values: Any, what: str) -> tuple:
    if not isinstance(values, (list, tuple)):
        raise SeedError(f"jvp takes the {what} as a tuple, one entry per argument of f: "
                        f"jvp(f, (x,), (t,)); got a {type(values).__name__}")
    return tuple(values)


def jvp(f: Callable[..., Any], primals: Sequence[Any], tangents: Sequence[Any]) -> tuple[Any, Any]:
    """Forward mode: ``(f(*primals), J·tangents)`` in one forward sweep.

    Each tangent has the structure of its primal (a dict tangent is matched by key)."""
    primals, tangents = _as_argument_tuple(primals, "primals"), _as_argument_tuple(tangents, "tangents")
    if len(primals) != len(tangents):
        raise SeedError(f"jvp got {len(primals)} primals but {len(tangents)} tangents")
    graph = trace_selected(f, primals, {}, differentiate=set(range(len(primals))), keep=False, name_locals=False)
    groups = input_groups(graph, range(len(primals)))
    seeds: dict[int, Any] = {}
    for position, tangent in enumerate(tangents):
        leaves = graph.arg_structures[position][1].leaves_of(tangent, f"tangent {position}")
        seeds.update(argument_seeds(graph, groups[position], leaves, f"tangent {position}"))
    values = forward_tangents(graph.tape, seeds)
    tape_values = graph.tape.values
    # The caller's primal and tangent arrays (this trace did not copy them) never come back
    # as results, nor does one array come back twice: f(x) = x gives copies.
    taken = {_buffer(seed) for seed in seeds.values() if type(seed) is not float}
    taken.update(_buffer(tape_values[i]) for group in groups.values() for i in group if type(tape_values[i]) is not float)
    primal_out = [_unshared(tape_values[i], taken) for i in graph.output_indices]
    tangent_out = [_unshared(dense(values[i], tape_values[i]), taken) for i in graph.output_indices]
    return graph.out_structure.rebuild(iter(primal_out)), graph.out_structure.rebuild(iter(tangent_out))


def _buffer(array: np.ndarray) -> int:
    """Who owns ``array``'s memory (numpy makes a view's base the owning array)."""
    return id(array if array.base is None else array.base)


def _unshared(value: Value, taken: set[int]) -> Value:
    """``value``, or a copy of it if memory of that array was handed out already (the
    owners in ``taken``): a reshape or transpose rule gives views, which must not make two
    results, or a result and the caller's array, one buffer."""
    if not isinstance(value, np.ndarray):
        return value
    owner = _buffer(value)
    if owner in taken:
        return value.copy()
    taken.add(owner)
    return value


def vjp(f: Callable[..., Any], *primals: Any) -> tuple[Any, Callable[[Any], tuple[Any, ...]]]:
    """Reverse mode: ``(f(*primals), vjp_fn)``; ``vjp_fn(ȳ)`` returns ``ȳᵀ·J``, one entry per primal."""
    graph = trace_selected(f, primals, {}, differentiate=set(range(len(primals))))
    groups = input_groups(graph, range(len(primals)))

    def vjp_fn(cotangent: Any) -> tuple[Any, ...]:
        # The cotangent has the structure of f's result (a dict is matched by key).
        leaves = graph.out_structure.leaves_of(cotangent, "the cotangent")
        outputs = list(graph.output_indices)
        seeds: dict[int, Any] = {}
        for index, leaf in zip(outputs, leaves):
            seed = argument_seeds(graph, [index], [leaf], "cotangent")[index]
            seeds[index] = seeds[index] + seed if index in seeds else seed
        adjoints = reverse_adjoints(graph.tape, seeds)
        taken = {_buffer(seed) for seed in seeds.values() if type(seed) is not float}  # the caller's arrays
        return tuple(_rebuild(graph, p, groups[p], adjoints, taken) for p in range(len(primals)))

    return _output_value(graph), vjp_fn


def _single_output(graph: Graph, who: str) -> int:
    if len(graph.output_indices) != 1:
        raise TraceError(f"{who} needs f to return one scalar or array; it returned {len(graph.output_indices)} values")
    return graph.output_indices[0]


def jacfwd(f: Callable[..., Any], argnums: int | Sequence[int] = 0) -> Callable[..., Any]:
    """The Jacobian by forward mode: one sweep per element of argument ``argnums``.

    The result has the structure of that argument; each leaf has shape
    ``out.shape + leaf.shape`` and the dtype of ``out`` and the leaf together. A tuple of
    ``argnums`` gives a tuple of Jacobians.
    """
    argnums = _plain_argnums(argnums)

    @functools.wraps(f)
    def jacobian(*args: Any, **kwargs: Any) -> Any:
        positions = _positions(argnums, len(args), "jacfwd")
        graph = trace_selected(f, args, kwargs, differentiate=set(positions), keep=False, name_locals=False)
        out = _single_output(graph, "jacfwd")
        out_value = graph.tape.values[out]
        groups = input_groups(graph, positions)
        results = []
        for position in positions:
            blocks = []
            for index in groups[position]:
                in_value = graph.tape.values[index]
                in_shape = shape_of(in_value)
                block = np.zeros(shape_of(out_value) + in_shape, dtype=np.result_type(out_value, in_value))
                for element in np.ndindex(*in_shape):
                    seed = 1.0 if in_shape == () else one_hot(in_value, element)
                    block[(...,) + element] = forward_tangents(graph.tape, {index: seed})[out]
                blocks.append(_scalar_if_0d(block))
            results.append(graph.arg_structures[position][1].rebuild(iter(blocks)))
        return results[0] if isinstance(argnums, int) else tuple(results)

    return jacobian


def jacrev(f: Callable[..., Any], argnums: int | Sequence[int] = 0) -> Callable[..., Any]:
    """The Jacobian by reverse mode: one sweep per element of the output (shapes and
    dtypes as ``jacfwd``; a tuple of ``argnums`` gives a tuple of Jacobians)."""
    argnums = _plain_argnums(argnums)

    @functools.wraps(f)
    def jacobian(*args: Any, **kwargs: Any) -> Any:
        positions = _positions(argnums, len(args), "jacrev")
        graph = trace_selected(f, args, kwargs, differentiate=set(positions), keep=False, name_locals=False)
        out = _single_output(graph, "jacrev")
        out_value = graph.tape.values[out]
        out_shape = shape_of(out_value)
        groups = input_groups(graph, positions)
        indices = [i for p in positions for i in groups[p]]
        blocks = {i: np.zeros(out_shape + shape_of(graph.tape.values[i]),
                              dtype=np.result_type(out_value, graph.tape.values[i])) for i in indices}
        for element in np.ndindex(*out_shape):
            seed = 1.0 if out_shape == () else one_hot(out_value, element)
            adjoints = reverse_adjoints(graph.tape, {out: seed})
            for index in indices:
                blocks[index][element] = dense(adjoints[index] if index < len(adjoints) else 0.0,
                                                graph.tape.values[index])
        results = []
        for k, p in enumerate(positions):  # (a position asked for twice gets its own arrays)
            leaves = (blocks[i] if p not in positions[:k] else blocks[i].copy() for i in groups[p])
            results.append(graph.arg_structures[p][1].rebuild(iter(_scalar_if_0d(b) for b in leaves)))
        return results[0] if isinstance(argnums, int) else tuple(results)

    return jacobian


def _scalar_if_0d(block: np.ndarray) -> Value:
    return float(block) if block.ndim == 0 else block
