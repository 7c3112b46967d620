"""Reading a sweep's steps on a long chain ÷ the reverse sweep itself (issue 14).

``sweep.steps`` builds a step when it is read, so reading its length and two steps' text
costs about what the sweep cost, not one Step object per node: the ratio stays near 1
from 10⁴ to 10⁶ ops (it was ~40× at 10⁶, when every Step was built up front). Memory is
reported as the growth of the resident set while the steps are read.
"""

from __future__ import annotations

import gc
import time

from common import Result

import graphviz_ad as ad


def _chain(x, n):
    for _ in range(n):
        x = ad.sin(x)
    return x


def _resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 1e6


def measure(n: int) -> dict[str, float]:
    graph = ad.trace(lambda x: _chain(x, n), 0.5)
    gc.collect()
    start = time.perf_counter()
    sweep = graph.reverse()
    sweep_seconds = time.perf_counter() - start
    before = _resident_mb()
    start = time.perf_counter()
    steps = sweep.steps
    texts = (steps[len(steps) // 2].text, steps[-1].text)
    steps_seconds = time.perf_counter() - start
    grown = _resident_mb() - before
    assert texts[1].startswith("∂out/∂x = ")
    return {"nodes": len(graph), "sweep": sweep_seconds, "steps": steps_seconds, "grown_mb": grown}


def results(quick: bool) -> list[Result]:
    rows = []
    for n in ([10**4, 10**5] if quick else [10**4, 10**5, 10**6]):
        m = measure(n)
        ratio = m["steps"] / m["sweep"]
        has_goal = n == 10**5
        rows.append(Result(
            f"{m['nodes']:,}-op chain: `len(sweep.steps)` and two steps' `.text` ÷ `g.reverse()`",
            f"{m['steps']:.3f} s (resident +{m['grown_mb']:.0f} MB)", f"reverse {m['sweep']:.3f} s",
            ratio, "≤ 2" if has_goal else "— (goal at 10⁵ ops)", ratio <= 2.0 if has_goal else None))
    return rows


if __name__ == "__main__":
    for row in results(quick=False):
        print(row.line())
