"""Registry entries for numpy's array functions: selecting and rearranging entries
(tile, repeat, flip, roll, diag, tril, pad, ...), reshaping under the user's own names
(squeeze, expand_dims, ravel, swapaxes, ...), reductions (prod, var, std, cumsum,
cumprod, trace), joining (concatenate, stack), contractions (einsum, tensordot, outer,
inner, cross), where and clip.

Ops that only move entries around (every output entry is a copy of one input entry, or a
fill value) share one pair of rules: the op is applied once to the entries' positions, and
that map carries tangents forward and adds adjoints back to where each entry came from.
Contractions are einsum underneath, and their rules are einsums too: the adjoint of one
operand contracts the output's adjoint with all the other operands.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

import numpy as np

from .primitives import Primitive, _count, _expanded, _register, completed, shape_of, unbroadcast

__all__ = ["variadic", "einsum_parts"]


def _finish(grad: Any, like: Any) -> Any:
    """A derivative in its argument's form: a float for a float argument."""
    if type(like) is float:
        return float(np.sum(grad)) if np.ndim(grad) else float(grad)
    return grad


# --- ops that move entries: one rule pair from the map of where entries come from ------

def _source_map(fn: Callable, x: Any, params: dict) -> np.ndarray:
    """``fn`` applied to the positions 1..n of ``x``'s entries: each output entry says
    which input entry it copies (0: a fill value such as tril's zeros)."""
    positions = np.arange(1, int(np.size(x)) + 1).reshape(shape_of(x))
    return np.asarray(fn(positions, **params))


def _moved_jvp(fn: Callable) -> Callable:
    def jvp(t, x, out, **params):
        source = _source_map(fn, x, params)
        flat = np.concatenate([np.zeros(1, dtype=np.result_type(t, np.float32)), np.ravel(np.broadcast_to(t, shape_of(x)))])
        return _finish(flat[source], out)
    return jvp


def _moved_vjp(fn: Callable) -> Callable:
    def vjp(ct, x, out, **params):
        source = _source_map(fn, x, params)
        weights = np.broadcast_to(ct, source.shape)
        grad = np.bincount(source.ravel(), weights=weights.ravel(), minlength=int(np.size(x)) + 1)[1:]
        return _finish(grad.reshape(shape_of(x)), x)
    return vjp


def _moving_entry(name: str, fn: Callable, examples: Callable, symbol: str = "",
                  reverse: str = "{ct} added back to where each entry came from",
                  forward: str = "") -> None:
    _register(Primitive(
        name, 1, fn, formulas=(lambda x, out: f"1 ({name})",), reads=((),), symbol=symbol,
        jvp=(_moved_jvp(fn),), vjp=(_moved_vjp(fn),),
        chain_forms=((reverse, forward or f"{name}({{t}})"),), examples=examples,
    ))


_moving_entry("tile", lambda x, reps: np.tile(x, reps),
              lambda rng: [((rng.standard_normal((2, 3)),), {"reps": (2, 1)}),
                           ((rng.standard_normal(3),), {"reps": 3})])
_moving_entry("repeat", lambda x, repeats, axis: np.repeat(x, repeats, axis),
              lambda rng: [((rng.standard_normal((2, 3)),), {"repeats": 2, "axis": 1}),
                           ((rng.standard_normal((2, 3)),), {"repeats": 2, "axis": None})])
_moving_entry("broadcast_to", lambda x, shape: np.broadcast_to(x, shape).copy(),
              lambda rng: [((rng.standard_normal(3),), {"shape": (2, 3)})])
_moving_entry("flip", lambda x, axis: np.flip(x, axis),
              lambda rng: [((rng.standard_normal((2, 3)),), {"axis": (1,)}),
                           ((rng.standard_normal((2, 3)),), {"axis": None})])
_moving_entry("roll", lambda x, shift, axis: np.roll(x, shift, axis),
              lambda rng: [((rng.standard_normal((2, 3)),), {"shift": 1, "axis": 1}),
                           ((rng.standard_normal(5),), {"shift": -2, "axis": None})])
