"""Engine benchmarks: graphviz_ad against micrograd, autograd and hand-written numpy.

    python benchmarks/engine.py [--quick]

1. micrograd's demo workload (MLP(2, [16, 16, 1]), 100 moons, hinge loss + L2): our
   trace + reverse (``ad.value_and_grad``) against micrograd's forward + backward,
   alternated, each timed step ending in ``gc.collect()``; with default GC and with GC off.
2. Scalar reverse sweep ÷ trace, on the same workload.
3. A 10⁶-op chain (``x = sin(x)``): peak bytes per recorded node, trace + reverse.
4. MLP 784-256-10, batch 128, float32, softmax cross-entropy: value+grad ÷ plain numpy
   forward, for us, hand-written numpy backprop, HIPS autograd, and the smallest
   record-then-sweep reverse mode we could write (``minimal_tape.py``: the price of
   doing reverse mode from CPython at all, with no names, checks or graph).
   ``bytecodes.py`` counts the interpreter work of the same calls, phase by phase.
"""

from __future__ import annotations

import argparse
import gc
import math
import random
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import minimal_tape  # noqa: E402
from common import Result, alternate  # noqa: E402

import graphviz_ad as ad  # noqa: E402

__all__ = ["run"]

LAYERS = [2, 16, 16, 1]


# ---------------------------------------------------------------------------
# 1–2: micrograd's demo workload, written the same way on both sides.

