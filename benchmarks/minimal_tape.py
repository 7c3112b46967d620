"""The smallest record-then-sweep reverse mode we could write: a floor, not a product.

The array-MLP benchmark compares our ``value_and_grad`` with numpy's forward pass. Part
of what separates the two is not graphviz_ad's design but the price of doing reverse mode
from CPython at all: one Python call and one tape entry per op while recording, one
Python-level rule per op while sweeping, and numpy's per-call overhead on each. This
module pays only that price, so the benchmark can show it beside our figure: values on
a list, one backward rule per op, no names, no checks (no shapes, dtypes or non-finite
values), no graph to show, and only the ops the benchmark's loss uses.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

__all__ = ["Var", "value_and_grad", "reverse_sweep", "relu", "exp", "log"]


class Var:
    """A value being recorded: its tape and its position there."""

    __slots__ = ("tape", "index", "value")
    __array_ufunc__ = None  # so that ``ndarray @ Var`` comes to ``Var.__rmatmul__``

    def __init__(self, tape: list, index: int, value: Any) -> None:
        self.tape, self.index, self.value = tape, index, value

    def __add__(self, other):
        return _record(self.tape, ADD, self, other, self.value + _value(other))

    def __sub__(self, other):
        return _record(self.tape, SUB, self, other, self.value - _value(other))

    def __mul__(self, other):
        return _record(self.tape, MUL, self, other, self.value * _value(other))

    def __matmul__(self, other):
        return _record(self.tape, MATMUL, self, other, self.value @ _value(other))

    def __rmatmul__(self, other):
        return _record(self.tape, MATMUL, other, self, other @ self.value)

    def sum(self, axis: int | None = None):
        return _record(self.tape, SUM, self, None, _add_reduce(self.value, axis=axis), axis)

    def mean(self):
        return _record(self.tape, MEAN, self, None, _add_reduce(self.value, axis=None) / self.value.size)


def relu(x: Var) -> Var:
    return _record(x.tape, RELU, x, None, np.maximum(x.value, 0))


def exp(x: Var) -> Var:
    return _record(x.tape, EXP, x, None, np.exp(x.value))


def log(x: Var) -> Var:
    return _record(x.tape, LOG, x, None, np.log(x.value))


def _value(x: Any) -> Any:
    return x.value if type(x) is Var else x


# A tape entry is (rules, a, b, value, param): a and b are the tape positions of the
# arguments (b None for one argument), param an op's setting (sum's axis). ``rules`` has
# one backward rule per argument, ``rule(ct, x, y, out, param)`` giving that argument's
# cotangent; inputs have no rules (None) and constants an empty tuple.
CONSTANT: tuple = ()


def _position(tape: list, x: Any) -> int | None:
    if type(x) is Var:
        return x.index
    if x is None:
        return None
    tape.append((CONSTANT, None, None, x, None))
    return len(tape) - 1


def _record(tape: list, rules: tuple, a: Any, b: Any, value: Any, param: Any = None) -> Var:
    tape.append((rules, _position(tape, a), _position(tape, b), value, param))
    return Var(tape, len(tape) - 1, value)


# numpy's C-level calls only: ndarray.sum/mean, np.full, np.broadcast_to and
# np.expand_dims each add microseconds of Python, which would make this floor too high.
_add_reduce = np.add.reduce


def _unbroadcast(ct: Any, like: Any) -> Any:
    return ct if ct.shape == like.shape else _add_reduce(ct, axis=0)


def _spread(ct: Any, like: Any, axis: int | None) -> Any:
    """A reduction's cotangent, repeated over the axis it reduced."""
    spread = np.empty(like.shape, like.dtype)
    spread[...] = ct if axis is None else ct.reshape(like.shape[:axis] + (1,) + like.shape[axis + 1:])
    return spread


ADD = (lambda ct, x, y, out, p: _unbroadcast(ct, x), lambda ct, x, y, out, p: _unbroadcast(ct, y))
SUB = (lambda ct, x, y, out, p: ct, lambda ct, x, y, out, p: -ct)
MUL = (lambda ct, x, y, out, p: ct * y, lambda ct, x, y, out, p: ct * x)
MATMUL = (lambda ct, x, y, out, p: ct @ y.T, lambda ct, x, y, out, p: x.T @ ct)
SUM = (lambda ct, x, y, out, axis: _spread(ct, x, axis),)
MEAN = (lambda ct, x, y, out, p: _spread(ct / x.size, x, None),)
RELU = (lambda ct, x, y, out, p: ct * (out > 0),)
EXP = (lambda ct, x, y, out, p: ct * out,)
LOG = (lambda ct, x, y, out, p: ct / x,)


def value_and_grad(f: Callable[..., Var]) -> Callable[..., tuple[float, dict[str, Any]]]:
    """``f``'s value and its gradient with respect to its first argument, a dict of arrays."""

    def value_and_grad_f(params: dict[str, Any], *rest: Any) -> tuple[float, dict[str, Any]]:
        tape: list = []
        leaves = {}
        for key, value in params.items():
            tape.append((None, None, None, value, None))
            leaves[key] = Var(tape, len(tape) - 1, value)
        out = f(leaves, *rest)
        adjoints = reverse_sweep(tape, out.index)
        return float(out.value), {key: adjoints[leaf.index] for key, leaf in leaves.items()}

    return value_and_grad_f


def reverse_sweep(tape: list, out: int) -> list[Any]:
    """The adjoint of every entry up to ``out``, seeded with 1 there (None: not reached)."""
    adjoints: list[Any] = [None] * len(tape)
    adjoints[out] = 1.0
    for i in range(out, -1, -1):
        ct = adjoints[i]
        rules, a, b, value, param = tape[i]
        if ct is None or not rules:
            continue
        x = tape[a][3]
        y = None if b is None else tape[b][3]
        if tape[a][0] is not CONSTANT:
            c = rules[0](ct, x, y, value, param)
            adjoints[a] = c if adjoints[a] is None else adjoints[a] + c
        if b is not None and tape[b][0] is not CONSTANT:
            c = rules[1](ct, x, y, value, param)
            adjoints[b] = c if adjoints[b] is None else adjoints[b] + c
    return adjoints
