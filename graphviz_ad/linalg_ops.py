"""Registry entries for ``np.linalg``: inv, solve, det, slogdet, pinv, cholesky and norm.

Each rule is the matrix identity a course would write, on stacks of matrices too:
``d(A⁻¹) = −A⁻¹·dA·A⁻¹``, so the adjoint of A is ``−A⁻ᵀ·C̄·A⁻ᵀ``; ``∂det A/∂A = det A·A⁻ᵀ``;
``x = A⁻¹b`` gives ``b̄ = A⁻ᵀx̄`` and ``Ā = −b̄·xᵀ``.
"""

from __future__ import annotations

import numpy as np

from .primitives import Primitive, _register

__all__: list[str] = []


def _mT(a):
    return np.swapaxes(a, -1, -2)


def _matrices(rng, n=3, batch=()):
    a = rng.standard_normal(batch + (n, n))
    return a + n * np.eye(n)  # well away from singular


# --- inv ---------------------------------------------------------------------

_register(Primitive(
    "inv", 1, np.linalg.inv,
    formulas=(lambda x, out: f"−{out}·(·)·{out}",), reads=(("out",),), symbol="⁻¹",
    jvp=(lambda t, x, out: -(out @ t @ out),),
    vjp=(lambda ct, x, out: -(_mT(out) @ ct @ _mT(out)),),
    chain_forms=(("−{out}ᵀ·{ct}·{out}ᵀ", "−{out}·{t}·{out}"),),
    examples=lambda rng: [((_matrices(rng),), {}), ((_matrices(rng, 2, (2,)),), {})],
))


# --- solve -------------------------------------------------------------------

def _column(b, x):
    """numpy's solve treats a 1-D b (and x) as one column."""
    return (b[..., None], x[..., None]) if b.ndim == 1 else (b, x)


def _solve_vjp_b(ct, a, b, out):
    grad = np.linalg.solve(_mT(a), ct[..., None] if b.ndim == 1 else ct)
    return grad[..., 0] if b.ndim == 1 else grad


def _solve_vjp_a(ct, a, b, out):
    gb = _solve_vjp_b(ct, a, b, out)
    gb2, x2 = _column(gb, out)
    return -(gb2 @ _mT(x2))


def _solve_jvp_a(t, a, b, out):
    _, x2 = _column(b, out)
    result = np.linalg.solve(a, -(t @ x2))
    return result[..., 0] if b.ndim == 1 else result


_register(Primitive(
    "solve", 2, np.linalg.solve,
    formulas=(lambda a, b, out: f"−{a}⁻¹·(·)·{out}", lambda a, b, out: f"{a}⁻¹"),
    reads=(("x", "out"), ("x",)),
    jvp=(_solve_jvp_a, lambda t, a, b, out: np.linalg.solve(a, t)),
    vjp=(_solve_vjp_a, _solve_vjp_b),
    chain_forms=(("−({x}⁻ᵀ·{ct})·{out}ᵀ", "−{x}⁻¹·{t}·{out}"), ("{x}⁻ᵀ·{ct}", "{x}⁻¹·{t}")),
    examples=lambda rng: [((_matrices(rng), rng.standard_normal(3)), {}),
                          ((_matrices(rng), rng.standard_normal((3, 2))), {})],
))


# --- det and slogdet -----------------------------------------------------------

def _scaled_by(ct, matrix):
    return np.asarray(ct)[..., None, None] * matrix


_register(Primitive(
    "det", 1, np.linalg.det,
    formulas=(lambda x, out: f"{out}·{x}⁻ᵀ",), reads=(("x", "out"),), symbol="det",
    jvp=(lambda t, x, out: out * np.trace(np.linalg.solve(x, t), axis1=-2, axis2=-1),),
    vjp=(lambda ct, x, out: _scaled_by(ct * out, _mT(np.linalg.inv(x))),),
    chain_forms=(("{ct}·{out}·{x}⁻ᵀ", "{out}·tr({x}⁻¹·{t})"),),
    examples=lambda rng: [((_matrices(rng),), {}), ((_matrices(rng, 2, (2,)),), {})],
))
# slogdet records the log of |det A| (its sign is piecewise constant: a plain number).
_register(Primitive(
    "slogdet", 1, lambda x: np.linalg.slogdet(x)[1],
    formulas=(lambda x, out: f"{x}⁻ᵀ",), reads=(("x",),), symbol="log|det|",
    jvp=(lambda t, x, out: np.trace(np.linalg.solve(x, t), axis1=-2, axis2=-1),),
    vjp=(lambda ct, x, out: _scaled_by(ct, _mT(np.linalg.inv(x))),),
    chain_forms=(("{ct}·{x}⁻ᵀ", "tr({x}⁻¹·{t})"),),
    examples=lambda rng: [((_matrices(rng),), {}), ((_matrices(rng, 2, (2,)),), {})],
))


# --- pinv ----------------------------------------------------------------------

def _pinv_jvp(t, x, out):
    # d(A⁺) = −A⁺ dA A⁺ + A⁺A⁺ᵀ dAᵀ (I − AA⁺) + (I − A⁺A) dAᵀ A⁺ᵀA⁺ (A of full rank)
    p = out
    left = np.eye(x.shape[-2]) - x @ p
    right = np.eye(x.shape[-1]) - p @ x
    return -(p @ t @ p) + p @ _mT(p) @ _mT(t) @ left + right @ _mT(t) @ _mT(p) @ p


