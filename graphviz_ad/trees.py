"""Nested arguments and results as trees: a ``Structure`` and its leaves, and back.

A traced function takes and returns numbers and arrays nested in lists, tuples and dicts.
``flatten`` is the one walk over such a value: it gives the value's ``Structure`` and its
leaves, each with a path name (``x``, ``params[3]``, ``W1``, ``layer.bias``) that names
the input node it becomes. ``Structure.rebuild`` puts leaves back in place (a gradient has
the structure of its argument); ``Structure.leaves_of`` takes the leaves of another value
that must have the same structure (a tangent or cotangent), matching dicts by key.
"""

from __future__ import annotations

from itertools import islice
from typing import Any, Iterator

from .errors import SeedError

__all__ = ["Structure", "LEAF", "flatten", "leaves"]


class Structure:
    """The shape of a nested list/tuple/dict, so leaves can be put back in place."""

    __slots__ = ("kind", "keys", "children", "num_leaves", "flat")

    def __init__(self, kind: str, keys: tuple[Any, ...] = (), children: tuple["Structure", ...] = ()) -> None:
        self.kind = kind          # "leaf", "list", "tuple" or "dict"
        self.keys = keys          # dict keys, in order
        self.children = children  # child Structures
        # (Plain loops: grad() makes these on every call, and generator expressions cost more.)
        count, flat = (1, False) if kind == "leaf" else (0, True)
        for child in children:
            count += child.num_leaves
            if child.kind != "leaf":
                flat = False
        self.num_leaves: int = count
        self.flat: bool = flat

    def rebuild(self, leaves: Iterator[Any]) -> Any:
        """This structure with its leaves taken in order from ``leaves``."""
        if self.kind == "leaf":
            return next(leaves)
        if self.flat:  # every child is a leaf: no recursion
            items = list(islice(leaves, len(self.children)))
        else:
            items = [child.rebuild(leaves) for child in self.children]
        if self.kind == "list":
            return items
        if self.kind == "tuple":
            return tuple(items)
        return dict(zip(self.keys, items))

    def leaves_of(self, value: Any, what: str) -> list[Any]:
        """The leaves of ``value`` in this structure's order; ``value`` must have this
        structure: a dict with the same keys (in any order), a list or tuple of the same
        length, down to the leaves. Matching by position alone would pair a dict's values
        with the wrong keys. ``what`` names ``value`` in the error (``"tangent 0"``)."""
        if self.kind == "leaf":
            return [value]
        if self.kind == "dict":
            if not isinstance(value, dict) or set(value) != set(self.keys):
                keys = ", ".join(sorted(map(repr, self.keys)))
                given = (f"the keys {', '.join(sorted(map(repr, value)))}" if isinstance(value, dict)
                         else f"a {type(value).__name__}")
                raise SeedError(f"{what} must be a dict with the keys {keys}; got {given}")
            items = [value[key] for key in self.keys]
            paths = [f"{what}[{key!r}]" for key in self.keys]
        else:
            if not isinstance(value, (list, tuple)) or len(value) != len(self.children):
                given = f"{len(value)} entries" if isinstance(value, (list, tuple)) else f"a {type(value).__name__}"
                raise SeedError(f"{what} must be a list or tuple of {len(self.children)} entries; got {given}")
            items = list(value)
            paths = [f"{what}[{i}]" for i in range(len(items))]
        found: list[Any] = []
        for child, item, path in zip(self.children, items, paths):
            found.extend(child.leaves_of(item, path))
        return found


LEAF = Structure("leaf")


def flatten(value: Any, path: str = "", top_level: bool = True) -> tuple[Structure, list[tuple[str, Any]]]:
    """Split ``value`` into its structure and its ``(path name, leaf)`` pairs.

    Sequences give ``path[i]``; a dict argument gives its keys as names (``W1``), a dict
    deeper down gives ``path.key``.
    """
    if isinstance(value, (list, tuple)):
        pairs: list[tuple[str, Any]] = []
        children = []
        for i, item in enumerate(value):
            child, child_pairs = flatten(item, f"{path}[{i}]", top_level=False)
            children.append(child)
            pairs.extend(child_pairs)
        return Structure("list" if isinstance(value, list) else "tuple", (), tuple(children)), pairs
    if isinstance(value, dict):
        pairs = []
        children = []
        for key, item in value.items():
            child, child_pairs = flatten(item, _key_path(path, key, top_level), top_level=False)
            children.append(child)
            pairs.extend(child_pairs)
        return Structure("dict", tuple(value.keys()), tuple(children)), pairs
    return LEAF, [(path, value)]


def leaves(value: Any) -> list[Any]:
    """The leaves of ``value`` in ``flatten``'s order, without their names."""
    return [leaf for _, leaf in flatten(value)[1]]


def _key_path(path: str, key: Any, top_level: bool) -> str:
    key_name = str(key)
    if key_name.isidentifier():
        return key_name if top_level else f"{path}.{key_name}"
    return f"{path}[{key!r}]"