_moving_entry("rot90", lambda x, k, axes: np.rot90(x, k, axes),
              lambda rng: [((rng.standard_normal((2, 3)),), {"k": 1, "axes": (0, 1)})])
_moving_entry("diag", lambda x, k: np.diag(x, k),
              lambda rng: [((rng.standard_normal(3),), {"k": 0}), ((rng.standard_normal((3, 3)),), {"k": 1})])
_moving_entry("diagonal", lambda x, offset, axis1, axis2: np.diagonal(x, offset, axis1, axis2).copy(),
              lambda rng: [((rng.standard_normal((3, 3)),), {"offset": 0, "axis1": 0, "axis2": 1})])
_moving_entry("tril", lambda x, k: np.tril(x, k), lambda rng: [((rng.standard_normal((3, 3)),), {"k": 0})],
              reverse="tril({ct})", forward="tril({t})")
_moving_entry("triu", lambda x, k: np.triu(x, k), lambda rng: [((rng.standard_normal((3, 3)),), {"k": 0})],
              reverse="triu({ct})", forward="triu({t})")
_moving_entry("pad", lambda x, pad_width: np.pad(x, pad_width),
              lambda rng: [((rng.standard_normal((2, 3)),), {"pad_width": ((1, 0), (0, 2))})],
              reverse="{ct} without the padding")


def _trace_vjp(ct, x, out, offset, axis1, axis2):
    source = _source_map(np.diagonal, x, {"offset": offset, "axis1": axis1, "axis2": axis2})
    weights = np.broadcast_to(np.expand_dims(np.asarray(ct), -1), source.shape)
    grad = np.bincount(source.ravel(), weights=weights.ravel(), minlength=x.size + 1)[1:]
    return grad.reshape(x.shape)


_register(Primitive(
    "trace", 1, lambda x, offset, axis1, axis2: np.trace(x, offset, axis1, axis2),
    formulas=(lambda x, out: "I (the diagonal)",), reads=((),), symbol="tr",
    chain_forms=(("{ct}·I", "tr({t})"),),
    jvp=(lambda t, x, out, offset, axis1, axis2: np.trace(t, offset, axis1, axis2),), vjp=(_trace_vjp,),
    examples=lambda rng: [((rng.standard_normal((3, 3)),), {"offset": 0, "axis1": 0, "axis2": 1}),
                          ((rng.standard_normal((2, 3, 3)),), {"offset": 0, "axis1": 1, "axis2": 2})],
))


# --- reshaping and transposing, under the names the user wrote ----------------------

def _reshape_vjp(ct, x, out, shape):
    return float(np.reshape(ct, ())) if type(x) is float else np.reshape(ct, x.shape)


for _name in ("squeeze", "expand_dims", "ravel", "atleast_1d", "atleast_2d", "atleast_3d"):
    _register(Primitive(
        _name, 1, lambda x, shape: np.reshape(x, shape),
        formulas=(lambda x, out, _name=_name: f"1 ({_name})",), reads=((),),
        chain_forms=(("reshape({ct})", "reshape({t})"),),
        jvp=(lambda t, x, out, shape: np.reshape(t, shape),), vjp=(_reshape_vjp,),
        examples=lambda rng: [((rng.standard_normal((3, 1)),), {"shape": (3,)})],
    ))
for _name in ("swapaxes", "moveaxis"):
    _register(Primitive(
        _name, 1, lambda x, axes: np.transpose(x, axes),
        formulas=(lambda x, out, _name=_name: f"1 ({_name})",), reads=((),),
        chain_forms=((f"{_name} undone on {{ct}}", f"{_name}({{t}})"),),
        jvp=(lambda t, x, out, axes: np.transpose(t, axes),),
        vjp=(lambda ct, x, out, axes: np.transpose(ct, np.argsort(axes)),),
        examples=lambda rng: [((rng.standard_normal((2, 3, 4)),), {"axes": (0, 2, 1)})],
    ))