def _pinv_vjp(ct, x, out):
    p = out
    left = np.eye(x.shape[-2]) - x @ p
    right = np.eye(x.shape[-1]) - p @ x
    return -(_mT(p) @ ct @ _mT(p)) + left @ _mT(ct) @ p @ _mT(p) + _mT(p) @ p @ _mT(ct) @ right


_register(Primitive(
    "pinv", 1, np.linalg.pinv,
    formulas=(lambda x, out: "see the pinv rule",), reads=(("x", "out"),), symbol="⁺",
    jvp=(_pinv_jvp,), vjp=(_pinv_vjp,),
    chain_forms=(("−{out}ᵀ·{ct}·{out}ᵀ + (I−{x}{out})·{ct}ᵀ·{out}{out}ᵀ + {out}ᵀ{out}·{ct}ᵀ·(I−{out}{x})",
                  "−{out}·{t}·{out} + …"),),
    kinks="pinv is differentiated where A has full rank (its rank is locally constant)",
    examples=lambda rng: [((rng.standard_normal((4, 3)),), {}), ((rng.standard_normal((2, 4)),), {})],
))


# --- cholesky --------------------------------------------------------------------

def _phi(a):
    """The lower triangle with the diagonal halved."""
    return np.tril(a) - 0.5 * np.eye(a.shape[-1]) * a


def _read_lower(a):
    """The symmetric matrix numpy's cholesky factors: it reads A's lower triangle only."""
    return np.tril(a) + _mT(np.tril(a, -1))


def _cholesky_jvp(t, x, out):
    linv = np.linalg.inv(out)
    return out @ _phi(linv @ _read_lower(t) @ _mT(linv))


def _cholesky_vjp(ct, x, out):
    linv = np.linalg.inv(out)
    grad = _mT(linv) @ _phi(_mT(out) @ ct) @ linv
    symmetric = 0.5 * (grad + _mT(grad))
    # back through _read_lower: a lower entry stands for itself and its mirror
    return np.tril(2.0 * symmetric) - np.eye(x.shape[-1]) * symmetric


def _spd(rng, n=3):
    a = rng.standard_normal((n, n))
    return a @ a.T + n * np.eye(n)


_register(Primitive(
    "cholesky", 1, np.linalg.cholesky,
    formulas=(lambda x, out: "see the cholesky rule",), reads=(("out",),),
    jvp=(_cholesky_jvp,), vjp=(_cholesky_vjp,),
    chain_forms=(("sym({out}⁻ᵀ·Φ({out}ᵀ·{ct})·{out}⁻¹)", "{out}·Φ({out}⁻¹·{t}·{out}⁻ᵀ)"),),
    kinks="cholesky reads A's lower triangle only (as numpy does): the upper triangle's derivative is 0",
    examples=lambda rng: [((_spd(rng),), {})],
))


# --- norm ----------------------------------------------------------------------

NORM_ORDERS = (None, 1, 2, np.inf, "fro")


def _norm(x, ord, axis, keepdims):
    return np.linalg.norm(x, ord=ord, axis=axis, keepdims=keepdims)


def _expand(value, x, axis, keepdims):
    if axis is None or keepdims or np.ndim(value) == 0:
        return value
    return np.expand_dims(value, axis)


def _norm_gradient(x, out, ord, axis, keepdims):
    """∂‖x‖/∂x: x/‖x‖ (2-norm, Frobenius), sign(x) (1-norm), sign(x) on the largest
    entries, shared by ties (∞-norm); 0 where the norm is 0."""
    out_full = _expand(out, x, axis, keepdims)
    if ord in (None, 2, "fro"):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(out_full == 0, 0.0, x / out_full)
    if ord == 1:
        return np.sign(x)
    hits = (np.abs(x) == out_full).astype(float)
    reduce_axes = None if axis is None else axis
    return np.sign(x) * hits / np.sum(hits, axis=reduce_axes, keepdims=True)


def _norm_vjp(ct, x, out, ord, axis, keepdims):
    return _norm_gradient(x, out, ord, axis, keepdims) * _expand(ct, x, axis, keepdims)


def _norm_jvp(t, x, out, ord, axis, keepdims):
    return np.sum(_norm_gradient(x, out, ord, axis, keepdims) * t, axis=axis, keepdims=keepdims)


_register(Primitive(
    "norm", 1, _norm,
    formulas=(lambda x, out: f"{x}/{out}",), reads=(("x", "out"),), symbol="‖·‖",
    jvp=(_norm_jvp,), vjp=(_norm_vjp,),
    chain_forms=(("{x}/{out} ⊙ {ct}", "Σ {x}/{out} ⊙ {t}"),),
    kinks="∂‖x‖/∂x is taken as 0 where ‖x‖ = 0; for the 1- and ∞-norms, sign(x) is 0 at 0 and "
          "entries tied for the largest share the ∞-norm's derivative",
    examples=lambda rng: [((rng.standard_normal(4),), {"ord": None, "axis": None, "keepdims": False}),
                          ((rng.standard_normal((3, 4)),), {"ord": None, "axis": 1, "keepdims": False}),
                          ((rng.standard_normal(4),), {"ord": 1, "axis": None, "keepdims": False}),
                          ((rng.standard_normal((3, 4)),), {"ord": "fro", "axis": None, "keepdims": False})],
))
