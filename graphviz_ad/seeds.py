"""Where a sweep starts: seeds checked against their node, one-hot seeds, the scalar
output a gradient starts from, and which input nodes each traced argument became.

Shared by the sweeps (``g.forward(seed=...)``), the function transforms (``grad``,
``jvp``, ``vjp``, ``jacfwd``, ``jacrev``) and ``check_grad``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from .errors import SeedError, ShapeError, TraceError
from .primitives import Value, shape_of

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, DTypeLike

    from .graph import Graph

__all__ = ["node_seed", "argument_seeds", "one_hot", "scalar_output", "output_seed", "input_groups"]


def node_seed(graph: "Graph", index: int, seed: "ArrayLike | None", onehot: "int | tuple[int, ...] | None",
              role: str) -> Value:
    """The seed of a sweep from node ``index`` (``role`` is "input" or "output"): 1 for a
    number, and for an array either ``seed`` (an array of its shape) or a one-hot at ``onehot``."""
    value = graph.tape.values[index]
    name = graph.name_of(index)
    if seed is not None and onehot is not None:
        raise SeedError(f"give either seed= or index= for {role} {name!r}, not both")
    if type(value) is float:
        if onehot is not None:
            raise SeedError(f"{role} {name!r} is a scalar; index= is only for arrays")
        if seed is None:
            return 1.0
        if np.ndim(seed) != 0:
            raise SeedError(f"{role} {name!r} is a scalar, but the seed has shape {np.shape(seed)}")
        return float(_numbers(seed, f"the seed for {role} {name!r}"))
    if onehot is not None:
        seed_array = np.zeros(value.shape, dtype=value.dtype)
        try:
            seed_array[onehot] = 1.0
        except (IndexError, TypeError) as err:
            raise SeedError(f"index={onehot!r} does not fit {role} {name!r} of shape {value.shape}: {err}") from None
        if seed_array.sum() != 1.0:
            raise SeedError(f"index={onehot!r} must pick exactly one element of {role} {name!r} (shape {value.shape})")
        return seed_array
    if seed is None:
        raise SeedError(
            f"{role} {name!r} is an array of shape {value.shape}: pass seed= (an array of that shape) "
            f"or index= (the element to seed with 1, e.g. index={(0,) * value.ndim})")
    seed_array = _numbers(seed, f"the seed for {role} {name!r}", value.dtype)  # a copy: the caller may reuse theirs
    if seed_array.shape != value.shape:
        raise SeedError(f"the seed for {role} {name!r} has shape {seed_array.shape}; it needs {value.shape}")
    return seed_array


def argument_seeds(graph: "Graph", indices: Sequence[int], leaves: list[Any], what: str) -> dict[int, Value]:
    """Seeds for the input nodes ``indices`` from the leaves of a tangent or cotangent
    (``what`` names it in errors), each checked against its node's shape."""
    if len(indices) != len(leaves):
        raise SeedError(f"{what} has {len(leaves)} leaves but the argument has {len(indices)}")
    seeds: dict[int, Value] = {}
    for index, leaf in zip(indices, leaves):
        value = graph.tape.values[index]
        seed = _numbers(leaf, f"{what} for {graph.name_of(index)!r}", np.result_type(value, np.float32))
        if seed.shape != shape_of(value):
            raise SeedError(
                f"{what} for {graph.name_of(index)!r} has shape {seed.shape}; it needs {shape_of(value)}")
        seeds[index] = float(seed) if seed.ndim == 0 else seed
    return seeds


def _numbers(given: Any, what: str, dtype: "DTypeLike" = np.float64) -> np.ndarray:
    """``given`` as a new float array, or a SeedError naming ``what`` ("x" is no seed)."""
    try:
        return np.array(given, dtype=dtype)
    except (TypeError, ValueError, OverflowError) as err:
        raise SeedError(f"{what} must be a number or an array of numbers; got {type(given).__name__} "
                        f"{given!r:.60}: {err}") from None


def one_hot(like: np.ndarray, element: tuple[int, ...]) -> np.ndarray:
    """An array shaped like ``like``: 1 at ``element``, 0 elsewhere."""
    seed = np.zeros(like.shape, dtype=like.dtype)
    seed[element] = 1.0
    return seed


def scalar_output(graph: "Graph", who: str) -> int:
    """The index of the one scalar output a gradient starts from; ``who`` is the function
    the user called (``grad``, ``check_grad``), for the error."""
    if len(graph.output_indices) != 1:
        raise TraceError(f"{who} needs f to return one scalar; it returned {len(graph.output_indices)} values")
    index = graph.output_indices[0]
    value = graph.tape.values[index]
    if type(value) is not float and value.size != 1:
        raise ShapeError(
            f"{who} needs f to return a scalar; it returned an array of shape {value.shape} "
            "(use jacrev/jacfwd, or vjp with a cotangent)")
    return index


def output_seed(graph: "Graph", index: int) -> "Value":
    """The seed 1 of a scalar output, in its form: an array of one 1 for an output of size 1
    (``grad`` accepts those, as autograd and JAX do)."""
    value = graph.tape.values[index]
    return 1.0 if type(value) is float else np.ones(value.shape, dtype=value.dtype)


def input_groups(graph: "Graph", positions: Sequence[int]) -> dict[int, range]:
    """The input node indices of each traced positional argument, in order.

    Tracing records the positional arguments' leaves first, from node 0 on, so each
    argument's inputs are one run of indices."""
    start = 0
    groups: dict[int, range] = {}
    for position, (_, structure) in enumerate(graph.arg_structures):
        if structure is not None:
            groups[position] = range(start, start + structure.num_leaves)
            start += structure.num_leaves
    return {p: groups[p] for p in positions}