_register(Primitive(
    "astype", 1, lambda x, dtype: x.astype(dtype),
    formulas=(lambda x, out: "1 (cast)",), reads=((),),
    chain_forms=(("{ct} cast back", "{t} cast"),),
    jvp=(lambda t, x, out, dtype: np.asarray(t).astype(dtype),),
    vjp=(lambda ct, x, out, dtype: np.asarray(ct).astype(x.dtype),),
    examples=lambda rng: [((rng.standard_normal((2, 3)).astype(np.float32),), {"dtype": "float64"})],
))


# --- reductions ---------------------------------------------------------------------

def _reduction_examples(rng):
    r = rng.standard_normal
    return [((r((3, 4)),), {"axis": None, "keepdims": False}),
            ((r((3, 4)),), {"axis": (0,), "keepdims": False}),
            ((r((2, 3, 4)),), {"axis": (1, 2), "keepdims": True})]


def _others_product(x: np.ndarray, axis: tuple[int, ...] | None) -> np.ndarray:
    """For each entry, the product of the other entries it is reduced with (exact where
    entries are 0, unlike prod/x): exclusive products from the left and from the right."""
    axes = tuple(range(x.ndim)) if axis is None else axis
    kept = [a for a in range(x.ndim) if a not in axes]
    moved = np.transpose(x, kept + list(axes))
    lines = moved.reshape(moved.shape[:len(kept)] + (-1,))
    ones = np.ones(lines.shape[:-1] + (1,), dtype=lines.dtype)
    left = np.cumprod(np.concatenate([ones, lines[..., :-1]], axis=-1), axis=-1)
    right = np.flip(np.cumprod(np.concatenate([ones, np.flip(lines, -1)[..., :-1]], axis=-1), axis=-1), -1)
    back = (left * right).reshape(moved.shape)
    return np.transpose(back, np.argsort(kept + list(axes)))


def _prod_vjp(ct, x, out, axis, keepdims):
    return _others_product(x, axis) * _expanded(ct, x, axis, keepdims)


def _prod_jvp(t, x, out, axis, keepdims):
    return np.sum(_others_product(x, axis) * t, axis=axis, keepdims=keepdims)


_register(Primitive(
    "prod", 1, lambda x, axis, keepdims: np.prod(x, axis=axis, keepdims=keepdims),
    formulas=(lambda x, out: "product of the others",), reads=(("x",),), symbol="Π",
    chain_forms=(("(product of the others) ⊙ spread({ct})", "Σ (product of the others) ⊙ {t}"),),
    jvp=(_prod_jvp,), vjp=(_prod_vjp,), examples=_reduction_examples,
))


def _centred(x, axis):
    return x - np.mean(x, axis=axis, keepdims=True)


def _var_vjp(ct, x, out, axis, keepdims, ddof):
    return 2.0 * _centred(x, axis) / (_count(x, axis) - ddof) * _expanded(ct, x, axis, keepdims)


def _var_jvp(t, x, out, axis, keepdims, ddof):
    return np.sum(2.0 * _centred(x, axis) * t, axis=axis, keepdims=keepdims) / (_count(x, axis) - ddof)


def _std_vjp(ct, x, out, axis, keepdims, ddof):
    spread_out = _expanded(out, x, axis, keepdims)
    with np.errstate(divide="ignore", invalid="ignore"):
        return _centred(x, axis) / ((_count(x, axis) - ddof) * spread_out) * _expanded(ct, x, axis, keepdims)


def _std_jvp(t, x, out, axis, keepdims, ddof):
    with np.errstate(divide="ignore", invalid="ignore"):
        return _var_jvp(t, x, out, axis, keepdims, ddof) / (2.0 * out)


def _spread_examples(rng):
    return [(args, {**params, "ddof": 0}) for args, params in _reduction_examples(rng)] + [
        ((rng.standard_normal((3, 4)),), {"axis": (1,), "keepdims": False, "ddof": 1})]


