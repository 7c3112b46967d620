"""What a full gradient of f: Rⁿ → R costs by finite differences, forward mode and reverse mode.

Measured, not claimed: work is counted by the sweeps themselves (multiply-adds, one per
differentiable edge per sweep) and time by the clock. Forward mode needs n sweeps and
finite differences n + 1 evaluations; when n is large only ``max_runs`` of them are timed
and the total is that mean times the count (``timed_runs`` says how many really ran).
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from .sweeps import forward_tangents, reverse_adjoints
from .tracing import trace_selected

__all__ = ["ModeCost", "gradient_costs"]


@dataclass(frozen=True)
class ModeCost:
    """One way of getting the whole gradient."""

    method: str          # "finite differences", "forward mode" or "reverse mode"
    runs: int            # evaluations of f, or sweeps
    work: int            # multiply-adds (sweeps) or recorded ops evaluated (finite differences)
    seconds: float       # total time for all runs
    timed_runs: int      # how many of the runs were actually timed
    #: The one recording pass (tracing f) that the sweeps read, which both modes need first;
    #: not part of ``seconds``. Finite differences need none.
    recording_seconds: float = 0.0

    @property
    def estimated(self) -> bool:
        return self.timed_runs < self.runs


def gradient_costs(f: Callable[[Sequence[float]], Any], x: Sequence[float], *,
                   max_runs: int = 50) -> dict[str, ModeCost]:
    """Cost of ∇f at ``x`` (a list of floats) three ways; also checks they agree.

    Returns ``{"finite differences": ..., "forward mode": ..., "reverse mode": ...}``.
    """
    x = [float(v) for v in x]
    n = len(x)
    start = time.perf_counter()
    graph = trace_selected(f, (x,), {}, differentiate={0})
    recording_seconds = time.perf_counter() - start
    tape = graph.tape
    (out,) = graph.output_indices
    inputs = graph.input_indices
    edges = graph.differentiable_edge_count

    # One reverse sweep is short: the median of five, so that one busy moment (a gc pass,
    # another process) does not decide the forward ÷ reverse ratio.
    reverse_times = []
    for _ in range(5):
        start = time.perf_counter()
        adjoints = reverse_adjoints(tape, {out: 1.0})
        reverse_times.append(time.perf_counter() - start)
    reverse_seconds = statistics.median(reverse_times)

    timed = min(n, max_runs)
    start = time.perf_counter()
    for k in range(timed):
        tangent = forward_tangents(tape, {inputs[k]: 1.0})[out]
        if abs(tangent - adjoints[inputs[k]]) > 1e-8 * (1 + abs(tangent)):
            raise AssertionError(f"forward and reverse disagree on ∂f/∂x[{k}]: {tangent} vs {adjoints[inputs[k]]}")
    forward_seconds = (time.perf_counter() - start) / timed * n

    h = 1e-6
    timed_fd = min(n + 1, max_runs)
    start = time.perf_counter()
    base = float(f(x))
    for k in range(timed_fd - 1):
        shifted = list(x)
        shifted[k] += h
        estimate = (float(f(shifted)) - base) / h
        if abs(estimate - adjoints[inputs[k]]) > 1e-3 * (1 + abs(estimate)):
            raise AssertionError(f"finite difference disagrees on ∂f/∂x[{k}]: {estimate} vs {adjoints[inputs[k]]}")
    fd_seconds = (time.perf_counter() - start) / timed_fd * (n + 1)

    ops_per_evaluation = sum(1 for i in range(len(tape)) if tape.arg0[i] >= 0)
    return {
        "finite differences": ModeCost("finite differences", n + 1, (n + 1) * ops_per_evaluation,
                                       fd_seconds, timed_fd),
        "forward mode": ModeCost("forward mode", n, n * edges, forward_seconds, timed, recording_seconds),
        "reverse mode": ModeCost("reverse mode", 1, edges, reverse_seconds, 1, recording_seconds),
    }