def moons(n: int = 100, noise: float = 0.1, seed: int = 1) -> tuple[list[list[float]], list[int]]:
    """Two interleaving half circles, as in micrograd's demo (made here: importing
    scikit-learn would add ~10⁵ long-lived objects that every gc.collect() would scan)."""
    rng = random.Random(seed)
    X, y = [], []
    for i in range(n):
        t = math.pi * (i // 2) / (n // 2 - 1)
        if i % 2 == 0:
            x0, x1, label = math.cos(t), math.sin(t), -1
        else:
            x0, x1, label = 1 - math.cos(t), 0.5 - math.sin(t), 1
        X.append([x0 + rng.gauss(0, noise), x1 + rng.gauss(0, noise)])
        y.append(label)
    return X, y


def init_params(seed: int = 1337) -> list[float]:
    rng = random.Random(seed)
    params = []
    for nin, nout in zip(LAYERS[:-1], LAYERS[1:]):
        for _ in range(nout):
            params += [rng.uniform(-1, 1) for _ in range(nin)] + [0.0]
    return params


def make_ours(X, y):
    def model(params, x):
        k = 0
        acts = x
        for layer, (nin, nout) in enumerate(zip(LAYERS[:-1], LAYERS[1:])):
            last = layer == len(LAYERS) - 2
            out = []
            for _ in range(nout):
                act = sum((wi * xi for wi, xi in zip(params[k:k + nin], acts)), params[k + nin])
                out.append(act if last else ad.relu(act))
                k += nin + 1
            acts = out
        return acts[0]

    def loss(params):
        scores = [model(params, xi) for xi in X]
        losses = [ad.relu(1 + -yi * si) for yi, si in zip(y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = 1e-4 * sum(p * p for p in params)
        return data_loss + reg_loss

    return loss


def micrograd_step_factory(X, y, params):
    from micrograd.engine import Value
    from micrograd.nn import MLP

    random.seed(1337)
    model = MLP(LAYERS[0], LAYERS[1:])
    for p, v in zip(model.parameters(), params):
        p.data = v

    def step():
        inputs = [list(map(Value, xrow)) for xrow in X]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = 1e-4 * sum(p * p for p in model.parameters())
        total = data_loss + reg_loss
        model.zero_grad()
        total.backward()
        return total.data, [p.grad for p in model.parameters()]

    return step


def micrograd_workload(repeats: int) -> list[Result]:
    X, y = moons()
    params = init_params()
    loss = make_ours(X, y)
    ours = ad.value_and_grad(loss)
    theirs = micrograd_step_factory(X, y, params)

    our_value, our_grad = ours(params)
    their_value, their_grad = theirs()
    assert abs(our_value - their_value) < 1e-9, (our_value, their_value)
    np.testing.assert_allclose(our_grad, their_grad, rtol=1e-9, atol=1e-12)  # same maths, same numbers

    results = []
    for label, gc_on, goal in (("default GC", True, 10.0), ("GC off", False, 2.0)):
        t = alternate({"ours": lambda: ours(params), "micrograd": theirs}, repeats, gc_enabled=gc_on)
        ratio = t["micrograd"] / t["ours"]
        results.append(Result(
            f"micrograd demo MLP(2,[16,16,1]) ×100 points, {label}: throughput vs micrograd",
            f"{t['ours'] * 1e3:.1f} ms/step", f"{t['micrograd'] * 1e3:.1f} ms/step",
            ratio, f"≥ {goal:g}×", ratio >= goal))

    graph = ad.trace(loss, params)
    t = alternate({"trace": lambda: ad.trace(loss, params), "reverse": lambda: graph.reverse().gradient},
                  repeats)
    ratio = t["reverse"] / t["trace"]
    results.append(Result(
        f"scalar reverse sweep ÷ trace ({len(graph):,} nodes)", f"reverse {t['reverse'] * 1e3:.1f} ms",
        f"trace {t['trace'] * 1e3:.1f} ms", ratio, "≤ 1.0", ratio <= 1.0))
    return results


# ---------------------------------------------------------------------------
# 3: memory of a long chain.

def chain_memory(n: int) -> list[Result]:
    def chain(x):
        for _ in range(n):
            x = ad.sin(x)
        return x

    gc.collect()
    tracemalloc.start()
    graph = ad.trace(chain, 0.5)
    gradient = graph.reverse().gradient["x"]
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    nodes = len(graph)
    assert 0 < gradient < 1
    del graph
    ours = peak / nodes

    from micrograd.engine import Value  # reference: micrograd's forward pass alone on a shorter chain
    m = min(n, 100_000)
    gc.collect()
    tracemalloc.start()
    x = Value(0.5)
    for _ in range(m):
        x = x.relu()
    theirs = tracemalloc.get_traced_memory()[1] / m
    tracemalloc.stop()
    del x
    gc.collect()
    return [Result(f"{n:,}-op chain (x = sin x), trace + reverse: peak bytes per node",
                   f"{ours:.0f} B/node", f"micrograd forward only: {theirs:.0f} B/node",
                   ours, "≤ 400 B/node", ours <= 400)]


# ---------------------------------------------------------------------------
# 4: an array MLP.

def mlp_data(batch: int = 128, seed: int = 0):
    rng = np.random.default_rng(seed)
    f32 = np.float32
    params = {"W1": (rng.standard_normal((784, 256)) * 0.05).astype(f32), "b1": np.zeros(256, f32),
              "W2": (rng.standard_normal((256, 10)) * 0.05).astype(f32), "b2": np.zeros(10, f32)}
    X = rng.standard_normal((batch, 784)).astype(f32)
    Y = np.eye(10, dtype=f32)[rng.integers(0, 10, batch)]
    return params, X, Y


def mlp_loss(params, X, Y):
    h = ad.relu(X @ params["W1"] + params["b1"])
    z = h @ params["W2"] + params["b2"]
    return (ad.log(ad.exp(z).sum(axis=1)) - (z * Y).sum(axis=1)).mean()


def minimal_tape_loss(params, X, Y):
    """``mlp_loss`` for ``minimal_tape``, written the same way."""
    h = minimal_tape.relu(X @ params["W1"] + params["b1"])
    z = h @ params["W2"] + params["b2"]
    return (minimal_tape.log(minimal_tape.exp(z).sum(axis=1)) - (z * Y).sum(axis=1)).mean()


def numpy_forward(params, X, Y):
    h = np.maximum(X @ params["W1"] + params["b1"], 0)
    z = h @ params["W2"] + params["b2"]
    return float((np.log(np.exp(z).sum(axis=1)) - (z * Y).sum(axis=1)).mean())


def numpy_backprop(params, X, Y):
    """Hand-written backpropagation (Nielsen's BP1–BP4 for this network)."""
    a1 = X @ params["W1"] + params["b1"]
    h = np.maximum(a1, 0)
    z = h @ params["W2"] + params["b2"]
    e = np.exp(z)
    s = e.sum(axis=1, keepdims=True)
    loss = float((np.log(s[:, 0]) - (z * Y).sum(axis=1)).mean())
    dz = (e / s - Y) / X.shape[0]
    grads = {"W2": h.T @ dz, "b2": dz.sum(axis=0)}
    dh = (dz @ params["W2"].T) * (a1 > 0)
    grads["W1"] = X.T @ dh
    grads["b1"] = dh.sum(axis=0)
    return loss, grads


def array_mlp(repeats: int) -> list[Result]:
    params, X, Y = mlp_data()
    ours = ad.value_and_grad(mlp_loss)
    value, grads = ours(params, X, Y)
    reference_value, reference = numpy_backprop(params, X, Y)
    assert abs(value - reference_value) < 1e-4
    floor = minimal_tape.value_and_grad(minimal_tape_loss)
    floor_value, floor_grads = floor(params, X, Y)
    assert abs(floor_value - reference_value) < 1e-4
    for key in params:
        for computed in (grads[key], floor_grads[key]):
            assert computed.dtype == np.float32
            np.testing.assert_allclose(computed, reference[key], rtol=1e-3, atol=1e-5)
    fns = {"forward": lambda: numpy_forward(params, X, Y), "ours": lambda: ours(params, X, Y),
           "numpy": lambda: numpy_backprop(params, X, Y), "floor": lambda: floor(params, X, Y)}
    t = alternate(fns, repeats, collect=False)
    forward = t["forward"]
    try:
        import autograd
        import autograd.numpy as anp

        def autograd_loss(params, X, Y):
            h = anp.maximum(anp.dot(X, params["W1"]) + params["b1"], 0)
            z = anp.dot(h, params["W2"]) + params["b2"]
            return anp.mean(anp.log(anp.sum(anp.exp(z), axis=1)) - anp.sum(z * Y, axis=1))

        # Timed in a round of its own: autograd allocates and frees so much per call that
        # glibc gives the heap back to the system after it, and whichever workload ran
        # next paid to grow it again (ours: 65 page faults per call when it followed
        # autograd, ~1 without it; checked with getrusage).
        autograd_vg = autograd.value_and_grad(autograd_loss)
        ta = alternate({"forward": fns["forward"], "autograd": lambda: autograd_vg(params, X, Y)},
                       max(3, repeats // 4), collect=False)
        t["autograd"] = ta["autograd"] / ta["forward"] * forward
    except ImportError:
        pass
    results = [
        # The goal of record: what tracing a model costs over writing its backprop by hand.
        Result("MLP 784-256-10, batch 128, float32: value+grad ÷ hand-written numpy backprop",
               f"{t['ours'] * 1e3:.2f} ms", f"{t['numpy'] * 1e3:.2f} ms",
               t["ours"] / t["numpy"], "≤ 1.3", t["ours"] / t["numpy"] <= 1.3),
        # Reported, not judged: the floor any record-then-sweep reverse mode pays over the
        # forward pass is the minimal tape's ratio beside it.
        Result("MLP 784-256-10: value+grad ÷ numpy forward (beside the minimal-tape floor)",
               f"{t['ours'] / forward:.2f}× ({t['ours'] * 1e3:.2f} ms)",
               f"minimal tape {t['floor'] / forward:.2f}×, numpy by hand {t['numpy'] / forward:.2f}×" + (
                   f", autograd {t['autograd'] / forward:.2f}×" if "autograd" in t else ""),
               t["ours"] / forward, "— (reported beside the floor)", None),
    ]
    return results


def run(quick: bool = False) -> list[Result]:
    repeats = 3 if quick else 15
    results = micrograd_workload(repeats)
    results += chain_memory(50_000 if quick else 10**6)
    results += array_mlp(5 if quick else 200)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes and few repeats (CI smoke run)")
    args = parser.parse_args()
    started = time.perf_counter()
    for result in run(quick=args.quick):
        print(result.line())
    print(f"({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