_register(Primitive(
    "var", 1, lambda x, axis, keepdims, ddof: np.var(x, axis=axis, keepdims=keepdims, ddof=ddof),
    formulas=(lambda x, out: f"2·({x}−mean)/n",), reads=(("x",),),
    chain_forms=(("2·({x}−mean)/n ⊙ spread({ct})", "Σ 2·({x}−mean)/n ⊙ {t}"),),
    jvp=(_var_jvp,), vjp=(_var_vjp,), examples=_spread_examples,
))
_register(Primitive(
    "std", 1, lambda x, axis, keepdims, ddof: np.std(x, axis=axis, keepdims=keepdims, ddof=ddof),
    formulas=(lambda x, out: f"({x}−mean)/(n·{out})",), reads=(("x", "out"),),
    chain_forms=(("({x}−mean)/(n·{out}) ⊙ spread({ct})", "Σ ({x}−mean)/(n·{out}) ⊙ {t}"),),
    jvp=(_std_jvp,), vjp=(_std_vjp,), examples=_spread_examples,
))


def _along(axis, x):
    """cumsum/cumprod work on the flattened array when axis is None."""
    return (np.ravel(x), 0) if axis is None else (x, axis)


def _cumsum_vjp(ct, x, out, axis):
    ct, ax = _along(axis, ct)
    back = np.flip(np.cumsum(np.flip(ct, ax), axis=ax), ax)
    return back.reshape(x.shape)


def _cumprod_vjp(ct, x, out, axis):
    # ∂out_j/∂x_i = Π_{k≤j, k≠i} x_k for j ≥ i: exact at zeros, one line at a time.
    xs, ax = _along(axis, x)
    cts, _ = _along(axis, ct)
    xs, cts = np.moveaxis(xs, ax, -1), np.moveaxis(cts, ax, -1)
    n = xs.shape[-1]
    grad = np.zeros_like(xs, dtype=np.result_type(xs, cts, np.float32))
    for i in range(n):
        others = xs.copy()
        others[..., i] = 1.0
        grad[..., i] = np.sum(np.cumprod(others, axis=-1)[..., i:] * cts[..., i:], axis=-1)
    return np.moveaxis(grad, -1, ax).reshape(x.shape)


def _cumprod_jvp(t, x, out, axis):
    xs, ax = _along(axis, x)
    ts, _ = _along(axis, t)
    xs, ts = np.moveaxis(xs, ax, -1), np.moveaxis(ts, ax, -1)
    total = np.zeros_like(xs, dtype=np.result_type(xs, ts, np.float32))
    for i in range(xs.shape[-1]):
        others = xs.copy()
        others[..., i] = 1.0
        contribution = np.cumprod(others, axis=-1) * ts[..., i:i + 1]
        contribution[..., :i] = 0.0
        total += contribution
    moved = np.moveaxis(total, -1, ax)
    return moved.reshape(out.shape)


def _scan_examples(rng):
    return [((rng.standard_normal((2, 3)),), {"axis": 1}), ((rng.standard_normal((2, 3)),), {"axis": None})]


_register(Primitive(
    "cumsum", 1, lambda x, axis: np.cumsum(x, axis=axis),
    formulas=(lambda x, out: "[i ≤ j]",), reads=((),),
    chain_forms=(("reverse cumsum({ct})", "cumsum({t})"),),
    jvp=(lambda t, x, out, axis: np.cumsum(t, axis=axis),), vjp=(_cumsum_vjp,), examples=_scan_examples,
))
_register(Primitive(
    "cumprod", 1, lambda x, axis: np.cumprod(x, axis=axis),
    formulas=(lambda x, out: "Π of the others up to j",), reads=(("x",),),
    chain_forms=(("Σ over j ≥ i of (the product of {x} up to j without entry i)·{ct}",
                  "Σ over i ≤ j of (the product of {x} up to j without entry i)·{t}"),),
    jvp=(_cumprod_jvp,), vjp=(_cumprod_vjp,), examples=_scan_examples,
))


# --- where and clip -----------------------------------------------------------------

