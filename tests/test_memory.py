"""Big graphs: no recursion anywhere, and graphs freed by reference counting alone."""

import gc
import sys
import tracemalloc
import weakref

import numpy as np
import pytest

import graphviz_ad as ad


def chain(x, n):
    for _ in range(n):
        x = ad.sin(x)
    return x


@pytest.mark.slow
def test_million_op_chain_traces_and_reverses_at_the_default_recursion_limit(default_recursion_limit):
    assert sys.getrecursionlimit() == default_recursion_limit
    g = ad.trace(lambda x: chain(x, 10**6), 0.5)
    assert len(g) == 10**6 + 1
    rv = g.reverse()
    assert 0.0 < rv.gradient["x"] < 1e-3  # ∏ cos(sin^k(0.5)): small but not zero
    assert g.forward(wrt="x").result == pytest.approx(rv.gradient["x"], rel=1e-9)
    assert g.count_paths("x", g.output) == 1
    assert str(g).count("\n") == 10**6 + 1


def memory_left_after_del(n):
    """Bytes still allocated after building, sweeping and deleting an n-node graph, gc off."""
    gc.collect()
    gc.disable()
    try:
        tracemalloc.start()
        baseline = tracemalloc.get_traced_memory()[0]
        g = ad.trace(lambda x: chain(x, n), 0.5)
        rv = g.reverse()
        steps = rv.steps  # Step and Node views must not form cycles either
        frame = rv.frame(3)
        held = tracemalloc.get_traced_memory()[0] - baseline
        del g, rv, steps, frame
        left = tracemalloc.get_traced_memory()[0] - baseline
        tracemalloc.stop()
    finally:
        gc.enable()
    return held, left


def test_graphs_are_freed_without_the_cycle_collector():
    # CPython keeps up to 2,000 freed tuples of each size for reuse, which tracemalloc still
    # counts; a leak grows with the graph, that cache does not.
    small_held, small_left = memory_left_after_del(10_000)
    large_held, large_left = memory_left_after_del(40_000)
    assert large_held > 3 * small_held > 3_000_000  # the graphs really were big
    assert large_left < small_left + 20_000, (small_left, large_left)
    assert large_left < 0.05 * large_held


def test_transforms_do_not_keep_the_traced_function_or_what_it_captured():
    # grad(f) remembers f's parameter names between calls; that memory must not keep f, and
    # the data its closure captured, alive once the user has let go of them.
    class Data(np.ndarray):  # (plain ndarrays cannot be weakly referenced)
        pass

    def make_loss():
        data = np.arange(1000.0).view(Data)

        def loss(w):
            return (w * data[:3]).sum()

        return loss, weakref.ref(data), weakref.ref(loss)

    gc.disable()
    try:
        loss, data_ref, loss_ref = make_loss()
        assert ad.grad(loss)(np.ones(3)).tolist() == [0.0, 1.0, 2.0]
        graph = ad.trace(loss, np.ones(3))
        assert graph.input_names == ("w",)
        del loss, graph
        assert loss_ref() is None and data_ref() is None
    finally:
        gc.enable()
