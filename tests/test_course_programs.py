"""Course programs written as textbooks write them trace, draw, step and differentiate.

Each program is plain numpy, written once over a module ``xp``: numpy for graphviz_ad,
autograd.numpy for the independent reference. Each must pass ``ad.check_grad`` (reverse
= forward = central differences), match autograd's gradient, draw, and step through
both sweeps.
"""

import numpy as np
import pytest

import graphviz_ad as ad
from tests.requirements import required  # noqa: E402

anp = required("autograd.numpy")
autograd = required("autograd")

RNG = np.random.default_rng(7)


def softmax_cross_entropy(logits, onehot, xp=np):
    shifted = logits - xp.max(logits, axis=1, keepdims=True)  # the max-subtraction trick
    log_z = xp.log(xp.sum(xp.exp(shifted), axis=1, keepdims=True))  # logsumexp
    return -xp.mean(xp.sum(onehot * (shifted - log_z), axis=1))


def layer_norm(x, gamma, beta, xp=np):
    mean = xp.mean(x, axis=-1, keepdims=True)
    var = xp.var(x, axis=-1, keepdims=True)
    y = (x - mean) / xp.sqrt(var + 1e-5) * gamma + beta
    return xp.sum(y ** 2 * xp.arange(1.0, 1.0 + y.size).reshape(y.shape))


def batch_norm(x, gamma, beta, xp=np):
    mu = x.mean(axis=0)
    sigma = xp.sqrt(((x - mu) ** 2).mean(axis=0) + 1e-5)
    y = gamma * (x - mu) / sigma + beta
    return xp.sum(xp.tanh(y) * xp.arange(1.0, 1.0 + y.size).reshape(y.shape))


def attention(q, k, v, xp=np):
    scores = xp.einsum("qd,kd->qk", q, k) / xp.sqrt(q.shape[-1])
    weights = xp.exp(scores - xp.max(scores, axis=-1, keepdims=True))
    weights = weights / xp.sum(weights, axis=-1, keepdims=True)
    out = xp.einsum("qk,kd->qd", weights, v)
    return xp.sum(out ** 2)


def rnn(h0, wx, wh, xs, xp=np):
    h = h0
    states = []
    for x in xs:
        h = xp.tanh(xp.dot(wx, x) + xp.dot(wh, h))
        states.append(h)
    hs = xp.stack(states)
    both = xp.concatenate([hs[0], hs[-1]])
    return xp.sum(hs ** 2) + xp.sum(both)


def graph_convolution(x, w, xp=np):
    adjacency = np.array([[0, 1, 1, 0], [1, 0, 1, 0], [1, 1, 0, 1], [0, 0, 1, 0]], dtype=float)
    a_hat = adjacency + np.eye(4)
    d = np.diag(1.0 / np.sqrt(a_hat.sum(axis=1)))
    normalised = d @ a_hat @ d
    h = xp.maximum(normalised @ x @ w, 0.0) + 0.01 * (normalised @ x @ w)
    return xp.sum(h ** 2)


def gaussian_nll(mu, cov, x, xp=np):
    diff = x - mu
    sign, logdet = xp.linalg.slogdet(cov)
    return 0.5 * (logdet + diff @ xp.linalg.solve(cov, diff) + len(x) * np.log(2 * np.pi))


def regularised_regression(w, features, targets, xp=np):
    residual = features @ w - targets
    return xp.mean(residual ** 2) + 0.1 * xp.sum(xp.abs(w)) + 0.05 * xp.linalg.norm(w) ** 2


def _spd(n):
    a = RNG.standard_normal((n, n))
    return a @ a.T + n * np.eye(n)


PROGRAMS = {
    "softmax cross-entropy": (softmax_cross_entropy, (RNG.standard_normal((4, 3)), np.eye(3)[[0, 2, 1, 1]])),
    "layer norm": (layer_norm, (RNG.standard_normal((3, 4)), RNG.standard_normal(4), RNG.standard_normal(4))),
    "batch norm": (batch_norm, (RNG.standard_normal((5, 3)), RNG.standard_normal(3), RNG.standard_normal(3))),
    "attention": (attention, (RNG.standard_normal((3, 4)), RNG.standard_normal((5, 4)), RNG.standard_normal((5, 4)))),
    "rnn": (rnn, (np.zeros(3), 0.5 * RNG.standard_normal((3, 2)), 0.5 * RNG.standard_normal((3, 3)),
                  RNG.standard_normal((4, 2)))),
    "graph convolution": (graph_convolution, (RNG.standard_normal((4, 3)), RNG.standard_normal((3, 2)))),
    "gaussian nll": (gaussian_nll, (RNG.standard_normal(3), _spd(3), RNG.standard_normal(3))),
    "regularised regression": (regularised_regression,
                               (RNG.standard_normal(3), RNG.standard_normal((6, 3)), RNG.standard_normal(6))),
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_course_program_passes_check_grad_and_matches_autograd(name):
    program, args = PROGRAMS[name]
    check = ad.check_grad(program, *args, max_elements=40)
    assert check.ok, f"{name}\n{check}"
    ours = ad.grad(program, argnums=tuple(range(len(args))))(*args)
    for position, ours_k in enumerate(ours):
        reference = autograd.grad(lambda *a: program(*a, xp=anp), position)(*args)
        np.testing.assert_allclose(ours_k, reference, rtol=1e-8, atol=1e-10, err_msg=f"{name}, argument {position}")


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_course_program_draws_and_steps_both_sweeps(name):
    program, args = PROGRAMS[name]
    g = ad.trace(program, *args)
    svg = g.to_svg()
    assert all(f'id="node-n{node.index}"' in svg for node in g.nodes if node.op != "const")
    reverse = g.reverse()
    assert len(reverse.steps) == sum(node.op != "const" for node in g.nodes)
    assert all(step.text for step in reverse.steps)
    first = g.inputs[0]
    index = (0,) * np.ndim(first.value) if np.ndim(first.value) else None
    forward = g.forward(wrt=first.name, index=index)
    last = forward.steps[len(forward.steps) - 1]
    entry = reverse.gradient[first.name] if index is None else reverse.gradient[first.name][index]
    assert np.isclose(float(np.asarray(last.value).reshape(())), entry)
    ops = {node.op for node in g.nodes}
    assert "—" not in " ".join(edge.text() for edge in g.edges), ops