def _where_part(chosen: bool):
    def pick(value, condition):
        return np.where(condition, value, 0.0) if chosen else np.where(condition, 0.0, value)

    def jvp(t, x, y, out, condition):
        return _finish(np.broadcast_to(pick(t, condition), shape_of(out)), out)

    def vjp(ct, x, y, out, condition):
        like = x if chosen else y
        return _finish(unbroadcast(pick(np.broadcast_to(ct, shape_of(out)), condition), shape_of(like)), like)
    return jvp, vjp


_where_x, _where_y = _where_part(True), _where_part(False)
_register(Primitive(
    "where", 2, lambda x, y, condition: np.where(condition, x, y),
    formulas=(lambda x, y, out: "[condition]", lambda x, y, out: "[not condition]"),
    reads=((), ()),
    chain_forms=(("[condition] ⊙ {ct}", "[condition] ⊙ {t}"), ("[not condition] ⊙ {ct}", "[not condition] ⊙ {t}")),
    jvp=(_where_x[0], _where_y[0]), vjp=(_where_x[1], _where_y[1]),
    kinks="where passes the derivative to the branch it chose, entry by entry",
    examples=lambda rng: [((rng.standard_normal((2, 3)), rng.standard_normal(3)),
                           {"condition": rng.standard_normal((2, 3)) > 0})],
))


def _inside(x, lo, hi):
    inside = np.ones(np.shape(x), dtype=bool)
    if lo is not None:
        inside &= x >= lo
    if hi is not None:
        inside &= x <= hi
    return inside


_register(Primitive(
    "clip", 1, lambda x, lo, hi: np.clip(x, lo, hi),
    formulas=(lambda x, out: "[lo ≤ x ≤ hi]",), reads=(("x",),),
    chain_forms=(("[lo ≤ {x} ≤ hi] ⊙ {ct}", "[lo ≤ {x} ≤ hi] ⊙ {t}"),),
    jvp=(lambda t, x, out, lo, hi: _finish(np.where(_inside(x, lo, hi), t, 0.0), x),),
    vjp=(lambda ct, x, out, lo, hi: _finish(np.where(_inside(x, lo, hi), ct, 0.0), x),),
    kinks="clip passes the derivative through where lo ≤ x ≤ hi (at a bound too) and 0 outside",
    examples=lambda rng: [((rng.standard_normal((3, 4)),), {"lo": -0.5, "hi": 0.5}),
                          ((rng.standard_normal(5),), {"lo": None, "hi": 0.0})],
))


# --- any number of arguments: joining and einsum --------------------------------------

_VARIADIC: dict[str, Callable[[int], Primitive]] = {}


@functools.lru_cache(maxsize=None)
def variadic(name: str, count: int) -> Primitive:
    """The entry of the op ``name`` (``"stack"``, ``"einsum"``, ...) for ``count`` operands."""
    return completed(_VARIADIC[name](count))


def _variadic_entry(name: str, make: Callable[[int], Primitive], example_count: int) -> None:
    _VARIADIC[name] = make
    prim = variadic(name, example_count)
    _register(prim)


def _join_rules(slot: int, stacked: bool):
    def bounds(args, axis):
        sizes = [1 if stacked else shape_of(a)[axis] for a in args]
        start = sum(sizes[:slot])
        return start, start + sizes[slot]

    def jvp(t, *rest, axis):
        args, out = rest[:-1], rest[-1]
        start, stop = bounds(args, axis)
        tangent = np.zeros(out.shape, dtype=np.result_type(t, np.float32))
        index = [slice(None)] * out.ndim
        index[axis] = slice(start, stop) if not stacked else start
        tangent[tuple(index)] = t
        return tangent

    def vjp(ct, *rest, axis):
        args, out = rest[:-1], rest[-1]
        start, stop = bounds(args, axis)
        index = [slice(None)] * out.ndim
        index[axis] = slice(start, stop) if not stacked else start
        return _finish(np.array(np.broadcast_to(ct, out.shape)[tuple(index)]), args[slot])

    return jvp, vjp


def _join(name: str, stacked: bool):
    impl = (lambda *arrays, axis: np.stack(arrays, axis)) if stacked else \
           (lambda *arrays, axis: np.concatenate(arrays, axis))

    def make(count: int) -> Primitive:
        rules = [_join_rules(slot, stacked) for slot in range(count)]
        return Primitive(
            name, count, impl,
            formulas=tuple((lambda *labels, k=k: f"1 (part {k + 1})") for k in range(count)),
            reads=((),) * count,
            jvp=tuple(r[0] for r in rules), vjp=tuple(r[1] for r in rules),
            chain_forms=tuple((f"part {k + 1} of {{ct}}", f"{{t}} as part {k + 1}") for k in range(count)),
            examples=lambda rng: [(tuple(rng.standard_normal((2, 3)) for _ in range(count)), {"axis": 0}),
                                  (tuple(rng.standard_normal((2, 3)) for _ in range(count)), {"axis": 1})],
        )
    return make


_variadic_entry("concatenate", _join("concatenate", stacked=False), 3)
_variadic_entry("stack", _join("stack", stacked=True), 3)


def einsum_parts(subscripts: str, count: int) -> tuple[list[str], str]:
    """``"ij,jk->ik"`` as ``(["ij", "jk"], "ik")``; an implicit output (no ``->``) is the
    letters that occur once, in alphabetical order, as numpy has it. No ellipsis."""
    text = subscripts.replace(" ", "")
    inputs, arrow, output = text.partition("->")
    parts = inputs.split(",")
    if len(parts) != count:
        raise ValueError(f"{count} operands for the subscripts {subscripts!r}")
    if "." in text or not all(p.isalpha() or p == "" for p in parts + [output]):
        raise ValueError(f"subscripts {subscripts!r} must be letters (no ellipsis)")
    if not arrow:
        letters = "".join(parts)
        output = "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
    return parts, output


def _einsum_vjp(slot: int):
    def vjp(ct, *rest, subscripts):
        args = rest[:-1]
        parts, output = einsum_parts(subscripts, len(args))
        mine = parts[slot]
        letters = "".join(dict.fromkeys(mine))  # each index once
        operands = [np.asarray(ct, dtype=float) if np.ndim(ct) == 0 else ct]
        terms = [output]
        for k, (part, arg) in enumerate(zip(parts, args)):
            if k != slot:
                terms.append(part)
                operands.append(arg)
        sizes = {c: n for part, arg in zip(parts, args) for c, n in zip(part, shape_of(arg))}
        present = set("".join(terms))
        for c in letters:  # an index summed within this operand alone: a broadcast of ones
            if c not in present:
                terms.append(c)
                operands.append(np.ones(sizes[c]))
        grad_unique = np.einsum(",".join(terms) + "->" + letters, *operands)
        if letters == mine:
            return _finish(grad_unique, args[slot])
        grad = np.zeros(shape_of(args[slot]), dtype=grad_unique.dtype)  # a repeated index: its diagonal
        np.einsum(f"{mine}->{letters}", grad)[...] = grad_unique
        return _finish(grad, args[slot])
    return vjp


def _einsum_jvp(slot: int):
    def jvp(t, *rest, subscripts):
        args = list(rest[:-1])
        args[slot] = np.broadcast_to(t, shape_of(args[slot]))
        return np.einsum(subscripts, *args)
    return jvp


def _contraction(name: str, symbol: str = ""):
    def make(count: int) -> Primitive:
        return Primitive(
            name, count, lambda *arrays, subscripts: np.einsum(subscripts, *arrays),
            formulas=tuple((lambda *labels, subscripts, k=k: f"the other operands, by {subscripts}")
                           for k in range(count)),
            formula_params=True,
            reads=(("others",),) * count,
            jvp=tuple(_einsum_jvp(k) for k in range(count)), vjp=tuple(_einsum_vjp(k) for k in range(count)),
            chain_forms=tuple((f"einsum({{ct}}, {{others}}) by {{subscripts}} → operand {k + 1}",
                               "einsum(…, {t}, …) by {subscripts}") for k in range(count)),
            symbol=symbol, examples=_contraction_examples(count),
        )
    return make


def _contraction_examples(count: int):
    def examples(rng):
        r = rng.standard_normal
        if count == 1:
            return [((r((3, 3)),), {"subscripts": "ii->i"}), ((r((2, 3)),), {"subscripts": "ij->j"})]
        if count == 2:
            return [((r((2, 3)), r((3, 4))), {"subscripts": "ij,jk->ik"}),
                    ((r((2, 3)), r((2, 3))), {"subscripts": "ij,ij->"}),
                    ((r((2, 3, 4)), r((2, 4, 5))), {"subscripts": "bij,bjk->bik"}),
                    ((r(3), r(4)), {"subscripts": "i,j->ij"})]
        return [((r((2, 3)), r((3, 4)), r(4)), {"subscripts": "ij,jk,k->i"})]
    return examples


for _name, _symbol, _count_example in (("einsum", "Σ", 3), ("tensordot", "⊗", 2), ("outer", "⊗", 2),
                                       ("inner", "·", 2)):
    _variadic_entry(_name, _contraction(_name, _symbol), _count_example)
    if _name == "einsum":
        for _n in (1, 2):
            variadic("einsum", _n)


def _cross_rule(slot: int):
    def jvp(t, x, y, out, axis):
        return np.cross(t, y, axis=axis) if slot == 0 else np.cross(x, t, axis=axis)

    def vjp(ct, x, y, out, axis):
        return unbroadcast(np.cross(y, ct, axis=axis) if slot == 0 else np.cross(ct, x, axis=axis),
                           shape_of(x if slot == 0 else y))
    return jvp, vjp


_register(Primitive(
    "cross", 2, lambda x, y, axis: np.cross(x, y, axis=axis),
    formulas=(lambda x, y, out: f"{y}× (on the right)", lambda x, y, out: f"{x}× (on the left)"),
    reads=(("y",), ("x",)), symbol="×",
    jvp=(_cross_rule(0)[0], _cross_rule(1)[0]), vjp=(_cross_rule(0)[1], _cross_rule(1)[1]),
    chain_forms=(("{y}×{ct}", "{t}×{y}"), ("{ct}×{x}", "{x}×{t}")),
    examples=lambda rng: [((rng.standard_normal(3), rng.standard_normal(3)), {"axis": -1}),
                          ((rng.standard_normal((2, 3)), rng.standard_normal((2, 3))), {"axis": -1})],
))



def _kron_subscripts(ndim: int) -> tuple[str, str, str]:
    """kron of two arrays of ``ndim`` dimensions is the outer product with each pair of
    axes interleaved (``"ij,kl->ikjl"``), then each pair merged."""
    a, b = "abcdefgh"[:ndim], "nopqrstu"[:ndim]
    return a, b, "".join(p + q for p, q in zip(a, b))


def _kron_rule(slot: int):
    def vjp(ct, x, y, out):
        a, b, both = _kron_subscripts(x.ndim)
        pairs = np.reshape(ct, [n for pq in zip(x.shape, y.shape) for n in pq])
        if slot == 0:
            return np.einsum(f"{both},{b}->{a}", pairs, y)
        return np.einsum(f"{both},{a}->{b}", pairs, x)

    def jvp(t, x, y, out):
        return np.kron(t, y) if slot == 0 else np.kron(x, t)
    return jvp, vjp


_register(Primitive(
    "kron", 2, np.kron,
    formulas=(lambda x, y, out: f"{y} in each block", lambda x, y, out: f"{x} as the blocks' scale"),
    reads=(("y",), ("x",)), symbol="⊗",
    jvp=(_kron_rule(0)[0], _kron_rule(1)[0]), vjp=(_kron_rule(0)[1], _kron_rule(1)[1]),
    chain_forms=(("Σ per block of {ct}⊙{y}", "kron({t}, {y})"), ("Σ of the blocks of {ct} scaled by {x}", "kron({x}, {t})")),
    examples=lambda rng: [((rng.standard_normal((2, 3)), rng.standard_normal((2, 2))), {}),
                          ((rng.standard_normal(3), rng.standard_normal(2)), {})],
))

del _name, _symbol, _count_example, _n
